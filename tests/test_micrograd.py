"""micrograd's code runs on chainrule with only its imports changed, and prints micrograd's numbers.

The README example is micrograd's own; the training loop is our port of its demo (the same API
calls: ``MLP(2, [16, 16, 1])``, ``model.parameters()``, ``p.grad = 0``, ``loss.backward()``,
``p.data -= lr * p.grad``, ``relu``, ``**``) on the moons of examples/moons.py, since scikit-learn's
``make_moons`` is not a dependency. Both are kept as micrograd source text and run after replacing
the import lines only; where micrograd itself is installed (the dev extra), the same text runs on it
and the numbers are compared.
"""

import importlib.util
import random
import re
from pathlib import Path

import pytest

from autograd import Value, topological_order
from nn import MLP, Layer, Neuron

MICROGRAD_IMPORTS = {
    "from micrograd.engine import Value": "from autograd import Value",
    "from micrograd.nn import Neuron, Layer, MLP": "from nn import Neuron, Layer, MLP",
}

README_EXAMPLE = """\
from micrograd.engine import Value

a = Value(-4.0)
b = Value(2.0)
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
print(f'{g.data:.4f}') # prints 24.7041, the outcome of this forward pass
g.backward()
print(f'{a.grad:.4f}') # prints 138.8338, i.e. the numerical value of dg/da
print(f'{b.grad:.4f}') # prints 645.5773, i.e. the numerical value of dg/db
"""

DEMO = """\
import random
import numpy as np
from micrograd.engine import Value
from micrograd.nn import Neuron, Layer, MLP

np.random.seed(1337)
random.seed(1337)
X, y = make_moons(n_samples=100, noise=0.1)
model = MLP(2, [16, 16, 1])  # 2-layer neural network

def loss(batch_size=None):
    if batch_size is None:
        Xb, yb = X, y
    else:
        ri = np.random.permutation(X.shape[0])[:batch_size]
        Xb, yb = X[ri], y[ri]
    inputs = [list(map(Value, xrow)) for xrow in Xb]
    scores = list(map(model, inputs))  # one Value per point
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]  # svm max-margin loss
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p**2 for p in model.parameters()))  # L2 regularization
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
    return total_loss, sum(accuracy) / len(accuracy)

history = []
for k in range(STEPS):
    total_loss, acc = loss()
    for p in model.parameters():
        p.grad = 0
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    history.append((total_loss.data, acc))
    if k % 10 == 0:
        print(f"step {k} loss {total_loss.data}, accuracy {acc*100}%")
"""


def ported(source: str) -> str:
    """micrograd source with its import lines replaced, and nothing else."""
    lines = source.splitlines()
    out = [MICROGRAD_IMPORTS.get(line, line) for line in lines]
    assert sum(a != b for a, b in zip(lines, out)) == sum(line in MICROGRAD_IMPORTS for line in lines) > 0
    assert not any("micrograd" in line for line in out)
    return "\n".join(out) + "\n"


