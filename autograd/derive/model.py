"""The document model every printout is made of: plain data that the renderers turn into text,
Markdown, LaTeX or HTML.

A derivation (`autograd.derive.document.Explanation`) is a list of blocks: paragraphs (`Line`),
aligned equations (`Equations`) and tables (`Table`), whose pieces are prose strings and `Formula`s.
A longer document such as a worked solution adds headings, lists, matrices and whole derivations
nested inside it (`Heading`, `Prose`, `Items`, `Matrices`, `Nested`). A layer-level derivation adds
display equations whose sides mix formulas and evaluated matrices (`MatrixEquation`, `Matrix`).
Nothing here computes or formats a number: builders put finished formulas in, renderers read them out.

Beside its blocks, a derivation lists what it states as data, for readers other than a renderer
(answer checking, the step-through page): each number as a `Quantity` (its symbol, value, the
engine's own number, and the quantities it is computed from), and for a trace each row of the
backward pass as a `TraceStep`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd.derive.formula import Formula

# What a quantity is, for `Quantity.kind`.
VALUE = "value"          # a node's forward value (α¹₁, ŷ, ℓ)
LOCAL = "local"          # a local factor ∂a/∂b between two shown nodes (through hidden ones: their product)
UPSTREAM = "upstream"    # ∂root/∂v for an intermediate v, summed over v's consumers (δ for a pre-activation)
PATH = "path"            # the product along one path from a node to the root
GRADIENT = "gradient"    # the derivative asked for: d root/d wrt
UPDATE = "update"        # a parameter after one gradient-descent step
KINDS = (VALUE, LOCAL, UPSTREAM, PATH, GRADIENT, UPDATE)


@dataclass(frozen=True)
class Quantity:
    """One number a derivation states, as a student would be asked for it.

    Attributes:
        kind: one of `KINDS`.
        symbol: how it is written (α¹₁, ∂ŷ/∂α², ∂ℓ/∂h₁, dℓ/dW¹₂₁).
        value: the number shown (recomputed with every step rounded, when asked for).
        exact: the number without per-step rounding.
        of: the node the number is about (a value's node; the top of a factor or gradient).
        wrt: the node a factor or gradient is taken with respect to (None for a value).
        engine: the engine's own number for it (a ``.grad`` or ``.data``), when it has one.
        inputs: the symbols of the quantities it is computed from, in the order they are used.
    """

    kind: str
    symbol: Formula
    value: float
    exact: float
    of: object = None
    wrt: object = None
    engine: float | None = None
    inputs: tuple = ()


@dataclass(frozen=True, slots=True)  # slots: a trace of a big graph makes one per edge
class TraceStep:
    """One row of the backward pass: ``upstream × local = contribution``, added into ``into``.

    Attributes:
        number: the row's position, from 1.
        node: the consumer whose gradient flows back; ``into``: the argument receiving it.
        upstream: ∂root/∂node; ``local``: ∂node/∂into; ``contribution``: their product.
        total: ``into``'s running total after this row; ``first``: whether this row started it.
        cells: the row's cells exactly as the printed table shows them.
    """

    number: int
    node: object
    into: object
    upstream: float
    local: float
    contribution: float
    total: float
    first: bool
    cells: tuple


@dataclass
class Line:
    """A paragraph: prose strings and formulas (`Formula`). No pieces at all is a section break."""

    pieces: list


@dataclass
class Equations:
    """Rows ``lhs = rhs = rhs …`` aligned on '='; an optional last prose note per row."""

    rows: list  # list of (list[Formula | None], note): the note is a list of pieces, empty for none
    header: list  # column names, for the Markdown table


@dataclass
class Table:
    """A table with a header row; a cell is a list of pieces, like a `Line`."""

    header: list
    rows: list  # list of list[cell]


@dataclass
class Heading:
    """A section title; level 1 is the document's title."""

    text: str
    level: int = 2


@dataclass
class Prose:
    """A paragraph of running text in which names and symbols (W¹₂₁, ∂, ŷ) are written in Unicode;
    a LaTeX renderer sets them as inline math."""

    text: str


@dataclass
class Items:
    """A list of running-text lines (each like `Prose`)."""

    lines: list


@dataclass
class Matrices:
    """Display equations ``name = matrix``: each row is (name as a `Formula`, a 2-D list of numbers
    already formatted as text)."""

    rows: list


@dataclass
class Matrix:
    """A matrix of numbers already formatted as text, one list per row; a column vector has one
    number per row. It stands among the formulas of a `MatrixEquation`."""

    rows: list


@dataclass
class MatrixEquation:
    """A display equation ``side = side = …`` in which each side is a list of `Formula`s and `Matrix`es
    set next to each other (``[2; −4]·(−0.09248) ⊙ [0.25; 3.8e-11]``), followed by ``note``, a list
    of pieces such as the engine's check. Text sets matrices as bracketed rows, LaTeX and Markdown as
    ``bmatrix``."""

    sides: list
    note: list = field(default_factory=list)


@dataclass
class Nested:
    """A whole derivation shown inside a longer document (indented in plain text)."""

    document: object  # anything with a ``blocks`` list: an Explanation


def text_of(pieces) -> str:
    """The Unicode text of a list of pieces."""
    return "".join([p if isinstance(p, str) else p.text for p in pieces])


def texts_of(rows) -> list[str]:
    """The Unicode text of every cell of some table rows (lists of cells, each a list of pieces)."""
    return ["".join([p if isinstance(p, str) else p.text for p in cell]) for row in rows for cell in row]


__all__ = ["Formula", "Quantity", "TraceStep", "KINDS", "Line", "Equations", "Table", "Heading", "Prose", "Items",
           "Matrices", "Matrix", "MatrixEquation", "Nested", "text_of", "texts_of"]
