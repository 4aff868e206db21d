"""The tutorial notebook runs from top to bottom: examples/tutorial.ipynb, stored without outputs,
executed with nbclient on a kernel of this very Python (a kernel spec made in a temporary folder, so
nothing is installed anywhere); any error in any cell fails the test, and what the cells display
is what the tutorial says it is.

Without nbclient, nbformat or ipykernel the test is skipped, except under CI=true, where that is a
failure (the `needs_kernel` requirement below).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parent.parent / "examples" / "tutorial.ipynb"


def needs_kernel() -> None:
    """Skip without nbclient, nbformat and ipykernel; under CI=true, fail instead."""
    missing = []
    for package in ("nbclient", "nbformat", "ipykernel", "jupyter_client"):
        try:
            __import__(package)
        except ImportError:
            missing.append(package)
    if missing:
        message = f"running the notebook needs {', '.join(missing)} (pip install -e '.[dev]')"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " under CI=true")
        pytest.skip(message)


def test_the_tutorial_is_stored_without_outputs():
    needs_kernel()
    import nbformat
    nb = nbformat.read(TUTORIAL, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 10
    assert all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.mark.needs_dot
def test_the_tutorial_runs_without_an_error(tmp_path):
    needs_kernel()
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    spec = tmp_path / "kernels" / "chainrule-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "chainrule test", "language": "python"}), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    manager = KernelManager(kernel_name="chainrule-test", kernel_spec_manager=specs)
    work = tmp_path / "work"
    work.mkdir()
    nb = nbformat.read(TUTORIAL, as_version=4)
    NotebookClient(nb, km=manager, timeout=180, allow_errors=False,
                   resources={"metadata": {"path": str(work)}}).execute()  # raises on the first error

    def output_of(last_line: str) -> dict:
        """The outputs of the cell whose last line is ``last_line``: {mimetype: content, "stdout": text}."""
        cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.splitlines()[-1] == last_line)
        data = {}
        for out in cell.outputs:
            data.update(out.get("data", {}))
            if out.output_type == "stream":
                data["stdout"] = data.get("stdout", "") + out.text
        return data

    printed = output_of('print(f"L = {L.data}, dL/da = {a.grad}, dL/db = {b.grad}, dL/dc = {c.grad}")')
    assert printed["stdout"] == "L = -8.0, dL/da = 6.0, dL/db = -4.0, dL/dc = -2.0\n"
    assert output_of("L") == {"text/plain": "Value(data=-8.0, grad=1.0, label='L')"}  # a Value: its short repr
    assert r"\partial" in output_of("explain(L, a)")["text/markdown"]
    assert "dL/da = ∂L/∂d · ∂d/∂e · ∂e/∂a" in output_of("print(explain(L, a))")["stdout"]
    assert "| step |" in output_of("trace(L)")["text/markdown"]
    assert "image/svg+xml" in output_of("draw(L, highlight=a)")
    assert output_of("page")["text/html"].startswith("<iframe srcdoc=")
    assert (work / "first-graph-steps.html").stat().st_size > 5000
    assert r"W^{1}_{21}" in output_of("explain(solution.loss, w)")["text/markdown"]
    assert "39 frames" in output_of("solution.step_through()")["text/plain"]
    assert output_of("solution")["text/markdown"].startswith("# Seed 002")
    layers = "layer_derivation(seed001.net, seed001.problem.loss, target=seed001.problem.y, x=seed001.problem.x)"
    assert r"\odot" in output_of(layers)["text/markdown"]
    check = "gradcheck(lambda x, y: (x * y).tanh() + x ** 2, [0.5, -1.5])"
    assert "all gradients agree" in output_of(check)["text/markdown"]
    answers = 'check(load("seed002"), {"gradients": {"W^1_{21}": 0.0925}, "updated": {"W^1_{21}": -2.185}})'
    report = output_of(answers)["text/markdown"]
    assert "sign flipped" in report and "follows from your earlier value" in report
