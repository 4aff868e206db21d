"""`Rule`: what the rule table (ops.py) holds for one primitive operation.

A rule keeps, side by side, the forward function, the local partials and the formula text of both in
Unicode and LaTeX; ops.py's docstring describes each field. The engine applies rules, the printouts
and drawings read their formulas; nothing here knows about `Value`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence, Union

Text = Union[str, Callable[[Sequence[str], str], str]]


@dataclass(frozen=True)
class Rule:
    """One primitive: forward, local partials and their formula text. See the module docstring."""

    name: str
    symbol: str  # what an operation node shows in a drawing
    forward: Callable
    text: Text
    latex: Text
    partial_text: tuple | Callable = ()  # per argument; for any arity, one function (i, names, out)
    partial_latex: tuple | Callable = ()
    partials: tuple = ()  # one function per argument, for fixed arity (derived from constant_partials)
    nary_partial: Callable | None = None  # (m, i, out, xs) -> one partial; derived from nary_partials
    nary_partials: Callable | None = None  # (m, out, xs) -> a tuple of every partial, for any arity
    domain: str = ""  # where it is defined, for error messages
    arity: int | None = 1  # None: any number of arguments
    literal_args: tuple = ()  # arguments the formula text reads as numbers (pow's exponent: x², 3·x²)
    # For a rule whose partials are numbers (add, sub, neg): those numbers, written here once. The
    # engine then gives every such node this very tuple instead of calling a function per argument
    # and building a new tuple: faster, and one tuple shared by all the nodes of a graph.
    constant_partials: tuple | None = None
    # Where the rule has no derivative (relu and abs at 0, max and min at a tie): ``kink(m, *xs)``
    # tells whether the arguments sit there, ``kink_where`` is that condition as a formula template
    # (Unicode, LaTeX) and ``kink_convention`` says, in words, which subgradient the partials use.
    # A rule that makes one output per index over the same arguments (softmax: the constant index i
    # comes first): its partial texts may name the other outputs, ŷᵢ's partial −ŷᵢŷⱼ. Printouts then
    # pass, after the arguments' names, the name of each output j (None where it is not in the graph).
    names_other_outputs: bool = False
    kink: Callable | None = None
    kink_where: tuple = ()
    kink_convention: str = ""

    def __post_init__(self) -> None:
        if self.constant_partials is not None:
            fns = tuple(_constant_fn(d) for d in self.constant_partials)
            object.__setattr__(self, "partials", fns)  # frozen: set once, here
        if self.nary_partials is not None and self.nary_partial is None:
            object.__setattr__(self, "nary_partial", _one_of(self.nary_partials))

    def format(self, template: Text, names: Sequence[str], out: str) -> str:
        """Fill a formula template with argument names and the output name."""
        if callable(template):
            return template(names, out)
        return template.format(*names, out=out)

    def expression(self, names: Sequence[str], latex: bool = False) -> str:
        """The forward formula, e.g. ``tanh(z)``, in Unicode or LaTeX."""
        return self.format(self.latex if latex else self.text, names, "")

    def partial_expression(self, i: int, names: Sequence[str], out: str, latex: bool = False,
                           others: Sequence = ()) -> str:
        """The formula of ∂out/∂(argument i), e.g. ``1 − a²`` for tanh with output named a.
        ``others``: the names of the other outputs, for a rule that `names_other_outputs`."""
        table = self.partial_latex if latex else self.partial_text
        if self.names_other_outputs:
            return table(i, names, out, others=others)
        if self.arity is None:  # one function of (i, names, out) serves every argument
            return table(i, names, out)
        return self.format(table[i], names, out)


def _constant_fn(d: float) -> Callable:
    return lambda m, out, *xs: d


def _one_of(all_partials: Callable) -> Callable:
    # One partial of an n-ary rule, for callers that need only some (the printouts). The engine
    # calls nary_partials once per node: one call instead of one per argument.
    return lambda m, i, out, xs: all_partials(m, out, xs)[i]
