"""Chain-rule printouts: a gradient explained along its paths, the backward pass traced step by step,
and a table of the forward values.

Three pure functions read a recorded graph (they never change ``data``, ``grad`` or ``label``):

- `explain(root, wrt)`: dℓ/dw as a sum over the paths from ``wrt`` to ``root`` of products of local
  partials, each factor shown as ∂a/∂b with its formula (from the rule table in ops.py, in the
  operands' names) and its number; then the sum, and a check against the engine's ``wrt.grad``.
  Unnamed intermediate nodes are collapsed: the factor between two named nodes is the product through
  the unnamed ones. When there are too many paths, the accumulated (delta) form is shown instead.
- `trace(root)`: the backward pass in the engine's order: upstream × local = contribution, with the
  running total where several consumers add into one node.
- `forward_table(root)`: each named node, its definition in names, its value.

Each returns an `Explanation`: ``.value`` is the number it is about, ``str()`` is Unicode text,
``.to_markdown()`` and ``.to_latex()`` export it.

How a node is shown: by its label (``W^1_{21}`` → W¹₂₁), an unnamed leaf by its number, an unnamed
operation by its own expression (``(1 − ŷ)²``), parenthesised where it sits inside a larger formula;
an expression longer than ``max_expr`` characters becomes ⟨k⟩ (k: the node's position in the
topological order) with its definition listed under the printout.

>>> from autograd import Value
>>> x = Value(3.0, label="x"); w = Value(2.0, label="w")
>>> y = (w * x).named("y"); loss = (0.5 * (y - 1.0) ** 2).named("ℓ")
>>> loss.backward()
>>> print(explain(loss, w))
dℓ/dw = ∂ℓ/∂y · ∂y/∂w
<BLANKLINE>
  ∂ℓ/∂y = y − 1 = 5
  ∂y/∂w = x     = 3
<BLANKLINE>
dℓ/dw = 5 · 3 = 15
check: the engine's w.grad = 15 ✓
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from autograd import notation, ops
from autograd.graph import count_paths, paths, topological_order
from autograd.value import Value

__all__ = ["Explanation", "Factor", "PathTerm", "explain", "trace", "forward_table"]

# Binding strength of a displayed formula, weakest first: decides where parentheses are needed.
ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺^"
_MINUS = ("−", "-")


@dataclass(frozen=True)
class _Expr:
    """A formula in both renderings, with how tightly it binds."""

    text: str
    latex: str
    prec: int = ATOM


def _classify(text: str) -> int:
    """How tightly a Unicode formula binds, read from its operators outside brackets."""
    prec, depth = ATOM, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            if ch in "+−-" and i > 0 and text[i - 1] == " ":
                return ADD
            if ch in "·/×":
                prec = min(prec, MUL)
            elif ch in _SUPERSCRIPTS:
                prec = min(prec, POW)
    if text.startswith(_MINUS):
        prec = min(prec, NEG)
    return prec


def _formula(text: str, latex: str) -> _Expr:
    return _Expr(text, latex, _classify(text))


def _paren(e: _Expr) -> _Expr:
    return _Expr(f"({e.text})", f"({e.latex})", ATOM)


# ---------------------------------------------------------------------------------------------
# Filling the rule table's templates. The templates are opaque (strings or functions), so each
# operand is passed in as a sentinel and the characters around where it lands decide whether it
# needs parentheses there: "a·(b + c)", "(1 − ŷ)²", "−(1 − ŷ)", but "σ(a + b)" and "e^{a + b}".

_SENTINEL = re.compile("\x00(\\d+)\x01")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+$")


def _needs_parens(before: str, after: str, e: _Expr, form: str, latex: bool) -> bool:
    leading_minus = form.startswith(_MINUS)
    if e.prec == ATOM and not leading_minus:
        return False
    b, a = before.rstrip(" "), after.lstrip(" ")
    if latex and a.startswith("}") and a[1:].lstrip().startswith("^"):
        return e.prec < ATOM or leading_minus  # {base}^{n}: braces group but do not show
    opened = not b or b.endswith(("(", "[", "|", "{", "\\lvert"))
    closed = not a or a.startswith((")", "]", "|", "}", "\\rvert", ">"))
    if opened and closed:
        return False
    need = ADD
    if b.endswith(("·", "\\cdot", "×")):
        need = MUL
    elif b.endswith("/"):
        need = POW
    elif b.endswith(_MINUS):
        need = MUL  # x − (a + b), −(a + b)
    elif b.endswith("√"):
        need = ATOM
    elif latex and _LATEX_COMMAND.search(b):
        need = ATOM  # \log x, \tanh x: an argument without brackets
    elif b and (b[-1].isalnum() or b[-1] in ")}"):
        need = POW  # implicit multiplication: "2 x", ")x"
    if a.startswith(("·", "\\cdot", "/", "×")):
        need = max(need, MUL)
    elif a and a[0] in _SUPERSCRIPTS:
        need = ATOM  # the base of a power
    elif after[:1] == "(" or after[:1].isalnum():
        need = max(need, POW)  # implicit multiplication: ŷ(1 − ŷ)
    return e.prec < need or (leading_minus and not opened)


def _fill(make, args: Sequence, out: _Expr | None, latex: bool) -> str:
    """Call a template maker ``make(names, out_name)`` and substitute the operands.

    ``args`` holds an `_Expr` for each operand that may need parentheses, or a plain string that
    is passed to the template as it is (an exponent the rule reads as a number).
    """
    exprs = list(args) + [out]
    names = [f"\x00{i}\x01" if isinstance(x, _Expr) else x for i, x in enumerate(args)]
    template = make(names, f"\x00{len(args)}\x01" if out is not None else "")

    def substitute(m: re.Match) -> str:
        e = exprs[int(m.group(1))]
        form = e.latex if latex else e.text
        before, after = template[:m.start()], template[m.end():]
        return f"({form})" if _needs_parens(_SENTINEL.sub("x", before), _SENTINEL.sub("x", after), e, form, latex) else form

    return _SENTINEL.sub(substitute, template)


def _number_expr(x: float, digits: int, mode: str = "sig", ascii_minus: bool = False) -> _Expr:
    """A number as a formula: with the minus sign − inside formulas, with the ASCII hyphen where it
    stands as a result (as `notation.format_number` writes it, so it can be pasted into code)."""
    s = notation.format_number(x, digits, mode)
    if s.startswith("-"):
        return _Expr(s if ascii_minus else "−" + s[1:], s, NEG)
    return _Expr(s, s, ATOM)


def _eq(*parts: _Expr) -> _Expr:
    """``a = b = c`` as one formula."""
    return _Expr(" = ".join(p.text for p in parts), " = ".join(p.latex for p in parts), ADD)


def _as_number(text: str) -> float | None:
    t = text.strip()
    if t.startswith("(") and t.endswith(")"):
        t = t[1:-1]
    try:
        return float(t.replace("−", "-"))
    except ValueError:
        return None


_COEF_TEXT = re.compile(r"^(−?\d+(?:\.\d+)?)·(.+)$")
_COEF_LATEX = re.compile(r"^(-?\d+(?:\.\d+)?)(?: \\cdot | )(.+)$")


def _unwrap(text: str) -> str:
    """``(a + b)`` → ``a + b`` when the outer parentheses enclose everything."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and i < len(text) - 1:
            return text
    return text[1:-1]


