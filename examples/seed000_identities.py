"""Seed 000: the three backpropagation identities, checked on random networks and shown entry by entry.

The sheet's network has no biases: z⁽¹⁾ = W⁽¹⁾x, a⁽¹⁾ = σ(z⁽¹⁾), a⁽²⁾ = W⁽²⁾a⁽¹⁾, loss l_y(a⁽²⁾). With
β₂ = ∇l_y(a⁽²⁾) and β₁ = ∇_{a⁽¹⁾}(l_y ∘ f_{W⁽²⁾}), it asks to show

    (a) ∂φ₂/∂W⁽²⁾ = β₂ a⁽¹⁾ᵀ        (b) β₁ = W⁽²⁾ᵀ β₂        (c) ∂φ₁/∂W⁽¹⁾ = (β₁ ⊙ σ′(z⁽¹⁾)) xᵀ

Here the engine's gradients (backward through the scalar graph) are compared with these matrix
forms computed in numpy, for random sizes, weights, inputs, smooth convex losses and activations;
then the small case in seed000_identities.toml is shown entry by entry.

    python examples/seed000_identities.py [--trials N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from autograd.notation import format_number as fmt
from nn import MLP, losses
from homework import load

PROBLEM = Path(__file__).with_suffix(".toml")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(k: int) -> str:
    """k as subscript digits: 12 -> ₁₂."""
    return str(k).translate(_SUB)


def factor(x: float) -> str:
    """A number inside a product, in parentheses when negative: 0.6·(−1.552)."""
    text = fmt(float(x))
    return f"({text})" if text.startswith("-") else text

# activation name -> (numpy σ, numpy σ′)
ACTIVATIONS = {
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "sin": (np.sin, np.cos),
    "softplus": (lambda z: np.logaddexp(0, z), lambda z: 1 / (1 + np.exp(-z))),
}


def _softmax(a):
    e = np.exp(a - a.max())
    return e / e.sum()


# loss name -> (chainrule loss of (outputs, y), numpy β₂ = ∇l_y(a⁽²⁾), how y is drawn)
LOSSES = {
    "squared error ½‖a − y‖²": (lambda out, y: losses.squared_error(out, list(y)), lambda a, y: a - y,
                                lambda rng, k: rng.normal(size=k)),
    "cross-entropy of softmax(a)": (lambda out, y: losses.cross_entropy(out, list(y)), lambda a, y: _softmax(a) - y,
                                    lambda rng, k: np.eye(k)[rng.integers(k)]),
    "mean squared error": (lambda out, y: losses.mse(out, list(y)), lambda a, y: 2 * (a - y) / len(a),
                           lambda rng, k: rng.normal(size=k)),
}


def check_identities(rng: np.random.Generator) -> dict:
    """One random case: returns the largest difference of each identity from the engine's values."""
    n, d, k = (int(v) for v in rng.integers(1, 6, size=3))
    act = list(ACTIVATIONS)[rng.integers(len(ACTIVATIONS))]
    loss_name = list(LOSSES)[rng.integers(len(LOSSES))]
    make_loss, grad_l, draw_y = LOSSES[loss_name]
    W1, W2, x, y = rng.normal(size=(d, n)), rng.normal(size=(k, d)), rng.normal(size=n), draw_y(rng, k)

    net = MLP.from_matrices([W1, W2], activations=[act, "identity"], notation="paren-layer")
    out = net(list(x))
    loss = make_loss(out, y)
    loss.backward()
    engine_W1, engine_W2 = net.matrices(grad=True)["W⁽¹⁾"], net.matrices(grad=True)["W⁽²⁾"]
    engine_beta1 = np.array([a.grad for a in net.layers[0].last_post])

    sigma, dsigma = ACTIVATIONS[act]
    z1 = W1 @ x
    a1 = sigma(z1)
    a2 = W2 @ a1
    beta2 = grad_l(a2, y)
    beta1 = W2.T @ beta2                                   # (b)
    dW2 = np.outer(beta2, a1)                              # (a)
    dW1 = np.outer(beta1 * dsigma(z1), x)                  # (c)
    return {"sizes": (n, d, k), "activation": act, "loss": loss_name,
            "a": float(np.max(np.abs(engine_W2 - dW2))), "b": float(np.max(np.abs(engine_beta1 - beta1))),
            "c": float(np.max(np.abs(engine_W1 - dW1)))}


