"""LaTeX: derivations as amsmath ``align*`` blocks and ``tabular``s, reports with sections, lists
and ``bmatrix`` matrices, and the smallest complete document that compiles them. ASCII only.

Two kinds of text meet here: a derivation's prose pieces (escaped character by character, its
formulas already in LaTeX) and a report's running text, in which names and symbols written in
Unicode (W¹₂₁, ∂, ŷ) are found and set as inline math.
"""

from __future__ import annotations

import re

from autograd import notation
from autograd.derive.formula import Formula
from autograd.derive.model import Equations, Heading, Items, Line, Matrices, Matrix, MatrixEquation, Nested, Prose

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "…": r"\ldots{}", "✓": "(agrees)", "✗": "(differs)", "—": "---", "–": "--",
            "→": r"$\to$", "×": r"$\times$", "Σ": r"$\Sigma$", "δ": r"$\delta$", "∂": r"$\partial$",
            "−": "-", "·": r"$\cdot$", "≈": r"$\approx$"}


def escape(s: str) -> str:
    """A derivation's prose as LaTeX text: special characters escaped, a few symbols as math."""
    return "".join(_SPECIAL.get(c, c) for c in s)


def _pieces(pieces) -> str:
    return "".join(escape(p) if isinstance(p, str) else f"${p.latex}$" for p in pieces)


def document(body: str) -> str:
    """``body`` wrapped in the smallest ``article`` that compiles it (amsmath is all it needs)."""
    return "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body + "\\end{document}\n"


def derivation(blocks: list, standalone: bool = False) -> str:
    """A derivation's blocks as LaTeX; ``standalone`` wraps it in a complete document."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Line):
            if len(block.pieces) == 1 and isinstance(block.pieces[0], Formula):
                out.append(f"\\[ {block.pieces[0].latex} \\]\n")
            else:
                out.append(_pieces(block.pieces) + "\n" if block.pieces else "")
        elif isinstance(block, Equations):
            rows = []
            for cells, note in block.rows:
                shown = [c.latex for c in cells if c is not None]
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


# A run of names and symbols inside running text: non-ASCII characters, optionally after a letter.
_NAME_RUN = re.compile(r"(?:[A-Za-z]?[^\x00-\x7f\s—–’“”…½])+")
_RUNNING_SPECIAL = (("\\", r"\textbackslash{}"), ("#", r"\#"), ("$", r"\$"), ("%", r"\%"), ("&", r"\&"),
                    ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("^", r"\^{}"), ("~", r"\~{}"))


def _escape_running(text: str) -> str:
    for ch, rep in _RUNNING_SPECIAL:
        text = text.replace(ch, rep)
    return text


def running_text(text: str) -> str:
    """Running text for LaTeX: special characters escaped, names and symbols (W¹₂₁, ∂, ŷ) as inline math."""
    text = text.replace("′", "'")  # a prime: relu′ -> relu'
    out, last = [], 0
    for m in _NAME_RUN.finditer(text):
        out.append(_escape_running(text[last:m.start()]))
        out.append("$" + notation.to_latex(m.group()).replace("←", r"\leftarrow ").replace("⊙", r"\odot ")
                   .replace("×", r"\times ").replace("∈", r"\in ").replace("ᵀ", "^{T}") + "${}")
        last = m.end()
    out.append(_escape_running(text[last:]))
    return "".join(out).replace("½", r"$\tfrac{1}{2}$")


def number(text: str) -> str:
    """A formatted number as typeset: ``1.396e-11`` -> ``1.396 \\times 10^{-11}``."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def matrix(rows: list) -> str:
    """A matrix of formatted numbers as a ``bmatrix``."""
    return "\\begin{bmatrix} " + " \\\\ ".join(" & ".join(number(x) for x in row) for row in rows) + " \\end{bmatrix}"


def matrix_equation(block) -> str:
    """A `MatrixEquation` as ``align*``, one side per line (``lhs &= side \\\\ &= side``), matrices as
    ``bmatrix``; its note follows as a paragraph."""
    sides = ["".join(matrix(p.rows) if isinstance(p, Matrix) else p.latex for p in side) for side in block.sides]
    body = sides[0] + (" &= " + " \\\\\n&= ".join(sides[1:]) if len(sides) > 1 else " &")
    note = _pieces(block.note) + "\n" if block.note else ""
    return "\\begin{align*}\n" + body + "\n\\end{align*}\n" + note


def report(parts: list) -> str:
    """A longer document (a worked solution) as a complete LaTeX document."""
    out = []
    for part in parts:
        if isinstance(part, Heading):
            out.append(f"\\{'section*' if part.level == 1 else 'subsection*'}{{{running_text(part.text)}}}")
        elif isinstance(part, Prose):
            out.append(running_text(part.text))
        elif isinstance(part, Items):
            out.append("\\begin{itemize}\n" + "\n".join(f"\\item {running_text(line)}" for line in part.lines)
                       + "\n\\end{itemize}")
        elif isinstance(part, Matrices):
            body = " \\\\\n".join(f"{name.latex} &= {matrix(rows)}" for name, rows in part.rows)
            out.append("\\begin{align*}\n" + body + "\n\\end{align*}")
        elif isinstance(part, Nested):
            out.append(derivation(part.document.blocks).rstrip())
        else:
            raise TypeError(f"a report cannot hold a {type(part).__name__}")
    return document("\n\n".join(out) + "\n")
