"""Names and numbers as a picture shows them: each node's display name (its label in Unicode, a
constant's number, an unnamed result's formula ``(1 − ŷ)²`` or a short ``v₇`` when that gets long),
each partial's formula, and numbers with a typeset minus sign."""

from __future__ import annotations

import re

from autograd import notation, ops
from autograd.graph import SiblingOutputs
from autograd.value import Value

# Operations whose formula templates put an argument next to an operator, so a compound
# argument (a + b, a·b, −a) needs parentheses there.
_PLACES = {  # op -> (argument index, argument count) -> how tightly that place binds (None: never wrap)
    "sub": lambda k, n: "sum" if k == 1 else None,
    "mul": lambda k, n: "product",
    "div": lambda k, n: "product" if k == 0 else "power",
    "neg": lambda k, n: "product",
    "pow": lambda k, n: "power",
    "linear": lambda k, n: "product" if k < n - n % 2 else None,
}
# graph.paths copies each path prefix as it goes, which is quadratic on a long chain; beyond this many

# An unnamed node whose formula is longer gets a short name v₇ instead.
_LONGEST_EXPRESSION = 24


# Letters with a Unicode sub- or superscript form that notation's tables leave out (ₕ for net_{h1}).
_SUBSCRIPT = {**notation.SUBSCRIPT, "h": "ₕ", "β": "ᵦ", "γ": "ᵧ", "ρ": "ᵨ", "φ": "ᵩ", "χ": "ᵪ", ",": " "}
_SUPERSCRIPT = {**notation.SUPERSCRIPT, "β": "ᵝ", "γ": "ᵞ", "δ": "ᵟ", "θ": "ᶿ", "φ": "ᵠ", "χ": "ᵡ", ",": " "}
_LEFTOVER_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|([^\s{}]))")


def display(label: str) -> str:
    """A label as a picture writes it: Unicode sub- and superscripts, never TeX braces.

    `notation.to_text` converts what it knows; a script it leaves as typed (``net_{h1}``) is
    finished here letter by letter, and a letter with no Unicode form is written after a plain
    ``_`` or ``^`` in parentheses.

    >>> display("net_{h1}"), display("W^1_{21}"), display("x_{q2}")
    ('netₕ₁', 'W¹₂₁', 'x_(q2)')
    """
    return without_braces(notation.to_text(label))


def without_braces(text: str) -> str:
    """Unicode text (names, or formulas made of them) with every script `notation.to_text` left as
    typed finished as in `display`."""
    if "{" not in text and "_" not in text and "^" not in text:
        return text

    def script(m: re.Match) -> str:
        body = m.group(2) if m.group(2) is not None else m.group(3)
        table = _SUPERSCRIPT if m.group(1) == "^" else _SUBSCRIPT
        if body and all(c in table for c in body):
            return "".join(table[c] for c in body)
        return f"{m.group(1)}{body}" if len(body) == 1 else f"{m.group(1)}({body})"

    return _LEFTOVER_SCRIPT.sub(script, text).replace("{", "").replace("}", "")


def minus(text: str) -> str:
    return text.replace("-", "−")  # a typeset minus: the picture is read, not pasted into code


