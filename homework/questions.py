"""A sheet's questions, as a problem file lists them: each under the sheet's own label, saying what it
asks for, so a solution can answer them one by one in the sheet's order.

In a problem file (every key but ``ask`` optional; labels are the sheet's own, and where a sheet
restarts its numbering, prefix the list: "1.7" is question 7 of the first list)::

    [questions."1.3"]
    text = "What are the values being passed into our hidden neurons?"
    ask = "values"
    of = ["alpha^1_1", "alpha^1_2"]

    [questions."2.1"]
    ask = "local"          # a local partial ∂of/∂wrt
    of = "\\ell"
    wrt = "y_hat"

What a question can ask (`ASKS`): ``forward`` (the forward pass as equations, with every value),
``values`` (the nodes named in ``of``), ``loss``, ``shapes`` (each weight matrix and bias vector),
``augmented`` (the input of layer ``layer`` + 1 with a 1 in front, [1; β]), ``classify`` (the class,
from ``threshold`` for one output, the largest output otherwise), ``local`` (``of``, ``wrt``),
``derivative`` (d loss/d ``wrt``, by the chain rule; a list for several), ``deltas`` (every error
term, layer by layer), ``gradients`` (every parameter gradient), ``closed_forms`` (each layer's
gradient unrolled from the output error; ``which = "biases"`` or ``"weights"`` for one kind), ``layers`` (the whole layer-level derivation),
``identity`` (one of seed 000's identities: ``which = "a"``), ``update`` (parameters after one
gradient-descent step: ``of``, or all), ``diagram`` (the network diagram).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from homework.errors import ProblemError

ASKS = ("forward", "values", "loss", "shapes", "augmented", "classify", "local", "derivative", "deltas",
        "gradients", "closed_forms", "layers", "identity", "update", "diagram")
# what each kind of question needs, besides ask and text
_KEYS = {"values": {"of"}, "local": {"of", "wrt"}, "derivative": {"wrt"}, "augmented": {"layer"},
         "classify": {"threshold"}, "identity": {"which"}, "update": {"of"}, "closed_forms": {"which"}}
_REQUIRED = {"local": ("of", "wrt"), "derivative": ("wrt",), "augmented": ("layer",), "identity": ("which",)}


@dataclass(frozen=True)
class Question:
    """One question of a sheet.

    Attributes:
        label: the sheet's label, e.g. ``"1.7"``.
        ask: what it asks for, one of `ASKS`.
        text: the sheet's wording ('' when the file leaves it out).
        of: names of nodes or parameters (``values``, ``local``, ``update``), as typed in the file.
        wrt: for ``local`` and ``derivative``, what is differentiated with respect to (a list for
            several derivatives).
        layer: for ``augmented``, the layer whose output is augmented with a 1.
        threshold: for ``classify`` with one output.
        which: for ``identity``, its letter; for ``closed_forms``, ``"biases"`` or ``"weights"``.
    """

    label: str
    ask: str
    text: str = ""
    of: tuple = ()
    wrt: tuple = ()
    layer: int = 0
    threshold: float = 0.5
    which: str = ""


def read(source: str, table: object) -> list[Question]:
    """The questions of a problem file's ``[questions]`` table, in the file's order.

    Raises:
        ProblemError: a question that is not a table, an unknown ``ask`` or key, or a missing or
            malformed value; the message names the question and says what is expected.
    """
    if table is None:
        return []
    if not isinstance(table, dict):
        raise ProblemError(f"{source}: [questions] must be a table of questions, one per label: "
                           f"[questions.\"1.3\"] with ask = \"values\", …")
    out = []
    for label, spec in table.items():
        where = f"{source}: [questions.\"{label}\"]"
        if not isinstance(spec, dict):
            raise ProblemError(f"{where}: expected a table with ask = \"…\" (one of {', '.join(ASKS)}), got {spec!r}")
        ask = spec.get("ask")
        if ask not in ASKS:
            close = difflib.get_close_matches(str(ask), ASKS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ProblemError(f"{where}: ask = {ask!r} is not a kind of question; {hint}the kinds are {', '.join(ASKS)}")
        allowed = {"ask", "text"} | _KEYS.get(ask, set())
        for key in spec:
            if key not in allowed:
                raise ProblemError(f"{where}: {key!r} does not go with ask = {ask!r}; the keys here are "
                                   f"{', '.join(sorted(allowed))}")
        for key in _REQUIRED.get(ask, ()):
            if key not in spec:
                raise ProblemError(f"{where}: ask = {ask!r} needs {key} = …")
        text = spec.get("text", "")
        if not isinstance(text, str):
            raise ProblemError(f"{where}: text must be the question's wording in quotes, got {text!r}")
        names = {}
        for key in ("of", "wrt"):
            value = spec.get(key, [])
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ProblemError(f"{where}: {key} must be a name such as \"W^1_{{21}}\" or a list of names, got {value!r}")
            names[key] = tuple(value)
        if ask == "local" and (len(names["of"]) != 1 or len(names["wrt"]) != 1):
            raise ProblemError(f"{where}: a local partial ∂of/∂wrt takes one name each for of and wrt")
        layer = spec.get("layer", 0)
        if ask == "augmented" and (isinstance(layer, bool) or not isinstance(layer, int) or layer < 0):
            raise ProblemError(f"{where}: layer must be a whole number (0 for the input, 1 for the first layer's output)")
        threshold = spec.get("threshold", 0.5)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise ProblemError(f"{where}: threshold must be a number such as 0.5, got {threshold!r}")
        which = spec.get("which", "")
        if ask == "identity" and not (isinstance(which, str) and len(which) == 1 and which.isalpha()):
            raise ProblemError(f"{where}: which must be the identity's letter, such as \"a\", got {which!r}")
        if ask == "closed_forms" and which not in ("", "biases", "weights"):
            raise ProblemError(f"{where}: which must be \"biases\" or \"weights\" (or left out for both), got {which!r}")
        out.append(Question(str(label), ask, text, names["of"], names["wrt"], layer, float(threshold), which))
    return out