def _bare(text: str, latex: str) -> _Expr:
    return _formula(_unwrap(text), _unwrap(latex))


def _split_coefficient(f: _Expr) -> tuple[float, _Expr | None]:
    """``2·x`` → (2, x); ``−sin(x)`` → (−1, sin(x)); ``0.5`` → (0.5, None); else (1, f)."""
    n = _as_number(f.text)
    if n is not None:
        return n, None
    m1, m2 = _COEF_TEXT.match(f.text), _COEF_LATEX.match(f.latex)
    if m1 and m2 and _classify(m1.group(2)) >= MUL and not m1.group(2).startswith(_MINUS):
        return float(m1.group(1).replace("−", "-")), _bare(m1.group(2), m2.group(2))
    if f.text.startswith("−") and f.latex.startswith("-"):
        rest_t, rest_l = f.text[1:], f.latex[1:]
        if _classify(rest_t) >= MUL and not rest_t.startswith(_MINUS):
            return -1.0, _bare(rest_t, rest_l)
    return 1.0, f


def _product(factors: Sequence[_Expr]) -> _Expr:
    """The product of formulas, numeric coefficients multiplied out and factors of 1 dropped."""
    if len(factors) == 1:
        return factors[0]
    coefficient, symbolic = 1.0, []
    for f in factors:
        c, rest = _split_coefficient(f)
        coefficient *= c
        if rest is not None:
            symbolic.append(rest)
    if coefficient == 0.0 or not symbolic:
        return _number_expr(coefficient, 6)
    alone = len(symbolic) == 1 and coefficient == 1.0
    wrapped = [s if alone or (s.prec >= MUL and not s.text.startswith(_MINUS)) else _paren(s) for s in symbolic]
    text = "·".join(s.text for s in wrapped)
    latex = r" \cdot ".join(s.latex for s in wrapped)
    if coefficient == -1.0:
        return _Expr("−" + text, "-" + latex, NEG if len(wrapped) == 1 and wrapped[0].prec > MUL else MUL)
    if coefficient != 1.0:
        c = _number_expr(coefficient, 6)
        return _Expr(f"{c.text}·{text}", rf"{c.latex} \cdot {latex}", MUL)
    return _Expr(text, latex, MUL if len(wrapped) > 1 else wrapped[0].prec)


def product_text(factors: Sequence[str]) -> str:
    """A product of Unicode formulas written as the printouts write it: numeric coefficients
    multiplied out, factors of 1 dropped (``["0.5", "2·(1 − ŷ)", "−1"]`` -> ``"−(1 − ŷ)"``), so a
    drawing's collapsed edge and a printout's collapsed factor read the same."""
    if not factors:
        return "1"
    return _product([_formula(f, f.replace("·", r" \cdot ").replace("−", "-")) for f in factors]).text


def _sum(terms: Sequence[_Expr]) -> _Expr:
    if len(terms) == 1:
        return terms[0]
    text, latex = terms[0].text, terms[0].latex
    for t in terms[1:]:
        t = _paren(t) if t.prec <= ADD or t.text.startswith(_MINUS) else t
        text, latex = f"{text} + {t.text}", f"{latex} + {t.latex}"
    return _Expr(text, latex, ADD)


def _derivative(of: _Expr, wrt: _Expr, partial: bool = True) -> _Expr:
    of, wrt = (_paren(e) if e.prec < POW or e.text.startswith(_MINUS) else e for e in (of, wrt))
    return _Expr(notation.format_derivative(of.text, wrt.text, partial),
                 notation.format_derivative(of.latex, wrt.latex, partial, latex=True), ATOM)


def _delta(e: _Expr) -> _Expr:
    return _Expr(f"δ({e.text})", rf"\delta({e.latex})", ATOM)


# ---------------------------------------------------------------------------------------------
# The graph as displayed: names of nodes, formulas of partials, and a replay that rounds every step.

def _rule(v: Value) -> ops.Rule:
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


