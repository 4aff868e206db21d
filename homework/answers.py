"""Answers to a sheet's questions (homework.questions), each as document parts built from the
solution's graph, its derivations and its layer-level derivation — nothing here computes a
derivative."""

from __future__ import annotations

import re

from autograd import explain, notation as names
from autograd.derive.forward import values
from autograd.derive.formula import Formula
from autograd.derive.local import local_partial
from autograd.derive.view import GraphView
from autograd.derive.model import Equations, Items, Line, Matrices, MatrixEquation, Nested, Prose, text_of
from autograd.derive.document import Explanation
from homework.errors import ProblemError
from homework.questions import Question
from homework.sections import error_term_lines, update_parts
from nn.backprop.names import Names


class Context:
    """What the answers of one solution share: the solution, how numbers are shown, and the
    derivations made once (the layer-level derivation, the closed-form output errors)."""

    def __init__(self, solution, digits: int, round_steps: bool, paths: bool, shortcuts: dict, layers) -> None:
        self.solution, self.digits, self.round_steps, self.paths = solution, digits, round_steps, paths
        self.shortcuts, self.layers = shortcuts, layers
        self.nodes = solution.named_nodes()

    def node(self, question: Question, name: str):
        found = self.nodes.get(names.to_text(name))
        if found is None:
            known = ", ".join(list(self.nodes)[:20])
            raise ProblemError(f"{self.solution.problem.source}: [questions.\"{question.label}\"]: nothing is named "
                               f"{name!r}; the names are {known}, …")
        return found

    def number(self, x: float) -> str:
        return names.format_number(float(x), self.digits)


def answer(question: Question, ctx: Context) -> list:
    """The parts answering ``question``."""
    return _ANSWERS[question.ask](question, ctx)


_NUMBERED = re.compile(r"^\d+\. ")


def _blocks(blocks: list) -> Nested:
    """A part of a derivation as an answer of its own: without the section's number ("4. …"),
    which belongs to the complete derivation."""
    kept = [b for b in blocks if not (isinstance(b, Line) and b.pieces and isinstance(b.pieces[0], str)
                                      and _NUMBERED.match(b.pieces[0]))]
    return Nested(Explanation("answer", 0.0, kept))


def _forward(q: Question, ctx: Context) -> list:
    """The forward pass as equations: layer by layer in matrix form, unit by unit, then the loss."""
    s = ctx.solution
    computed = [v for v in s.named_nodes().values() if v.parents and v is not s.loss]
    g = GraphView(s.loss, ctx.digits, "sig", also=tuple(s.all_outputs))
    rows = [([g.name(v), g.expression(v)], []) for v in computed]
    return [_blocks(ctx.layers.sections["network"]), Prose("Unit by unit:"),
            _blocks([Equations(rows, ["node", "definition"])]), Prose(f"and the loss: {s.loss_description}.")]


def _values(q: Question, ctx: Context) -> list:
    return [Nested(values(ctx.solution.loss, [ctx.node(q, n) for n in q.of], digits=ctx.digits))]


def _loss(q: Question, ctx: Context) -> list:
    s = ctx.solution
    return [Prose(f"{s.loss_description}:"), Nested(values(s.loss, [s.loss], digits=ctx.digits))]


def _shapes(q: Question, ctx: Context) -> list:
    lines = []
    for layer in ctx.solution.net.layers:
        rows, cols = layer.weight_shape
        if layer.convention == "Wx+b":
            why = f"one row per unit ({rows}) and one column per input ({cols})"
        elif layer.bias_row:
            why = f"one row per input plus the bias row first ({rows} = 1 + {rows - 1}) and one column per unit ({cols})"
        else:
            why = f"one row per input ({rows}) and one column per unit ({cols})"
        lines.append(f"{layer.weight_name} is {rows} × {cols}: {why}")
        if layer.b is not None:
            lines.append(f"{layer.bias_name} has {layer.n_units} entries, one per unit")
    return [Items(lines)]


