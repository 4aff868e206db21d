"""Seed 003: the gradient formulas of an L-layer ReLU network with the logistic loss, checked.

The sheet's model: f_l(z) = W_l z + b_l, z_0 = x, z_l = relu(f_l(z_{l−1})) for 0 < l < L, and the loss
C = Σᵢ log(1 + exp(−yᵢ f_L(z_{L−1}(xᵢ)))) with yᵢ ∈ {−1, +1}. It asks to show

    ∇_{b_l} C = Σᵢ −yᵢ/(1 + exp(yᵢ f_L)) · (Π_{k=0}^{L−l−1} W_{L−k} diag(pos(z_{L−k−1}(xᵢ))))ᵀ
    ∇_{W_l} C = Σᵢ −yᵢ/(1 + exp(yᵢ f_L)) · (Π_{k=0}^{L−l−1} W_{L−k} diag(pos(z_{L−k−1}(xᵢ))))ᵀ z_{l−1}(xᵢ)ᵀ

(for l = L the product is 1). Here both are evaluated in numpy and compared with the engine's
gradients (backward through the scalar graph of the whole sum) for L = 1 … 5 on random data; then
the case of seed003_deep_logistic.toml is solved step by step.

    python examples/seed003_deep_logistic.py [--samples N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from autograd import sum_values
from nn import MLP, losses
from homework import load

PROBLEM = Path(__file__).with_suffix(".toml")


def formula_gradients(Ws, bs, X, Y):
    """The sheet's ∇_{b_l} C and ∇_{W_l} C in numpy, for every layer l = 1 … L."""
    L = len(Ws)
    grad_b = [np.zeros_like(b) for b in bs]
    grad_W = [np.zeros_like(W) for W in Ws]
    for x, y in zip(X, Y):
        z = [x]                                             # z_0 … z_{L−1}
        for W, b in zip(Ws[:-1], bs[:-1]):
            z.append(np.maximum(W @ z[-1] + b, 0.0))
        f_L = float((Ws[-1] @ z[-1] + bs[-1])[0])
        coefficient = -y / (1.0 + np.exp(y * f_L))
        for l in range(1, L + 1):
            product = np.ones((1, 1))
            for k in range(L - l):                          # k = 0 … L−l−1
                pos = (z[L - k - 1] > 0).astype(float)
                product = product @ (Ws[L - k - 1] @ np.diag(pos))
            column = coefficient * product.T                # shape (m_l, 1)
            grad_b[l - 1] += column.ravel()
            grad_W[l - 1] += column @ z[l - 1].reshape(1, -1)
    return grad_b, grad_W


def engine_gradients(Ws, bs, X, Y):
    """The same gradients from chainrule: one graph for the whole sum C, then backward."""
    net = MLP.from_matrices(Ws, bs, activations=["relu"] * (len(Ws) - 1) + ["identity"])
    C = sum_values([losses.logistic(net(list(x))[0], float(y), label="") for x, y in zip(X, Y)]).named("C")
    C.backward()
    return [layer.bias_vector(grad=True) for layer in net.layers], [layer.weight_matrix(grad=True) for layer in net.layers]


def main(argv: list[str] | None = None) -> dict:
    """Check the formulas for L = 1 … 5; print the solved example; return the largest differences."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=6, help="training points per check (default 6)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    print("The sheet's formulas against the engine (largest absolute difference over all layers):\n")
    print(f"  {'L':>2}  {'sizes':16} {'∇b formula':>11} {'∇W formula':>11}")
    worst = {}
    for L in range(1, 6):
        sizes = [int(rng.integers(1, 5)) for _ in range(L)] + [1]   # p = sizes[0]; m_L = 1
        Ws = [rng.normal(size=(sizes[l + 1], sizes[l])) for l in range(L)]
        bs = [rng.normal(size=sizes[l + 1]) * 0.5 for l in range(L)]
        X = rng.normal(size=(args.samples, sizes[0]))
        Y = rng.choice([-1.0, 1.0], size=args.samples)
        fb, fW = formula_gradients(Ws, bs, X, Y)
        eb, eW = engine_gradients(Ws, bs, X, Y)
        db = max(float(np.max(np.abs(a - b))) for a, b in zip(fb, eb))
        dW = max(float(np.max(np.abs(a - b))) for a, b in zip(fW, eW))
        worst[L] = max(db, dW)
        print(f"  {L:>2}  {'→'.join(map(str, sizes)):16} {db:11.1e} {dW:11.1e}")
    print()
    solution = load(PROBLEM).solve()
    print(solution.render())
    return {"worst": worst, "C": solution.loss.data, "grads": solution.grads}


if __name__ == "__main__":
    main(sys.argv[1:])
