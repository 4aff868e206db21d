"""Drawings (autograd.drawing): the DOT text of seed 002's network and of small graphs — nodes, edges and
their partials, highlight colours and the chain-product caption, views, clusters, escaping,
determinism — and, where graphviz's `dot` is installed, the rendered SVG, PNG and PDF."""

import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from autograd import DomainError, Value, linear, notation, topological_order
from autograd.errors import ChainruleError, DrawingTooLargeError, RenderError
from autograd.drawing import FORMATS, HIGHLIGHT_COLOURS, INSTALL_COMMAND, Drawing, draw, save

graphviz = pytest.importorskip("graphviz")

RED = HIGHLIGHT_COLOURS[0]


def seed002():
    """Seed 002's network by hand: bias weight first (constant input 1.0), W¹ rows bias, x₁, x₂."""
    x1, x2 = Value(2.0, "x_1"), Value(5.0, "x_2")
    w1_numbers = [[-1, 2], [-2, 1], [1, 4]]
    w2_numbers = [[1], [2], [-4]]
    w1 = [[Value(w1_numbers[i][j], f"W^1_{{{i + 1}{j + 1}}}") for j in range(2)] for i in range(3)]
    w2 = [Value(w2_numbers[i][0], f"W^2_{{{i + 1}1}}") for i in range(3)]
    alphas, betas = [], []
    for j in range(2):
        a = linear([w1[0][j], w1[1][j], w1[2][j]], [1.0, x1, x2], label=f"alpha^1_{j + 1}")
        alphas.append(a)
        betas.append(a.sigmoid().named(f"beta^1_{j + 1}"))
    a2 = linear(w2, [1.0, *betas], label="alpha^2")
    yhat = a2.sigmoid().named("\\hat{y}")
    loss = (0.5 * (1 - yhat) ** 2).named("\\ell")
    loss.backward()
    return dict(loss=loss, w1=w1, w2=w2, x1=x1, x2=x2, alphas=alphas, betas=betas, a2=a2, yhat=yhat)


def html_labels(source):
    """Every HTML-like label (<...>) in DOT text, found by balancing angle brackets."""
    out = []
    for m in re.finditer(r"label=<", source):
        i, depth = m.end() - 1, 0
        for j in range(i, len(source)):
            depth += {"<": 1, ">": -1}.get(source[j], 0)
            if depth == 0:
                out.append(source[i + 1:j])
                break
        else:
            raise AssertionError(f"unbalanced label at {i}")
    return out


def label_text(label):
    """The text a label shows, parsed as XML (fails on broken markup)."""
    return "".join(ET.fromstring(f"<root>{label}</root>").itertext())


def node_lines(source):
    return [line.strip() for line in source.splitlines() if re.match(r"\s*n\d+ \[", line)]


def edge_lines(source):
    """Every drawn edge as ``(tail, head, label text or None, DOT line of its first stroke)``: an
    edge with a label runs through the label's own node (``n4 -> e3``, ``e3 -> n8``)."""
    labels = {m.group(1): label_text(html_labels(line)[0]) for line in source.splitlines()
              for m in [re.match(r"\s*(e\d+) \[", line)] if m}
    into, out = {}, []
    for line in source.splitlines():
        m = re.match(r"\s*([nbe]\d+)(?::[we])? -> ([nbe]\d+)(?::[we])?", line)
        if not m or "style=invis" in line:
            continue
        tail, head = m.groups()
        if head.startswith("e"):
            into[head] = (tail, line.strip())
        elif tail.startswith("e"):
            first_tail, first_line = into.pop(tail)
            out.append((first_tail, head, labels[tail], first_line))
        else:
            out.append((tail, head, None, line.strip()))
    assert not into, f"labels that lead nowhere: {into}"
    return out


def node_text(d, value):
    line = next(line for line in node_lines(d.source) if line.startswith(d.node_id(value) + " "))
    return label_text(html_labels(line)[0])


# ---------------------------------------------------------------------------------------------
# Nodes and edges


