"""How a recorded graph is shown in a derivation: each node's name, each partial's formula, every
value recomputed with rounding as by hand, and the closing lines every derivation shares.

`GraphView` is built once per printout from the root's topological order. A node is shown by its
label (``W^1_{21}`` → W¹₂₁), an unnamed leaf by its number, an unnamed operation by its own
expression (``(1 − ŷ)²``), parenthesised where it sits inside a larger formula; an expression longer
than ``max_expr`` characters, or nested deeper than `MAX_DEPTH` unnamed operations, becomes ⟨k⟩ (k:
the node's position in the topological order), defined in a legend under the printout.
"""

from __future__ import annotations

import math
import re
from typing import Iterable

from autograd import notation, ops
from autograd.derive.formula import ATOM, Formula, fill, from_text, number, out_placeholder, placeholders, substitute
from autograd.derive.model import Equations, Line
from autograd.graph import SiblingOutputs, topological_order
from autograd.value import Value


def rule_of(v: Value) -> ops.Rule:
    """The rule that made ``v``, or an error naming the operation this version does not know."""
    try:
        return ops.RULES[v.op]
    except KeyError:
        raise KeyError(f"no rule named {v.op!r} in autograd.ops.RULES: a node was made by an operation "
                       f"this version does not know; add its rule to ops.py") from None


# An unnamed operation nested deeper than this below the nearest named nodes is shown as ⟨k⟩: it
# keeps every formula short, and naming a node never has to look further down than this.
MAX_DEPTH = 6
# A factor collapsed through more steps than this is shown by its number only.
MAX_CHAIN_FORMULA = 12
_PLACEHOLDER = re.compile(r"⟨(\d+)⟩")