def main(argv: list[str] | None = None) -> dict:
    """Check the identities on random cases, then show the small case; return the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="random networks to check (default 20)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    print(f"The identities against the engine on {args.trials} random networks "
          f"(largest absolute difference per identity):\n")
    print(f"  {'n,d,k':7} {'σ':9} {'loss':30} {'(a)':>8} {'(b)':>8} {'(c)':>8}")
    worst = 0.0
    for _ in range(args.trials):
        r = check_identities(rng)
        worst = max(worst, r["a"], r["b"], r["c"])
        print(f"  {','.join(map(str, r['sizes'])):7} {r['activation']:9} {r['loss']:30} "
              f"{r['a']:8.1e} {r['b']:8.1e} {r['c']:8.1e}")
    print(f"\n  largest difference over all cases: {worst:.1e}\n")

    s = load(PROBLEM).solve()
    net = s.net
    hidden, output = net.layers
    x = np.array(s.problem.x)
    a1 = np.array([a.data for a in hidden.last_post])
    z1 = np.array([z.data for z in hidden.last_pre])
    beta2 = np.array([a.grad for a in output.last_post])
    beta1 = np.array([a.grad for a in hidden.last_post])
    W1, W2 = (net.layers[i].weight_matrix() for i in (0, 1))
    print("The small case of seed000_identities.toml (σ = tanh, l = ½‖a⁽²⁾ − y‖²), entry by entry:")
    print(f"  β₂ = dℓ/da⁽²⁾ = ({', '.join(fmt(b) for b in beta2)})")
    for i in range(W2.shape[0]):
        for j in range(W2.shape[1]):
            w = output.W[i][j]
            print(f"  (a) ∂φ₂/∂{w.label} = a⁽¹⁾{sub(j + 1)}·β₂,{sub(i + 1)} = {factor(a1[j])}·{factor(beta2[i])} = "
                  f"{fmt(a1[j] * beta2[i])}   engine: {fmt(w.grad)}")
    for i in range(W2.shape[1]):
        terms = " + ".join(f"{factor(W2[j, i])}·{factor(beta2[j])}" for j in range(W2.shape[0]))
        print(f"  (b) β₁,{sub(i + 1)} = Σⱼ W⁽²⁾ⱼ{sub(i + 1)}·β₂,ⱼ = {terms} = {fmt(float(W2[:, i] @ beta2))}   "
              f"engine dℓ/da⁽¹⁾{sub(i + 1)}: {fmt(beta1[i])}")
    for i in range(W1.shape[0]):
        for j in range(W1.shape[1]):
            w = hidden.W[i][j]
            value = beta1[i] * (1 - np.tanh(z1[i]) ** 2) * x[j]
            print(f"  (c) ∂φ₁/∂{w.label} = β₁,{sub(i + 1)}·σ′(z⁽¹⁾{sub(i + 1)})·x{sub(j + 1)} = {factor(beta1[i])}·"
                  f"{factor(1 - np.tanh(z1[i]) ** 2)}·{factor(x[j])} = {fmt(value)}   engine: {fmt(w.grad)}")
    return {"worst": worst, "beta2": beta2.tolist(), "beta1": beta1.tolist(),
            "dW1": s.grads["W⁽¹⁾"].tolist(), "dW2": s.grads["W⁽²⁾"].tolist()}


if __name__ == "__main__":
    main(sys.argv[1:])