def test_seed002_every_node_in_topological_order_with_name_data_grad_and_symbol():
    s = seed002()
    d = draw(s["loss"])
    order = topological_order(s["loss"])
    assert isinstance(d, graphviz.Digraph) and isinstance(d, Drawing)
    assert [line.split()[0] for line in node_lines(d.source)] == [f"n{i}" for i in range(len(order))]
    for i, v in enumerate(order):
        assert d.node_id(v) == f"n{i}"
        text = node_text(d, v)
        if v.label:
            assert notation.to_text(v.label) in text
        assert f"data {notation.format_number(v.data).replace('-', '−')}" in text
        assert f"grad {notation.format_number(v.grad).replace('-', '−')}" in text
    assert "Σwx" in node_text(d, s["alphas"][0]) and "σ" in node_text(d, s["yhat"])
    unnamed = [v for v in order if v.op and not v.label]
    assert [v.op for v in unnamed] == ["sub", "pow"]
    for v in unnamed:  # the op result without a name: symbol, data, grad
        assert node_text(d, v).startswith({"sub": "−", "pow": "^"}[v.op] + "data")


def test_every_edge_carries_its_local_partial():
    s = seed002()
    d = draw(s["loss"])
    order = topological_order(s["loss"])
    expected = [(d.node_id(p), d.node_id(v), dp) for v in order for p, dp in zip(v.parents, v.partials)]
    assert d.edge_partials() == expected
    assert len(edge_lines(d.source)) == len(expected) == 21
    for (tail, head, text, _), (tail_id, head_id, dp) in zip(edge_lines(d.source), expected):
        assert (tail, head) == (tail_id, head_id)
        assert text == notation.format_number(dp).replace("-", "−")


def test_a_times_a_has_two_edges():
    a = Value(3.0, "a")
    b = (a * a).named("b")
    b.backward()
    d = draw(b)
    assert [(t, h) for t, h, _, _ in edge_lines(d.source)] == [("n0", "n1"), ("n0", "n1")]
    assert d.edge_partials() == [("n0", "n1", 3.0), ("n0", "n1", 3.0)]


def test_formulas_on_edges_and_nodes_with_names_and_constants():
    s = seed002()
    d = draw(s["loss"], show_formulas=True)
    texts = {(tail, head): text for tail, head, text, _ in edge_lines(d.source)}
    a11, w121, x1 = s["alphas"][0], s["w1"][1][0], s["x1"]
    assert texts[(d.node_id(w121), d.node_id(a11))] == "x₁ = 2"
    assert texts[(d.node_id(x1), d.node_id(a11))] == "W¹₂₁ = −2"
    assert texts[(d.node_id(s["w1"][0][0]), d.node_id(a11))] == "1"  # the constant bias input, as a number
    assert texts[(d.node_id(s["a2"]), d.node_id(s["yhat"]))] == "ŷ(1 − ŷ) = 0.1050"
    square = s["loss"].parents[0]
    sub = square.parents[0]
    assert texts[(d.node_id(s["yhat"]), d.node_id(sub))] == "−1"
    assert texts[(d.node_id(sub), d.node_id(square))] == "2·(1 − ŷ) = 1.762"
    assert "= W¹₁₁·1 + W¹₂₁·x₁ + W¹₃₁·x₂" in node_text(d, a11)
    assert "= 0.5·(1 − ŷ)²" in node_text(d, s["loss"])
    assert "= σ(α²)" in node_text(d, s["yhat"])


@pytest.mark.parametrize("build, shown", [
    (lambda a, b: (a * 3 - 1).exp(), "exp(a·3 − 1)"),
    (lambda a, b: (a * b) ** 2, "(a·b)²"),
    (lambda a, b: a / (a * b), "a/(a·b)"),
    (lambda a, b: a - (b - a), "a − (b − a)"),
    (lambda a, b: (a + b) * (a - b), "(a + b)·(a − b)"),
    (lambda a, b: (-a) ** 2, "(−a)²"),
    (lambda a, b: a * -2.0, "a·(−2)"),
])
def test_unnamed_results_are_written_with_just_the_parentheses_they_need(build, shown):
    a, b = Value(2.0, "a"), Value(3.0, "b")
    inner = build(a, b)
    root = (inner * 1.0).named("r")
    d = draw(root, show_formulas=True)
    assert f"= {shown}·1" in node_text(d, root) or f"= ({shown})·1" in node_text(d, root)
    assert d.captions == ()


