"""The layout of a worked solution: its sections as document parts (autograd.derive.model), rendered
by the same renderers as every other printout.

Sections, in the order a solution sheet has them: the network and the data, the forward pass, the
loss, the backward pass (every parameter's gradient as a matrix, and the error terms δ of each
layer), the chain-rule derivations asked for, and the parameters after one gradient-descent step.
The numbers come from the recorded graph; the formulas from the rule table, in the sheet's names.
`with_pictures` adds the pictures written beside a solution: linked from Markdown, included in LaTeX.
"""

from __future__ import annotations

import numpy as np

from autograd import explain, forward_table, notation as names
from autograd.derive.formula import Formula
from autograd.derive.model import Heading, Items, Matrices, Nested, Prose
from autograd.render import latex, markdown, text

FORMATS = ("text", "markdown", "latex")
_RENDERERS = {"text": text.report, "markdown": markdown.report, "latex": latex.report}


def _number(x: float, digits: int) -> str:
    return names.format_number(float(x), digits)


def _derivative_name(of: str, wrt: str) -> str:
    return f"d{of}/d{wrt}"


def _matrices(rows: list, digits: int) -> Matrices:
    """``[(Unicode name, LaTeX name, matrix)]`` as a `Matrices` block of formatted numbers."""
    return Matrices([(Formula(t, tex), [[_number(x, digits) for x in row] for row in np.atleast_2d(m)])
                     for t, tex, m in rows])


def parts(solution, digits: int = 4, round_steps: bool = False) -> list:
    """The worked solution of a `homework.solution.Solution` as document parts."""
    problem, net = solution.problem, solution.net
    out: list = []
    loss_name = solution.loss.label or "ℓ"
    out.append(Heading(problem.title, 1))
    if problem.notes:
        out.append(Prose(problem.notes.strip()))

    # The network and the data ------------------------------------------------------------------
    out.append(Heading("The network"))
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
    out.append(Items(lines))
    out.append(_matrices([(k, names.to_latex(k), m) for k, m in solution.before.items()], digits))

    # Forward -----------------------------------------------------------------------------------
    out.append(Heading("Forward pass"))
    out.append(Nested(forward_table(solution.loss, given=False, digits=digits, round_steps=round_steps)))
    outs = ", ".join(f"{v.label} = {_number(v.data, digits)}" for v in solution.outputs)
    out.append(Prose(f"Output: {outs}. Loss: {loss_name} = {_number(solution.loss.data, digits)}."))

    # Backward ----------------------------------------------------------------------------------
    out.append(Heading("Backward pass"))
    out.append(Prose(f"The gradient of {loss_name} with respect to every parameter, laid out like the parameter:"))
    out.append(_matrices([(_derivative_name(loss_name, k), f"\\frac{{\\partial {names.to_latex(loss_name)}}}"
                           f"{{\\partial {names.to_latex(k)}}}", g) for k, g in solution.grads.items()], digits))
    deltas = []
    for layer, ds in zip(net.layers, solution.deltas):
        deltas.append(", ".join(f"{_derivative_name(loss_name, z.label)} = {_number(d, digits)}"
                                for z, d in zip(layer.last_pre, ds)))
    out.append(Prose("Error terms δ (the gradient of the loss with respect to each pre-activation), layer by layer:"))
    out.append(Items(deltas))

    # Chain rule --------------------------------------------------------------------------------
    if solution.wrt:
        out.append(Heading("Chain-rule derivations"))
        for w in solution.wrt:
            out.append(Nested(explain(solution.loss, w, digits=digits, round_steps=round_steps)))

    # Update ------------------------------------------------------------------------------------
    lr = _number(problem.learning_rate, digits)
    out.append(Heading("One gradient-descent step"))
    out.append(Prose(f"θ ← θ − {lr} · d{loss_name}/dθ for every parameter θ (learning rate {lr}):"))
    out.append(_matrices([(f"{k} (new)", f"{{{names.to_latex(k)}}}^{{\\text{{new}}}}", m)
                          for k, m in solution.after.items()], digits))
    if solution.steps:
        out.append(Items([f"{w.label} ← {_number(old, digits)} − {lr} · ({_number(g, digits)}) = {_number(new, digits)}"
                          for w, old, g, new in solution.steps]))
    return out


def render(solution, fmt: str = "text", digits: int = 4, round_steps: bool = False) -> str:
    """The worked solution in ``fmt`` (text, markdown or latex: a complete document)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return _RENDERERS[fmt](parts(solution, digits, round_steps))


def with_pictures(text: str, fmt: str, pictures: list[tuple[str, str]]) -> str:
    """A rendered solution with its pictures at the end, under the heading "Pictures".

    Args:
        text: the solution as `render` wrote it.
        fmt: its format: Markdown links each picture's PNG, LaTeX includes its PDF
            (``\\includegraphics``); plain text cannot show a picture and is returned as it is.
        pictures: ``(name of the highlighted Value, or "" for none, file name without suffix)``,
            the files lying beside the solution.
    """
    if not pictures or fmt == "text":
        return text
    if fmt == "markdown":
        links = [f"![{'the graph' if not name else 'the paths of ' + name}]({stem}.png)" for name, stem in pictures]
        return text + "\n## Pictures\n\n" + "\n\n".join(links) + "\n"
    figures = []
    for name, stem in pictures:
        what = "The graph" if not name else f"The paths of ${names.to_latex(name)}$"
        figures.append("\\begin{center}\n"
                       f"\\includegraphics[width=\\linewidth,height=0.8\\textheight,keepaspectratio]{{{stem}.pdf}}\\\\\n"
                       f"{what}\n\\end{{center}}")
    start, end = text.index("\\begin{document}"), text.rindex("\\end{document}")
    return (text[:start] + "\\usepackage{graphicx}\n" + text[start:end] + "\\subsection*{Pictures}\n\n"
            + "\n\n".join(figures) + "\n\n" + text[end:])
