"""Automatic names in a problem sheet's notation: which letters, which indices, in which order.

A `Notation` holds one *template* per kind of name. A template is a name typed the way
`autograd.notation` reads names (LaTeX-like ``W^1_{21}``, ``\\alpha``, ``\\hat{y}``, or Unicode),
with placeholders in angle brackets that are filled in for each parameter or node:

========  =================================================================================
``<l>``   the layer number, from 1
``<i>``   the row of a matrix entry as the matrix is given (from 1)
``<j>``   the column of a matrix entry as the matrix is given (from 1)
``<u>``   the unit (neuron) number within its layer, or the input number for input names
========  =================================================================================

Rows and columns always refer to the matrix *as typed*, so the same template serves both
conventions: in ``z = W x + b`` a row is a unit, in ``α = Wᵀx`` (bias folded in as the first row)
a row is an input and row 1 is the bias. To name entries ``W_{ji}`` instead, write ``<j><i>``.
When a matrix has 10 or more rows or columns, adjacent index placeholders are written with a comma
(W¹₁₂,₃) so that names stay unique.

When the output layer has a single unit, its names drop ``<u>`` (ŷ rather than ŷ₁, α² rather than
α²₁) unless ``drop_single_output_index`` is False.

Identity activations: a unit whose activation returns its pre-activation node unchanged has *one*
node, not two. It keeps the pre-activation name (``identity_label="pre"``, the default) or takes
the activation's name (``identity_label="post"``, e.g. seed 000's a⁽²⁾ = W⁽²⁾a⁽¹⁾). The node is
named once and never renamed afterwards.

>>> n = ALPHA_BETA
>>> n.weight_name(1, 2, 1), n.pre_name(1, 1, False, 2), n.post_name(2, 1, True, 1), n.loss_name()
('W¹₂₁', 'α¹₁', 'ŷ', 'ℓ')
>>> MATRIX_SUBSCRIPT.pre_name(1, 3, False, 3), MATRIX_SUBSCRIPT.post_name(1, 3, False, 3)
('z⁽¹⁾₃', 'h₃')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from autograd.notation import SUBSCRIPT, SUPERSCRIPT, to_text

PLACEHOLDERS = ("<l>", "<i>", "<j>", "<u>")
_PLACEHOLDER = re.compile(r"<[^<>]*>")
_PAIR = re.compile(r"<([ij])><([ij])>")
_EMPTY_SCRIPT = re.compile(r"[\^_]\{\}|[\^_](?=$|[\^_])")
_COMMA_SCRIPT = re.compile(r"([\^_])\{(\d+(?:,\d+)+)\}")


def _comma_script(m: re.Match) -> str:
    table = SUPERSCRIPT if m.group(1) == "^" else SUBSCRIPT
    return "".join(table.get(c, c) for c in m.group(2))


@dataclass(frozen=True)
class Notation:
    """The templates automatic names are made from (see the module docstring for placeholders).

    Attributes:
        weight: a weight-matrix entry, e.g. ``"W^<l>_{<i><j>}"`` → W¹₂₁.
        bias: a bias-vector entry (only when biases are separate from W), e.g. ``"b^<l>_<u>"``.
        pre: a hidden unit's pre-activation, e.g. ``"z^<l>_<u>"`` or ``"\\alpha^<l>_<u>"``.
        post: a hidden unit's activation, e.g. ``"a^<l>_<u>"``, ``"\\beta^<l>_<u>"`` or ``"h_<u>"``.
        output_pre: the output layer's pre-activation; '' means the same as ``pre``.
        output_post: the output layer's activation, e.g. ``"\\hat{y}_<u>"``.
        input: an input, e.g. ``"x_<u>"`` → x₁.
        loss: the loss, e.g. ``"\\ell"`` → ℓ.
        weight_matrix: a whole weight matrix, e.g. ``"W^<l>"`` → W¹ (used as a key by `MLP.weights`).
        bias_vector: a whole bias vector, e.g. ``"b^<l>"``.
        drop_single_output_index: drop ``<u>`` from the output layer's names when it has one unit.
        identity_label: ``"pre"`` or ``"post"``: which name a unit with an identity activation
            (one node for both) carries.
    """

    weight: str = "W^<l>_{<i><j>}"
    bias: str = "b^<l>_<u>"
    pre: str = "z^<l>_<u>"
    post: str = "a^<l>_<u>"
    output_pre: str = ""
    output_post: str = "\\hat{y}_<u>"
    input: str = "x_<u>"
    loss: str = "\\ell"
    weight_matrix: str = "W^<l>"
    bias_vector: str = "b^<l>"
    drop_single_output_index: bool = True
    identity_label: str = "pre"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("drop_single_output_index",):
                if not isinstance(value, bool):
                    raise TypeError(f"Notation.{f.name} must be True or False, got {value!r}")
                continue
            if not isinstance(value, str):
                raise TypeError(f"Notation.{f.name} must be a str template such as 'W^<l>_{{<i><j>}}', "
                                f"got {value!r} of type {type(value).__name__}")
            if f.name == "identity_label":
                if value not in ("pre", "post"):
                    raise ValueError(f"Notation.identity_label must be 'pre' or 'post', got {value!r}")
                continue
            for token in _PLACEHOLDER.findall(value):
                if token not in PLACEHOLDERS:
                    raise ValueError(
                        f"Notation.{f.name} = {value!r} has the unknown placeholder {token}; the placeholders "
                        f"are {', '.join(PLACEHOLDERS)} (layer, row, column, unit)")

    def with_(self, **changes) -> "Notation":
        """A copy with some templates changed: ``DEFAULT.with_(pre="s^<l>_<u>")``."""
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise TypeError(f"Notation has no field {unknown[0]!r}; the fields are "
                            f"{', '.join(f.name for f in fields(self))}")
        return replace(self, **changes)

    # Names ---------------------------------------------------------------------------------------

    def weight_name(self, layer: int, row: int, col: int, big: bool = False) -> str:
        """The name of entry (row, col) (from 1, as the matrix is given) of layer ``layer``'s W.

        ``big`` (a matrix with 10 or more rows or columns) writes adjacent indices with a comma.
        """
        return render(self.weight, big=big, l=layer, i=row, j=col)

    def bias_name(self, layer: int, unit: int, single: bool = False) -> str:
        """The name of unit ``unit``'s bias in layer ``layer``."""
        return render(self.bias, drop_unit=single, l=layer, u=unit)

    def pre_name(self, layer: int, unit: int, is_output: bool, n_units: int) -> str:
        """The name of a unit's pre-activation (z, α, ...)."""
        template = (self.output_pre or self.pre) if is_output else self.pre
        return render(template, drop_unit=self._drop(is_output, n_units), l=layer, u=unit)

    def post_name(self, layer: int, unit: int, is_output: bool, n_units: int) -> str:
        """The name of a unit's activation (a, β, h, ŷ, ...)."""
        template = (self.output_post or self.post) if is_output else self.post
        return render(template, drop_unit=self._drop(is_output, n_units), l=layer, u=unit)

    def input_name(self, index: int) -> str:
        """The name of input number ``index`` (from 1)."""
        return render(self.input, u=index)

    def loss_name(self) -> str:
        """The loss's name."""
        return render(self.loss)

    def weight_matrix_name(self, layer: int) -> str:
        """The name of layer ``layer``'s whole weight matrix (W¹, W₁, W⁽¹⁾, ...)."""
        return render(self.weight_matrix, l=layer)

    def bias_vector_name(self, layer: int) -> str:
        """The name of layer ``layer``'s whole bias vector."""
        return render(self.bias_vector, l=layer)

    def _drop(self, is_output: bool, n_units: int) -> bool:
        return is_output and n_units == 1 and self.drop_single_output_index