def test_digits_controls_every_number():
    s = seed002()
    text = node_text(draw(s["loss"], digits=2), s["yhat"])
    assert "data 0.12" in text and "grad −0.88" in text


# ---------------------------------------------------------------------------------------------
# Highlight


def test_highlight_colours_the_paths_dims_the_rest_and_captions_the_chain_product():
    s = seed002()
    loss, w = s["loss"], s["w1"][1][0]
    d = draw(loss, highlight=w)
    coloured = [e for e in edge_lines(d.source) if f'color="{RED}"' in e[3]]
    on_path = [w, s["alphas"][0], s["betas"][0], s["a2"], s["yhat"], loss.parents[0].parents[0], loss.parents[0], loss]
    assert [(tail, head) for tail, head, _, _ in coloured] == [
        (d.node_id(a), d.node_id(b)) for a, b in zip(on_path, on_path[1:])]
    for line in node_lines(d.source):
        node = line.split()[0]
        is_on = node in {d.node_id(v) for v in on_path}
        assert (f'color="{RED}"' in line) == is_on
        assert ('fillcolor="#f7f7f7"' in line) == (not is_on)  # dimmed
    assert coloured[0][2] == "∂α¹₁/∂W¹₂₁= 2"  # two lines: the factor's name as in the caption, its number
    # the caption: the seed's chain, and its value computed here from the seed's own factors
    yhat = s["yhat"].data
    factors = [-(1 - yhat), yhat * (1 - yhat), 2.0, 0.25, 2.0]
    # d for the total derivative, ∂ for the local factors: as the printout writes the chain
    assert d.captions[0] == "dℓ/dW¹₂₁ = ∂ℓ/∂ŷ · ∂ŷ/∂α² · ∂α²/∂β¹₁ · ∂β¹₁/∂α¹₁ · ∂α¹₁/∂W¹₂₁"
    assert d.captions[1] == "= −0.8808 · 0.1050 · 2 · 0.25 · 2 = −0.09248"  # the printout's own line
    assert math.isclose(math.prod(factors), w.grad, rel_tol=1e-12)
    assert notation.format_number(w.grad) == "-0.09248"
    (graph_label_line,) = [line for line in d.source.splitlines() if line.startswith("\tlabel=<")]
    assert label_text(html_labels(graph_label_line)[0]) == "".join(d.captions)


def test_several_paths_are_listed_and_summed_and_limited():
    s = seed002()
    x1 = s["x1"]
    d = draw(s["loss"], highlight=x1, paths=True)
    assert d.captions[0] == "dℓ/dx₁ = sum over 2 paths, one product per path:"
    assert d.captions[1].startswith("  ∂ℓ/∂ŷ · ∂ŷ/∂α² · ∂α²/∂β¹₁ · ∂β¹₁/∂α¹₁ · ∂α¹₁/∂x₁ = ")
    assert d.captions[2].startswith("+ ∂ℓ/∂ŷ · ∂ŷ/∂α² · ∂α²/∂β¹₂ · ∂β¹₂/∂α¹₂ · ∂α¹₂/∂x₁ = ")
    assert d.captions[-1] == "= " + notation.format_number(x1.grad).replace("-", "−")
    short = draw(s["loss"], highlight=x1, max_paths=1, paths=True)
    assert short.captions[2] == "+ … 1 more paths not listed (max_paths=1)"
    assert short.captions[-1] == d.captions[-1]  # the total still counts every path


