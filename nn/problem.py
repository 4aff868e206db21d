"""Problem files: a homework sheet's network in a small TOML file, and its worked solution.

A problem file says what a sheet says: the input and target, each layer's weights (and biases) as
printed, the activations, the loss, the learning rate, the notation, and which derivatives to work
out by the chain rule. `load` reads and checks one; `Problem.solve` builds the network, runs the
forward and backward pass and one gradient-descent step, and returns a `Solution` that renders as
text, Markdown or LaTeX. Every mistake in a file is reported with the file, the key and the fix.

The format, with every key (``#`` starts a comment)::

    title = "Seed 002: a 2-2-1 sigmoid network"      # optional
    notes = "..."                                    # optional, printed under the title

    [network]
    convention = "W^T x"      # "Wx+b": W is (units × inputs), z = W x + b
                              # "W^T x": W is (1 + inputs) × units, its first row the bias, α = Wᵀ[1; x]
    notation = "alpha-beta"   # a preset (default, alpha-beta, matrix-subscript, paren-layer) ...
    # [network.notation]      # ... or a table: preset = "...", then Notation fields to change
    # post = "h_<u>"

    [[layer]]                 # one table per layer, input side first
    weights = [[-1, 2], [-2, 1], [1, 4]]
    activation = "sigmoid"    # a name, "softmax", or a formula of z such as "relu(z) + sin(z)"
    # biases = [0.1, -0.1]    # "Wx+b" only; leave out for a layer without biases

    [[layer]]
    weights = [[1], [2], [-4]]
    activation = "sigmoid"

    [data]
    x = [2, 5]
    y = [1]                   # a number, a list (one per output), or for cross-entropy a class index

    [loss]
    kind = "squared_error"    # see LOSSES

    [training]
    learning_rate = 2

    [explain]
    derivatives = ["W^2_{11}", "W^1_{21}"]   # names of parameters or other nodes, as in the notation
    digits = 4
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from autograd import Value, notation as names, topological_order
from autograd.expression import ExpressionError, activation as formula_activation
from nn import activations as _activations
from nn import losses as _losses
from nn import naming as _naming
from nn.layers import MLP, WX_B, convention as _convention
from nn.optim import SGD


class ProblemError(ValueError):
    """A problem file is malformed; the message names the file, the key and the fix."""


def _loss_squared_error(outputs, y):
    return _losses.squared_error(outputs[0] if len(outputs) == 1 else outputs, y)


def _loss_single(fn: Callable) -> Callable:
    def apply(outputs, y):
        if len(outputs) != 1:
            raise ValueError(f"this loss takes a network with one output, the network has {len(outputs)}")
        return fn(outputs[0], y[0] if isinstance(y, list) else y)
    return apply


# name -> (how the solution describes it, function (outputs, target) -> loss Value)
LOSSES: dict[str, tuple[str, Callable]] = {
    "squared_error": ("ℓ = ½ Σ (y − ŷ)²", _loss_squared_error),
    "mse": ("ℓ = (1/k) Σ (y − ŷ)²", lambda out, y: _losses.mse(out, y)),
    "cross_entropy": ("ℓ = −Σ yᵢ log ŷᵢ, ŷ = softmax(z) (from the logits z, computed stably)",
                      lambda out, y: _losses.cross_entropy(out, y)),
    "cross_entropy_from_probabilities": ("ℓ = −Σ yᵢ log ŷᵢ (the network's outputs are probabilities)",
                                         lambda out, y: _losses.cross_entropy_from_probabilities(out, y)),
    "logistic": ("ℓ = log(1 + exp(−y·f)), y ∈ {−1, +1}", _loss_single(_losses.logistic)),
    "binary_cross_entropy": ("ℓ = −y log ŷ − (1 − y) log(1 − ŷ)", _loss_single(_losses.binary_cross_entropy)),
    "hinge": ("ℓ = max(0, 1 − y·f), y ∈ {−1, +1}", _loss_single(_losses.hinge)),
}

_TOP_KEYS = {"title", "notes", "network", "layer", "data", "loss", "training", "explain"}
_SECTION_KEYS = {
    "network": {"convention", "notation"},
    "layer": {"weights", "biases", "activation"},
    "data": {"x", "y"},
    "loss": {"kind"},
    "training": {"learning_rate"},
    "explain": {"derivatives", "digits"},
}
_NOTATION_KEYS = {"preset"} | {f.name for f in _naming.Notation.__dataclass_fields__.values()}


@dataclass
class Problem:
    """A checked problem file. Build the worked solution with `solve`."""

    source: str
    title: str
    notes: str
    convention: str
    notation: _naming.Notation
    weights: list
    biases: list | None
    activations: list
    activation_names: list[str]
    x: list[float]
    y: object
    loss: str
    learning_rate: float
    derivatives: list[str] = field(default_factory=list)
    digits: int = 4

    def build(self) -> MLP:
        """The network with the sheet's weights."""
        try:
            return MLP.from_matrices(self.weights, self.biases, activations=self.activations,
                                     convention=self.convention, notation=self.notation)
        except (ValueError, TypeError) as e:
            raise ProblemError(f"{self.source}: [[layer]]: {e}") from None

    def solve(self) -> "Solution":
        """Forward pass, loss, backward pass and one gradient-descent step on a fresh network."""
        net = self.build()
        try:
            outputs = net(self.x)
        except (ValueError, TypeError) as e:
            raise ProblemError(f"{self.source}: [data] x: {e}") from None
        describe, make_loss = LOSSES[self.loss]
        try:
            loss = make_loss(outputs, self.y).named(net.notation.loss_name())
        except (ValueError, TypeError) as e:
            raise ProblemError(f"{self.source}: [data] y / [loss] kind = {self.loss!r}: {e}") from None
        loss.backward()
        # A derivative is asked for by name: a parameter (W¹₂₁), or any named node of the graph,
        # such as a pre-activation (dℓ/dα¹₁ is that unit's error term δ) or an input.
        named_nodes = {names.to_text(v.label): v for v in topological_order(loss) if v.label}
        wrt = []
        for name in self.derivatives:
            node = named_nodes.get(names.to_text(name))
            if node is None or node is loss:
                known = ", ".join(list(named_nodes)[:16])
                raise ProblemError(
                    f"{self.source}: [explain] derivatives: nothing in the network is named {name!r}; "
                    f"the names are {known}, …")
            wrt.append(node)
        before = net.matrices()
        grads = net.matrices(grad=True)
        deltas = [[z.grad for z in layer.last_pre] for layer in net.layers]
        # The step is taken on a twin network carrying the same gradients, so that this network (and
        # so every printout and drawing of its graph) keeps the values the forward pass used.
        twin = self.build()
        for mine, theirs in zip(twin.parameters(), net.parameters()):
            mine.grad = theirs.grad
        SGD(twin, lr=self.learning_rate).step()
        after = twin.matrices()
        new_value = {id(p): q.data for p, q in zip(net.parameters(), twin.parameters())}
        steps = [(w, w.data, w.grad, new_value[id(w)]) for w in wrt if id(w) in new_value]
        describe = describe.replace("ℓ", loss.label, 1)  # in the sheet's name for the loss
        return Solution(self, net, outputs, loss, wrt, before, grads, after, deltas, steps, describe)


