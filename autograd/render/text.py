"""Plain Unicode text: what the terminal shows.

`derivation` lays out a derivation's blocks (paragraphs, equations aligned on '=', tables with a
rule under the header, equations with matrices set side by side); `report` lays out a longer
document (headings underlined, lists and matrices indented, derivations nested two spaces in), one
blank line between its parts.
"""

from __future__ import annotations

import unicodedata

from autograd.derive.model import (Equations, Heading, Items, Line, Matrices, Matrix, MatrixEquation, Nested, Prose,
                                   Table, text_of)

# One very long cell should not widen every row of an equation block.
_WIDEST_ALIGNED_CELL = 48


def width(s: str) -> int:
    """How many columns ``s`` takes on a terminal (combining accents take none)."""
    return sum(0 if unicodedata.combining(c) else 1 for c in s)


def _pad(s: str, columns: int) -> str:
    return s + " " * (columns - width(s))


def derivation(blocks: list) -> str:
    """A derivation's blocks as text; consecutive paragraphs stay together, equations and tables
    stand apart, and an empty `Line` is a section break."""
    lines: list[str] = []
    blank_after = False
    for block in blocks:
        if isinstance(block, Line):
            if not block.pieces:  # a section break
                blank_after = True
                continue
            if blank_after and lines:
                lines.append("")
            lines.append(text_of(block.pieces))
            blank_after = False
        else:
            if lines:
                lines.append("")
            if isinstance(block, MatrixEquation):
                lines.append(matrix_equation(block))
            else:
                lines.append(_equations(block) if isinstance(block, Equations) else _table(block))
            blank_after = True
    return "\n".join(lines)


def _equations(block: Equations) -> str:
    ncols = max(len(cells) for cells, _ in block.rows)
    widths = [0] * ncols
    for cells, _ in block.rows:
        for j, c in enumerate(cells):
            if c is not None and width(c.text) <= _WIDEST_ALIGNED_CELL:
                widths[j] = max(widths[j], width(c.text))
    lines = []
    for cells, note in block.rows:
        last = max(j for j, c in enumerate(cells) if c is not None)
        line = "  "
        for j, c in enumerate(cells[:last + 1]):
            if j:
                line += " = " if c is not None else "   "
            line += c.text if j == last and not note else _pad(c.text if c is not None else "", widths[j])
        if note:
            line = line + "  " + text_of(note)
        lines.append(line.rstrip())
    return "\n".join(lines)


def _table(block: Table) -> str:
    cells = [[text_of(c) for c in row] for row in block.rows]
    header = [text_of(h) for h in block.header]
    widths = [max([width(h)] + [width(r[j]) for r in cells]) for j, h in enumerate(header)]
    lines = ["  ".join(_pad(h, widths[j]) for j, h in enumerate(header)).rstrip(),
             "  ".join("─" * w for w in widths)]
    lines += ["  ".join(_pad(c, widths[j]) for j, c in enumerate(r)).rstrip() for r in cells]
    return "\n".join(lines)


def matrix_lines(rows: list) -> list[str]:
    """A matrix of formatted numbers as bracketed rows, each column right-aligned."""
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    return ["[ " + "  ".join(c.rjust(widths[j]) for j, c in enumerate(r)) + " ]" for r in rows]


def _beside(pieces: list) -> list[str]:
    """Formulas (one line) and matrices (one line per row) set side by side, the formulas on the
    middle row of the tallest matrix."""
    boxes = [matrix_lines(p.rows) if isinstance(p, Matrix) else [p.text] for p in pieces]
    height = max(len(b) for b in boxes)
    middle = (height - 1) // 2
    lines = [""] * height
    for box in boxes:
        top = middle - (len(box) - 1) // 2
        w = max(width(line) for line in box)
        for r in range(height):
            k = r - top
            lines[r] += _pad(box[k] if 0 <= k < len(box) else "", w)
    return lines


def matrix_equation(block: MatrixEquation) -> str:
    """``lhs = side = …`` with its matrices drawn as bracketed rows, then its note on the next line."""
    separator = [_Literal(" = ")]
    pieces: list = []
    for k, side in enumerate(block.sides):
        pieces += (separator if k else []) + list(side)
    lines = ["  " + line.rstrip() for line in _beside(pieces)]
    if block.note:
        lines.append("    " + text_of(block.note))
    return "\n".join(lines)


class _Literal:
    """Text set between the pieces of an equation (``=``), shown like a one-line formula."""

    def __init__(self, text: str) -> None:
        self.text = text


def matrices_body(block: Matrices) -> str:
    """``name = [ … ]`` for each matrix, later rows aligned under the first, a blank line between."""
    out = []
    for name, rows in block.rows:
        prefix = f"{name.text} = "
        out.append("\n".join((prefix if k == 0 else " " * len(prefix)) + line
                             for k, line in enumerate(matrix_lines(rows))))
    return "\n\n".join(out)


def report(parts: list) -> str:
    """A longer document (a worked solution): its parts one blank line apart."""
    out = []
    for part in parts:
        if isinstance(part, Heading):
            out.append(f"{part.text}\n{('=' if part.level == 1 else '-') * len(part.text)}")
        elif isinstance(part, Prose):
            out.append(part.text)
        elif isinstance(part, Items):
            out.append("\n".join(f"  {line}" for line in part.lines))
        elif isinstance(part, Matrices):
            out.append("\n".join("  " + line if line else "" for line in matrices_body(part).splitlines()))
        elif isinstance(part, Nested):
            out.append("\n".join(("  " + line).rstrip() for line in derivation(part.document.blocks).splitlines()))
        else:
            raise TypeError(f"a report cannot hold a {type(part).__name__}")
    return "\n\n".join(out) + "\n"