def test_the_caption_is_the_printouts_factored_derivation():
    s = seed002()
    x1 = s["x1"]
    d = draw(s["loss"], highlight=x1)
    # x₁ feeds both hidden units; the paths meet again at α², whose gradient is computed once
    assert d.captions[0] == ("dℓ/dx₁ = ∂ℓ/∂α² · ∂α²/∂β¹₁ · ∂β¹₁/∂α¹₁ · ∂α¹₁/∂x₁ + "
                             "∂ℓ/∂α² · ∂α²/∂β¹₂ · ∂β¹₂/∂α¹₂ · ∂α¹₂/∂x₁")
    assert d.captions[-1].startswith("with ∂ℓ/∂α² = −0.09248")
    assert notation.format_number(x1.grad).replace("-", "−") in d.captions[1]


def test_two_highlights_get_two_colours():
    s = seed002()
    w121, w211 = s["w1"][1][0], s["w2"][0]
    d = draw(s["loss"], highlight=[w121, w211])
    blue = HIGHLIGHT_COLOURS[1]
    # an edge on both paths: two strokes, kept apart by a transparent one between them
    both = [e for e in edge_lines(d.source) if f'color="{RED}:transparent:{blue}"' in e[3]]
    assert {tail for tail, _, _, _ in both} == {d.node_id(s["a2"]), d.node_id(s["yhat"]),
                                                d.node_id(s["loss"].parents[0].parents[0]),
                                                d.node_id(s["loss"].parents[0])}
    assert any(c.startswith("dℓ/dW²₁₁ = ") for c in d.captions)


def test_highlight_without_backward_says_so():
    x = Value(2.0, "x")
    y = (x * 3).named("y")
    d = draw(y, highlight=x)
    assert d.captions[0] == "dy/dx = ∂y/∂x = 3"
    assert "backward()" in d.captions[-1]


# ---------------------------------------------------------------------------------------------
# Views and clusters


def test_collapsed_view_hides_unnamed_nodes_and_multiplies_through_them():
    s = seed002()
    d = draw(s["loss"], view="collapsed", show_formulas=True)
    assert len(node_lines(d.source)) == 18  # the two unnamed loss steps are gone
    edge = [e for e in d.edge_partials() if e[:2] == (d.node_id(s["yhat"]), d.node_id(s["loss"]))]
    assert len(edge) == 1 and math.isclose(edge[0][2], -(1 - s["yhat"].data), rel_tol=1e-12)
    text = next(text for tail, head, text, _ in edge_lines(d.source) if (tail, head) == edge[0][:2])
    assert text == "−(1 − ŷ) = −0.8808"  # as the printout writes it
    loss_box = node_text(d, s["loss"])  # its inputs are hidden: its formula, not the last step's "×"
    assert loss_box.startswith("ℓ= 0.5·(1 − ŷ)²") and "×" not in loss_box


def test_collapsed_view_sums_routes_through_hidden_nodes():
    x = Value(1.5, "x")
    z = (x * 2 + (x * 3).exp()).named("z")
    z.backward()
    d = draw(z, view="collapsed")
    assert len(node_lines(d.source)) == 2
    (tail, head, partial), = d.edge_partials()
    assert math.isclose(partial, x.grad) and math.isclose(partial, 2 + 3 * math.exp(4.5))
    assert "(sum of 2 routes)" in edge_lines(d.source)[0][2]


