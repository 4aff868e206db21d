"""LaTeX: derivations as amsmath ``align*`` blocks and ``tabular``s, reports with sections, lists
and ``bmatrix`` matrices, and the smallest complete document that compiles them. ASCII only.

Two kinds of text meet here: prose (a derivation's prose pieces, a report's running text, a title
or notes a user typed), which goes through `escape`, and formulas (names and formulas already in
LaTeX), which go through `math` (both in autograd/render/latex_text.py), so whatever a user typed
compiles and runs no command. In running text, names and symbols written in Unicode (W¹₂₁, ∂, ŷ)
are found and set as inline math; accented words (Übung) stay text.

The document uses ``inputenc`` (UTF-8) and the T1 font encoding with the scalable Times fonts of
``mathptmx`` (in Debian's texlive-fonts-recommended), so ``<``, ``>``, ``|`` and accented letters
print as themselves and no bitmap font has to be generated. Matrices of any width compile: a
``bmatrix`` wider than amsmath's default of 10 columns raises ``MaxMatrixCols`` first.
"""

from __future__ import annotations

import re
import unicodedata

from autograd import notation
from autograd.derive.formula import Formula
from autograd.derive.model import Equations, Heading, Items, Line, Matrices, Matrix, MatrixEquation, Nested, Prose
from autograd.render.latex_text import PARAGRAPH_BREAK, TEXT_SYMBOLS, accent_command, escape, math

__all__ = ["PREAMBLE", "escape", "math", "document", "derivation", "running_text", "number", "matrix", "report"]

PREAMBLE = ("\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
            "\\usepackage{mathptmx}\n\\usepackage{amsmath}\n")


def _pieces(pieces) -> str:
    return "".join(escape(p) if isinstance(p, str) else f"${math(p)}$" for p in pieces)


def document(body: str) -> str:
    """``body`` wrapped in the smallest ``article`` that compiles it (see `PREAMBLE`)."""
    return PREAMBLE + "\\begin{document}\n" + body + "\\end{document}\n"


