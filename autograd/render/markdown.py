"""Markdown: paragraphs, pipe tables, and formulas either in Unicode or as ``$…$`` TeX math.

`derivation` renders a derivation's blocks; `report` a longer document (``#`` headings, ``-``
lists, derivations inline). Matrices are always TeX math (``$$…\\begin{bmatrix}…$$``), which GitHub,
Jupyter and pandoc display as matrices.
"""

from __future__ import annotations

import re

from autograd.derive.model import Equations, Heading, Items, Line, Matrices, Matrix, MatrixEquation, Nested, Prose
from autograd.render.latex import matrix

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$~])")
MATH_MODES = ("text", "latex")


def escape(s: str) -> str:
    """Prose safe in Markdown: every character Markdown gives a meaning to is backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", s)


def _pieces(pieces, math_latex: bool) -> str:
    out = []
    for p in pieces:
        if isinstance(p, str):
            out.append(escape(p))
        elif math_latex:
            out.append(f"${p.latex}$")
        else:
            out.append(escape(p.text))
    return "".join(out)


def derivation(blocks: list, math: str = "text") -> str:
    """A derivation's blocks as Markdown.

    Args:
        math: ``"text"`` writes formulas in Unicode (readable in any viewer); ``"latex"`` writes
            them as ``$…$`` for viewers that render TeX math (GitHub, Jupyter, pandoc).

    Raises:
        ValueError: ``math`` is neither ``"text"`` nor ``"latex"``.
    """
    if math not in MATH_MODES:
        raise ValueError(f"math must be 'text' or 'latex', got {math!r}")
    as_latex = math == "latex"
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Line):
            out.append(_pieces(block.pieces, as_latex) if block.pieces else "")
        elif isinstance(block, Equations):
            ncols = len(block.header)
            rows = ["| " + " | ".join(escape(h) for h in block.header) + " |",
                    "|" + "|".join(["---"] * ncols) + "|"]
            for cells, note in block.rows:
                shown = [_pieces([c], as_latex) if c is not None else "" for c in cells]
                shown += [""] * (ncols - len(shown))
                if note:
                    shown[-1] = (shown[-1] + " " if shown[-1] else "") + _pieces(note, as_latex)
                rows.append("| " + " | ".join(shown[:ncols]) + " |")
            out.append("\n".join(rows))
        elif isinstance(block, MatrixEquation):
            out.append(matrix_equation(block, as_latex))
        else:
            rows = ["| " + " | ".join(_pieces(h, as_latex) for h in block.header) + " |",
                    "|" + "|".join(["---"] * len(block.header)) + "|"]
            rows += ["| " + " | ".join(_pieces(c, as_latex) for c in r) + " |" for r in block.rows]
            out.append("\n".join(rows))
    return "\n\n".join(x for x in out if x) + "\n"


def _math(pieces) -> str:
    return "".join(matrix(p.rows) if isinstance(p, Matrix) else p.latex for p in pieces)


def matrix_equation(block: MatrixEquation, math_latex: bool = True) -> str:
    """A display equation as ``$$…$$`` TeX math (bmatrix), its note as a paragraph under it."""
    shown = "$$" + " = ".join(_math(side) for side in block.sides) + "$$"
    return shown + ("\n\n" + _pieces(block.note, math_latex) if block.note else "")


def report(parts: list) -> str:
    """A longer document (a worked solution) as Markdown, its parts one blank line apart."""
    out = []
    for part in parts:
        if isinstance(part, Heading):
            out.append(f"{'#' * part.level} {part.text}")
        elif isinstance(part, Prose):
            out.append(part.text)
        elif isinstance(part, Items):
            out.append("\n".join(f"- {line}" for line in part.lines))
        elif isinstance(part, Matrices):
            out.append("\n\n".join(f"$${name.latex} = {matrix(rows)}$$" for name, rows in part.rows))
        elif isinstance(part, Nested):
            out.append(derivation(part.document.blocks).rstrip())
        else:
            raise TypeError(f"a report cannot hold a {type(part).__name__}")
    return "\n\n".join(out) + "\n"
