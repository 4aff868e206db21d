"""`layer_derivation`: the layer-level derivation of a feed-forward `nn.MLP` with its loss, in the
network's own notation, as one object that renders itself (text, Markdown, LaTeX) — the output error
(simplified where the pair allows), the δ recursion, the parameter gradients, the unrolled closed
forms and, for seed 000's kind of network, its three identities; every line evaluated and checked
against the engine.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from autograd.derive.document import RichDisplay
from autograd.derive.model import Equations, Line, MatrixEquation
from autograd.render import latex, markdown, text
from nn.backprop.activations import layer_derivatives
from nn.backprop.closed_form import closed_forms
from nn.backprop.gradients import layer_input, parameter_gradients
from nn.backprop.identities import identities, is_identity_network
from nn.backprop.names import MINUS, Names, as_prose, cat, derivative, transpose
from nn.backprop.numbers import Style, check, columns
from nn.backprop.output_error import output_error
from nn.backprop.recursion import hidden_errors
from nn.backprop.run import run as run_samples
from nn.conventions import WX_B


class LayerDerivation(RichDisplay):
    """The derivation, as blocks (autograd.derive.model); ``str()`` is plain text, ``to_markdown()``
    and ``to_latex()`` export it, like `autograd.derive.document.Explanation`.

    Attributes:
        blocks: the document.
        deltas: per layer (index l − 1), the error terms per sample as evaluated from the formulas.
        weight_gradients, bias_gradients: per layer, as evaluated from the formulas.
        output_error: the `nn.backprop.output_error.OutputError` (general chain and simplified form).
        run: the engine's numbers the lines were checked against (`nn.backprop.run.Run`).
        agrees: whether every evaluated line agrees with the engine.
        sections: the blocks by part, for a solution that answers a sheet's questions one by one:
            ``"network"``, ``"output_error"``, ``"recursion"``, ``"gradients"``, ``"closed_forms"``,
            ``"identities"`` and each identity alone (``"identity a"``, ``"identity b"``, …).
    """

    def __init__(self, blocks, deltas, weight_gradients, bias_gradients, output, run, sections=None) -> None:
        self.blocks = blocks
        self.sections = sections or {}
        self.deltas = deltas
        self.weight_gradients = weight_gradients
        self.bias_gradients = bias_gradients
        self.output_error = output
        self.run = run
        self.agrees = all("✗" not in "".join(p if isinstance(p, str) else p.text for p in b.note)
                          for b in blocks if isinstance(b, MatrixEquation))

    def __str__(self) -> str:
        return text.derivation(self.blocks)

    def to_markdown(self, math: str = "text") -> str:
        """Markdown; matrices are always TeX math, other formulas as ``math`` says ("text" or "latex")."""
        return markdown.derivation(self.blocks, math)

    def to_latex(self, standalone: bool = False) -> str:
        """LaTeX (``align*`` with ``bmatrix``); ``standalone`` makes a complete document."""
        return latex.derivation(self.blocks, standalone)


def _forward_lines(names, net, derivs) -> Line:
    parts = []
    for layer in net.layers:
        l, h = layer.index, names.post(layer.index - 1)
        if layer.convention == WX_B:
            rhs = cat(names.weight(l), " ", h, *([" + ", names.bias(l)] if layer.b is not None else []))
        else:
            rhs = cat(transpose(names.weight(l)), "[1; ", h, "]") if layer.bias_row else cat(transpose(names.weight(l)), h)
        parts += [names.pre(l), " = ", rhs]
        d = derivs[l - 1]
        if names.post(l).text != names.pre(l).text:
            f = d.name if d is not None else "softmax"
            parts += [", ", names.post(l), f" = {f}(", names.pre(l), ")"]
            if d is not None and d.name == "f":
                parts += [f" with f(z) = {d.function().text}"]
        parts.append("; " if l < len(net.layers) else ".")
    return Line(["The network: "] + parts)


def layer_derivation(net, loss: str, target=None, x=None, *, samples: Sequence | None = None,
                     reduction: str = "sum", l2: float = 0.0, l2_half: bool = True, digits: int = 4,
                     mode: str = "sig", identities_form: bool | None = None) -> LayerDerivation:
    """The layer-level derivation of ``net`` with the loss ``loss`` on one or several samples.

    Args:
        net: a built `nn.MLP`.
        loss: the loss's name: squared_error, mse, cross_entropy, cross_entropy_from_probabilities,
            logistic, binary_cross_entropy or hinge.
        target, x: one sample: its target and its input (default: the input of the network's latest
            forward pass).
        samples: several samples [(x, y), …] instead of ``target``/``x``.
        reduction: ``"sum"`` (C = Σᵢ ℓᵢ) or ``"mean"`` (C = (1/N) Σᵢ ℓᵢ) over the samples.
        l2, l2_half: an L2 term (λ/2)·ΣW² (or λ·ΣW² with ``l2_half=False``) over every weight matrix entry.
        digits, mode: how numbers are shown (significant digits or decimals).
        identities_form: show seed 000's identities (β form); default: for a network without biases
            whose output has no activation, as seed 000's.

    Raises:
        ValueError: an unknown loss or reduction, no sample, or a sample that does not fit the network.
    """
    if samples is None:
        if target is None:
            raise ValueError("give the target (and the input x, or run the network on it first), or samples=[(x, y), …]")
        if x is None:
            if not net.last_inputs:
                raise ValueError("no input: pass x=…, or run the network on its input first")
            x = [v.data for v in net.last_inputs]
        samples = [(x, target)]
    samples = list(samples)
    if not samples:
        raise ValueError("samples is empty; give at least one (x, y)")
    style = Style(digits, mode)
    style.text(1.5)  # refuses bad digits/mode with a clear message
    run = run_samples(net, loss, samples, reduction, l2, l2_half)
    L = len(net.layers)
    names = Names(net.notation, L, net.layers[-1].activation.name == "identity")
    derivs = layer_derivatives(net)
    scale = 1.0 / len(samples) if reduction == "mean" and len(samples) > 1 else 1.0
    out = output_error(names, net.layers[-1].activation.name, derivs[-1], loss, run.samples, scale, len(samples))
    out.values = out.simplified_values or out.general_values
    blocks: list = [_forward_lines(names, net, derivs)]
    marks = {"network": 0}  # where each section starts in blocks
    if len(samples) > 1:
        blocks.append(Line([f"{len(samples)} samples, C = {'Σᵢ ℓᵢ' if scale == 1.0 else '(1/N) Σᵢ ℓᵢ'}: "
                            "the numbers below have one column per sample."]))
    # 1. The output error.
    z = names.pre(L)
    marks["output_error"] = len(blocks)
    blocks += [Line([]), Line(["1. The output error ", names.delta(L), " = ", derivative(names.loss, z),
                        f" ({net.layers[-1].activation.name} output, loss {loss}):"])]
    rows = [([names.delta(L), out.general], ["the general chain"]),
            ([derivative(names.loss, names.post(L)), out.loss_gradient], [])]
    if out.simplified:
        rows.insert(1, ([names.delta(L), *out.simplified], [out.note]))
    blocks.append(Equations(rows, ["", "", "", ""]))
    if out.warning or not out.simplified:
        blocks.append(Line([out.warning or out.note]))
    engine = columns([s.pre_grad[-1] for s in run.samples])
    general = columns(out.general_values)
    blocks.append(MatrixEquation([[names.delta(L)], [out.general], [style.matrix(general)]],
                                 check(general, engine, [derivative(names.loss, z)])))
    if out.simplified:
        simple = columns(out.simplified_values)
        y = columns([s.y for s in run.samples])
        yh = columns([s.post[-1] for s in run.samples])
        shown = [style.matrix(yh), MINUS, style.matrix(y)] if out.simplified[0].text == cat(
            names.post(L), MINUS, names.target).text else []
        blocks.append(MatrixEquation([[names.delta(L)], [out.simplified[0]]] + ([shown] if shown else [])
                                     + [[style.matrix(simple)]],
                                     check(simple, engine, [derivative(names.loss, z)])
                                     + [", equal to the general chain" if np.allclose(simple, general, rtol=1e-9, atol=1e-12)
                                        else " ✗ differs from the general chain"]))
    # 2. Back through the layers.
    hidden, deltas = hidden_errors(names, net, derivs, run.samples, run.weights, out.values, style)
    marks["recursion"] = len(blocks)
    if hidden:
        blocks += [Line([]), Line(["2. Back through the layers, from the output down:"])]
        blocks.extend(hidden)
    # 3. Parameter gradients.
    marks["gradients"] = len(blocks)
    blocks += [Line([]), Line([f"{3 if hidden else 2}. The parameter gradients:"])]
    blocks.extend(parameter_gradients(names, net, run.samples, deltas, run, style, l2, l2_half))
    # 4. Closed forms.
    marks["closed_forms"] = len(blocks)
    blocks += [Line([]), Line([f"{4 if hidden else 3}. Unrolled, every layer's gradient from the output error:"])]
    blocks.extend(closed_forms(names, net, derivs, run.samples, out, run, style, l2, l2_half))
    show_identities = (is_identity_network(net) and len(samples) == 1) if identities_form is None else identities_form
    marks["identities"] = len(blocks)
    if show_identities:
        blocks.extend(identities(names, net, derivs, run, style))
    weight_gradients, bias_gradients = [], []
    for layer, ds in zip(net.layers, deltas):
        D = columns(ds)
        H = columns([layer_input(layer, s.inputs[layer.index - 1]) for s in run.samples])
        g = D @ H.T if layer.convention == WX_B else H @ D.T
        weight_gradients.append(g + (l2 if l2_half else 2 * l2) * run.weights[layer.index - 1])
        bias_gradients.append(D.sum(axis=1) if layer.b is not None else None)
    blocks = as_prose(blocks)
    return LayerDerivation(blocks, deltas, weight_gradients, bias_gradients, out, run, _sections(blocks, marks))


def _sections(blocks: list, marks: dict) -> dict:
    """The blocks cut at the marks, and the identities cut again at their letters (a), (b), …; each
    identity keeps the lines that open the identities (β_L = ∇l_y(a⁽ᴸ⁾)) and the one that closes them."""
    starts = sorted(marks.items(), key=lambda kv: kv[1])
    sections = {name: blocks[start:(starts[k + 1][1] if k + 1 < len(starts) else len(blocks))]
                for k, (name, start) in enumerate(starts)}
    part = sections.get("identities", [])
    cuts = [k for k, b in enumerate(part) if isinstance(b, Line) and b.pieces and isinstance(b.pieces[0], str)
            and re.match(r"\(([a-z])\) ", b.pieces[0])]
    if cuts:
        opening, closing = part[:cuts[0]], [b for b in part[cuts[-1]:] if isinstance(b, Line)
                                              and b.pieces and str(b.pieces[0]).startswith("Here σ is")]
        for k, start in enumerate(cuts):
            letter = re.match(r"\(([a-z])\) ", part[start].pieces[0]).group(1)
            end = cuts[k + 1] if k + 1 < len(cuts) else len(part)
            body = [b for b in part[start:end] if b not in closing]
            sections[f"identity {letter}"] = opening + body + closing
    return sections
