"""The layout of a worked solution: its sections as document parts (autograd.derive.model), rendered
by the same renderers as every other printout.

Sections, in the order a solution sheet has them: the network and the data, the forward pass, the
loss, the backward pass (every parameter's gradient as a matrix, and the error terms δ of each
layer), the layer-level derivation in matrix form (nn.backprop), the chain-rule derivations asked for, and the parameters after one gradient-descent step.
The numbers come from the recorded graph; the formulas from the rule table, in the sheet's names.
`with_pictures` adds the pictures written beside a solution: linked from Markdown, included in LaTeX.
"""

from __future__ import annotations


from autograd import explain, forward_table, notation as names
from autograd import trace as backward_trace
from autograd.derive.factored import Shortcut
from autograd.derive.formula import Formula
from autograd.derive.model import Heading, Items, Nested, Prose
from homework import answers
from homework.sections import derivative_name, error_term_lines, matrices, number, update_parts
from autograd.render import latex, markdown, text
from nn.backprop import layer_derivation

FORMATS = ("text", "markdown", "latex")
_RENDERERS = {"text": text.report, "markdown": markdown.report, "latex": latex.report}












def fused_output_errors(solution) -> dict:
    """The output units' error terms ∂ℓ/∂zᵢ in closed form where softmax meets cross-entropy and the
    target sums to 1 (ŷᵢ − yᵢ), as shortcuts for the chain-rule derivations; {} for any other pair.
    The condition is the one the layer-level derivation states (nn.backprop.output_error)."""
    problem = solution.problem
    pair = (problem.activation_names[-1], problem.loss)
    if pair not in (("softmax", "cross_entropy_from_probabilities"), ("identity", "cross_entropy")):
        return {}
    note = "softmax with cross-entropy, Σy = 1"
    out = {}
    for run, (_, targets) in zip(solution.runs, problem.all_samples):
        pre, post = run.pre[-1], run.post[-1]
        if len(targets) != len(pre) or abs(sum(targets) - 1.0) > 1e-12:
            return {}
        for i, (z, y_hat) in enumerate(zip(pre, post), start=1):
            y = Formula(f"y{names.SUBSCRIPT[str(i)] if i < 10 else '_' + str(i)}", f"y_{{{i}}}")
            if pair[0] == "softmax":
                predicted = Formula(names.to_text(y_hat.label), names.to_latex(y_hat.label))
            else:
                predicted = Formula(f"softmax({names.to_text(z.label)}, …)ᵢ", rf"\operatorname{{softmax}}(z)_{{{i}}}")
            out[z] = Shortcut(Formula(f"{predicted.text} − {y.text}", f"{predicted.latex} - {y.latex}"), note)
    return out




def parts(solution, digits: int = 4, round_steps: bool = False, paths: bool = False, trace: bool = False,
          unfused: bool = False, by_section: bool = False) -> list:
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
    several = len(problem.all_samples) > 1
    for i, (x, y) in enumerate(problem.all_samples, start=1):
        lines.append(f"{f'sample {i}: ' if several else ''}input x = ({', '.join(number(v, digits) for v in x)}), "
                     f"target y = ({', '.join(number(v, digits) for v in y)})")
    if several:
        total = "Σᵢ" if problem.reduction == "sum" else "(1/N) Σᵢ"
        lines.append(f"{len(problem.all_samples)} samples, their losses combined as {solution.loss.label} = "
                     f"{total} {solution.loss.label}⁽ⁱ⁾" + (" + R" if problem.l2 else ""))
    if problem.l2:
        lines.append(f"L2 term R = {'(λ/2)' if problem.l2_half else 'λ'}·Σ W² with λ = {number(problem.l2, digits)}, "
                     f"over the weights{' and the biases' if problem.l2_biases else ' (not the biases)'}")
    out.append(Items(lines))
    out.append(matrices([(k, names.to_latex(k), m) for k, m in solution.before.items()], digits))
    layers = layer_derivation(net, problem.loss, samples=problem.all_samples, reduction=problem.reduction,
                              l2=problem.l2, l2_half=problem.l2_half, digits=digits)
    shortcuts = None if unfused else fused_output_errors(solution)
    if problem.questions and not by_section:  # the sheet's questions, one by one, in its order
        ctx = answers.Context(solution, digits, round_steps, paths, shortcuts, layers)
        for q in problem.questions:
            out.append(Heading(f"Question {q.label}" + (f": {q.text}" if q.text else "")))
            out.extend(answers.answer(q, ctx))
        asked = {id(ctx.node(q, n)) for q in problem.questions if q.ask == "derivative" for n in q.wrt}
        others = [w for w in solution.wrt if id(w) not in asked]
        if others:  # derivatives the file's [explain] lists beyond what the questions ask
            out.append(Heading("Other chain-rule derivations"))
            out.extend(Nested(explain(solution.loss, w, digits=digits, round_steps=round_steps, forward=False,
                                      paths=paths, shortcuts=shortcuts, outputs=solution.all_outputs)) for w in others)
        if trace:
            out.append(Heading("The backward pass, node by node"))
            out.append(Nested(backward_trace(solution.loss, digits=digits, outputs=solution.all_outputs)))
        return out

    # Forward -----------------------------------------------------------------------------------
    out.append(Heading("Forward pass"))
    out.append(Nested(forward_table(solution.loss, given=False, digits=digits, round_steps=round_steps,
                                    also=solution.all_outputs)))
    outs = ", ".join(f"{v.label} = {number(v.data, digits)}" for v in solution.all_outputs)
    out.append(Prose(f"Output: {outs}. Loss: {loss_name} = {number(solution.loss.data, digits)}."))

    # Backward ----------------------------------------------------------------------------------
    out.append(Heading("Backward pass"))
    out.append(Prose(f"The gradient of {loss_name} with respect to every parameter, laid out like the parameter:"))
    out.append(matrices([(derivative_name(loss_name, k), f"\\frac{{\\partial {names.to_latex(loss_name)}}}"
                           f"{{\\partial {names.to_latex(k)}}}", g) for k, g in solution.grads.items()], digits))
    out.append(Prose("Error terms δ (the gradient of the loss with respect to each pre-activation), layer by layer:"))
    out.append(Items(error_term_lines(solution, digits)))

    out += [Heading("Error terms and gradients, layer by layer"), Nested(layers)]

    # Chain rule --------------------------------------------------------------------------------
    if solution.wrt:
        out.append(Heading("Chain-rule derivations"))
        for w in solution.wrt:
            out.append(Nested(explain(solution.loss, w, digits=digits, round_steps=round_steps, forward=False,
                                      paths=paths, shortcuts=shortcuts, outputs=solution.all_outputs)))
    if trace:
        out.append(Heading("The backward pass, node by node"))
        out.append(Nested(backward_trace(solution.loss, digits=digits, outputs=solution.all_outputs)))

    out.append(Heading("One gradient-descent step"))
    out.extend(update_parts(solution, digits))
    return out




def render(solution, fmt: str = "text", digits: int = 4, round_steps: bool = False, paths: bool = False,
           trace: bool = False, unfused: bool = False, by_section: bool = False) -> str:
    """The worked solution in ``fmt`` (text, markdown or latex: a complete document)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return _RENDERERS[fmt](parts(solution, digits, round_steps, paths, trace, unfused, by_section))


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