def test_neuron_view_draws_one_node_per_unit():
    s = seed002()
    d = draw(s["loss"], view="neurons", highlight=s["w1"][1][0])
    assert len(node_lines(d.source)) == 6  # x₁, x₂, three units, ℓ
    unit1 = d.node_id(s["betas"][0])
    assert d.node_id(s["alphas"][0]) == unit1 and d.node_id(s["w1"][1][0]) == unit1
    text = node_text(d, s["betas"][0])
    # the bias weight multiplies the constant 1, which is not drawn: it is written in the box;
    # every other weight is written on its edge, the highlighted one in its colour
    assert "α¹₁" in text and "β¹₁" in text and "W¹₁₁ = −1" in text and "W¹₂₁" not in text
    (x1_edge,) = [e for e in edge_lines(d.source) if e[:2] == (d.node_id(s["x1"]), unit1)]
    assert x1_edge[2] == "W¹₂₁ = −2∂ = −0.5"
    assert f'COLOR="{RED}"><B>W¹₂₁ = −2</B>' in d.source
    out = d.node_id(s["yhat"])
    (partial,) = [p for t, h, p in d.edge_partials() if (t, h) == (unit1, out)]
    yhat = s["yhat"].data
    assert math.isclose(partial, yhat * (1 - yhat) * 2.0, rel_tol=1e-12)
    (edge,) = [e for e in edge_lines(d.source) if e[:2] == (unit1, out)]
    assert edge[2] == "W²₂₁ = 2∂ŷ/∂β¹₁= 0.2100"
    assert f'color="{RED}"' in edge[3]
    with pytest.raises(ValueError, match="no linear node"):
        draw((Value(1.0) * 2).named("y"), view="neurons")


def columns_of(source):
    """The ``rank=same`` chains of the DOT text: each column's node ids, top to bottom."""
    return [re.findall(r"[nbet]\d+", body) for body in re.findall(r"\{rank=same; ([^}]*?)(?: \[style=invis\])?\}", source)]


def test_groups_become_titles_over_their_columns():
    s = seed002()
    groups = {"input": [s["x1"], s["x2"]],
              "layer 1": [w for row in s["w1"] for w in row] + s["alphas"] + s["betas"],
              "layer 2": s["w2"] + [s["a2"], s["yhat"]]}
    d = draw(s["loss"], groups=groups)
    titles = {m.group(1): m.group(2) for m in re.finditer(r"(t\d+) \[label=<<B>([^<]*)</B>>", d.source)}
    assert list(titles.values()) == ["input", "layer 1", "layer 2"]
    cols = columns_of(d.source)
    above = {}
    for col in cols:
        for k, node in enumerate(col):
            if node in titles:
                above[titles[node]] = col[k + 1]
    # each title right above its group's first node in a column: x₁, α¹₁ (the first computed), α²
    assert above == {"input": d.node_id(s["x1"]), "layer 1": d.node_id(s["alphas"][0]),
                     "layer 2": d.node_id(s["a2"])}
    assert "cluster" not in d.source  # clusters would let dot reorder the nodes inside them
    neurons = draw(s["loss"], groups=groups, view="neurons")
    assert len(re.findall(r"t\d+ \[label=", neurons.source)) == 3


def test_groups_from_nn_problem_title_every_layer():
    from homework import builtin_text, loads
    solution = loads(builtin_text("seed002")).solve()
    d = solution.drawing()
    titles = re.findall(r"t\d+ \[label=<<B>([^<]*)</B>>", d.source)
    assert titles == ["input", "layer 1", "layer 2", "loss"]


def test_bad_groups_are_refused_with_the_reason():
    s = seed002()
    with pytest.raises(ValueError, match="in two groups"):
        draw(s["loss"], groups={"a": [s["x1"]], "b": [s["x1"]]})
    with pytest.raises(TypeError, match="dict"):
        draw(s["loss"], groups=[s["x1"]])
    with pytest.raises(TypeError, match="must list Values"):
        draw(s["loss"], groups={"a": [1.0]})


def test_max_nodes_refuses_a_poster_and_names_a_smaller_view():
    s = seed002()
    with pytest.raises(DrawingTooLargeError) as info:
        draw(s["loss"], max_nodes=10)
    message = str(info.value)
    assert "20 nodes" in message and "max_nodes=10" in message
    assert "view='collapsed'" in message and "18 nodes" in message and "view='neurons'" in message
    assert isinstance(info.value, ChainruleError) and isinstance(info.value, ValueError)
    assert len(node_lines(draw(s["loss"], max_nodes=10, view="neurons").source)) == 6