class _Graph:
    """One root's graph and how its nodes are shown.

    A node's display name depends only on the graph (its label, or its expression over its
    operands' names, or ⟨k⟩ when that is too long or too deep), so computing names lazily, in any
    order, gives the same text.
    """

    def __init__(self, root: Value, digits: int, mode: str, max_expr: int = 40, numbered: bool = False) -> None:
        if not isinstance(max_expr, int) or max_expr < 1:
            raise ValueError(f"max_expr must be a whole number ≥ 1, got {max_expr!r}")
        self.root = root
        self.order = topological_order(root)
        self.index = {id(v): k for k, v in enumerate(self.order)}  # keys only; order comes from self.order
        self.digits, self.mode, self.max_expr, self.numbered = digits, mode, max_expr, numbered
        self.placeholders: dict[int, Value] = {}
        self._names: dict[int, _Expr] = {}
        self._rounded: dict[int, tuple[float, tuple[float, ...]]] | None = None
        # how many unnamed operations deep each node's expression would nest
        index, depth = self.index, [0] * len(self.order)
        for k, v in enumerate(self.order):
            if v.parents and not v.label:
                depth[k] = 1 + max(depth[index[id(p)]] for p in v.parents)
        self._depth = depth

    def name(self, v: Value) -> _Expr:
        """How ``v`` is shown as an operand: its label, its number, its expression, or ⟨k⟩."""
        if v.label:
            return _Expr(notation.to_text(v.label), notation.to_latex(v.label), ATOM)
        if not v.parents:
            return _number_expr(v.data, self.digits, self.mode)
        key = id(v)
        cached = self._names.get(key)
        if cached is not None:
            return cached
        k = self.index[key]
        e = None
        if not self.numbered and self._depth[k] <= MAX_DEPTH:
            e = self.expression(v)  # recursion bounded by MAX_DEPTH
            if len(e.text) > self.max_expr:
                e = None
        if e is None:
            self.placeholders[k + 1] = v
            e = _Expr(f"⟨{k + 1}⟩", rf"\langle {k + 1} \rangle", ATOM)
        self._names[key] = e
        return e

    def is_named(self, v: Value) -> bool:
        return bool(v.label)

    def _arguments(self, v: Value) -> tuple[list, list[int]]:
        """The rule's full argument list (operands as names, constants as numbers) and, per parent
        slot, its position in that list."""
        if v.consts is None:
            return [self.name(p) for p in v.parents], list(range(len(v.parents)))
        parents = iter(v.parents)
        args: list = []
        positions: list[int] = []
        for j, c in enumerate(v.consts):
            if c is None:
                positions.append(j)
                args.append(self.name(next(parents)))
            elif j in _rule(v).literal_args:
                args.append(notation.format_number(c, 12))  # the rule reads the exponent as a number: x², 3·x²
            else:
                args.append(_number_expr(c, max(self.digits, 6)))
        return args, positions

    def expression(self, v: Value) -> _Expr:
        """The forward formula of ``v`` over its operands' names, e.g. ``W¹₁₁·1 + W¹₂₁·x₁``."""
        rule = _rule(v)
        args, _ = self._arguments(v)
        text = _fill(lambda n, o: rule.expression(n), args, None, False)
        latex = _fill(lambda n, o: rule.expression(n, latex=True), args, None, True)
        return _formula(text, latex)

    def partial(self, v: Value, slot: int) -> _Expr:
        """The formula of ∂v/∂(v.parents[slot]) from the rule table, in names."""
        rule = _rule(v)
        args, positions = self._arguments(v)
        i = positions[slot]
        out = self.name(v)
        text = _fill(lambda n, o: rule.partial_expression(i, n, o), args, out, False)
        latex = _fill(lambda n, o: rule.partial_expression(i, n, o, latex=True), args, out, True)
        return _formula(text, latex)

    def number(self, x: float) -> _Expr:
        return _number_expr(x, self.digits, self.mode, ascii_minus=True)

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
                rule = _rule(u)
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
        pending = sorted({int(k) for t in texts for k in re.findall(r"⟨(\d+)⟩", t)})
        seen: dict[int, _Expr] = {}
        more = False
        while pending:
            k = pending.pop(0)
            if k in seen or not 1 <= k <= len(self.order):
                continue
            if len(seen) == cap:
                more = True
                break
            seen[k] = self.expression(self.order[k - 1])
            pending.extend(int(j) for j in re.findall(r"⟨(\d+)⟩", seen[k].text))
        if not seen:
            return []
        rows = [([_Expr(f"⟨{k}⟩", rf"\langle {k} \rangle"), e, self.number(self.order[k - 1].data)], [])
                for k, e in sorted(seen.items())]
        blocks: list = [_Line(["where"]), _Equations(rows, ["node", "definition", "value"])]
        if more:
            blocks.append(_Line(["(more nodes ⟨k⟩ are listed by forward_table(root, all_nodes=True))"]))
        return blocks


# ---------------------------------------------------------------------------------------------
# The document: blocks that render to text, Markdown and LaTeX.

@dataclass
class _Line:
    """A paragraph: prose strings and formulas (`_Expr`)."""

    pieces: list


@dataclass
class _Equations:
    """Rows ``lhs = rhs = rhs …`` aligned on '='; an optional last prose note per row."""

    rows: list  # list of (list[_Expr | None], note): the note is a list of pieces, empty for none
    header: list  # column names, for the Markdown table


@dataclass
class _Table:
    header: list  # cells, like the rows' cells
    rows: list  # list of list[cell]; a cell is a list of pieces


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def _text_pieces(pieces) -> str:
    return "".join(p if isinstance(p, str) else p.text for p in pieces)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$~])")


def _md_escape(s: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", s)


def _md_pieces(pieces, math_latex: bool) -> str:
    out = []
    for p in pieces:
        if isinstance(p, str):
            out.append(_md_escape(p))
        elif math_latex:
            out.append(f"${p.latex}$")
        else:
            out.append(_md_escape(p.text))
    return "".join(out)


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                "…": r"\ldots{}", "✓": "(agrees)", "✗": "(differs)", "—": "---", "–": "--",
                "→": r"$\to$", "×": r"$\times$", "Σ": r"$\Sigma$", "δ": r"$\delta$", "∂": r"$\partial$",
                "−": "-", "·": r"$\cdot$", "≈": r"$\approx$"}


def _tex_escape(s: str) -> str:
    return "".join(_TEX_SPECIAL.get(c, c) for c in s)


def _tex_pieces(pieces) -> str:
    return "".join(_tex_escape(p) if isinstance(p, str) else f"${p.latex}$" for p in pieces)


