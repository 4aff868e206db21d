"""The layout of a worked solution (`nn.problem.Solution`) as text, Markdown or LaTeX.

Sections, in the order a solution sheet has them: the network and the data, the forward pass, the
loss, the backward pass (every parameter's gradient as a matrix, and the error terms δ of each
layer), the chain-rule derivations asked for, and the parameters after one gradient-descent step.
The numbers come from the recorded graph; the formulas from the rule table, in the sheet's names.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from autograd import notation as names
from autograd.explain import explain, forward_table, latex_document

FORMATS = ("text", "markdown", "latex")


def _number(x: float, digits: int) -> str:
    return names.format_number(float(x), digits)


def _derivative_name(of: str, wrt: str) -> str:
    return f"d{of}/d{wrt}"


def _matrix_text(m: np.ndarray, digits: int) -> list[str]:
    cells = [[_number(x, digits) for x in row] for row in np.atleast_2d(m)]
    widths = [max(len(r[j]) for r in cells) for j in range(len(cells[0]))]
    return ["[ " + "  ".join(c.rjust(widths[j]) for j, c in enumerate(r)) + " ]" for r in cells]


def _latex_number(text: str) -> str:
    """``1.396e-11`` -> ``1.396 \\times 10^{-11}``: scientific notation as typeset, not as code."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def _matrix_latex(m: np.ndarray, digits: int) -> str:
    rows = [" & ".join(_latex_number(_number(x, digits)) for x in row) for row in np.atleast_2d(m)]
    return "\\begin{bmatrix} " + " \\\\ ".join(rows) + " \\end{bmatrix}"


class _Doc:
    """Collects a solution's pieces and writes them in one of the three formats."""

    def __init__(self, fmt: str, digits: int) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        self.fmt, self.digits, self.parts = fmt, digits, []

    def heading(self, text: str, level: int = 2) -> None:
        if self.fmt == "text":
            self.parts.append(f"{text}\n{('=' if level == 1 else '-') * len(text)}")
        elif self.fmt == "markdown":
            self.parts.append(f"{'#' * level} {text}")
        else:
            self.parts.append(f"\\{'section*' if level == 1 else 'subsection*'}{{{_tex_text(text)}}}")

    def paragraph(self, text: str) -> None:
        self.parts.append(_tex_text(text) if self.fmt == "latex" else text)

    def items(self, lines: Sequence[str]) -> None:
        if self.fmt == "text":
            self.parts.append("\n".join(f"  {line}" for line in lines))
        elif self.fmt == "markdown":
            self.parts.append("\n".join(f"- {line}" for line in lines))
        else:
            self.parts.append("\\begin{itemize}\n" + "\n".join(f"\\item {_tex_text(line)}" for line in lines)
                              + "\n\\end{itemize}")

    def matrices(self, rows: Sequence[tuple[str, str, np.ndarray]]) -> None:
        """Display equations ``name = matrix``; each row is (Unicode name, LaTeX name, matrix)."""
        if self.fmt == "latex":
            body = " \\\\\n".join(f"{latex} &= {_matrix_latex(m, self.digits)}" for _, latex, m in rows)
            self.parts.append("\\begin{align*}\n" + body + "\n\\end{align*}")
            return
        blocks = []
        for text, _, m in rows:
            lines = _matrix_text(m, self.digits)
            prefix = f"{text} = "
            blocks.append("\n".join((prefix if k == 0 else " " * len(prefix)) + line for k, line in enumerate(lines)))
        body = "\n\n".join(blocks)
        if self.fmt == "markdown":
            self.parts.append("```\n" + body + "\n```")
        else:
            self.parts.append("\n".join("  " + line if line else "" for line in body.splitlines()))

    def explanation(self, e) -> None:
        if self.fmt == "text":
            self.parts.append("\n".join(("  " + line).rstrip() for line in str(e).splitlines()))
        elif self.fmt == "markdown":
            self.parts.append(e.to_markdown().rstrip())
        else:
            self.parts.append(e.to_latex().rstrip())

    def finish(self) -> str:
        text = "\n\n".join(self.parts) + "\n"
        return latex_document(text) if self.fmt == "latex" else text


_NAME_RUN = re.compile(r"(?:[A-Za-z]?[^\x00-\x7f\s—–’“”…½])+")