def render(template: str, drop_unit: bool = False, big: bool = False, **indices: int) -> str:
    """Fill a template's placeholders and return the Unicode name.

    Args:
        template: e.g. ``"W^<l>_{<i><j>}"``.
        drop_unit: replace ``<u>`` by nothing (and drop the script it leaves empty).
        big: write adjacent ``<i><j>`` with a comma between them (for matrices with 10+ rows/columns).
        **indices: values for ``l``, ``i``, ``j``, ``u``.

    >>> render("W^<l>_{<i><j>}", l=1, i=2, j=1), render("\\\\hat{y}_<u>", drop_unit=True, u=1)
    ('W¹₂₁', 'ŷ')
    >>> render("W^<l>_{<i><j>}", big=True, l=2, i=12, j=3)
    'W²₁₂,₃'
    """
    text = template
    if big:
        text = _PAIR.sub(r"<\1>,<\2>", text)
    if drop_unit:
        text = text.replace("<u>", "")
    for key, value in indices.items():
        text = text.replace(f"<{key}>", str(value))
    text = _EMPTY_SCRIPT.sub("", text)
    text = _COMMA_SCRIPT.sub(_comma_script, text)
    return to_text(text)


# Presets for the notations the bundled problem sheets use. -----------------------------------------

DEFAULT = Notation()
"""W¹₂₁, b¹₁, z¹₁, a¹₁, ŷ, ℓ, x₁."""

