"""The closing lines every derivation shares: the drift when rounded by hand, the check against the
engine's ``.grad``, a note wherever the derivation passes a kink (relu or abs at 0, max or min at a
tie) saying which subgradient is used, and the legend of the placeholders ⟨k⟩."""

from __future__ import annotations

import math
from typing import Iterable

from autograd import ops
from autograd.derive.formula import Formula, fill, from_text, number
from autograd.derive.model import Equations, Line, text_of
from autograd.derive.view import GraphView, rule_of
from autograd.value import Value


def check_line(g: GraphView, wrt: Value, value: float) -> Line:
    """The line comparing a derivation's result with the engine's ``wrt.grad`` (✓ or ✗)."""
    name = g.name(wrt)
    label = Formula(f"{name.text}.grad", rf"{name.latex}.\mathrm{{grad}}")
    if g.root.grad == 0.0 and wrt.grad == 0.0 and value != 0.0:
        return Line(["check: the engine's ", label, " is 0: run backward() on ", g.name(g.root),
                      " first to compare"])
    if math.isclose(wrt.grad, value, rel_tol=1e-9, abs_tol=1e-12):
        return Line(["check: the engine's ", label, " = ", g.number(wrt.grad), " ✓"])
    return Line(["check: the engine's ", label, " = ", g.number(wrt.grad), " ✗ differs from ",
                  g.number(value), " (leaf gradients add up over backward() calls: call zero_grad() "
                  "before backward())"])


def kink_lines(g: GraphView, nodes: Iterable[Value]) -> list:
    """A note for each of ``nodes`` that sits where its rule has no derivative (relu or abs at 0,
    max or min at a tie), saying which subgradient the partials use there."""
    out = []
    for v in nodes:
        if not v.parents:
            continue
        rule = rule_of(v)
        if rule.kink is None:
            continue
        parents = iter(v.parents)
        consts = v.consts if v.consts is not None else (None,) * len(v.parents)
        xs = [next(parents).data if c is None else c for c in consts]
        if not rule.kink(ops.SCALAR, *xs):
            continue
        args, _ = g._arguments(v)
        names = g._placeholders(v, args)
        text, latex = rule.kink_where
        where = from_text(fill(lambda n, o: text.format(*n), args, None, False, names),
                          fill(lambda n, o: latex.format(*n), args, None, True, names))
        at = g.expression(v)
        if v.label:
            name = g.name(v)
            at = Formula(f"{name.text} = {at.text}", f"{name.latex} = {at.latex}")
        out.append(Line(["note: at ", at, ", ", where, f", where {rule.name} has no derivative: "
                         f"{rule.kink_convention}, as in PyTorch and JAX"]))
    return out


def finish(g: GraphView, wrt: Value, value: float, exact: float, round_steps: bool, blocks: list) -> list:
    """The closing blocks of an explanation: the drift when rounded by hand, the engine check, and the
    legend of every placeholder ⟨k⟩ the blocks use."""
    out = []
    if round_steps:
        out.append(Line(["rounded at every step: ", g.number(value), "; exact: ",
                          number(exact, max(g.digits, 6) + 2, "sig", ascii_minus=True), "; drift: ",
                          number(value - exact, 3, "sig", ascii_minus=True)]))
    out.append(check_line(g, wrt, exact))
    out.extend(kink_lines(g, (v for v, on_the_way in zip(g.order, g.relevant(wrt)) if on_the_way)))
    texts = [text_of(b.pieces) for b in blocks if isinstance(b, Line)]
    texts += [c.text for b in blocks if isinstance(b, Equations) for cells, _ in b.rows for c in cells if c]
    out.extend(g.legend(texts))
    return out