class NodeNames:
    """Display names of the nodes: the label in Unicode, a constant's number, or for an unnamed
    result its formula in terms of its arguments (``(1 − ŷ)²``), or ``v₇`` when that gets long."""

    def __init__(self, order: list[Value], digits: int, outputs: tuple = ()) -> None:
        self.digits = digits
        # a softmax partial names its sibling outputs, −ŷ₂ŷ₁, as the printouts do, also one that
        # stands outside the drawn graph (ŷ₁ when only ŷ₂ feeds the loss)
        self._siblings = SiblingOutputs(order, outputs)
        self._numbers: dict[float, str] = {}
        self.name: dict[int, str] = {}
        self.short: set[int] = set()  # nodes shown by a made-up name, which their box then displays
        self._arguments: dict[int, list[str]] = {}
        self._positions: dict[int, list[int]] = {}
        for i, v in enumerate(order):
            if v.label:
                text = display(v.label)
            elif not v.parents:
                text = self.number(v.data)
            else:
                text = rule_of(v).expression(self.arguments(v))
                if len(text) > _LONGEST_EXPRESSION:
                    text = "v" + "".join(notation.SUBSCRIPT[c] for c in str(i))
                    self.short.add(id(v))
            self.name[id(v)] = text

    def number(self, x: float) -> str:
        shown = self._numbers.get(x)
        if shown is None:  # once per distinct number: a layer's input is every one of its weights' partial
            shown = self._numbers[x] = minus(notation.format_number(x, self.digits))
        return shown

    def __call__(self, v: Value) -> str:
        return self.name[id(v)]

    def wrapped(self, v: Value, binds: str = "product") -> str:
        """The name, parenthesized when it is a formula that would otherwise mis-parse where it stands.

        ``binds`` says how tightly the place binds: ``"sum"`` (the right of a minus: a − (b + c)),
        ``"product"`` (a factor: 2·(1 − ŷ)) or ``"power"`` (a base or a denominator: (a·b)²).
        """
        text = self.name[id(v)]
        if v.label or id(v) in self.short or not v.parents:
            return _wrap_number(text, binds) if not v.label and not v.parents else text
        return f"({text})" if _needs_parentheses(text, binds) else text

    def arguments(self, v: Value) -> list[str]:
        """Names of every argument of ``v``'s operation, constants included, as the rule expects
        (made once per node: a unit's node is asked for each of its many partials)."""
        made = self._arguments.get(id(v))
        if made is None:
            made = self._arguments[id(v)] = self._make_arguments(v)
        return made

    def _make_arguments(self, v: Value) -> list[str]:
        places = _PLACES.get(v.op)
        parents = iter(v.parents)
        out = []
        count = len(v.consts) if v.consts is not None else len(v.parents)
        for k in range(count):
            c = v.consts[k] if v.consts is not None else None
            binds = places(k, count) if places else None
            if c is None:
                p = next(parents)
                out.append(self.wrapped(p, binds) if binds else self(p))
            else:
                text = self.number(c)
                out.append(_wrap_number(text, binds) if binds else text)
        return out

    def partial(self, v: Value, slot: int) -> str:
        """The formula of ∂v/∂(v.parents[slot]), e.g. ``ŷ(1 − ŷ)`` for ŷ = σ(α²)."""
        positions = self._positions.get(id(v))
        if positions is None:  # made once per node: a unit's node is asked for each of its partials
            positions = self._positions[id(v)] = argument_positions(v)
        rule = rule_of(v)
        others = [display(u.label) if u is not None else None for u in self._siblings.of(v)] \
            if rule.names_other_outputs else ()
        return rule.partial_expression(positions[slot], self.arguments(v), self.wrapped(v, "power"),
                                       others=others)

    def d(self, v: Value, mark: str = "∂") -> str:
        """``∂`` (or ``mark``: ``d`` for a total derivative) and the name, parenthesized when the
        name is a formula: ∂ŷ, ∂(1 − ŷ)."""
        text = self.name[id(v)]
        return f"{mark}({text})" if not v.label and _has_top_level(text, " ·/") else f"{mark}{text}"


def rule_of(v: Value) -> ops.Rule:
    try:
        return ops.RULES[v.op]
    except KeyError:
        raise ValueError(f"cannot draw a node made by the operation {v.op!r}: it is not in autograd.ops.RULES") from None


def argument_positions(v: Value) -> list[int]:
    """For each parent slot of ``v``, its position in the full argument list (constants included):
    one pass over the arguments, for a caller that asks about every slot of a wide node."""
    consts = v.consts
    if consts is None:
        return list(range(len(v.parents)))
    return [k for k, c in enumerate(consts) if c is None]


def _needs_parentheses(text: str, binds: str) -> bool:
    if _has_top_level(text, " "):  # a sum or difference: a + b, a − b
        return True
    if text.startswith("−"):  # a − (−b), 2·(−b), (−b)²
        return True
    return binds == "power" and _has_top_level(text, "·/")


def _wrap_number(text: str, binds: str | None) -> str:
    return f"({text})" if binds and text.startswith("−") else text


def _has_top_level(text: str, chars: str) -> bool:
    """Whether one of ``chars`` occurs in ``text`` outside parentheses."""
    depth = 0
    for c in text:
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0 and c in chars:
            return True
    return False
