"""Every result object displays richly in a notebook: rendered through IPython's own display
formatter (what Jupyter calls), each gives the mimetype it should, with its content; a `Value` keeps
a short plain repr. Any class that exports itself as Markdown must display as Markdown too (the
convention a new result object follows: inherit `autograd.derive.document.RichDisplay`).

Without IPython the tests are skipped, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import html
import importlib
import inspect
import os
import pkgutil

import pytest

import autograd
import homework
import nn
from autograd import Value, explain, forward_table, gradcheck, trace
from autograd.symbolic import derivative
from homework import load
from nn.backprop import layer_derivation


def needs_ipython() -> None:
    """Skip without IPython (a dev dependency); under CI=true, fail instead."""
    try:
        import IPython  # noqa: F401
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("IPython is required under CI=true: pip install -e '.[dev]'")
        pytest.skip("IPython is not installed (pip install -e '.[dev]')")


def shown(obj) -> dict:
    """What Jupyter receives for ``obj``: {mimetype: content}."""
    needs_ipython()
    from IPython.core.formatters import DisplayFormatter
    data, _ = DisplayFormatter().format(obj)
    return data


@pytest.fixture(scope="module")
def seed002():
    return load("seed002").solve()


def test_a_value_keeps_its_short_repr():
    x = Value(2.0, label="x")
    y = (x * x).named("y")
    data = shown(y)
    assert set(data) == {"text/plain"} and data["text/plain"] == repr(y) and len(repr(y)) < 60


def test_explanations_traces_and_forward_tables_display_as_markdown_with_typeset_math(seed002):
    w = seed002.net.parameter("W^1_{21}")
    for printout, marks in ((explain(seed002.loss, w), (r"\partial", "$", "check")),
                            (trace(seed002.loss), ("| step |", r"\partial", "engine check")),
                            (forward_table(seed002.loss), ("| name | definition | value |", r"\sigma",))):
        data = shown(printout)
        assert set(data) == {"text/plain", "text/markdown"}
        assert data["text/markdown"] == printout.to_markdown(math="latex")
        assert all(mark in data["text/markdown"] for mark in marks), marks
        assert data["text/plain"].startswith("<Explanation")  # the repr stays short


def test_a_solution_displays_as_its_markdown_export(seed002):
    data = shown(seed002)
    assert data["text/markdown"] == seed002.render("markdown")
    assert data["text/markdown"].startswith("# Seed 002") and r"\begin{bmatrix}" in data["text/markdown"]
    assert data["text/plain"] == "<Solution of 'Seed 002: a 2-2-1 sigmoid network': ℓ = 0.387902, 9 parameters>"


def test_a_layer_level_derivation_displays_as_markdown():
    solution = load("seed001").solve()
    d = layer_derivation(solution.net, solution.problem.loss, target=solution.problem.y, x=solution.problem.x)
    data = shown(d)
    assert r"\begin{bmatrix}" in data["text/markdown"] and r"\odot" in data["text/markdown"]
    assert "δ" in data["text/markdown"] or r"\delta" in data["text/markdown"]


def test_a_gradient_check_displays_as_a_table():
    data = shown(gradcheck(lambda x, y: (x * y).tanh(), [0.5, -1.5]))
    table = data["text/markdown"]
    assert table.startswith("| input | value | analytic | numeric | rel. error | ok |")
    assert table.count("✓") == 2 and "all gradients agree" in table


def test_a_derivative_displays_as_one_typeset_formula():
    data = shown(derivative("relu(z) + sin(z)"))
    assert data["text/latex"] == r"$f'(z) = [z > 0] + \cos z$"


@pytest.mark.needs_dot
def test_the_step_through_displays_as_its_page_in_a_frame(seed002):
    page = seed002.step_through()
    data = shown(page)
    frame = data["text/html"]
    assert frame.startswith('<iframe srcdoc="') and "height:" in frame
    srcdoc = frame[len('<iframe srcdoc="'):frame.index('" title=')]
    assert html.unescape(srcdoc) == page.html()  # the whole page, its script kept inside the frame
    assert data["text/plain"] == repr(page) == ("<StepThrough 'Seed 002: a 2-2-1 sigmoid network': 39 frames "
                                                "(18 forward, 21 backward)>")


@pytest.mark.needs_dot
def test_a_drawing_displays_as_svg(seed002):
    data = shown(seed002.drawing())
    assert "image/svg+xml" in data and "<svg" in data["image/svg+xml"]


def _classes_with(method: str):
    for package in (autograd, nn, homework):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__"):
                continue  # runs the command line
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and method in vars(cls):
                    yield cls


def test_every_result_that_exports_markdown_displays_as_markdown():
    """The hook for new result objects (an answer check's report): export ``to_markdown`` and a
    notebook shows it, by inheriting RichDisplay (or defining ``_repr_markdown_``)."""
    found = list(_classes_with("to_markdown"))
    assert {c.__name__ for c in found} >= {"Explanation", "LayerDerivation"}
    for cls in found:
        assert callable(getattr(cls, "_repr_markdown_", None)), f"{cls.__module__}.{cls.__name__}"