ALPHA_BETA = Notation(pre="\\alpha^<l>_<u>", post="\\beta^<l>_<u>")
"""Seed 002's sheet: α¹₁ = Σ W¹ᵢ₁ xᵢ, β¹₁ = σ(α¹₁), α², ŷ, ℓ; W^l_{ij} with i the input (bias row first)."""

PAREN_LAYER = Notation(weight="W^{(<l>)}_{<i><j>}", bias="b^{(<l>)}_<u>", pre="z^{(<l>)}_<u>",
                       post="a^{(<l>)}_<u>", output_post="a^{(<l>)}_<u>", weight_matrix="W^{(<l>)}",
                       bias_vector="b^{(<l>)}", identity_label="post")
"""Seed 000's sheet: W⁽¹⁾ᵢⱼ, z⁽¹⁾, a⁽¹⁾ = σ(z⁽¹⁾), a⁽²⁾ = W⁽²⁾a⁽¹⁾ (identity output, named a⁽²⁾)."""

MATRIX_SUBSCRIPT = Notation(weight="(W_<l>)_{<i><j>}", bias="(b_<l>)_<u>", pre="z^{(<l>)}_<u>", post="h_<u>",
                            weight_matrix="W_<l>", bias_vector="b_<l>")
"""Seed 001's sheet: W₁, b₁ (entries (W₁)₂₃, (b₁)₂), z⁽¹⁾, h = f(z⁽¹⁾), z⁽²⁾, ŷ = softmax(z⁽²⁾)."""

PRESETS = {"default": DEFAULT, "alpha-beta": ALPHA_BETA, "paren-layer": PAREN_LAYER,
           "matrix-subscript": MATRIX_SUBSCRIPT}
"""The presets by name, for problem files: ``notation = "alpha-beta"``."""


def get(spec: "Notation | str | None") -> Notation:
    """A `Notation` from an instance, a preset name (see `PRESETS`) or None (the default)."""
    if spec is None:
        return DEFAULT
    if isinstance(spec, Notation):
        return spec
    if isinstance(spec, str):
        if spec in PRESETS:
            return PRESETS[spec]
        raise ValueError(f"unknown notation preset {spec!r}; choose one of {', '.join(PRESETS)} "
                         f"or build your own with nn.Notation(weight=..., pre=..., ...)")
    raise TypeError(f"notation must be an nn.Notation, a preset name or None, got {type(spec).__name__}: {spec!r}")
