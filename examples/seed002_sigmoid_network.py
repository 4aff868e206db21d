"""Seed 002, every numbered question answered: a 2-2-1 sigmoid network, squared error, λ = 2.

The network is read from seed002_sigmoid_network.toml (the sheet's matrices as printed). The sheet
computes α = Wᵀx with the bias as the first feature, so each W's first row is the bias row, and
W^l_ij is row i, column j: W¹₂₁ connects x₁ to hidden unit 1.

    python examples/seed002_sigmoid_network.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from autograd import explain
from autograd.notation import format_number as fmt
from homework import load

PROBLEM = Path(__file__).with_suffix(".toml")


def main(argv: list[str] | None = None) -> dict:
    """Print the answers; return the key numbers (for the tests)."""
    problem = load(PROBLEM)
    s = problem.solve()
    net = s.net
    hidden, output = net.layers
    alpha1 = [z.data for z in hidden.last_pre]
    beta1 = [a.data for a in hidden.last_post]
    alpha2 = output.last_pre[0].data
    y_hat = s.outputs[0].data
    W1_21, W2_11, W2_21 = (net.parameter(n) for n in ("W^1_{21}", "W^2_{11}", "W^2_{21}"))
    lr = problem.learning_rate

    print("Part 1: the network")
    print("1. Two inputs (plus the constant 1 of the bias), two sigmoid hidden units, one sigmoid output.")
    print(f"2. W¹ is {hidden.weight_shape[0]}×{hidden.weight_shape[1]} (bias row + 2 inputs, 2 units); "
          f"W² is {output.weight_shape[0]}×{output.weight_shape[1]} (bias row + 2 hidden units, 1 output).")
    print(f"3. Into the hidden neurons: α¹ = W¹ᵀ[1; x] = ({fmt(alpha1[0])}, {fmt(alpha1[1])})")
    print(f"4. Out of the hidden neurons: β¹ = σ(α¹) = ({fmt(beta1[0])}, {fmt(beta1[1], 10)})")
    print(f"5. Into the output neuron: α² = W²ᵀ[1; β¹] = {fmt(alpha2, 10)}")
    print(f"6. ŷ = σ(α²) = {fmt(y_hat)}")
    label = 1 if y_hat >= 0.5 else 0
    print(f"7. ŷ < 0.5, so x is classified as {label}" if label == 0 else f"7. ŷ ≥ 0.5, so x is classified as {label}")
    print(f"8. ℓ = ½(y − ŷ)² = {fmt(s.loss.data)}")

    print("\nPart 2: backpropagation")
    e_w2 = explain(s.loss, W2_11)
    e_w1 = explain(s.loss, W1_21)
    print("1-4. dℓ/dW²₁₁ (W²₁₁ is the output's bias weight, so ∂α²/∂W²₁₁ = 1):\n")
    print(e_w2)
    print("\n5-8. dℓ/dW¹₂₁:\n")
    print(e_w1)
    print(f"\nThe sheet's figure puts W²₁₁ on the path from β¹₁; by its own bias-first rule that weight is "
          f"W²₂₁, with dℓ/dW²₂₁ = β¹₁·dℓ/dα² = {fmt(W2_21.grad)}.")
    steps = {w.label: new for w, _, _, new in s.steps}
    print(f"\n9. With λ = {fmt(lr)}: W²₁₁ ← {fmt(W2_11.data)} − {fmt(lr)}·({fmt(W2_11.grad)}) = {fmt(steps['W²₁₁'])}, "
          f"W¹₂₁ ← {fmt(W1_21.data)} − {fmt(lr)}·({fmt(W1_21.grad)}) = {fmt(steps['W¹₂₁'])}")
    return {"alpha1": alpha1, "beta1": beta1, "alpha2": alpha2, "y_hat": y_hat, "loss": s.loss.data,
            "class": label, "dW2_11": W2_11.grad, "dW1_21": W1_21.grad, "dW2_21": W2_21.grad,
            "new_W2_11": steps["W²₁₁"], "new_W1_21": steps["W¹₂₁"], "explained": (e_w2.value, e_w1.value)}


if __name__ == "__main__":
    main(sys.argv[1:])
