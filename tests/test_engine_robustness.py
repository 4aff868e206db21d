"""The engine refuses what it cannot differentiate and is never silently wrong: non-finite seeds,
integers too large for a float, several threads on one graph; micrograd's names for a node; how
value.py and graph.py depend on each other; the node's storage seen through its tuples."""

import ast
import math
import sys
import threading
from pathlib import Path

import pytest

from autograd import Value, as_float, backward, linear, sum_values, topological_order, zero_grad
from autograd.graph import leaves

AUTOGRAD = Path(__file__).resolve().parent.parent / "autograd"


@pytest.mark.parametrize("seed", [math.nan, math.inf, -math.inf, float("nan")])
def test_backward_refuses_a_non_finite_seed(seed):
    x = Value(2.0)
    y = x * x
    with pytest.raises(ValueError, match="finite"):
        y.backward(seed)
    with pytest.raises(ValueError, match="finite"):
        x.backward(seed)  # a leaf as the root too
    assert x.grad == 0.0  # nothing was touched


def test_backward_takes_any_real_seed_and_refuses_other_things():
    x = Value(2.0)
    y = x * 3.0
    y.backward(2)
    assert (y.grad, x.grad) == (2.0, 6.0)
    with pytest.raises(TypeError, match="real number"):
        y.backward("1")
    with pytest.raises(TypeError, match="bool"):
        y.backward(True)


def test_integers_too_large_for_a_float_are_a_clear_value_error():
    for huge in (10 ** 400, -(10 ** 400), 2 ** 1024):
        with pytest.raises(ValueError, match="too large for a float") as info:
            as_float(huge)
        assert "digits" in str(info.value)
        with pytest.raises(ValueError, match="too large for a float"):
            Value(huge)
        with pytest.raises(ValueError, match="too large for a float"):
            sum_values([Value(1.0), huge])
    assert as_float(10 ** 300) == 1e300


def _graph(width=300, depth=40):
    """A graph big enough that a walk of it spans many thread switches."""
    xs = [Value(0.01 * (k + 1), label=f"x{k}") for k in range(width)]
    layer = xs
    for d in range(depth):
        layer = [(a * b + 0.5).tanh() if k % 2 else (a - b * 0.3).relu() + a
                 for k, (a, b) in enumerate(zip(layer, layer[1:] + layer[:1]))]
    return xs, sum_values(layer)


def test_four_threads_on_one_graph_give_what_four_calls_in_turn_give():
    xs, root = _graph()
    ref_xs, ref_root = _graph()
    for _ in range(4):
        ref_root.backward()
    inner = [v for v in topological_order(root) if v.parents]
    ref_inner = [v for v in topological_order(ref_root) if v.parents]

    errors = []
    start = threading.Barrier(4)

    def work():
        try:
            start.wait()
            root.backward()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors
    assert [x.grad for x in xs] == [x.grad for x in ref_xs]  # leaves: four contributions each, exactly
    assert [v.grad for v in inner] == [v.grad for v in ref_inner]  # intermediates: one pass's worth


def test_micrograd_names_for_a_node():
    a, b = Value(-4.0), Value(2.0)
    c = (a * b + b ** 3).relu()
    assert c.item() == c.data == 0.0
    assert c._prev == c.parents and c._prev[0]._prev == (c.parents[0].parents[0], c.parents[0].parents[1])
    assert (c._op, a._op) == ("relu", "")
    assert [p._op for p in c._prev[0]._prev] == ["×", "^"]
    for name in ("_prev", "_op"):
        with pytest.raises(AttributeError):
            setattr(c, name, ())


def test_a_draw_dot_helper_written_for_micrograd_draws_a_chainrule_graph():
    graphviz = pytest.importorskip("graphviz")

    def trace(root):  # the usual helper: collect nodes and edges through _prev
        nodes, edges, todo = set(), set(), [root]
        while todo:
            v = todo.pop()
            if v not in nodes:
                nodes.add(v)
                for child in v._prev:
                    edges.add((child, v))
                    todo.append(child)
        return nodes, edges

    def draw_dot(root):
        dot = graphviz.Digraph(format="svg", graph_attr={"rankdir": "LR"})
        nodes, edges = trace(root)
        for n in nodes:
            uid = str(id(n))
            dot.node(name=uid, label="{ data %.4f | grad %.4f }" % (n.data, n.grad), shape="record")
            if n._op:
                dot.node(name=uid + n._op, label=n._op)
                dot.edge(uid + n._op, uid)
        for n1, n2 in edges:
            dot.edge(str(id(n1)), str(id(n2)) + n2._op)
        return dot

    x1, x2, w1, w2, b = Value(2.0), Value(0.0), Value(-3.0), Value(1.0), Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    source = draw_dot(o).source
    assert source.count("shape=record") == len(topological_order(o)) == 10
    assert "label=tanh" in source and "label=\"×\"" in source
    assert "grad 0.5000" in source  # ∂o/∂x₂ = w₂·(1 − o²) = 0.5: Karpathy's lecture example


def test_value_does_not_import_graph_anywhere():
    tree = ast.parse((AUTOGRAD / "value.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):  # module level and inside functions alike
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module)
            imported.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    assert not any(name and name.startswith("autograd.graph") for name in imported), imported
    assert "autograd.value" in {n.module for n in ast.walk(ast.parse((AUTOGRAD / "graph.py").read_text()))
                                if isinstance(n, ast.ImportFrom)}


def test_backward_processes_the_nodes_in_the_order_printouts_show():
    x, y = Value(0.5, "x"), Value(-1.5, "y")
    c = x * y
    root = (c + c * c).tanh() + linear([x, y], [c, c.relu()], 0.25) - 3 / (1 + y * y)
    order = backward(root)
    shown = topological_order(root)
    assert [v for v in order if v.parents] == [v for v in shown if v.parents]
    assert {id(v) for v in order} == {id(v) for v in shown} and len(order) == len(shown)
    assert leaves(root) == [x, y]


def test_every_kind_of_node_reads_as_tuples():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    cases = {
        "leaf": (x, (), (), None),
        "unary": (x.relu(), (x,), (1.0,), None),
        "two values": (x * y, (x, y), (3.0, 2.0), None),
        "constant right": (x - 4, (x,), (1.0,), (None, 4.0)),
        "constant left": (4 - x, (x,), (-1.0,), (4.0, None)),
        "any number": (sum_values([x, 1.0, y]), (x, y), (1.0, 1.0), (None, 1.0, None)),
        "any number, all values": (linear([x], [y]), (x, y), (3.0, 2.0), None),
    }
    for name, (v, parents, partials, consts) in cases.items():
        assert (v.parents, v.partials, v.consts) == (parents, partials, consts), name
        assert type(v.parents) is tuple and type(v.partials) is tuple, name
        assert v.is_leaf == (name == "leaf")


def test_zero_grad_clears_leaves_and_intermediates():
    x = Value(2.0)
    y = (x * x).exp() * x
    y.backward()
    assert x.grad != 0.0
    zero_grad(y)
    assert all(v.grad == 0.0 for v in topological_order(y))
    x.zero_grad()
    assert x.grad == 0.0


def test_sums_add_left_to_right_on_every_python():
    # Python 3.12 made sum() of floats compensate its rounding; the engine keeps one rounding per
    # addition, so a program prints the same digits on every supported Python.
    big, one = Value(1e16), Value(1.0)
    assert sum_values([big, one, -big]).data == 0.0  # (1e16 + 1) rounds to 1e16 first
    assert linear([big, one, big], [one, one, Value(-1.0)]).data == 0.0