def _augmented(q: Question, ctx: Context) -> list:
    net = ctx.solution.net
    if not 0 <= q.layer < len(net.layers):
        raise ProblemError(f"{ctx.solution.problem.source}: [questions.\"{q.label}\"]: layer = {q.layer} has no "
                           f"next layer to feed; use 0 (the input) to {len(net.layers) - 1}")
    feeding = net.layers[q.layer]  # the layer whose input is augmented
    inputs = feeding.last_inputs
    vector = Names(net.notation, len(net.layers), net.layers[-1].activation.name == "identity").post(q.layer)
    column = [["1"]] + [[ctx.number(v.data)] for v in inputs]
    shown = "; ".join(v.label for v in inputs)
    return [Prose(f"The input of layer {feeding.index} gets a 1 in front, for the bias row of "
                  f"{feeding.weight_name}: [1; {vector.text}] = [1; {shown}]:"),
            Matrices([(Formula(f"[1; {vector.text}]", rf"\begin{{bmatrix}} 1 \\ {vector.latex} \end{{bmatrix}}"), column)])]


def _classify(q: Question, ctx: Context) -> list:
    outputs = ctx.solution.all_outputs
    if len(outputs) == 1:
        y = outputs[0]
        cls, op = (1, "≥") if y.data >= q.threshold else (0, "<")
        return [Prose(f"{y.label} = {ctx.number(y.data)} {op} {ctx.number(q.threshold)}, so x is classified "
                      f"as {cls}.")]
    best = max(range(len(outputs)), key=lambda i: outputs[i].data)
    return [Prose(f"The largest output is {outputs[best].label} = {ctx.number(outputs[best].data)}, so x is "
                  f"classified as class {best + 1} (classes counted from 1).")]


def _local(q: Question, ctx: Context) -> list:
    top, bottom = ctx.node(q, q.of[0]), ctx.node(q, q.wrt[0])
    try:
        return [Nested(local_partial(ctx.solution.loss, top, bottom, digits=ctx.digits))]
    except ValueError as e:
        raise ProblemError(f"{ctx.solution.problem.source}: [questions.\"{q.label}\"]: {e}; ask = \"derivative\" "
                           f"explains a chain") from None


def _derivative(q: Question, ctx: Context) -> list:
    s = ctx.solution
    return [Nested(explain(s.loss, ctx.node(q, n), digits=ctx.digits, round_steps=ctx.round_steps, forward=False,
                           paths=ctx.paths, shortcuts=ctx.shortcuts, outputs=s.all_outputs)) for n in q.wrt]


def _deltas(q: Question, ctx: Context) -> list:
    sections = ctx.layers.sections
    s = ctx.solution
    lines = error_term_lines(s, ctx.digits)
    return [_blocks(sections["output_error"] + sections["recursion"]), Prose("Every error term:"), Items(lines)]


def _gradients(q: Question, ctx: Context) -> list:
    return [_blocks(ctx.layers.sections["gradients"])]


def _closed_forms(q: Question, ctx: Context) -> list:
    blocks = ctx.layers.sections["closed_forms"]
    if q.which:  # only the biases' forms, or only the weights'
        layers = ctx.solution.net.layers
        kept = [layer.bias_name if q.which == "biases" else layer.weight_name for layer in layers]
        blocks = [b for b in blocks if not isinstance(b, MatrixEquation)
                  or any(name and name in text_of(b.sides[0]) for name in kept)]
    return [_blocks(blocks)]


def _layers(q: Question, ctx: Context) -> list:
    return [Nested(ctx.layers)]


def _identity(q: Question, ctx: Context) -> list:
    part = ctx.layers.sections.get(f"identity {q.which}")
    if part is None:
        raise ProblemError(f"{ctx.solution.problem.source}: [questions.\"{q.label}\"]: there is no identity "
                           f"({q.which}); the identities are written for a network without biases whose output has "
                           f"no activation, as seed 000's")
    return [_blocks(part)]


def _update(q: Question, ctx: Context) -> list:
    wanted = [ctx.node(q, n) for n in q.of] if q.of else None
    return update_parts(ctx.solution, ctx.digits, wanted)


def _diagram(q: Question, ctx: Context) -> list:
    source = ctx.solution.problem.source
    name = source.removeprefix("built-in problem ")
    return [Prose(f"The network as the sheet draws it, one circle per unit and the weights on the edges: "
                  f"chainrule solve {name} --view diagram --draw diagram.svg")]


_ANSWERS = {"forward": _forward, "values": _values, "loss": _loss, "shapes": _shapes, "augmented": _augmented,
            "classify": _classify, "local": _local, "derivative": _derivative, "deltas": _deltas,
            "gradients": _gradients, "closed_forms": _closed_forms, "layers": _layers, "identity": _identity,
            "update": _update, "diagram": _diagram}
