"""Random input for the formula parser and the problem-file loader: whatever the text, the only
exceptions are chainrule's own (`ExpressionError`, `ProblemError`, and the engine's `ChainruleError`s
for numbers out of an operation's domain), and nothing hangs (each example has a time limit)."""

from __future__ import annotations

import contextlib
import signal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from autograd import Value
from autograd.errors import ChainruleError
from autograd.expression import ExpressionError, parse
from homework.errors import ProblemError
from homework.reading import builtin_text, loads

SECONDS = 10  # per example: far more than any takes; a hang fails the test instead of the run
FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@contextlib.contextmanager
def time_limit(seconds: int = SECONDS):
    def stop(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


FORMULA_PIECES = st.sampled_from(["x", "y", "z", "1", "0", "2.5", "1e308", "-", "+", "*", "/", "**", "(", ")",
                                  "relu(", "log(", "exp(", "sqrt(", "sin(", "pi", "e", " ", ";", "=", "q", ",",
                                  "[", "]", ".", "'", "lambda", "import", "__", "@", "<", "9" * 30, "\n"])


@FUZZ
@given(st.one_of(st.text(max_size=60), st.lists(FORMULA_PIECES, max_size=40).map("".join)))
def test_the_formula_parser_raises_only_its_own_errors(text):
    with time_limit():
        try:
            expr = parse(text)
        except ExpressionError:
            return
        try:
            expr.evaluate({v: Value(0.7 + k) for k, v in enumerate(expr.variables)})
        except (ExpressionError, ChainruleError):
            pass


SEED = builtin_text("seed002")
TOML_VALUES = st.one_of(
    st.integers(min_value=-10 ** 30, max_value=10 ** 30).map(str), st.floats(allow_nan=True).map(repr),
    st.sampled_from(["nan", "inf", "-inf", "true", '"sigmoid"', '"softmax"', '"relu(z) + sin(z)"', "[]", "[[]]",
                     "[[1]]", "[1, 2]", "[[1, 2], [3]]", '"\\\\input{x}"', '"W^<l>"', "{}", '"cross_entropy"',
                     '"binary_cross_entropy"', '"logistic"', "0", "-1", "1" + "0" * 400, '""']),
    st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'))
KEYS = ["weights = ", "activation = ", "x = ", "y = ", "kind = ", "learning_rate = ", "digits = ", "convention = ",
        "notation = ", "derivatives = ", "title = "]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(KEYS), TOML_VALUES), min_size=1, max_size=3))
def test_the_problem_loader_raises_only_its_own_errors_on_edited_sheets(edits):
    text = SEED
    for key, value in edits:
        lines = text.splitlines()
        for k, line in enumerate(lines):
            if line.startswith(key):
                lines[k] = key + value
                break
        text = "\n".join(lines) + "\n"
    _load_and_solve(text)


@FUZZ
@given(st.text(max_size=300))
def test_the_problem_loader_raises_only_its_own_errors_on_any_text(text):
    _load_and_solve(text)


def _load_and_solve(text: str) -> None:
    with time_limit():
        try:
            problem = loads(text, source="fuzz.toml")
            solution = problem.solve()
            for fmt in ("text", "latex"):
                solution.render(fmt)
        except (ProblemError, ChainruleError):
            pass


def test_a_hang_would_be_caught():
    import time
    with pytest.raises(TimeoutError):
        with time_limit(1):
            time.sleep(5)
