"""Gradients agree with PyTorch's (install the optional extra: pip install -e '.[torch]').

Skipped when PyTorch is not installed: the rest of the suite checks every rule against `math` and
central differences, so this is a second opinion, not the only one.
"""

import random

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn import MLP, losses  # noqa: E402

UNARY = ["exp", "tanh", "sigmoid", "relu", "sin", "cos", "abs", "softplus"]


def _torch_unary(name, t):
    return {"exp": torch.exp, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "sin": torch.sin,
            "cos": torch.cos, "abs": torch.abs, "softplus": torch.nn.functional.softplus}[name](t)


@pytest.mark.parametrize("seed", range(5))
def test_random_expressions_match_torch(seed):
    rng = random.Random(seed)
    start = [rng.uniform(-1.5, 1.5) for _ in range(3)]
    ours = [Value(v) for v in start]
    theirs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in start]
    a, b = list(ours), list(theirs)
    for _ in range(12):
        i, j = rng.randrange(len(a)), rng.randrange(len(a))
        kind = rng.choice(["add", "sub", "mul", "unary"])
        if kind == "unary":
            name = rng.choice(UNARY)
            a.append(getattr(a[i], name)() if name != "abs" else abs(a[i]))
            b.append(_torch_unary(name, b[i]))
        else:
            op = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y}[kind]
            a.append(op(a[i], a[j]))
            b.append(op(b[i], b[j]))
    a[-1].backward()
    b[-1].backward()
    assert a[-1].data == pytest.approx(b[-1].item(), rel=1e-12, abs=1e-12)
    for v, t in zip(ours, theirs):
        expected = t.grad.item() if t.grad is not None else 0.0
        assert v.grad == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_seed001_network_matches_torch():
    W1 = [[0.1, -0.2, 0.3, 0.4], [0.5, -0.3, 0.1, -0.2], [0.4, 0.2, -0.5, 0.3]]
    b1, W2, b2 = [0.1, -0.1, 0.05], [[-0.3, 0.2, 0.1], [0.4, -0.5, 0.3]], [0.05, -0.05]
    x, y = [1.0, -1.0, 0.5, 2.0], [0.0, 1.0]
    net = MLP.from_matrices([W1, W2], [b1, b2], activations=["relu(z) + sin(z)", "softmax"])
    loss = losses.cross_entropy_from_probabilities(net(x), y)
    loss.backward()

    tW1, tb1, tW2, tb2 = (torch.tensor(m, dtype=torch.float64, requires_grad=True) for m in (W1, b1, W2, b2))
    z1 = tW1 @ torch.tensor(x, dtype=torch.float64) + tb1
    h = torch.relu(z1) + torch.sin(z1)
    y_hat = torch.softmax(tW2 @ h + tb2, dim=0)
    t_loss = -(torch.tensor(y, dtype=torch.float64) * torch.log(y_hat)).sum()
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    grads = net.matrices(grad=True)
    for key, t in (("W¹", tW1), ("b¹", tb1), ("W²", tW2), ("b²", tb2)):
        assert grads[key] == pytest.approx(t.grad.numpy(), rel=1e-10, abs=1e-14)