class Explanation:
    """A printout of a recorded graph: plain text (``str()``), Markdown and LaTeX.

    Attributes:
        kind (str): ``"explain"``, ``"trace"`` or ``"forward"``.
        value (float): the number it is about: dℓ/dw for `explain` (rounded at every step when asked
            for), ∂root/∂wrt for `trace` with ``wrt`` (else the root's value), the root's value for
            `forward_table`.
        exact (float): the same number without per-step rounding.
        method (str): for `explain`, ``"paths"`` or ``"delta"``.
        paths (list[PathTerm]): for `explain` by paths, one term per path (their products add up
            to ``value``).
    """

    def __init__(self, kind: str, value: float, blocks: list, *, exact: float | None = None,
                 method: str = "", paths: list | None = None) -> None:
        self.kind = kind
        self.value = value
        self.exact = value if exact is None else exact
        self.method = method
        self.paths = paths or []
        self._blocks = blocks

    def __repr__(self) -> str:
        return f"<Explanation {self.kind}: value={self.value!r}>"

    def __str__(self) -> str:
        lines: list[str] = []
        blank_after = False
        for block in self._blocks:
            if isinstance(block, _Line):
                if not block.pieces:  # a section break
                    blank_after = True
                    continue
                if blank_after and lines:
                    lines.append("")
                lines.append(_text_pieces(block.pieces))
                blank_after = False
            else:
                if lines:
                    lines.append("")
                lines.append(self._text_equations(block) if isinstance(block, _Equations) else self._text_table(block))
                blank_after = True
        return "\n".join(lines)

    @staticmethod
    def _text_equations(block: _Equations) -> str:
        ncols = max(len(cells) for cells, _ in block.rows)
        widths = [0] * ncols
        for cells, _ in block.rows:
            for j, c in enumerate(cells):
                if c is not None and _width(c.text) <= 48:  # one very long cell should not widen all rows
                    widths[j] = max(widths[j], _width(c.text))
        lines = []
        for cells, note in block.rows:
            parts = [c for c in cells]
            last = max(j for j, c in enumerate(parts) if c is not None)
            line = "  "
            for j, c in enumerate(parts[:last + 1]):
                if j:
                    line += " = " if c is not None else "   "
                line += c.text if j == last and not note else _pad(c.text if c is not None else "", widths[j])
            if note:
                line = line + "  " + _text_pieces(note)
            lines.append(line.rstrip())
        return "\n".join(lines)

    @staticmethod
    def _text_table(block: _Table) -> str:
        cells = [[_text_pieces(c) for c in row] for row in block.rows]
        header = [_text_pieces(h) for h in block.header]
        widths = [max([_width(h)] + [_width(r[j]) for r in cells]) for j, h in enumerate(header)]
        lines = ["  ".join(_pad(h, widths[j]) for j, h in enumerate(header)).rstrip(),
                 "  ".join("─" * w for w in widths)]
        lines += ["  ".join(_pad(c, widths[j]) for j, c in enumerate(r)).rstrip() for r in cells]
        return "\n".join(lines)

    def to_markdown(self, math: str = "text") -> str:
        """The printout as Markdown: paragraphs and pipe tables.

        Args:
            math: ``"text"`` writes formulas in Unicode (readable in any viewer); ``"latex"`` writes
                them as ``$…$`` for viewers that render TeX math (GitHub, Jupyter, pandoc).

        Raises:
            ValueError: ``math`` is neither ``"text"`` nor ``"latex"``.
        """
        if math not in ("text", "latex"):
            raise ValueError(f"math must be 'text' or 'latex', got {math!r}")
        as_latex = math == "latex"
        out: list[str] = []
        for block in self._blocks:
            if isinstance(block, _Line):
                out.append(_md_pieces(block.pieces, as_latex) if block.pieces else "")
            elif isinstance(block, _Equations):
                ncols = len(block.header)
                rows = ["| " + " | ".join(_md_escape(h) for h in block.header) + " |",
                        "|" + "|".join(["---"] * ncols) + "|"]
                for cells, note in block.rows:
                    shown = [_md_pieces([c], as_latex) if c is not None else "" for c in cells]
                    shown += [""] * (ncols - len(shown))
                    if note:
                        shown[-1] = (shown[-1] + " " if shown[-1] else "") + _md_pieces(note, as_latex)
                    rows.append("| " + " | ".join(shown[:ncols]) + " |")
                out.append("\n".join(rows))
            else:
                rows = ["| " + " | ".join(_md_pieces(h, as_latex) for h in block.header) + " |",
                        "|" + "|".join(["---"] * len(block.header)) + "|"]
                rows += ["| " + " | ".join(_md_pieces(c, as_latex) for c in r) + " |" for r in block.rows]
                out.append("\n".join(rows))
        return "\n\n".join(x for x in out if x) + "\n"

    def to_latex(self, standalone: bool = False) -> str:
        """The printout as LaTeX (amsmath's ``align*`` and a ``tabular``), ASCII only.

        Args:
            standalone: wrap it in a complete ``article`` document that compiles on its own.
        """
        out: list[str] = []
        for block in self._blocks:
            if isinstance(block, _Line):
                if len(block.pieces) == 1 and isinstance(block.pieces[0], _Expr):
                    out.append(f"\\[ {block.pieces[0].latex} \\]\n")
                else:
                    out.append(_tex_pieces(block.pieces) + "\n" if block.pieces else "")
            elif isinstance(block, _Equations):
                rows = []
                for cells, note in block.rows:
                    shown = [c.latex for c in cells if c is not None]
                    row = shown[0] + (" &= " + " = ".join(shown[1:]) if len(shown) > 1 else " &")
                    if note:
                        row += rf" && \text{{{_tex_pieces(note)}}}"
                    rows.append(row)
                out.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n")
            else:
                spec = "l" * len(block.header)
                head = " & ".join(_tex_pieces(h) for h in block.header)
                body = " \\\\\n".join(" & ".join(_tex_pieces(c) for c in r) for r in block.rows)
                out.append(f"\\begin{{tabular}}{{{spec}}}\n{head} \\\\\n\\hline\n{body}" + (" \\\\\n" if body else "")
                           + "\\end{tabular}\n")
        text = "\n".join(s for s in out if s).rstrip("\n") + "\n"
        return latex_document(text) if standalone else text


def latex_document(body: str) -> str:
    """``body`` wrapped in the smallest ``article`` that compiles it (amsmath is all it needs)."""
    return "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body + "\\end{document}\n"


# ---------------------------------------------------------------------------------------------
# explain

@dataclass(frozen=True)
class Factor:
    """One factor of a chain product: ∂top/∂bottom (through unnamed nodes when collapsed).

    Attributes:
        symbol: e.g. ``∂ŷ/∂α²``; formula: e.g. ``ŷ(1 − ŷ)``; value: its number.
        rounded: its number recomputed with every step rounded (None unless asked for).
        steps: the (node, slot) steps it multiplies, bottom first.
    """

    symbol: str
    formula: str
    value: float
    rounded: float | None
    steps: tuple
    symbol_latex: str = ""
    formula_latex: str = ""


@dataclass(frozen=True)
class PathTerm:
    """One path from ``wrt`` to the root: its factors (root end first) and their product."""

    factors: tuple
    product: float
    rounded: float | None = None


