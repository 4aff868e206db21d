"""The symbolic derivative of a function of one variable — an activation — as one object: its
formula in Unicode and LaTeX, and its value at any point.

A formula activation is one function with one derivative: ``relu(z) + sin(z)`` has the derivative
``[z > 0] + cos(z)``, written once and evaluated per unit, instead of two paths through relu and
sin. The derivative is put together by the chain rule from the rule table (autograd/ops.py): each
operation contributes its partial templates (``partial_text``/``partial_latex``, filled with the
operands' formulas and ``{out}``) and its ``partials`` functions (for the numbers), so nothing here
knows a derivative by heart.

>>> f = derivative("relu(z) + sin(z)")
>>> f.text, round(f.value(1.35), 4)
('[z > 0] + cos(z)', 1.219)
>>> derivative("sigmoid").text, derivative("tanh").equation().text
('σ(z)(1 − σ(z))', 'tanh′(z) = 1 − tanh(z)²')

Three ways in:

- `derivative` takes a formula of one variable (text or an `autograd.expression.Expression`), the
  name of a one-argument operation (``"relu"``, ``"sigmoid"``, ``"identity"``), or a function of a
  Value (recorded once on a leaf, then read back from the graph);
- `from_graph` takes a recorded graph between two nodes (a unit's h and its z) and gives the
  derivative of the whole function between them: the factor ∂h/∂z of a printout in one line.

The result, a `Derivative`, renders in any variable's name (``f.formula(at=z⁽¹⁾₁)``) and evaluates
with the rule table's own functions, so its number equals the engine's gradient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

from autograd.derive import function_tree as ft
from autograd.derive.formula import ADD, ATOM, Formula
from autograd.expression import Expression, activation as parse_activation
from autograd.notation import to_latex, to_text
from autograd.value import Value

# Functions named by an operation of one argument; "identity" is the variable itself.
NAMED_SYMBOLS = {"sigmoid": ("σ", r"\sigma"), "tanh": ("tanh", r"\tanh"), "relu": ("relu", r"\operatorname{relu}"),
                 "exp": ("exp", r"\exp"), "log": ("log", r"\log"), "sin": ("sin", r"\sin"), "cos": ("cos", r"\cos"),
                 "sqrt": ("sqrt", r"\operatorname{sqrt}"), "abs": ("abs", r"\operatorname{abs}"),
                 "softplus": ("softplus", r"\operatorname{softplus}"), "identity": ("id", r"\operatorname{id}")}



@dataclass(frozen=True, eq=False)
class Derivative:
    """A function of one variable and its derivative, both as formulas, with their values.

    Attributes:
        name: the function's name in Unicode (``"f"``, ``"σ"``, ``"tanh"``).
        latex_name: the same in LaTeX (``"f"``, ``"\\sigma"``).
        variable: the variable's name as written in the source formula (``"z"``).
        source: what it was made from, as text (the formula, the name, or the callable's name).
    """

    name: str
    latex_name: str
    variable: str
    source: str
    _tree: ft.Node
    _d: object

    # Formulas ------------------------------------------------------------------------------------

    def _var(self, at: Formula | str | None) -> Formula:
        if at is None:
            return Formula(to_text(self.variable), to_latex(self.variable), ATOM)
        if isinstance(at, str):
            return Formula(to_text(at), to_latex(at), ATOM)
        return at

    def function(self, at: Formula | str | None = None) -> Formula:
        """The function's formula, in the variable or in ``at`` (a name or a `Formula`): ``relu(z) + sin(z)``."""
        return ft.formula(self._tree, self._var(at), {})

    def formula(self, at: Formula | str | None = None, output: Formula | str | None = None) -> Formula:
        """The derivative's formula: ``[z > 0] + cos(z)``.

        Args:
            at: the variable's name or formula (default: the variable itself), e.g. ``"z^{(1)}_1"``.
            output: a name for the function's value, used where the outermost operation's partial
                is written in its output (σ′ = ``a(1 − a)`` instead of ``σ(z)(1 − σ(z))``).
        """
        out = self._var(output) if output is not None else None
        return ft.d_formula(self._d, self._var(at), out, self._tree, {})

    @property
    def text(self) -> str:
        """The derivative in Unicode, in the variable: ``[z > 0] + cos(z)``."""
        return self.formula().text

    @property
    def latex(self) -> str:
        """The derivative in LaTeX (math mode): ``[z > 0] + \\cos z``."""
        return self.formula().latex

    def prime(self, at: Formula | str | None = None) -> Formula:
        """The derivative's name applied to ``at``: ``f′(z)``, ``σ′(z⁽¹⁾)``."""
        v = self._var(at)
        return Formula(f"{self.name}′({v.text})", f"{self.latex_name}'({v.latex})", ATOM)

    def equation(self, at: Formula | str | None = None) -> Formula:
        """``f′(z) = [z > 0] + cos(z)`` as one formula."""
        lhs, rhs = self.prime(at), self.formula(at)
        return Formula(f"{lhs.text} = {rhs.text}", f"{lhs.latex} = {rhs.latex}", ADD)

    # Numbers -------------------------------------------------------------------------------------

    def value(self, z: float) -> float:
        """The derivative at ``z``, computed with the rule table's partials (as the engine does).

        Raises:
            ValueError, ArithmeticError: ``z`` lies outside the function's domain (log of a negative).
        """
        return ft.d_value(self._d, float(z), {})

    __call__ = value

    def function_value(self, z: float) -> float:
        """The function itself at ``z``."""
        return ft.value(self._tree, float(z), {})

    @property
    def is_identity(self) -> bool:
        """Whether the function is its variable (its derivative is 1 everywhere)."""
        return isinstance(self._tree, ft.Var)

    def __repr__(self) -> str:
        return f"<Derivative {self.name}′({self.variable}) = {self.text}>"

    def _repr_latex_(self) -> str:
        # one formula: a notebook typesets it (f′(z) = [z > 0] + cos(z))
        return f"${self.equation().latex}$"


Spec = Union[str, Expression, Callable[[Value], Value]]


def derivative(spec: Spec, *, name: str | None = None, latex_name: str | None = None,
               variable: str = "z") -> Derivative:
    """The derivative of a function of one variable.

    Args:
        spec: a formula of one variable (``"relu(z) + sin(z)"`` or a parsed `Expression`), the name of
            an operation of one argument (``"relu"``, ``"sigmoid"``, ``"tanh"``, ... or ``"identity"``),
            or a function of one Value (``lambda z: z.relu() + z.sin()``), which is recorded once on a
            leaf and read back from its graph (a function whose operations depend on the value of its
            argument is described as it ran at z = 0.5).
        name, latex_name: the function's name (default: σ, tanh, relu, ... for a named operation,
            ``f`` otherwise).
        variable: the variable's name for a named operation or a callable (a formula keeps its own).

    Raises:
        autograd.expression.ExpressionError: a formula that is not of exactly one variable.
        ValueError: an unknown name.
        TypeError: ``spec`` is none of these.

    >>> derivative("exp(-z**2)").text
    '−2·exp(−z²)·z'
    """
    default = ("f", "f")
    if isinstance(spec, Expression):
        if len(spec.variables) != 1:
            parse_activation(spec.source)  # raises the reader's own message
        root, variable = ft.from_expression(spec)
        source = spec.source
    elif isinstance(spec, str):
        key = spec.strip()
        if key == "identity":
            root, source, default = ft.Var(), "identity", NAMED_SYMBOLS["identity"]
        elif key in NAMED_SYMBOLS:
            root, _ = ft.from_expression(parse_activation(f"{key}({variable})"))
            source, default = key, NAMED_SYMBOLS[key]
        elif any(c in key for c in "()+-*/"):
            root, variable = ft.from_expression(parse_activation(key))
            source = key
        else:
            raise ValueError(f"unknown function {spec!r}: give a formula of one variable such as "
                             f"'relu(z) + sin(z)' or one of {', '.join(NAMED_SYMBOLS)}")
    elif callable(spec):
        leaf = Value(0.5, variable)
        out = spec(leaf)
        if not isinstance(out, Value):
            raise TypeError(f"{spec!r} returned {type(out).__name__}, not a Value; build it from the engine's "
                            f"operations, e.g. lambda z: z.relu() + z.sin()")
        root = ft.from_graph(out, leaf)
        source = getattr(spec, "__name__", None) or type(spec).__name__
    else:
        raise TypeError(f"derivative() takes a formula, an operation's name or a function of a Value; "
                        f"got {type(spec).__name__}: {spec!r}")
    text_name, tex_name = default
    return Derivative(name or text_name, latex_name or (tex_name if name is None else to_latex(name)),
                      variable, source, root, ft.differentiate(root))


def from_graph(output: Value, variable: Value, *, name: str = "f", latex_name: str | None = None) -> Derivative:
    """The derivative of the whole function a recorded graph computes from ``variable`` to ``output``.

    Every node between them is read back as an operation of the rule table; leaves other than
    ``variable`` are constants (shown by their label, or their number). This is the one factor
    ∂output/∂variable of a printout, such as ∂h₁/∂z⁽¹⁾₁ = [z⁽¹⁾₁ > 0] + cos(z⁽¹⁾₁) for seed 001's unit:
    write it with ``.formula(at=<the variable's name>)``.

    Raises:
        TypeError: ``output`` or ``variable`` is not a Value.
    """
    for what, v in (("output", output), ("variable", variable)):
        if not isinstance(v, Value):
            raise TypeError(f"from_graph needs Values, got {what}={v!r}")
    root = ft.from_graph(output, variable)
    label = variable.label or "z"
    return Derivative(name, latex_name or to_latex(name), label, label, root, ft.differentiate(root))


__all__ = ["Derivative", "derivative", "from_graph", "NAMED_SYMBOLS"]
