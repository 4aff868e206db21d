"""`Problem`: a checked problem file — the sheet's network, data, loss, learning rate, notation and
the derivatives to explain — which builds its network and solves itself.

Problems are read by `homework.reading.load`; `Problem.solve` returns a `homework.solution.Solution`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from homework.errors import ProblemError
from homework.solution import Solution, solve
from nn import MLP
from nn import naming as _naming


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
    questions: list = field(default_factory=list)  # homework.questions.Question, in the sheet's order
    samples: list = field(default_factory=list)  # [(x, y), …] when the file gives several samples
    reduction: str = "sum"  # how several samples' losses combine: "sum" or "mean"
    l2: float = 0.0  # λ of an L2 term on the weights
    l2_half: bool = True  # (λ/2)·ΣW² (gradient λW); False: λ·ΣW² (gradient 2λW)
    l2_biases: bool = False  # whether the L2 term includes the biases (a separate b, or W's bias row)

    @property
    def all_samples(self) -> list:
        """Every sample as (x, y), the one of a single-sample file included."""
        return self.samples or [(self.x, self.y)]

    def build(self) -> MLP:
        """The network with the sheet's weights."""
        try:
            return MLP.from_matrices(self.weights, self.biases, activations=self.activations,
                                     convention=self.convention, notation=self.notation)
        except (ValueError, TypeError) as e:
            raise ProblemError(f"{self.source}: [[layer]]: {e}") from None

    def solve(self) -> Solution:
        """Forward pass, loss, backward pass and one gradient-descent step on a fresh network."""
        return solve(self)
