"""The document model every printout is made of: plain data that the renderers turn into text,
Markdown, LaTeX or HTML.

A derivation (`autograd.derive.document.Explanation`) is a list of blocks: paragraphs (`Line`),
aligned equations (`Equations`) and tables (`Table`), whose pieces are prose strings and `Formula`s.
A longer document such as a worked solution adds headings, lists, matrices and whole derivations
nested inside it (`Heading`, `Prose`, `Items`, `Matrices`, `Nested`). A layer-level derivation adds
display equations whose sides mix formulas and evaluated matrices (`MatrixEquation`, `Matrix`).
Nothing here computes or formats a number: builders put finished formulas in, renderers read them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograd.derive.formula import Formula


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
    return "".join(p if isinstance(p, str) else p.text for p in pieces)


__all__ = ["Formula", "Line", "Equations", "Table", "Heading", "Prose", "Items", "Matrices", "Matrix", "MatrixEquation",
           "Nested", "text_of"]