class GraphView:
    """One root's graph and how its nodes are shown.

    A node's display name depends only on the graph (its label, or its expression over its
    operands' names, or ⟨k⟩ when that is too long or too deep), so computing names lazily, in any
    order, gives the same text.

    ``also`` adds the graphs of other outputs that the root does not depend on (a network's ŷ₁
    when the loss reads only ŷ₂): their nodes come first, the root's after, the root last.
    ``outputs`` only makes such named outputs known by name, without adding them to the graph shown:
    a softmax partial then reads ∂ŷ₂/∂z₁ = −ŷ₂ŷ₁ even where ŷ₁ is not part of the loss.
    """

    def __init__(self, root: Value, digits: int, mode: str, max_expr: int = 40, numbered: bool = False,
                 also: tuple = (), outputs: tuple = ()) -> None:
        if not isinstance(max_expr, int) or max_expr < 1:
            raise ValueError(f"max_expr must be a whole number ≥ 1, got {max_expr!r}")
        self.root = root
        self.order = _merged_order([*also, root])
        self.index = {id(v): k for k, v in enumerate(self.order)}  # keys only; order comes from self.order
        self.digits, self.mode, self.max_expr, self.numbered = digits, mode, max_expr, numbered
        self.placeholders: dict[int, Value] = {}
        self._names: dict[int, Formula] = {}
        self._args: dict[int, tuple[list, list[int]]] = {}
        self._filled: dict[int, list] = {}
        self._templates: dict[tuple, tuple[str, str]] = {}  # a partial's templates, by (rule, i, count)
        self._numbers: dict[float, Formula] = {}
        self._numbers_view: GraphView | None = None
        self._siblings = SiblingOutputs(self.order, outputs)  # softmax partials name them
        self._rounded: dict[int, tuple[float, tuple[float, ...]]] | None = None
        # how many unnamed operations deep each node's expression would nest
        index, depth = self.index, [0] * len(self.order)
        for k, v in enumerate(self.order):
            if v.parents and not v.label:
                depth[k] = 1 + max(depth[index[id(p)]] for p in v.parents)
        self._depth = depth

    def name(self, v: Value) -> Formula:
        """How ``v`` is shown as an operand: its label, its number, its expression, or ⟨k⟩."""
        key = id(v)
        cached = self._names.get(key)
        if cached is not None:
            return cached
        if v.label:
            e = self._names[key] = Formula(notation.to_text(v.label), notation.to_latex(v.label), ATOM)
            return e
        if not v.parents:
            return number(v.data, self.digits, self.mode)
        k = self.index[key]
        e = None
        if not self.numbered and self._depth[k] <= MAX_DEPTH:
            e = self.expression(v)  # recursion bounded by MAX_DEPTH
            if len(e.text) > self.max_expr:
                e = None
        if e is None:
            self.placeholders[k + 1] = v
            e = Formula(f"⟨{k + 1}⟩", rf"\langle {k + 1} \rangle", ATOM)
        self._names[key] = e
        return e

    def _arguments(self, v: Value) -> tuple[list, list[int]]:
        """The rule's full argument list (operands as names, constants as numbers) and, per parent
        slot, its position in that list. Made once per node: a neuron's n-ary node is asked for
        each of its partials, and naming every argument each time would be quadratic."""
        key = id(v)
        cached = self._args.get(key)
        if cached is None:
            cached = self._args[key] = self._make_arguments(v)
        return cached

    def _make_arguments(self, v: Value) -> tuple[list, list[int]]:
        if v.consts is None:
            return [self.name(p) for p in v.parents], list(range(len(v.parents)))
        parents = iter(v.parents)
        args: list = []
        positions: list[int] = []
        for j, c in enumerate(v.consts):
            if c is None:
                positions.append(j)
                args.append(self.name(next(parents)))
            elif j in rule_of(v).literal_args:
                args.append(notation.format_number(c, 12))  # the rule reads the exponent as a number: x², 3·x²
            else:
                args.append(number(c, max(self.digits, 6)))
        return args, positions

    def _placeholders(self, v: Value, args: list) -> list:
        key = id(v)
        names = self._filled.get(key)
        if names is None:
            names = self._filled[key] = placeholders(args)
        return names

    def expression(self, v: Value) -> Formula:
        """The forward formula of ``v`` over its operands' names, e.g. ``W¹₁₁·1 + W¹₂₁·x₁``."""
        rule = rule_of(v)
        args, _ = self._arguments(v)
        names = self._placeholders(v, args)
        text = fill(lambda n, o: rule.expression(n), args, None, False, names)
        latex = fill(lambda n, o: rule.expression(n, latex=True), args, None, True, names)
        return from_text(text, latex)

    def substituted(self, v: Value) -> Formula:
        """The forward formula of ``v`` with the numbers of its named operands and leaves in place of
        their names, as a student writes the step before the result: ``−1·1 + (−2)·2 + 1·5``, and
        ``0.5·(1 − 0.1192)²`` for ℓ = 0.5·(1 − ŷ)²."""
        if self._numbers_view is None:
            self._numbers_view = _NumbersView(self)
        return self._numbers_view.expression(v)

    def partial(self, v: Value, slot: int) -> Formula:
        """The formula of ∂v/∂(v.parents[slot]) from the rule table, in names."""
        rule = rule_of(v)
        args, positions = self._arguments(v)
        i = positions[slot]
        out = self.name(v)
        if rule.names_other_outputs:  # softmax: ∂ŷ₁/∂z₂ = −ŷ₁ŷ₂ names the output ŷ₂
            others = [self.name(u) if u is not None else None for u in self._siblings.of(v)]
            every = args + [o for o in others if o is not None]
            n = len(args)

            def make(latex: bool):
                def template(names, o):
                    given = iter(names[n:])
                    return rule.partial_expression(i, names[:n], o, latex,
                                                   [next(given) if u is not None else None for u in others])
                return template

            return from_text(fill(make(False), every, out, False), fill(make(True), every, out, True))
        names = self._placeholders(v, args)
        if type(names) is tuple:  # placeholders only: the templates depend on the rule, i and the count
            key = (rule.name, i, len(args))
            templates = self._templates.get(key)
            if templates is None:
                o = out_placeholder(len(args))
                templates = self._templates[key] = (rule.partial_expression(i, names, o),
                                                     rule.partial_expression(i, names, o, latex=True))
            return from_text(substitute(templates[0], args, out, False), substitute(templates[1], args, out, True))
        text = fill(lambda n, o: rule.partial_expression(i, n, o), args, out, False, names)
        latex = fill(lambda n, o: rule.partial_expression(i, n, o, latex=True), args, out, True, names)
        return from_text(text, latex)

    def number(self, x: float) -> Formula:
        """``x`` as a result is shown (made once per distinct number: a trace shows each node's
        upstream gradient once per argument)."""
        shown = self._numbers.get(x)
        if shown is None:
            shown = self._numbers[x] = number(x, self.digits, self.mode, ascii_minus=True)
        return shown

    def round(self, x: float) -> float:
        return notation.round_number(x, self.digits, self.mode) if math.isfinite(x) else x

    def rounded(self, v: Value) -> tuple[float, tuple[float, ...]]:
        """(value, partials) of ``v`` recomputed from rounded inputs and rounded after every step,
        as a student working by hand gets them."""
        if self._rounded is None:
            self._rounded = {}
            m = ops.SCALAR
            for u in self.order:
                if not u.parents:
                    self._rounded[id(u)] = (self.round(u.data), ())
                    continue
                rule = rule_of(u)
                values = iter(self._rounded[id(p)][0] for p in u.parents)
                consts = u.consts if u.consts is not None else (None,) * len(u.parents)
                xs = tuple(next(values) if c is None else c for c in consts)
                positions = [j for j, c in enumerate(consts) if c is None]
                try:
                    out = self.round(rule.forward(m, *xs))
                    # partials from the rounded values, not rounded themselves: the factor they
                    # form (perhaps through unnamed nodes) is what a student rounds
                    if rule.arity is None:
                        ds = tuple(rule.nary_partial(m, j, out, xs) for j in positions)
                    else:
                        ds = tuple(rule.partials[j](m, out, *xs) for j in positions)
                except (ArithmeticError, ValueError):
                    out, ds = math.nan, tuple(math.nan for _ in positions)  # rounding moved it off the domain
                self._rounded[id(u)] = (out, ds)
        return self._rounded[id(v)]

    def relevant(self, wrt: Value | None) -> list[bool]:
        """Per node of ``self.order``: does it lie on a path from ``wrt`` to the root?"""
        if wrt is None:
            return [True] * len(self.order)
        flags = [False] * len(self.order)
        for k, v in enumerate(self.order):
            flags[k] = v is wrt or any(flags[self.index[id(p)]] for p in v.parents)
        return flags

    def legend(self, texts: Iterable[str], cap: int = 24) -> list:
        """Blocks defining the placeholders ⟨k⟩ used in ``texts`` and, transitively, in their own
        definitions (at most ``cap`` of them; a note says where the rest are)."""
        # one search over all the texts, kept apart by a character no placeholder holds
        pending = sorted({int(k) for k in _PLACEHOLDER.findall("\x00".join(texts))})
        seen: dict[int, Formula] = {}
        more = False
        while pending:
            k = pending.pop(0)
            if k in seen or not 1 <= k <= len(self.order):
                continue
            if len(seen) == cap:
                more = True
                break
            seen[k] = self.expression(self.order[k - 1])
            pending.extend(int(j) for j in _PLACEHOLDER.findall(seen[k].text))
        if not seen:
            return []
        rows = [([Formula(f"⟨{k}⟩", rf"\langle {k} \rangle"), e, self.number(self.order[k - 1].data)], [])
                for k, e in sorted(seen.items())]
        blocks: list = [Line(["where"]), Equations(rows, ["node", "definition", "value"])]
        if more:
            blocks.append(Line(["(more nodes ⟨k⟩ are listed by forward_table(root, all_nodes=True))"]))
        return blocks

class _NumbersView(GraphView):
    """The same graph with every named node and leaf shown by its number, for `GraphView.substituted`."""

    def __init__(self, view: GraphView) -> None:  # shares the order, nothing is walked again
        self.__dict__.update(view.__dict__)
        self._names, self._args, self._filled, self.placeholders = {}, {}, {}, {}

    def name(self, v: Value) -> Formula:
        if v.label or not v.parents:
            return number(v.data, self.digits, self.mode)
        return super().name(v)


def _merged_order(roots: list) -> list:
    """One topological order of several roots' graphs together, each node once, the last root last.
    (A node not yet placed has every parent placed before it: by an earlier root's order or its own.)"""
    if len(roots) == 1:
        return topological_order(roots[0])
    order, placed = [], set()
    for r in roots:
        for v in topological_order(r):
            if id(v) not in placed:
                placed.add(id(v))
                order.append(v)
    return order


def validate(root: object, digits: int, mode: str) -> None:
    """Refuse a root that is not a Value and number options `notation.format_number` refuses."""
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value (the output, e.g. the loss), got {type(root).__name__}")
    notation.format_number(1.5, digits, mode)  # raises a clear ValueError for bad digits/mode