def test_bad_arguments_get_clear_errors():
    s = seed002()
    with pytest.raises(ValueError, match="'full', 'collapsed', 'neurons'"):
        draw(s["loss"], view="layers")
    with pytest.raises(ValueError, match="digits"):
        draw(s["loss"], digits=0)
    with pytest.raises(ValueError, match="does not depend on it"):
        draw(s["loss"], highlight=Value(1.0, "w"))
    with pytest.raises(TypeError, match="highlight"):
        draw(s["loss"], highlight="W^1_{21}")
    with pytest.raises(TypeError, match="Value"):
        draw(3.0)


# ---------------------------------------------------------------------------------------------
# Escaping, determinism, read-only


HOSTILE = ['<b>bold</b>', 'a & b', '"quoted"', "it's", '> ]; n99 [label="x"', "x\x00\x07y", "]]> <!--"]


def hostile_graph():
    leaves = [Value(float(k + 1), label) for k, label in enumerate(HOSTILE)]
    out = leaves[0]
    for v in leaves[1:]:
        out = out * v
    out.named('<i>loss</i> & "more"')
    out.backward()
    return out, leaves


def test_user_labels_cannot_break_the_dot_or_inject_markup():
    root, leaves = hostile_graph()
    d = draw(root, highlight=leaves[0], groups={'<g> & "h"': leaves[:2]}, show_formulas=True)
    labels = html_labels(d.source)
    assert len(labels) == len(node_lines(d.source)) + len(edge_lines(d.source)) + 2  # + cluster, caption
    for label in labels:
        tree = ET.fromstring(f"<root>{label}</root>")  # raises on broken markup
        assert {e.tag for e in tree.iter()} <= {"root", "TABLE", "TR", "TD", "FONT", "B", "I"}  # only ours
    assert len(node_lines(d.source)) == len(topological_order(root))
    assert "<b>bold</b>" in node_text(d, leaves[0]) and "a & b" in node_text(d, leaves[1])
    assert "x\ufffd\ufffdy" in node_text(d, leaves[5])
    assert "&lt;b&gt;bold&lt;/b&gt;" in d.source and "<b>bold" not in d.source


def test_same_program_gives_the_same_dot_text():
    def build():
        s = seed002()
        return draw(s["loss"], highlight=[s["w1"][1][0], s["x1"]], show_formulas=True,
                    groups={"layer 2": s["w2"] + [s["a2"]]}).source
    first, second = build(), build()
    assert first == second
    assert "id(" not in first and re.findall(r"\bn(\d+) \[", first)[:3] == ["0", "1", "2"]


def test_drawing_reads_the_graph_only():
    s = seed002()
    order = topological_order(s["loss"])
    before = [(v.data, v.grad, v.label, v.op, v.parents, v.partials, v.consts) for v in order]
    for view in ("full", "collapsed", "neurons"):
        draw(s["loss"], highlight=[s["w1"][1][0], s["x2"]], view=view, show_formulas=True,
             groups={"w": s["w2"]})
    assert [(v.data, v.grad, v.label, v.op, v.parents, v.partials, v.consts) for v in order] == before


# ---------------------------------------------------------------------------------------------
# Saving without dot, the missing-package path


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return tmp_path


def test_dot_text_saves_without_dot(no_dot):
    s = seed002()
    d = draw(s["loss"], highlight=s["w1"][1][0])
    for suffix in (".gv", ".dot"):
        path = d.render_to(no_dot / f"graph{suffix}")
        assert path.read_text(encoding="utf-8") == d.source


def test_rendering_without_dot_raises_our_error_with_the_install_command(no_dot):
    d = draw(seed002()["loss"])
    for suffix in (".svg", ".png", ".pdf"):
        with pytest.raises(RenderError, match=re.escape(INSTALL_COMMAND)):
            d.render_to(no_dot / f"graph{suffix}")
    with pytest.raises(RenderError, match=re.escape(INSTALL_COMMAND)):
        d.pipe(format="svg")
    with pytest.raises(RenderError, match=re.escape(INSTALL_COMMAND)):
        d.render(directory=no_dot, format="png")
    with pytest.raises(RenderError, match=re.escape(INSTALL_COMMAND)):
        save(graphviz.Digraph(), no_dot / "plain.svg")  # any graphviz graph gets the same message


