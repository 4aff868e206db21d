"""The names of whole vectors and matrices in a network's own notation: W₂, δ₂, z⁽¹⁾ and h for seed
001's sheet; W², W̄², δ², α¹, β¹ for seed 002's; W_l, δ_l, f_l, z_l and C for seed 003's; W⁽²⁾, a⁽¹⁾
for seed 000's.

They are read off the network's `nn.Notation`: a unit's template with its unit index dropped names
the layer's vector (``z^{(<l>)}_<u>`` → z⁽¹⁾, ``(f_<l>)_<u>`` → f₁); δ takes the weight matrix's
scripts (W₂ → δ₂, W² → δ², W⁽²⁾ → δ⁽²⁾); W̄ is W with a bar, W without its bias row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from autograd.derive.formula import ATOM, Formula
from autograd.notation import to_latex
from nn import naming

_BASE = re.compile(r"^(\\[A-Za-z]+|\\[a-z]+\{[^{}]*\}|[A-Za-z]+)")


def name(text: str) -> Formula:
    """A Unicode name as a formula in both renderings."""
    return Formula(text, to_latex(text), ATOM)


def _unwrap(text: str) -> str:
    """``(f₁)`` → ``f₁``: the parentheses an entry's template puts around its matrix name."""
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        return text[1:-1]
    return text


def _vector(template: str, layer: int) -> str:
    return _unwrap(naming.render(template, drop_unit=True, l=layer))


@dataclass(frozen=True)
class Names:
    """Every name a layer-level derivation writes, for one network."""

    notation: naming.Notation
    layers: int
    identity_output: bool  # the output's one node is named as the notation's identity_label says

    def weight(self, l: int) -> Formula:
        return name(self.notation.weight_matrix_name(l))

    def weight_bar(self, l: int) -> Formula:
        """W without its first (bias) row: W̄², written with a bar over the matrix's letter."""
        template = self.notation.weight_matrix
        m = _BASE.match(template)
        base, rest = (m.group(1), template[m.end():]) if m else (template, "")
        scripts = naming.render("X" + rest, l=l)[1:]
        text = naming.render(base) + "\u0304" + scripts
        return Formula(text, rf"\bar{{{to_latex(naming.render(base))}}}" + to_latex("X" + scripts)[1:], ATOM)

    def bias(self, l: int) -> Formula:
        return name(self.notation.bias_vector_name(l))

    def delta(self, l: int) -> Formula:
        """δ with the weight matrix's scripts: δ₂, δ², δ⁽²⁾."""
        template = _BASE.sub(r"\\delta", self.notation.weight_matrix, count=1)
        return name(naming.render(template, l=l))

    def pre(self, l: int) -> Formula:
        """Layer l's pre-activation vector (z⁽¹⁾, α¹, f₁); the output's is its own template."""
        n = self.notation
        if l == self.layers:
            if self.identity_output and n.identity_label == "post":
                return self.post(l)
            return name(_vector(n.output_pre or n.pre, l))
        return name(_vector(n.pre, l))

    def post(self, l: int) -> Formula:
        """Layer l's activation vector (h, β¹, z₁, ŷ); h⁽ˡ⁾ when a template without <l> serves several
        hidden layers; ``post(0)`` is the input x."""
        n = self.notation
        if l == 0:
            return self.input
        if l == self.layers:
            if self.identity_output and n.identity_label == "pre":
                return self.pre(l)
            return name(_vector(n.output_post or n.post, l))
        text = _vector(n.post, l)
        if self.layers > 2 and text == _vector(n.post, l + 1 if l + 1 < self.layers else l - 1):
            text = naming.render(text + "^{(<l>)}", l=l)
        return name(text)

    @property
    def input(self) -> Formula:
        return name(_unwrap(naming.render(self.notation.input, drop_unit=True)))

    @property
    def target(self) -> Formula:
        return name("y")

    @property
    def loss(self) -> Formula:
        return name(self.notation.loss_name())


def F(text: str, latex: str | None = None) -> Formula:
    """A formula written out in both renderings (LaTeX defaults to the text, for ASCII-only pieces)."""
    return Formula(text, text if latex is None else latex, ATOM)


def cat(*parts: "Formula | str") -> Formula:
    """Formulas and plain pieces (the same in both renderings) written one after the other."""
    return Formula("".join(p if isinstance(p, str) else p.text for p in parts),
                   "".join(p if isinstance(p, str) else p.latex for p in parts), ATOM)


def transpose(f: Formula) -> Formula:
    return Formula(f.text + "ᵀ", f"{{{f.latex}}}^\\top", ATOM)


def derivative(of: Formula, wrt: Formula) -> Formula:
    """∂ℓ/∂z⁽²⁾ in both renderings."""
    return Formula(f"∂{of.text}/∂{wrt.text}", rf"\frac{{\partial {of.latex}}}{{\partial {wrt.latex}}}", ATOM)


ODOT = F(" ⊙ ", r" \odot ")
OSLASH = F(" ⊘ ", r" \oslash ")
MINUS = F(" − ", " - ")
PLUS = F(" + ", " + ")


_SYMBOLS = {"✓": "(agrees)", "✗": "(differs)", "⊘": r"\oslash ", "∘": r"\circ ", "≠": r"\neq ", "…": r"\dots ",
            "∇": r"\nabla ", "Σ": r"\Sigma ", "ℓ": r"\ell ", "′": "'", "−": "-", "⊙": r"\odot ", "∂": r"\partial ",
            "ᵀ": r"^\top ", "ᵢ": "_i", "ⱼ": "_j", "ₘ": "_m", "½": r"\tfrac12 ", "σ": r"\sigma ", "α": r"\alpha ",
            "β": r"\beta ", "δ": r"\delta ", "λ": r"\lambda ", "φ": r"\varphi ", "ŷ": r"\hat{y}", "·": r"\cdot ",
            "≤": r"\le ", "→": r"\to "}


def prose(text: str) -> Formula:
    """Running text as a piece: the text as it is, and for LaTeX an ASCII ``\\text{…}`` in which names
    and symbols (W₂ᵀ, ∂ℓ/∂ŷ, ⊙) are inline math."""
    from autograd.render.latex import running_text

    body = running_text(text)
    out = []
    for ch in body:
        out.append(_SYMBOLS.get(ch, ch) if not ch.isascii() else ch)
    latex = "".join(out)
    latex = "".join(c if c.isascii() else "?" for c in latex)
    return Formula(text, rf"\text{{{latex}}}", ATOM)


def as_prose(blocks: list) -> list:
    """Every plain string piece of the blocks made a `prose` piece, so that LaTeX gets ASCII."""
    from autograd.derive.model import Equations, Line, MatrixEquation

    def fix(pieces):
        return [prose(p) if isinstance(p, str) and not p.isascii() else p for p in pieces]

    for b in blocks:
        if isinstance(b, Line):
            b.pieces = fix(b.pieces)
        elif isinstance(b, Equations):
            b.rows = [(cells, fix(note)) for cells, note in b.rows]
        elif isinstance(b, MatrixEquation):
            b.note = fix(b.note)
    return blocks