def _moons():
    path = Path(__file__).resolve().parent.parent / "examples" / "moons.py"
    spec = importlib.util.spec_from_file_location("example_moons", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return lambda n_samples, noise: module.make_moons(n_samples, noise=noise, seed=0)


def run(source: str, **names) -> dict:
    namespace = {"__name__": "micrograd_code", **names}
    exec(compile(source, "micrograd_code", "exec"), namespace)
    return namespace


def test_the_readme_example_prints_micrograds_numbers(capsys):
    run(ported(README_EXAMPLE))
    assert capsys.readouterr().out == "24.7041\n138.8338\n645.5773\n"


def test_the_demo_loop_trains_to_full_accuracy(capsys):
    history = run(ported(DEMO), make_moons=_moons(), STEPS=100)["history"]
    losses = [h[0] for h in history]
    assert losses[-1] < 0.05 < losses[0]
    assert history[-1][1] == 1.0  # as micrograd's demo: 100% training accuracy
    assert "step 90 loss" in capsys.readouterr().out


def test_the_demo_gives_micrograds_own_numbers():
    pytest.importorskip("micrograd", reason="micrograd is not installed (pip install -e '.[dev]')")
    ours = run(ported(DEMO), make_moons=_moons(), STEPS=2, print=lambda *a: None)["history"]
    theirs = run(DEMO, make_moons=_moons(), STEPS=2, print=lambda *a: None)["history"]
    assert [acc for _, acc in ours] == [acc for _, acc in theirs]
    assert [loss for loss, _ in ours] == pytest.approx([loss for loss, _ in theirs], rel=1e-12)


# Built micrograd's way, or as before -----------------------------------------------------------------

def test_mlp_nin_nouts_is_micrograds_network():
    random.seed(7)
    net = MLP(2, [3, 3, 1])
    assert [layer.activation.name for layer in net.layers] == ["relu", "relu", "identity"]
    out = net([0.5, -1.0])
    assert isinstance(out, Value)  # one output: a Value, as in micrograd
    assert len(net.parameters()) == (2 * 3 + 3) + (3 * 3 + 3) + (3 + 1)
    weights = [p.data for layer in net.layers for row in layer.W for p in row]
    assert all(-1 <= w <= 1 for w in weights) and all(b.data == 0 for layer in net.layers for b in layer.b)
    random.seed(7)
    assert [p.data for p in MLP(2, [3, 3, 1]).parameters()] == [p.data for p in net.parameters()]


def test_several_outputs_stay_a_list_and_todays_form_is_unchanged():
    assert isinstance(MLP(2, [4, 2])([1.0, 2.0]), list)
    net = MLP([2, 3, 1], seed=0)
    y_hat, = net([2, 5])  # the README's form: a list, also for one output
    assert isinstance(net([2, 5]), list) and isinstance(y_hat, Value)
    assert [layer.activation.name for layer in net.layers] == ["relu", "identity"]
    assert [p.data for p in MLP([2, 3, 1], seed=0).parameters()] == [p.data for p in net.parameters()]


def test_layer_and_neuron_micrograds_way():
    random.seed(1)
    layer = Layer(3, 1, nonlin=True)
    out = layer([1.0, 2.0, 3.0])
    assert isinstance(out, Value) and out.data >= 0 and layer.activation.name == "relu"
    assert isinstance(Layer(3, 1)([1.0, 2.0, 3.0]), list)  # without nonlin=: as before
    assert Layer(3, 2, nonlin=False).activation.name == "identity"
    n = Neuron(2)
    assert n.activation.name == "relu" and n.bias.data == 0 and len(n.parameters()) == 3
    assert Neuron(2, nonlin=False).activation.name == "identity"
    assert Neuron(2)([Value(1.0), Value(-2.0)]).data >= 0


@pytest.mark.parametrize("build, message", [
    (lambda: MLP(2, "relu"), "MLP(2, [16, 16, 1])"),
    (lambda: MLP(2, [3, 0]), "list of each layer's units"),
    (lambda: MLP(2, []), "list of each layer's units"),
    (lambda: Layer(2, 2, "tanh", nonlin=True), "either activation="),
    (lambda: Neuron([1.0, 2.0], activation="relu", nonlin=False), "either activation="),
])
def test_mixed_up_forms_get_a_clear_error(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


# The engine's micrograd names: _prev, _op, item() -------------------------------------------------

def draw_dot(root, rankdir="LR"):
    """A drawing in the style of micrograd's well-known helper, written against ``_prev`` and ``_op``
    only: one record per Value (data | grad), one small node per operation."""
    from graphviz import Digraph

    dot = Digraph(graph_attr={"rankdir": rankdir})
    seen, stack = set(), [root]
    while stack:
        v = stack.pop()
        if v in seen:
            continue
        seen.add(v)
        uid = str(id(v))
        dot.node(uid, label="{ data %.4f | grad %.4f }" % (v.data, v.grad), shape="record")
        if v._op:
            dot.node(uid + v._op, label=v._op)
            dot.edge(uid + v._op, uid)
        for parent in v._prev:
            dot.edge(str(id(parent)), uid + v._op)
            stack.append(parent)
    return dot


def _readme_graph():
    namespace = run(ported(README_EXAMPLE), print=lambda *a: None)
    return namespace["g"], namespace["a"]


def test_prev_and_op_describe_the_graph():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    assert a._op == "" and list(a._prev) == []
    assert isinstance(c._op, str) and c._op
    assert sorted(map(id, c._prev)) == sorted(map(id, (a, b)))
    assert (c + a)._op != c._op
    assert c.item() == -6.0 and isinstance(c.item(), float)


def test_a_micrograd_style_drawing_from_prev_and_op(tmp_path):
    g, a = _readme_graph()
    dot = draw_dot(g)
    nodes = topological_order(g)
    records = [line for line in dot.body if "shape=record" in line]
    assert len(records) == len(nodes)
    assert "data 24.7041" in dot.source and "grad 138.8338" in dot.source
    operations = sum(1 for v in nodes if v._op)
    assert operations > 10 and dot.source.count("->") == operations + sum(len(list(v._prev)) for v in nodes)


@pytest.mark.needs_dot
def test_the_micrograd_style_drawing_renders(tmp_path):
    g, _ = _readme_graph()
    path = draw_dot(g).render(tmp_path / "graph", format="svg")
    svg = Path(path).read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "24.7041" in svg