NEURON_VIEW_ABOVE = 24  # parameters; seed 003's 20 still read well one box per weight


@dataclass
class Solution:
    """The worked solution of a `Problem`: the graph, gradients and the update, ready to render.

    The network keeps the values of the forward pass (the step is taken on a copy): ``before`` and
    ``after`` hold the parameter matrices on either side of the step.
    """

    problem: Problem
    net: MLP
    outputs: list[Value]
    loss: Value
    wrt: list[Value]
    before: dict
    grads: dict
    after: dict
    deltas: list
    steps: list  # (parameter, value before the step, gradient, value after) per explained parameter
    loss_description: str

    def render(self, fmt: str = "text", digits: int | None = None, round_steps: bool = False) -> str:
        """The whole solution as ``"text"``, ``"markdown"`` or ``"latex"`` (a complete document)."""
        from nn.solution import render  # the layout lives with the other renderers
        return render(self, fmt, self.problem.digits if digits is None else digits, round_steps)

    def drawing(self, highlight: Value | None = None, **options):
        """The graph of the loss, clustered by layer, with the paths of every requested derivative
        highlighted (one colour each). Every edge shows its partial as a formula and a number. Unnamed intermediate
        nodes are collapsed into the edges; a network of more than `NEURON_VIEW_ABOVE` parameters is
        drawn one box per unit (``view="neurons"``), which stays readable where a box per weight
        does not. ``options`` go to `autograd.viz.draw` and override these choices."""
        from autograd.viz import draw
        target = highlight if highlight is not None else (list(self.wrt) or None)
        view = "collapsed" if self.net.num_parameters() <= NEURON_VIEW_ABOVE else "neurons"
        options = {"view": view, "show_formulas": True, **options}
        return draw(self.loss, highlight=target, groups=self.net.graph_groups(self.loss), **options)


