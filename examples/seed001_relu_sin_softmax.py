"""Seed 001: forward values, the gradients of W₁, b₁, W₂, b₂, and the update with α = 0.001.

The network is read from seed001_relu_sin_softmax.toml: z⁽¹⁾ = W₁x + b₁, h = ReLU(z⁽¹⁾) + sin(z⁽¹⁾),
z⁽²⁾ = W₂h + b₂, ŷ = softmax(z⁽²⁾), Loss = −Σ yᵢ log ŷᵢ. The sheet gives no target: y = (0, 1) here.
The engine's gradients are checked against the sheet's matrix formulas written in numpy
(δ₂ = ŷ − y, ∂L/∂W₂ = δ₂hᵀ, δ₁ = W₂ᵀδ₂ ⊙ f′(z⁽¹⁾), ∂L/∂W₁ = δ₁xᵀ), and the sheet's own truncated
numbers are set beside the exact ones.

    python examples/seed001_relu_sin_softmax.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from homework import load

PROBLEM = Path(__file__).with_suffix(".toml")

# What the sheet prints (it truncates as it goes — H₁ = 2.325 for 2.3257 — and once writes 1.64 for 1.164).
SHEET = {"Z₁": [1.35, 0.35, 0.6], "H": [2.325, 0.692, 1.164], "Z₂": [-0.3927, 0.8832], "ŷ": [0.2181, 0.7819]}


def main(argv: list[str] | None = None) -> dict:
    """Print the solution, the numpy check and the sheet-vs-exact table; return the key numbers."""
    problem = load(PROBLEM)
    s = problem.solve()
    print(s.render())

    hidden, output = s.net.layers
    x, y = np.array(problem.x), np.array(problem.y)
    W1, b1, W2, b2 = (s.before[k] for k in ("W₁", "b₁", "W₂", "b₂"))
    z1 = W1 @ x + b1
    h = np.maximum(z1, 0) + np.sin(z1)
    z2 = W2 @ h + b2
    y_hat = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
    delta2 = y_hat - y
    delta1 = (W2.T @ delta2) * ((z1 > 0) + np.cos(z1))
    formulas = {"W₂": np.outer(delta2, h), "b₂": delta2, "W₁": np.outer(delta1, x), "b₁": delta1}
    worst = max(float(np.max(np.abs(s.grads[k] - formulas[k]))) for k in formulas)
    print("Check against the sheet's matrix formulas (numpy): δ₂ = ŷ − y, ∂L/∂W₂ = δ₂hᵀ, ∂L/∂b₂ = δ₂,")
    print("δ₁ = W₂ᵀδ₂ ⊙ f′(z⁽¹⁾) with f′(z) = [z > 0] + cos z, ∂L/∂W₁ = δ₁xᵀ, ∂L/∂b₁ = δ₁:")
    print(f"  largest difference from the engine's gradients: {worst:.1e}\n")

    exact = {"Z₁": [z.data for z in hidden.last_pre], "H": [a.data for a in hidden.last_post],
             "Z₂": [z.data for z in output.last_pre], "ŷ": [v.data for v in s.outputs]}
    print("The sheet's numbers beside the exact ones:")
    for key, printed in SHEET.items():
        shown = ", ".join(f"{p:g}" for p in printed)
        true = ", ".join(f"{v:.4f}" for v in exact[key])
        print(f"  {key:3} sheet ({shown})   exact ({true})")
    print("  (H₃: ReLU(0.6) + sin(0.6) = 1.1646; the sheet writes 1.164 and later 1.64. Its ŷ is off by one")
    print("   in the last digit: the softmax of its own Z₂ is (0.2182, 0.7818).)")
    return {"z1": exact["Z₁"], "h": exact["H"], "z2": exact["Z₂"], "y_hat": exact["ŷ"], "loss": s.loss.data,
            "grads": s.grads, "after": s.after, "worst_formula_difference": worst}


if __name__ == "__main__":
    main(sys.argv[1:])