def derivation(blocks: list, standalone: bool = False) -> str:
    """A derivation's blocks as LaTeX; ``standalone`` wraps it in a complete document."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Line):
            if len(block.pieces) == 1 and isinstance(block.pieces[0], Formula):
                out.append(f"\\[ {math(block.pieces[0])} \\]\n")
            else:
                out.append(_pieces(block.pieces) + "\n" if block.pieces else "")
        elif isinstance(block, Equations):
            rows = []
            for cells, note in block.rows:
                shown = [math(c) for c in cells if c is not None]
                if cells[0] is None:  # a continuation line: = … under the previous row's =
                    row = " &= " + " = ".join(shown)
                else:
                    row = shown[0] + (" &= " + " = ".join(shown[1:]) if len(shown) > 1 else " &")
                if note:
                    row += rf" && \text{{{_pieces(note)}}}"
                rows.append(row)
            out.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n")
        elif isinstance(block, MatrixEquation):
            out.append(matrix_equation(block))
        else:
            spec = "l" * len(block.header)
            head = " & ".join(_pieces(h) for h in block.header)
            body = " \\\\\n".join(" & ".join(_pieces(c) for c in r) for r in block.rows)
            out.append(f"\\begin{{tabular}}{{{spec}}}\n{head} \\\\\n\\hline\n{body}" + (" \\\\\n" if body else "")
                       + "\\end{tabular}\n")
    text = "\n".join(s for s in out if s).rstrip("\n") + "\n"
    return document(text) if standalone else text


# -- running text: prose with names in it ----------------------------------------------------------

# A candidate name inside running text: non-ASCII characters, optionally after an ASCII letter.
_NAME_RUN = re.compile(r"(?:[A-Za-z]?[^\x00-\x7f\s—–’‘“”…½«»¡¿§¶\u00a0])+")
_NAME_ACCENTS = "\u0302\u0304\u0303\u0307"  # ŷ, x̄, ỹ, ẏ: the accents names carry (hat, bar, tilde, dot)
_REPLACEMENTS = (("←", r"\leftarrow "), ("⊙", r"\odot "), ("×", r"\times "), ("∈", r"\in "), ("ᵀ", "^{T}"))


def _is_name(run: str, text: str, start: int, end: int) -> bool:
    """Whether a candidate run is a name or symbol (W¹₂₁, ŷ, ∂) rather than part of a word (Übung)."""
    if any(accent_command(c) is None and c not in TEXT_SYMBOLS for c in run if not c.isascii()):
        return True
    inside_word = (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())
    base = unicodedata.normalize("NFD", run)
    return not inside_word and len(base) == 2 and base[1] in _NAME_ACCENTS


def _running_line(text: str) -> str:
    text = text.replace("′", "'")  # a prime: relu′ -> relu'
    out, last = [], 0
    for m in _NAME_RUN.finditer(text):
        if not _is_name(m.group(), text, m.start(), m.end()):
            continue
        out.append(escape(text[last:m.start()]))
        latex = notation.to_latex(m.group())
        for symbol, command in _REPLACEMENTS:
            latex = latex.replace(symbol, command)
        out.append("$" + math(latex) + "${}")
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out).replace(r"\ensuremath{\tfrac{1}{2}}", r"$\tfrac{1}{2}$")


def running_text(text: str) -> str:
    """Running text for LaTeX: escaped by `escape`, names and symbols (W¹₂₁, ∂, ŷ) as inline math,
    paragraphs (separated by a blank line) kept."""
    return "\n\n".join(_running_line(p) for p in PARAGRAPH_BREAK.split(text.strip()) if p.strip())


def number(text: str) -> str:
    """A formatted number as typeset: ``1.396e-11`` -> ``1.396 \\times 10^{-11}``."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def matrix(rows: list) -> str:
    """A matrix of formatted numbers as a ``bmatrix`` (of any width: beyond amsmath's default of 10
    columns, ``MaxMatrixCols`` is raised first)."""
    width = max((len(row) for row in rows), default=0)
    wide = f"\\setcounter{{MaxMatrixCols}}{{{width}}}" if width > 10 else ""
    return wide + "\\begin{bmatrix} " + " \\\\ ".join(" & ".join(number(x) for x in row) for row in rows) + " \\end{bmatrix}"


def matrix_equation(block) -> str:
    """A `MatrixEquation` as ``align*``, one side per line (``lhs &= side \\\\ &= side``), matrices as
    ``bmatrix``; its note follows as a paragraph."""
    sides = ["".join(matrix(p.rows) if isinstance(p, Matrix) else math(p) for p in side) for side in block.sides]
    body = sides[0] + (" &= " + " \\\\\n&= ".join(sides[1:]) if len(sides) > 1 else " &")
    note = _pieces(block.note) + "\n" if block.note else ""
    return "\\begin{align*}\n" + body + "\n\\end{align*}\n" + note


def report(parts: list) -> str:
    """A longer document (a worked solution) as a complete LaTeX document."""
    out = []
    for part in parts:
        if isinstance(part, Heading):
            title = _running_line(" ".join(part.text.split()))
            out.append(f"\\{'section*' if part.level == 1 else 'subsection*'}{{{title}}}")
        elif isinstance(part, Prose):
            out.append(running_text(part.text))
        elif isinstance(part, Items):
            out.append("\\begin{itemize}\n" + "\n".join(f"\\item {_running_line(' '.join(line.split()))}"
                                                        for line in part.lines) + "\n\\end{itemize}")
        elif isinstance(part, Matrices):
            body = " \\\\\n".join(f"{math(name)} &= {matrix(rows)}" for name, rows in part.rows)
            out.append("\\begin{align*}\n" + body + "\n\\end{align*}")
        elif isinstance(part, Nested):
            out.append(derivation(part.document.blocks).rstrip())
        else:
            raise TypeError(f"a report cannot hold a {type(part).__name__}")
    return document("\n\n".join(out) + "\n")