# ---------------------------------------------------------------------------------------------------
# Reading and checking a file.

BUILTIN = {
    "seed000": "seed000_identities.toml",
    "seed001": "seed001_relu_sin_softmax.toml",
    "seed002": "seed002_sigmoid_network.toml",
    "seed003": "seed003_deep_logistic.toml",
}
DEFAULT_PROBLEM = "seed002"


def builtin_text(name: str) -> str:
    """The text of a problem file shipped with chainrule (see `BUILTIN`)."""
    if name not in BUILTIN:
        raise ProblemError(f"no built-in problem {name!r}; the built-in problems are {', '.join(BUILTIN)}")
    return resources.files("nn").joinpath("problems", BUILTIN[name]).read_text(encoding="utf-8")


def load(path: str | Path) -> Problem:
    """Read and check a problem file (or a built-in problem's name such as ``"seed002"``).

    Raises:
        ProblemError: the file is missing, not TOML, or has an unknown key, a wrong shape, an
            unknown activation or loss, or a bad number; the message says where and how to fix it.
    """
    if isinstance(path, str) and path in BUILTIN:
        return loads(builtin_text(path), source=f"built-in problem {path}")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        hint = f" (built-in problems: {', '.join(BUILTIN)})" if not p.suffix else ""
        raise ProblemError(f"{p}: no such file{hint}") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as e:
        raise ProblemError(f"{p}: cannot read the problem file: {e}") from None
    return loads(text, source=str(p))


def _unknown(source: str, where: str, key: str, allowed: set[str]) -> ProblemError:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return ProblemError(f"{source}: {where}: unknown key {key!r}; {hint}the keys here are {', '.join(sorted(allowed))}")