def _validate(root: object, digits: int, mode: str) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value (the output, e.g. the loss), got {type(root).__name__}")
    notation.format_number(1.5, digits, mode)  # raises a clear ValueError for bad digits/mode


def _check_line(g: _Graph, wrt: Value, value: float) -> _Line:
    name = g.name(wrt)
    label = _Expr(f"{name.text}.grad", rf"{name.latex}.\mathrm{{grad}}")
    if g.root.grad == 0.0 and wrt.grad == 0.0 and value != 0.0:
        return _Line(["check: the engine's ", label, " is 0: run backward() on ", g.name(g.root),
                      " first to compare"])
    if math.isclose(wrt.grad, value, rel_tol=1e-9, abs_tol=1e-12):
        return _Line(["check: the engine's ", label, " = ", g.number(wrt.grad), " ✓"])
    return _Line(["check: the engine's ", label, " = ", g.number(wrt.grad), " ✗ differs from ",
                  g.number(value), " (leaf gradients add up over backward() calls: call zero_grad() "
                  "before backward())"])


def explain(root: Value, wrt: Value, *, digits: int = 4, mode: str = "sig", collapse: bool = True,
            max_paths: int = 16, round_steps: bool = False, max_expr: int = 40) -> Explanation:
    """Explain d(root)/d(wrt) by the chain rule: every path as a product of local partials, then the sum.

    Args:
        root: the output differentiated (usually the loss).
        wrt: the node to differentiate with respect to (a parameter, an input or an intermediate).
        digits: significant digits (``mode="sig"``) or decimals (``mode="dec"``) of the numbers shown.
        mode: ``"sig"`` or ``"dec"``.
        collapse: True (default) shows only named nodes: the factor between two named nodes is the
            product through the unnamed ones, exact factors of 1 dropped. False shows every node.
        max_paths: above this many paths, the accumulated (delta) form is shown instead and says so.
        round_steps: recompute every forward value, local partial, product and sum rounded to the
            digits shown, as by hand, and show the drift from the exact value.
        max_expr: longest unnamed expression written out; longer ones become ⟨k⟩, defined below.

    Returns:
        An `Explanation` whose ``value`` is d(root)/d(wrt) (per-step rounded if asked for).

    Raises:
        TypeError: root or wrt is not a Value.
        ValueError: wrt does not influence root, or an option is out of range.
    """
    _validate(root, digits, mode)
    if not isinstance(wrt, Value):
        raise TypeError(f"wrt must be a Value from root's graph (e.g. a weight), got {type(wrt).__name__}")
    if not isinstance(max_paths, int) or max_paths < 1:
        raise ValueError(f"max_paths must be a whole number ≥ 1, got {max_paths!r}")
    g = _Graph(root, digits, mode, max_expr)
    if id(wrt) not in g.index:
        raise ValueError(f"wrt ({_describe(wrt)}) is not among the nodes root was computed from, so it does "
                         f"not affect root (the derivative is 0); pass a node root depends on")
    total = _derivative(g.name(root), g.name(wrt), partial=False)
    if wrt is root:
        blocks = [_Line([total, " = 1 (a quantity with respect to itself)"])]
        return Explanation("explain", 1.0, blocks, method="paths")
    n = count_paths(wrt, root)
    if n > max_paths:
        return _explain_delta(g, wrt, total, n, max_paths, collapse, round_steps)
    return _explain_paths(g, wrt, total, collapse, round_steps)


def _describe(v: Value) -> str:
    return f"label {v.label!r}" if v.label else f"an unnamed node with data {v.data!r}"


def _make_factor(g: _Graph, steps: list, collapse: bool, round_steps: bool) -> tuple[Factor, _Expr, _Expr]:
    """steps: (node, slot) from the bottom up; node.parents[slot] is the previous node."""
    top, first = steps[-1][0], steps[0]
    bottom = first[0].parents[first[1]]
    if len(steps) <= MAX_CHAIN_FORMULA:
        formula = _product([g.partial(node, slot) for node, slot in steps])
    else:
        formula = _Expr(f"(a product of {len(steps)} local partials)",
                        rf"\text{{(a product of {len(steps)} local partials)}}", ATOM)
    value = 1.0
    for node, slot in steps:
        value *= node.partials[slot]
    rounded = None
    if round_steps:
        rounded = 1.0
        for node, slot in steps:
            rounded *= g.rounded(node)[1][slot]
        rounded = g.round(rounded)
    symbol = _derivative(g.name(top), g.name(bottom))
    factor = Factor(symbol.text, formula.text, value, rounded, tuple(steps), symbol.latex, formula.latex)
    return factor, symbol, formula


def _split_path(g: _Graph, wrt: Value, path: list, collapse: bool) -> list[list]:
    """A path's steps, cut after every named node (every node without collapsing); root end first."""
    segments, current = [], []
    for node, slot in path:
        current.append((node, slot))
        if not collapse or node.label or node is g.root:
            segments.append(current)
            current = []
    return segments[::-1]


