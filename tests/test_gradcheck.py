"""gradcheck agrees with the engine on correct rules, and catches a deliberately wrong one."""

import dataclasses
import math

import pytest

from autograd import GradcheckError, Value, gradcheck, ops


def test_agrees_on_a_function_of_every_kind_of_operation():
    f = lambda x, y: ((x * y).tanh() + x ** 2 - y / (1.5 + x.sigmoid()) + abs(y).sqrt().log()  # noqa: E731
                      + (x - y).exp() * y.sin().relu() + x.cos() ** y.softplus())
    report = gradcheck(f, [0.3, -0.7])
    assert report.ok and len(report.checks) == 2
    assert all(c.rel_error < 1e-7 for c in report.checks)
    assert "all gradients agree" in str(report)


def test_named_inputs():
    report = gradcheck(lambda w, b: (w * 3.0 + b).tanh(), {"w": 0.2, "b": -0.1})
    assert [c.name for c in report.checks] == ["w", "b"]
    assert report.checks[0].analytic == pytest.approx(3 * (1 - math.tanh(0.5) ** 2), rel=1e-12)


def test_a_wrong_rule_is_caught_with_both_numbers(monkeypatch):
    wrong = dataclasses.replace(ops.TANH, partials=(lambda m, out, x: 1.0 - out,))  # should be 1 − out²
    monkeypatch.setattr(ops, "TANH", wrong)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: x.tanh(), [0.8])
    message = str(info.value)
    assert "DISAGREE" in message and "NO" in message
    report = gradcheck(lambda x: x.tanh(), [0.8], raise_exception=False)
    assert not report.ok
    check = report.checks[0]
    assert check.analytic == pytest.approx(1 - math.tanh(0.8), rel=1e-12)
    assert check.numeric == pytest.approx(1 - math.tanh(0.8) ** 2, rel=1e-7)


def test_a_function_that_returns_a_number_is_refused():
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda x: 3.0, [1.0])
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda: Value(1.0), [])
