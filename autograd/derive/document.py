"""`Explanation`: a finished derivation — its blocks and the number it is about — that renders itself.

The builders (`explain`, `trace`, `forward_table`) return one; ``str()`` is plain text,
``to_markdown()`` and ``to_latex()`` export it, and a notebook displays it by the same renderers.
`RichDisplay` is what makes it display: every result object that exports itself as Markdown (a
layer-level derivation, an answer check's report) inherits it too.
"""

from __future__ import annotations

from autograd.render import latex, markdown, text


class RichDisplay:
    """The notebook display of a result object: a class with ``to_markdown(math="latex")`` inherits
    this and shows in Jupyter as Markdown, its formulas typeset ($…$), while ``repr()`` stays short.

    No ``_repr_latex_``: MathJax typesets math, not a document of paragraphs and tables. A result
    that is one formula (`autograd.symbolic.Derivative`) displays as LaTeX instead.
    """

    def _repr_markdown_(self) -> str:
        return self.to_markdown(math="latex")


class Explanation(RichDisplay):
    """A printout of a recorded graph: plain text (``str()``), Markdown and LaTeX.

    Attributes:
        kind (str): ``"explain"``, ``"trace"`` or ``"forward"``.
        value (float): the number it is about: dℓ/dw for `explain` (rounded at every step when asked
            for), ∂root/∂wrt for `trace` with ``wrt`` (else the root's value), the root's value for
            `forward_table`.
        exact (float): the same number without per-step rounding.
        method (str): for `explain`, ``"paths"`` or ``"delta"``.
        paths (list[PathTerm]): for `explain` by paths, one term per path (their products add up
            to ``value``).
        blocks (list): the document itself (see autograd.derive.model).
        quantities (list[Quantity]): every number it states, in the order it states them.
        steps (list[TraceStep]): for a trace, each row of the backward pass.
    """

    def __init__(self, kind: str, value: float, blocks: list, *, exact: float | None = None,
                 method: str = "", paths: list | None = None, quantities: list | None = None,
                 steps: list | None = None) -> None:
        self.kind = kind
        self.value = value
        self.exact = value if exact is None else exact
        self.method = method
        self.paths = paths or []
        self.blocks = blocks
        self.quantities = quantities or []
        self.steps = steps or []

    def __repr__(self) -> str:
        return f"<Explanation {self.kind}: value={self.value!r}>"

    def __str__(self) -> str:
        return text.derivation(self.blocks)

    def to_markdown(self, math: str = "text") -> str:
        """The printout as Markdown: paragraphs and pipe tables.

        Args:
            math: ``"text"`` writes formulas in Unicode (readable in any viewer); ``"latex"`` writes
                them as ``$…$`` for viewers that render TeX math (GitHub, Jupyter, pandoc).

        Raises:
            ValueError: ``math`` is neither ``"text"`` nor ``"latex"``.
        """
        return markdown.derivation(self.blocks, math)

    def to_latex(self, standalone: bool = False) -> str:
        """The printout as LaTeX (amsmath's ``align*`` and a ``tabular``), ASCII only.

        Args:
            standalone: wrap it in a complete ``article`` document that compiles on its own.
        """
        return latex.derivation(self.blocks, standalone)