def _explain_paths(g: _Graph, wrt: Value, total: _Expr, collapse: bool, round_steps: bool) -> Explanation:
    all_paths = list(paths(wrt, g.root))
    terms: list[PathTerm] = []
    rows_per_path: list[list] = []
    # the same ∂a/∂b through different routes (or argument slots) gets a note telling them apart
    routes: dict[tuple[int, int], list[tuple]] = {}
    segmented = [_split_path(g, wrt, p, collapse) for p in all_paths]
    for segments in segmented:
        for seg in segments:
            key = (g.index[id(seg[-1][0])], g.index[id(seg[0][0].parents[seg[0][1]])])
            route = tuple((g.index[id(n)], s) for n, s in seg)
            if route not in routes.setdefault(key, []):
                routes[key].append(route)
    for segments in segmented:
        factors, rows = [], []
        for seg in segments:
            factor, symbol, formula = _make_factor(g, seg, collapse, round_steps)
            key = (g.index[id(seg[-1][0])], g.index[id(seg[0][0].parents[seg[0][1]])])
            note: list = []
            if len(routes[key]) > 1:
                inner = [n for n, _ in seg[:-1]]
                if inner:
                    note = ["via ", g.name(inner[0])]
                else:
                    args, positions = g._arguments(seg[0][0])
                    note = [f"argument {positions[seg[0][1]] + 1} of ", g.name(seg[0][0])]
            shown = factor.rounded if round_steps else factor.value
            formula_cell = None if _as_number(formula.text) is not None else formula
            if len(seg) > MAX_CHAIN_FORMULA:
                formula_cell = None
                note = note + (["; "] if note else []) + [f"a product of {len(seg)} local partials"]
            rows.append(([symbol, formula_cell, g.number(shown)], note))
            factors.append(factor)
        product = 1.0
        for f in factors:
            product *= f.value
        rounded = None
        if round_steps:
            rounded = 1.0
            for f in factors:
                rounded = g.round(rounded * f.rounded)
        terms.append(PathTerm(tuple(factors), product, rounded))
        rows_per_path.append(rows)

    exact = math.fsum(t.product for t in terms)
    value = exact
    if round_steps:
        value = 0.0
        for t in terms:
            value = g.round(value + t.rounded)

    def chain(term: PathTerm) -> _Expr:
        return _Expr(" · ".join(f.symbol for f in term.factors), r" \cdot ".join(f.symbol_latex for f in term.factors))

    def numbers(term: PathTerm) -> _Expr:
        shown = [g.number(f.rounded if round_steps else f.value) for f in term.factors]
        shown = [_paren(s) if s.text.startswith(_MINUS) and k else s for k, s in enumerate(shown)]
        return _Expr(" · ".join(s.text for s in shown), r" \cdot ".join(s.latex for s in shown))

    blocks: list = []
    if len(terms) == 1:
        term = terms[0]
        blocks.append(_Line([_eq(total, chain(term))]))
        blocks.append(_Equations(rows_per_path[0], ["factor", "formula", "value"]))
        shown = [numbers(term)] if len(term.factors) > 1 else []
        blocks.append(_Line([_eq(total, *shown, g.number(value))]))
    else:
        blocks.append(_Line([total, f" = sum over {len(terms)} paths. ", *_fan_out(g, wrt, all_paths)]))
        for k, (term, rows) in enumerate(zip(terms, rows_per_path), 1):
            blocks.append(_Line([]))
            blocks.append(_Line([f"path {k}: ", chain(term)]))
            blocks.append(_Equations(rows, ["factor", "formula", "value"]))
            shown = [numbers(term)] if len(term.factors) > 1 else []
            blocks.append(_Line([f"path {k} = ", _eq(*shown, g.number(term.rounded if round_steps else term.product))]))
        blocks.append(_Line([]))
        shown = [g.number(t.rounded if round_steps else t.product) for t in terms]
        summed = _Expr(" + ".join(s.text if not k or not s.text.startswith(_MINUS) else f"({s.text})"
                                  for k, s in enumerate(shown)),
                       " + ".join(s.latex if not k or not s.text.startswith(_MINUS) else f"({s.latex})"
                                  for k, s in enumerate(shown)))
        blocks.append(_Line([_eq(total, summed, g.number(value))]))
    blocks.extend(_finish(g, wrt, value, exact, round_steps, blocks))
    return Explanation("explain", value, blocks, exact=exact, method="paths", paths=terms)


def _fan_out(g: _Graph, wrt: Value, all_paths: list) -> list:
    """Prose saying where the paths split: each node with more than one way onwards."""
    onwards: dict[int, list[tuple[Value, int]]] = {}
    nodes: dict[int, Value] = {}
    for path in all_paths:
        prev = wrt
        for node, slot in path:
            k = g.index[id(prev)]
            nodes[k] = prev
            nexts = onwards.setdefault(k, [])
            if not any(n is node and s == slot for n, s in nexts):
                nexts.append((node, slot))
            prev = node
    pieces: list = []
    for k in sorted(onwards, reverse=False):
        nexts = onwards[k]
        if len(nexts) < 2:
            continue
        pieces += ["They split at " if not pieces else "; at ", g.name(nodes[k]), ", which feeds "]
        for j, (node, slot) in enumerate(nexts):
            if j:
                pieces.append(" and " if j == len(nexts) - 1 else ", ")
            pieces.append(g.name(node))
            if sum(1 for n, _ in nexts if n is node) > 1:
                pieces.append(f" (argument {g._arguments(node)[1][slot] + 1})")
    return pieces + ["."] if pieces else []


def _finish(g: _Graph, wrt: Value, value: float, exact: float, round_steps: bool, blocks: list) -> list:
    out = []
    if round_steps:
        out.append(_Line(["rounded at every step: ", g.number(value), "; exact: ",
                          _number_expr(exact, max(g.digits, 6) + 2, "sig", ascii_minus=True), "; drift: ",
                          _number_expr(value - exact, 3, "sig", ascii_minus=True)]))
    out.append(_check_line(g, wrt, exact))
    texts = [_text_pieces(b.pieces) for b in blocks if isinstance(b, _Line)]
    texts += [c.text for b in blocks if isinstance(b, _Equations) for cells, _ in b.rows for c in cells if c]
    out.extend(g.legend(texts))
    return out


# -- the accumulated (delta) form ------------------------------------------------------------------

def _collapsed_edges(g: _Graph, flags: list[bool], is_stop, max_routes: int = 8):
    """For each stop node c (a node shown), the stop nodes below it reached through non-stop nodes,
    with the summed factor and its formula (None when more than ``max_routes`` routes)."""
    edges: dict[int, list] = {}
    for kc, c in enumerate(g.order):
        if not flags[kc] or not is_stop(c) or not c.parents:
            continue
        acc: dict[int, float] = {kc: 1.0}
        found: dict[int, float] = {}
        for k in range(kc, -1, -1):  # reverse topological order below c
            if k not in acc:
                continue
            v = g.order[k]
            for p, d in zip(v.parents, v.partials):
                kp = g.index[id(p)]
                if not flags[kp]:
                    continue
                target = found if is_stop(p) else acc
                target[kp] = target.get(kp, 0.0) + acc[k] * d
        result = []
        for kp in sorted(found):  # earlier-computed parents first, as the engine goes through arguments
            routes = _routes(g, c, g.order[kp], flags, is_stop, max_routes)
            result.append((g.order[kp], found[kp], routes))
        edges[kc] = result
    return edges


