"""Reading problem files: `load` (a file or a built-in problem's name) and `loads` (TOML text) check
every key and return a `homework.problem.Problem`. Every mistake in a file is reported with the
file, the key and the fix.

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
    y = [1]                   # a number, or a list: one per output (for cross-entropy, probabilities)
    # class = 2               # cross-entropy only, instead of y: the true class, counted from 1 as on
                              # sheets (the Python losses count from 0, like PyTorch)

    [loss]
    kind = "squared_error"    # see LOSSES
    # reduction = "sum"       # with several samples (x = [[...], [...]], one target per sample in y):
                              # "sum" (C = Σᵢ ℓᵢ) or "mean" (C = (1/N) Σᵢ ℓᵢ); required then
    # l2 = 0.01               # an L2 term R over the weights: (λ/2)·ΣW² (gradient λW); with
    # l2_form = "full"        # "full": λ·ΣW² (gradient 2λW); l2_biases = true adds the biases
                              # (a separate b, or W's first row in the "W^T x" convention)

    [training]
    learning_rate = 2

    [explain]
    derivatives = ["W^2_{11}", "W^1_{21}"]   # names of parameters or other nodes, as in the notation
    digits = 4
"""

from __future__ import annotations

import difflib
import sys
from importlib import resources
from pathlib import Path

from autograd.expression import ExpressionError, activation as formula_activation
from autograd import notation as names
from homework import questions
from homework.data_reading import loss_options as read_loss_options, number, numbers, samples as read_samples
from homework.errors import ProblemError
from homework.input_checks import (MAX_NOTES, MAX_TITLE, check_template, check_text, read_problem_file, shown)
from homework.loss_kinds import LOSSES
from homework.problem import Problem
from nn import activations as _activations
from nn import naming as _naming
from nn.conventions import WX_B, convention as _convention

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, published as tomli (a dependency there)
    import tomli as tomllib

_TOP_KEYS = {"title", "notes", "network", "layer", "data", "loss", "training", "explain", "questions"}
_SECTION_KEYS = {
    "network": {"convention", "notation"},
    "layer": {"weights", "biases", "activation"},
    "data": {"x", "y", "class"},
    "loss": {"kind", "reduction", "l2", "l2_form", "l2_biases"},
    "training": {"learning_rate"},
    "explain": {"derivatives", "digits"},
}
_NOTATION_KEYS = {"preset"} | {f.name for f in _naming.Notation.__dataclass_fields__.values()}

MAX_PARAMETERS = 10_000
MAX_FORMULA = 20_000  # characters of an activation formula


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
    return resources.files("homework").joinpath("problems", BUILTIN[name]).read_text(encoding="utf-8")


def load(path: str | Path) -> Problem:
    """Read and check a problem file (or a built-in problem's name such as ``"seed002"``).

    Raises:
        ProblemError: the file is missing, not TOML, or has an unknown key, a wrong shape, an
            unknown activation or loss, or a bad number; the message says where and how to fix it.
    """
    if isinstance(path, str) and path in BUILTIN:
        return loads(builtin_text(path), source=f"built-in problem {path}")
    p = Path(path)
    hint = f" (built-in problems: {', '.join(BUILTIN)})" if not p.suffix else ""
    return loads(read_problem_file(p, hint), source=str(p))


def _unknown(source: str, where: str, key: str, allowed: set[str]) -> ProblemError:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return ProblemError(f"{source}: {where}: unknown key {key!r}; {hint}the keys here are {', '.join(sorted(allowed))}")


def _matrix(source: str, where: str, rows: object) -> list[list[float]]:
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise ProblemError(f"{source}: {where}: expected a matrix as a list of rows, e.g. [[1, 2], [3, 4]], "
                           f"got {shown(rows)}")
    matrix = [numbers(source, f"{where} row {i + 1}", r) for i, r in enumerate(rows)]
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
        tables = doc.get(section, [] if section == "layer" else {})
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
    for key, v, longest in (("title", title, MAX_TITLE), ("notes", notes, MAX_NOTES)):
        check_text(source, key, v, longest, newlines=key == "notes")

    network = doc.get("network", {})
    try:
        conv = _convention(network.get("convention", WX_B))
    except (ValueError, TypeError) as e:
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
            biases.append(numbers(source, f"{where} biases", layer["biases"]))
        else:
            biases.append(None)
        spec = layer.get("activation", "identity")
        if isinstance(spec, str) and len(spec) > MAX_FORMULA:
            raise ProblemError(f"{source}: {where} activation: the formula has {len(spec):,} characters; at most "
                               f"{MAX_FORMULA:,} are read")
        acts.append(_activation(source, f"{where} activation", spec))
        act_names.append(spec)

    n_parameters = sum(len(w) * len(w[0]) for w in weights) + sum(len(b) for b in biases if b is not None)
    if n_parameters > MAX_PARAMETERS:
        raise ProblemError(f"{source}: [[layer]]: {n_parameters:,} parameters; a problem file holds a homework "
                           f"network of at most {MAX_PARAMETERS:,} (the worked solution prints every one)")
    outputs = len(weights[-1]) if conv == WX_B else len(weights[-1][0])

    data = doc.get("data", {})
    if "x" not in data:
        raise ProblemError(f"{source}: [data]: missing x = [...]")

    kind = doc.get("loss", {}).get("kind")
    if kind is None:
        raise ProblemError(f"{source}: [loss]: missing kind = \"...\"; the losses are {', '.join(LOSSES)}")
    if kind not in LOSSES:
        close = difflib.get_close_matches(str(kind), list(LOSSES), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ProblemError(f"{source}: [loss] kind: unknown loss {kind!r}; {hint}the losses are {', '.join(LOSSES)}")

    samples = read_samples(source, data, kind, outputs)
    x, y = samples[0]
    loss_options = read_loss_options(source, doc.get("loss", {}), len(samples))

    if kind == "cross_entropy" and act_names[-1] == "softmax":
        raise ProblemError(f"{source}: [loss] kind = \"cross_entropy\" takes logits, but the last layer already "
                           f"applies softmax; use kind = \"cross_entropy_from_probabilities\", or make the last "
                           f"activation \"identity\"")

    training = doc.get("training", {})
    lr = number(source, "[training] learning_rate", training.get("learning_rate", 0.1))
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

    asked = questions.read(source, doc.get("questions"))
    for q in asked:  # a derivative a question asks for is explained, and highlighted in drawings
        for name in q.wrt if q.ask == "derivative" else ():
            if all(names.to_text(name) != names.to_text(d) for d in derivatives):
                derivatives.append(name)
    problem = Problem(source, title, notes, conv, notation, weights,
                      biases if any(b is not None for b in biases) else None, acts, act_names, x, y, kind, lr,
                      derivatives, digits, asked, samples if len(samples) > 1 else [], **loss_options)
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
    for key, template in changes.items():
        if key not in ("identity_label", "drop_single_output_index"):
            check_template(source, key, template)
    try:
        base = _naming.get(spec.get("preset"))
        return base.with_(**changes) if changes else base
    except (ValueError, TypeError) as e:
        raise ProblemError(f"{source}: [network.notation]: {e}") from None