def _number(source: str, where: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ProblemError(f"{source}: {where}: expected a number, got {x!r}; write numbers without quotes")
    if not math.isfinite(x):
        raise ProblemError(f"{source}: {where}: {x!r} is not a finite number")
    return float(x)


def _numbers(source: str, where: str, xs: object) -> list[float]:
    if isinstance(xs, (int, float)) and not isinstance(xs, bool):
        return [_number(source, where, xs)]
    if not isinstance(xs, list) or not xs:
        raise ProblemError(f"{source}: {where}: expected a list of numbers such as [2, 5], got {xs!r}")
    return [_number(source, f"{where}[{k}]", x) for k, x in enumerate(xs)]


def _matrix(source: str, where: str, rows: object) -> list[list[float]]:
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise ProblemError(f"{source}: {where}: expected a matrix as a list of rows, e.g. [[1, 2], [3, 4]], "
                           f"got {rows!r}")
    matrix = [_numbers(source, f"{where} row {i + 1}", r) for i, r in enumerate(rows)]
    widths = {len(r) for r in matrix}
    if len(widths) != 1:
        raise ProblemError(f"{source}: {where}: the rows have different lengths ({', '.join(str(len(r)) for r in matrix)}); "
                           f"every row of a matrix needs the same number of entries")
    return matrix


def _activation(source: str, where: str, spec: object):
    if not isinstance(spec, str):
        raise ProblemError(f"{source}: {where}: expected a name such as \"sigmoid\" or a formula such as "
                           f"\"relu(z) + sin(z)\", got {spec!r}")
    try:
        return _activations.get(spec)
    except (ValueError, KeyError, TypeError) as by_name:
        if any(c in spec for c in "()+-*/"):
            try:
                return _activations.get(formula_activation(spec))
            except ExpressionError as e:
                raise ProblemError(f"{source}: {where}: {e}") from None
        raise ProblemError(f"{source}: {where}: {by_name}") from None


def loads(text: str, source: str = "<problem>") -> Problem:
    """Read and check a problem given as TOML text; ``source`` names it in error messages."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProblemError(f"{source}: not valid TOML: {e}") from None
    for key in doc:
        if key not in _TOP_KEYS:
            raise _unknown(source, "top level", key, _TOP_KEYS)
    for section, allowed in _SECTION_KEYS.items():
        tables = doc.get(section, {})
        if section == "layer":
            if not isinstance(tables, list):
                raise ProblemError(f"{source}: layers are written [[layer]] (double brackets), one per layer")
        else:
            if not isinstance(tables, dict):
                raise ProblemError(f"{source}: {section} must be a table: write [{section}] on its own line")
            tables = [tables]
        for t in tables:
            for key in t:
                if key not in allowed:
                    raise _unknown(source, f"[{section}]", key, allowed)

    title = doc.get("title", Path(source).stem if source.endswith(".toml") else "a network")
    notes = doc.get("notes", "")
    for key, v in (("title", title), ("notes", notes)):
        if not isinstance(v, str):
            raise ProblemError(f"{source}: {key} must be text in quotes, got {v!r}")

    network = doc.get("network", {})
    try:
        conv = _convention(network.get("convention", WX_B))
    except ValueError as e:
        raise ProblemError(f"{source}: [network] convention: {e}") from None
    notation = _read_notation(source, network.get("notation"))

    layers = doc.get("layer", [])
    if not layers:
        raise ProblemError(f"{source}: no [[layer]] tables; give each layer as [[layer]] with weights = [[...]]")
    weights, biases, acts, act_names = [], [], [], []
    for k, layer in enumerate(layers, start=1):
        where = f"[[layer]] {k}"
        if "weights" not in layer:
            raise ProblemError(f"{source}: {where}: missing weights = [[...]] (the matrix as printed on the sheet)")
        weights.append(_matrix(source, f"{where} weights", layer["weights"]))
        if "biases" in layer:
            if conv != WX_B:
                raise ProblemError(f"{source}: {where} biases: the {conv!r} convention keeps the bias in W's first row; "
                                   f"remove biases, or use convention = \"Wx+b\"")
            biases.append(_numbers(source, f"{where} biases", layer["biases"]))
        else:
            biases.append(None)
        spec = layer.get("activation", "identity")
        acts.append(_activation(source, f"{where} activation", spec))
        act_names.append(spec)

    data = doc.get("data", {})
    for key in ("x", "y"):
        if key not in data:
            raise ProblemError(f"{source}: [data]: missing {key} = [...]")
    x = _numbers(source, "[data] x", data["x"])
    y = _numbers(source, "[data] y", data["y"])

    kind = doc.get("loss", {}).get("kind")
    if kind is None:
        raise ProblemError(f"{source}: [loss]: missing kind = \"...\"; the losses are {', '.join(LOSSES)}")
    if kind not in LOSSES:
        close = difflib.get_close_matches(str(kind), list(LOSSES), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ProblemError(f"{source}: [loss] kind: unknown loss {kind!r}; {hint}the losses are {', '.join(LOSSES)}")

    if kind == "cross_entropy" and act_names[-1] == "softmax":
        raise ProblemError(f"{source}: [loss] kind = \"cross_entropy\" takes logits, but the last layer already "
                           f"applies softmax; use kind = \"cross_entropy_from_probabilities\", or make the last "
                           f"activation \"identity\"")

    training = doc.get("training", {})
    lr = _number(source, "[training] learning_rate", training.get("learning_rate", 0.1))
    if lr <= 0:
        raise ProblemError(f"{source}: [training] learning_rate must be positive, got {lr!r}")

    explain = doc.get("explain", {})
    derivatives = explain.get("derivatives", [])
    if not isinstance(derivatives, list) or not all(isinstance(d, str) for d in derivatives):
        raise ProblemError(f"{source}: [explain] derivatives: expected a list of parameter names such as "
                           f"[\"W^1_{{21}}\"], got {derivatives!r}")
    digits = explain.get("digits", 4)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise ProblemError(f"{source}: [explain] digits: expected a whole number from 1 to 17, got {digits!r}")

    problem = Problem(source, title, notes, conv, notation, weights,
                      biases if any(b is not None for b in biases) else None, acts, act_names, x, y, kind, lr,
                      derivatives, digits)
    problem.build()  # shapes are checked now, so a bad file fails on loading with the key named
    return problem


def _read_notation(source: str, spec: object) -> _naming.Notation:
    if spec is None:
        return _naming.DEFAULT
    if isinstance(spec, str):
        try:
            return _naming.get(spec)
        except ValueError as e:
            raise ProblemError(f"{source}: [network] notation: {e}") from None
    if not isinstance(spec, dict):
        raise ProblemError(f"{source}: [network] notation: expected a preset name or a table, got {spec!r}")
    for key in spec:
        if key not in _NOTATION_KEYS:
            raise _unknown(source, "[network.notation]", key, _NOTATION_KEYS)
    changes = {k: v for k, v in spec.items() if k != "preset"}
    try:
        base = _naming.get(spec.get("preset"))
        return base.with_(**changes) if changes else base
    except (ValueError, TypeError) as e:
        raise ProblemError(f"{source}: [network.notation]: {e}") from None