def _routes(g: _Graph, top: Value, bottom: Value, flags, is_stop, cap: int):
    """Every route of steps from ``top`` down to ``bottom`` through non-stop nodes, bottom first;
    None when there are more than ``cap``."""
    found: list = []
    stack = [(top, [])]
    while stack:
        node, steps = stack.pop()
        for slot in range(len(node.parents) - 1, -1, -1):
            p = node.parents[slot]
            if not flags[g.index[id(p)]]:
                continue
            route = [(node, slot)] + steps
            if len(route) > MAX_CHAIN_FORMULA:
                return None  # too long to write out; the number is still exact
            if p is bottom:
                found.append(route)
                if len(found) > cap:
                    return None
            elif not is_stop(p):
                stack.append((p, route))
    return found[::-1]


def _explain_delta(g: _Graph, wrt: Value, total: _Expr, n: int, max_paths: int, collapse: bool,
                   round_steps: bool) -> Explanation:
    flags = g.relevant(wrt)

    def is_stop(v: Value) -> bool:
        return not collapse or bool(v.label) or v is g.root or v is wrt

    edges = _collapsed_edges(g, flags, is_stop)
    delta: dict[int, float] = {g.index[id(g.root)]: 1.0}
    delta_r: dict[int, float] = dict(delta)
    consumers: dict[int, list] = {}
    local_rows, seen_local = [], set()
    for kc in sorted(edges, reverse=True):
        c = g.order[kc]
        for p, d, routes in edges[kc]:
            kp = g.index[id(p)]
            delta[kp] = delta.get(kp, 0.0) + delta[kc] * d
            consumers.setdefault(kp, []).append((c, d, routes))
            if round_steps:
                dr = _rounded_routes(g, routes) if routes is not None else g.round(d)
                delta_r[kp] = g.round(delta_r.get(kp, 0.0) + g.round(delta_r[kc] * dr))
            if (kc, kp) not in seen_local:
                seen_local.add((kc, kp))
                formula = _sum([_product([g.partial(nd, s) for nd, s in r]) for r in routes]) if routes else None
                if formula is not None and _as_number(formula.text) is not None:
                    formula = None
                shown = _rounded_routes(g, routes) if round_steps and routes else d
                note = [] if routes is not None else ["through unnamed nodes (too many or too long routes to write out)"]
                local_rows.append(([_derivative(g.name(c), g.name(p)), formula, g.number(shown)], note))
    kw = g.index[id(wrt)]
    exact = delta[kw]
    value = delta_r[kw] if round_steps else exact
    numbers = delta_r if round_steps else delta

    rows = [([_delta(g.name(g.root)), None, None, g.number(1.0)], [])]
    for kp in sorted(consumers, reverse=True):
        p = g.order[kp]
        terms_sym, terms_num = [], []
        for c, d, routes in consumers[kp]:
            kc = g.index[id(c)]
            sym = _derivative(g.name(c), g.name(p))
            terms_sym.append(_Expr(f"{_delta(g.name(c)).text}·{sym.text}",
                                   rf"{_delta(g.name(c)).latex} \cdot {sym.latex}", MUL))
            dn = (_rounded_routes(g, routes) if routes else g.round(d)) if round_steps else d
            a, b = g.number(numbers[kc]), g.number(dn)
            a, b = (_paren(x) if x.text.startswith(_MINUS) else x for x in (a, b))
            terms_num.append(_Expr(f"{a.text}·{b.text}", rf"{a.latex} \cdot {b.latex}", MUL))
        note: list = []
        if len(terms_sym) > 4:  # a wide layer: the first terms and the last, and how many there are
            terms_sym = terms_sym[:2] + [_Expr("…", r"\ldots")] + terms_sym[-1:]
            terms_num = terms_num[:2] + [_Expr("…", r"\ldots")] + terms_num[-1:]
            note = [f"({len(consumers[kp])} terms)"]
        rows.append(([_delta(g.name(p)), _sum(terms_sym), _sum(terms_num), g.number(numbers[kp])], note))

    what = "named nodes" if collapse else "nodes"
    blocks: list = [
        _Line([total, f": {n} paths lead from ", g.name(wrt), " to ", g.name(g.root),
               f", more than max_paths={max_paths}, so instead of listing them the gradient is "
               f"accumulated backwards over the {what} between them:"]),
        _Line([_Expr(f"δ(v) = ∂{g.name(g.root).text}/∂v = Σ over the nodes c that use v of δ(c)·∂c/∂v",
                     rf"\delta(v) = \frac{{\partial {g.name(g.root).latex}}}{{\partial v}} = "
                     rf"\sum_{{c \text{{ uses }} v}} \delta(c) \cdot \frac{{\partial c}}{{\partial v}}")]),
        _Equations(rows, ["δ", "sum over consumers", "numbers", "value"]),
        _Line(["with the local factors"]),
        _Equations(local_rows, ["factor", "formula", "value"]),
        _Line([_eq(total, _delta(g.name(wrt)), g.number(value))]),
    ]
    blocks.extend(_finish(g, wrt, value, exact, round_steps, blocks))
    return Explanation("explain", value, blocks, exact=exact, method="delta")


def _rounded_routes(g: _Graph, routes) -> float:
    total = 0.0
    for route in routes:
        r = 1.0
        for node, slot in route:
            r *= g.rounded(node)[1][slot]
        total = g.round(total + r)
    return total


# ---------------------------------------------------------------------------------------------
# trace