def test_jupyter_without_dot_shows_a_message_not_a_traceback(no_dot):
    bundle = draw(seed002()["loss"])._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and INSTALL_COMMAND in bundle["text/plain"]


def test_unknown_suffix_lists_the_supported_ones(tmp_path):
    d = draw(seed002()["loss"])
    with pytest.raises(ValueError) as info:
        d.render_to(tmp_path / "graph.jpg")
    for suffix in FORMATS:
        assert suffix in str(info.value)
    assert not (tmp_path / "graph.jpg").exists()


def test_engine_imports_without_the_graphviz_package():
    code = ("import sys; sys.modules['graphviz'] = None\n"
            "import autograd, autograd.drawing\n"
            "x = autograd.Value(2.0, 'x'); y = x * x; y.backward(); assert x.grad == 4.0\n"
            "try:\n    autograd.drawing.draw(y)\nexcept ImportError as e:\n    print(e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=os.path.dirname(os.path.dirname(__file__)), timeout=60)
    assert result.returncode == 0, result.stderr
    assert "pip install graphviz" in result.stdout and INSTALL_COMMAND in result.stdout


def test_domain_errors_are_not_swallowed_by_drawing():
    with pytest.raises(DomainError):
        draw(Value(-1.0).log())


# ---------------------------------------------------------------------------------------------
# Rendering (needs dot)


@pytest.mark.needs_dot
def test_svg_parses_and_shows_the_unicode_names(tmp_path):
    s = seed002()
    path = draw(s["loss"], highlight=s["w1"][1][0], show_formulas=True).render_to(tmp_path / "seed002.svg")
    svg = path.read_text(encoding="utf-8")
    ET.fromstring(svg)
    for name in ("W¹₂₁", "α¹₁", "β¹₁", "α²", "ŷ", "ℓ", "dℓ/dW¹₂₁", "∂α¹₁/∂W¹₂₁", "σ", "−0.09248"):
        assert name in svg
    assert 'font-family="DejaVu Sans' in svg


@pytest.mark.needs_dot
@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG\r\n\x1a\n"), (".pdf", b"%PDF-")])
def test_png_and_pdf_have_valid_headers(tmp_path, suffix, magic):
    s = seed002()
    path = draw(s["loss"], highlight=s["w1"][1][0], view="collapsed").render_to(tmp_path / f"seed002{suffix}")
    data = path.read_bytes()
    assert data.startswith(magic) and len(data) > 1000
    if suffix == ".pdf":  # the font with the glyphs is the one embedded, and no fallback font
        fonts = set(re.findall(rb"/FontName\s*/\w+\+([\w-]+)", data))
        assert fonts and all(f.startswith(b"DejaVuSans") for f in fonts), fonts


@pytest.mark.needs_dot
def test_course_symbols_render_in_dejavu_without_a_fallback_font(tmp_path):
    s = seed002()
    z = (Value(1.0, "σ′ ⊙ ∂ ℓ ŷ") * s["loss"]).named("z")
    data = draw(z, highlight=s["w1"][1][0]).render_to(tmp_path / "symbols.pdf").read_bytes()
    fonts = set(re.findall(rb"/FontName\s*/\w+\+([\w-]+)", data))
    assert fonts and all(f.startswith(b"DejaVuSans") for f in fonts), fonts


@pytest.mark.needs_dot
def test_hostile_labels_render(tmp_path):
    root, _ = hostile_graph()
    svg = draw(root).render_to(tmp_path / "hostile.svg").read_text(encoding="utf-8")
    texts = "".join(ET.fromstring(svg).itertext())
    assert "<b>bold</b>" in texts and '"quoted"' in texts


@pytest.mark.needs_dot
def test_jupyter_displays_svg_inline():
    bundle = draw(seed002()["loss"])._repr_mimebundle_()
    assert "ŷ" in bundle["image/svg+xml"]
