"""Checking the engine's gradients against central differences, for any function of Values.

>>> from autograd import gradcheck
>>> report = gradcheck(lambda x, y: (x * y).tanh() + x ** 2, [0.5, -1.5])
>>> report.ok
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from autograd.errors import GradcheckError
from autograd.coerce import as_float
from autograd.value import Value


@dataclass(frozen=True)
class InputCheck:
    """The comparison for one input: engine (analytic) against central difference (numeric)."""

    name: str
    value: float
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    ok: bool


@dataclass(frozen=True)
class GradcheckReport:
    """Per-input comparisons; ``ok`` is True when every input agrees within tolerance."""

    checks: tuple[InputCheck, ...]
    output: float
    eps: float
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def __str__(self) -> str:
        width = max([len(c.name) for c in self.checks] + [5])
        head = f"{'input':<{width}}  {'value':>12}  {'analytic':>14}  {'numeric':>14}  {'rel.err':>9}  ok"
        rows = [
            f"{c.name:<{width}}  {c.value:>12.6g}  {c.analytic:>14.8g}  {c.numeric:>14.8g}  "
            f"{c.rel_error:>9.2e}  {'yes' if c.ok else 'NO'}"
            for c in self.checks
        ]
        verdict = "all gradients agree" if self.ok else "gradients DISAGREE"
        return "\n".join([head, *rows, f"{verdict} (eps={self.eps:g}, rtol={self.rtol:g}, atol={self.atol:g})"])

    def _repr_markdown_(self) -> str:
        # a notebook shows the comparison as a table (the engine imports no renderer: written here)
        rows = [f"| `{c.name}` | {c.value:.6g} | {c.analytic:.8g} | {c.numeric:.8g} | {c.rel_error:.2e} | "
                f"{'✓' if c.ok else '✗'} |" for c in self.checks]
        verdict = "all gradients agree" if self.ok else "**gradients DISAGREE**"
        return "\n".join(["| input | value | analytic | numeric | rel. error | ok |", "|---|---|---|---|---|---|",
                          *rows, "", f"{verdict} (eps={self.eps:g}, rtol={self.rtol:g}, atol={self.atol:g})"]) + "\n"


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[float] | Mapping[str, float],
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    raise_exception: bool = True,
) -> GradcheckReport:
    """Compare ``backward()``'s gradients of ``f`` with central differences in float64.

    Args:
        f: a function of Values returning one Value (called as ``f(*values)``, or ``f(**values)``
            when ``inputs`` is a mapping of names to numbers).
        inputs: the point, as numbers (Values are read for their ``data``).
        eps: the relative step: input x is moved by ``eps * max(1, |x|)`` either way.
        rtol, atol: the tolerance: ``|analytic − numeric| ≤ atol + rtol · max(|analytic|, |numeric|)``.
        raise_exception: raise on disagreement (default) or return the report with ``ok`` False.

    Returns:
        A `GradcheckReport` with one `InputCheck` per input.

    Raises:
        GradcheckError: when a gradient disagrees and ``raise_exception`` is true; the message is the
            report, with analytic, numeric and relative error for every input.
        TypeError: when ``f`` does not return a Value.
    """
    if isinstance(inputs, Mapping):
        names = [str(k) for k in inputs]
        point = [as_float(v.data if isinstance(v, Value) else v, f"input {k!r}") for k, v in inputs.items()]
        call = lambda values: f(**dict(zip(names, values)))  # noqa: E731
    else:
        point = [as_float(v.data if isinstance(v, Value) else v, f"input {i}") for i, v in enumerate(inputs)]
        names = [f"x{i}" for i in range(len(point))]
        call = lambda values: f(*values)  # noqa: E731
    if not point:
        raise ValueError("gradcheck needs at least one input")

    def evaluate(values: list[float]) -> Value:
        out = call([Value(v, label=n) for v, n in zip(values, names)])
        if not isinstance(out, Value):
            raise TypeError(f"gradcheck's function must return a Value, got {type(out).__name__}: {out!r}")
        return out

    leaves = [Value(v, label=n) for v, n in zip(point, names)]
    out = call(leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck's function must return a Value, got {type(out).__name__}: {out!r}")
    out.backward()

    checks = []
    for i, (leaf, name) in enumerate(zip(leaves, names)):
        h = eps * max(1.0, abs(point[i]))
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        numeric = (evaluate(up).data - evaluate(down).data) / (2.0 * h)
        analytic = leaf.grad
        err = abs(analytic - numeric)
        scale = max(abs(analytic), abs(numeric))
        ok = err <= atol + rtol * scale and math.isfinite(analytic)
        checks.append(InputCheck(name, point[i], analytic, numeric, err, err / scale if scale else 0.0, ok))
    report = GradcheckReport(tuple(checks), out.data, eps, rtol, atol)
    if raise_exception and not report.ok:
        raise GradcheckError("gradcheck failed:\n" + str(report))
    return report