def trace(root: Value, *, wrt: Value | None = None, named_only: bool = False, max_lines: int | None = None,
          digits: int = 4, mode: str = "sig", max_expr: int = 40) -> Explanation:
    """The backward pass as the engine runs it: node by node in reverse topological order, upstream
    gradient × local partial = contribution, added into the parent's running total.

    The numbers are recomputed here from the recorded partials (nothing in the graph is changed)
    and compared with the engine's ``.grad`` at the end.

    Args:
        root: the output whose backward pass is shown.
        wrt: show only the part of the graph between this node and ``root`` (what its gradient
            depends on).
        named_only: show only named nodes; the step between two of them multiplies through the
            unnamed nodes in between.
        max_lines: show at most this many steps, then say how many were left out.
        digits, mode: number formatting, as in `explain`.
        max_expr: longest unnamed expression written out, as in `explain`.

    Returns:
        An `Explanation`; its ``value`` is ∂root/∂wrt when ``wrt`` is given, else root's value.
    """
    _validate(root, digits, mode)
    if max_lines is not None and (not isinstance(max_lines, int) or max_lines < 1):
        raise ValueError(f"max_lines must be None or a whole number ≥ 1, got {max_lines!r}")
    g = _Graph(root, digits, mode, max_expr)
    if wrt is not None and (not isinstance(wrt, Value) or id(wrt) not in g.index):
        raise ValueError("wrt must be a Value that root was computed from, to limit the trace to its part")
    flags = g.relevant(wrt)
    # ∂root/∂v for every node, recomputed in the engine's order from the stored partials
    grads = [0.0] * len(g.order)
    grads[-1] = 1.0
    steps = []  # (consumer, upstream, parent, local, formula, contribution)
    if named_only:
        def is_stop(v: Value) -> bool:
            return bool(v.label) or v is root or v is wrt

        edges = _collapsed_edges(g, flags, is_stop)
        for kc in sorted(edges, reverse=True):
            c, up = g.order[kc], grads[kc]
            for p, d, routes in edges[kc]:
                grads[g.index[id(p)]] += up * d
                steps.append((c, up, p, d, routes))
    else:
        for kc in range(len(g.order) - 1, -1, -1):
            c, up = g.order[kc], grads[kc]
            if not c.parents or not flags[kc] or up == 0.0:
                continue  # the engine skips a node whose gradient is 0, too
            for slot, (p, d) in enumerate(zip(c.parents, c.partials)):
                kp = g.index[id(p)]
                if not flags[kp]:
                    continue
                grads[kp] += up * d
                steps.append((c, up, p, d, [[(c, slot)]]))

    running: dict[int, float] = {}
    rows = []
    for c, up, p, d, routes in steps:
        kp = g.index[id(p)]
        contribution = up * d
        before = running.get(kp)
        running[kp] = (before or 0.0) + contribution
        if max_lines is not None and len(rows) >= max_lines:
            rows.append(None)  # counted, not written out
            continue
        formula = _sum([_product([g.partial(n, s) for n, s in r]) for r in routes]) if routes else None
        symbol = _derivative(g.name(c), g.name(p))
        local = [_eq(symbol, g.number(d)) if formula is None or _as_number(formula.text) is not None
                 else _eq(symbol, formula, g.number(d))]
        if before is None:
            total = [g.number(running[kp])]
        else:
            c_num = g.number(contribution)
            c_num = _paren(c_num) if c_num.text.startswith(_MINUS) else c_num
            total = [g.number(before), " + ", c_num, " = ", g.number(running[kp])]
        rows.append([[str(len(rows) + 1)], [g.name(c)], [g.number(up)], local, [g.number(contribution)],
                     [g.name(p)], total])

    left_out = sum(1 for row in rows if row is None)
    rows = [row for row in rows if row is not None]
    r = g.name(root)
    header = [["step"], ["node"], ["upstream ", _Expr(f"∂{r.text}/∂node", rf"\partial {r.latex} / \partial \mathrm{{node}}")],
              ["× local partial"], ["= contribution"], ["into"], ["running total"]]
    what = "named nodes, " if named_only else ""
    part = ["the part between ", g.name(wrt), " and ", r, ", "] if wrt is not None else []
    blocks: list = [_Line(["backward pass from ", r, ", ", *part, what,
                           "in the engine's order (reverse topological): seed ",
                           _derivative(r, r), " = 1"]),
                    _Table(header, rows)]
    if left_out:
        blocks.append(_Line([f"… {left_out} more steps (max_lines={max_lines})"]))
    # compare with the engine on the nodes that received a gradient here
    shown = [k for k in sorted(running) if flags[k]]
    if g.root.grad == 0.0 and all(g.order[k].grad == 0.0 for k in shown):
        blocks.append(_Line(["engine check: run backward() on ", r, " to compare with the engine's .grad"]))
    else:
        bad = [k for k in shown if not math.isclose(g.order[k].grad, grads[k], rel_tol=1e-9, abs_tol=1e-12)]
        if not bad:
            blocks.append(_Line([f"engine check: the .grad of all {len(shown)} nodes that received a "
                                 "gradient agrees ✓"]))
        else:
            v = g.order[bad[0]]
            blocks.append(_Line([f"engine check: {len(bad)} of {len(shown)} nodes differ ✗, first ", g.name(v),
                                 ": engine ", g.number(v.grad), ", here ", g.number(grads[bad[0]]),
                                 " (leaf gradients add up over backward() calls: call zero_grad() before backward())"]))
    texts = [_text_pieces(c) for row in rows for c in row]
    blocks.extend(g.legend(texts))
    value = grads[g.index[id(wrt)]] if wrt is not None else root.data
    return Explanation("trace", value, blocks)


# ---------------------------------------------------------------------------------------------
# forward table

def forward_table(root: Value, *, all_nodes: bool = False, given: bool = True, digits: int = 4, mode: str = "sig",
                  round_steps: bool = False, max_expr: int = 40) -> Explanation:
    """Each named node in the order it is computed: its name, its definition in names, its value.

    Args:
        root: the output; every node it was computed from is considered.
        all_nodes: list unnamed operations too, as ⟨k⟩ (k: the position in the topological order).
        given: list the leaves (inputs and parameters, "given") too; False lists only computed nodes,
            for a solution that shows the given matrices on their own.
        digits, mode: number formatting, as in `explain`.
        round_steps: add a column with every value recomputed from rounded inputs and rounded, as
            by hand.
        max_expr: longest unnamed expression written out inside a definition.

    Returns:
        An `Explanation` whose ``value`` is root's value.
    """
    _validate(root, digits, mode)
    g = _Graph(root, digits, mode, max_expr, numbered=all_nodes)
    rows = []
    for v in g.order:
        if not (v.label or v is root or (all_nodes and v.parents)):
            continue
        if not v.parents and not given:
            continue
        definition = [g.expression(v)] if v.parents else ["given"]
        row = [[g.name(v) if (v.label or all_nodes) else g.expression(v)], definition, [g.number(v.data)]]
        if round_steps:
            row.append([g.number(g.rounded(v)[0])])
        rows.append(row)
    header = [["name"], ["definition"], ["value"]] + ([["rounded by hand"]] if round_steps else [])
    blocks: list = [_Line(["forward pass of ", g.name(root), ", in the order it is computed"]),
                    _Table(header, rows)]
    if not all_nodes:
        blocks.extend(g.legend([_text_pieces(c) for row in rows for c in row]))
    return Explanation("forward", root.data, blocks)