def _tex_text(text: str) -> str:
    """Running text for LaTeX: special characters escaped, names and symbols (W¹₂₁, ∂, ŷ) as inline math."""
    text = text.replace("′", "'")  # a prime: relu′ -> relu'
    out, last = [], 0
    for m in _NAME_RUN.finditer(text):
        out.append(_tex_escape(text[last:m.start()]))
        out.append("$" + names.to_latex(m.group()).replace("←", r"\leftarrow ").replace("⊙", r"\odot ")
                   .replace("×", r"\times ").replace("∈", r"\in ").replace("ᵀ", "^{T}") + "${}")
        last = m.end()
    out.append(_tex_escape(text[last:]))
    return "".join(out).replace("½", r"$\tfrac{1}{2}$")


def _tex_escape(text: str) -> str:
    for ch, rep in (("\\", r"\textbackslash{}"), ("#", r"\#"), ("$", r"\$"), ("%", r"\%"), ("&", r"\&"),
                    ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("^", r"\^{}"), ("~", r"\~{}")):
        text = text.replace(ch, rep)
    return text


def render(solution, fmt: str = "text", digits: int = 4, round_steps: bool = False) -> str:
    """The worked solution of a `nn.problem.Solution` in ``fmt`` (text, markdown or latex)."""
    problem, net = solution.problem, solution.net
    doc = _Doc(fmt, digits)
    loss_name = solution.loss.label or "ℓ"
    doc.heading(problem.title, 1)
    if problem.notes:
        doc.paragraph(problem.notes.strip())

    # The network and the data ------------------------------------------------------------------
    doc.heading("The network")
    conv = ("z = W x + b: W has one row per unit and one column per input"
            if problem.convention == "Wx+b" else
            "α = Wᵀ[1; x]: W has one row per input, the first row multiplying a constant 1 (the bias), "
            "and one column per unit")
    lines = [f"convention: {conv}"]
    for layer, act in zip(net.layers, problem.activation_names):
        rows, cols = layer.weight_shape
        bias = f", bias {layer.bias_name}" if layer.bias_name and problem.convention == "Wx+b" and layer.b is not None else ""
        lines.append(f"layer {layer.index}: {layer.weight_name} is {rows}×{cols}{bias}, activation {act}")
    lines.append(f"loss: {solution.loss_description}")
    lines.append(f"input x = ({', '.join(_number(v, digits) for v in problem.x)}), "
                 f"target y = ({', '.join(_number(v, digits) for v in problem.y)})")
    doc.items(lines)
    doc.matrices([(k, names.to_latex(k), m) for k, m in solution.before.items()])

    # Forward -----------------------------------------------------------------------------------
    doc.heading("Forward pass")
    doc.explanation(forward_table(solution.loss, given=False, digits=digits, round_steps=round_steps))
    outs = ", ".join(f"{v.label} = {_number(v.data, digits)}" for v in solution.outputs)
    doc.paragraph(f"Output: {outs}. Loss: {loss_name} = {_number(solution.loss.data, digits)}.")

    # Backward ----------------------------------------------------------------------------------
    doc.heading("Backward pass")
    doc.paragraph(f"The gradient of {loss_name} with respect to every parameter, laid out like the parameter:")
    doc.matrices([(_derivative_name(loss_name, k), f"\\frac{{\\partial {names.to_latex(loss_name)}}}"
                   f"{{\\partial {names.to_latex(k)}}}", g) for k, g in solution.grads.items()])
    deltas = []
    for layer, ds in zip(net.layers, solution.deltas):
        deltas.append(", ".join(f"{_derivative_name(loss_name, z.label)} = {_number(d, digits)}"
                                for z, d in zip(layer.last_pre, ds)))
    doc.paragraph("Error terms δ (the gradient of the loss with respect to each pre-activation), layer by layer:")
    doc.items(deltas)

    # Chain rule --------------------------------------------------------------------------------
    if solution.wrt:
        doc.heading("Chain-rule derivations")
        for w in solution.wrt:
            doc.explanation(explain(solution.loss, w, digits=digits, round_steps=round_steps))

    # Update ------------------------------------------------------------------------------------
    lr = _number(problem.learning_rate, digits)
    doc.heading("One gradient-descent step")
    doc.paragraph(f"θ ← θ − {lr} · d{loss_name}/dθ for every parameter θ (learning rate {lr}):")
    doc.matrices([(f"{k} (new)", f"{{{names.to_latex(k)}}}^{{\\text{{new}}}}", m) for k, m in solution.after.items()])
    if solution.steps:
        doc.items([f"{w.label} ← {_number(old, digits)} − {lr} · ({_number(g, digits)}) = {_number(new, digits)}"
                   for w, old, g, new in solution.steps])
    return doc.finish()
