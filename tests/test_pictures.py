"""Pictures as a reader sees them, measured on the rendered SVG and PNG of every built-in problem:
inputs and units top to bottom in index order, each label on its edge and clear of every box, two
highlighted paths never drawn as one stroke, the digits asked for, Unicode names without TeX
braces, the size limits (≤ 2400 × 2400 px, no text under 13 px), and the diagram view of seed 002
(a "+1" feeding every unit, the weights as the matrices print them)."""

from __future__ import annotations

import html
import math
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

import pytest

from autograd import Value, draw, linear, notation
from autograd.drawing import HIGHLIGHT_COLOURS, VIEWS
from homework import load

graphviz = pytest.importorskip("graphviz")

SEEDS = ("seed000", "seed001", "seed002", "seed003")
SVG = "{http://www.w3.org/2000/svg}"
LIMIT_PX = 2400
SMALLEST_TEXT_PX = 13
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------
# Reading an SVG written by graphviz


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def shape_points(g) -> list[tuple[float, float]]:
    """The outline points of a node or edge group: polygon points, path coordinates, ellipses."""
    points = []
    for el in g:
        if el.tag == SVG + "polygon":
            xs = numbers(el.get("points"))
            points += list(zip(xs[::2], xs[1::2]))
        elif el.tag == SVG + "path":
            xs = numbers(el.get("d"))
            points += list(zip(xs[::2], xs[1::2]))
        elif el.tag == SVG + "ellipse":
            cx, cy, rx, ry = (float(el.get(k)) for k in ("cx", "cy", "rx", "ry"))
            points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    return points


class Picture:
    """A rendered SVG: each node's box (x0, y0, x1, y1; y grows downwards) and texts, each edge's
    paths with their stroke colours, by the DOT ids in their titles."""

    def __init__(self, svg: str) -> None:
        self.root = ET.fromstring(svg)
        self.width_pt = float(self.root.get("width").removesuffix("pt"))
        self.boxes: dict[str, tuple] = {}
        self.texts: dict[str, list[str]] = {}
        self.edges: list[tuple[str, str, list]] = []  # (tail, head, [(stroke, stroke-width, points)])
        for g in self.root.iter(SVG + "g"):
            title = g.find(SVG + "title")
            if title is None:
                continue
            if g.get("class") == "node":
                pts = shape_points(g)
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                self.boxes[title.text] = (min(xs), min(ys), max(xs), max(ys))
                self.texts[title.text] = [t.text or "" for t in g.iter(SVG + "text")]
            elif g.get("class") == "edge":
                tail, head = (end.split(":")[0] for end in title.text.split("->"))  # e3:w -> e3
                strokes = []
                for el in g.findall(SVG + "path"):
                    xs = numbers(el.get("d"))
                    strokes.append((el.get("stroke"), float(el.get("stroke-width", "1")),
                                    list(zip(xs[::2], xs[1::2]))))
                self.edges.append((tail, head, strokes))

    def centre(self, dot_id: str) -> tuple[float, float]:
        x0, y0, x1, y1 = self.boxes[dot_id]
        return (x0 + x1) / 2, (y0 + y1) / 2

    def font_sizes(self) -> list[float]:
        return [float(t.get("font-size")) for t in self.root.iter(SVG + "text") if (t.text or "").strip()]


def gap(box, point) -> float:
    """Distance from a point to a box (0 inside)."""
    x0, y0, x1, y1 = box
    dx = max(x0 - point[0], 0, point[0] - x1)
    dy = max(y0 - point[1], 0, point[1] - y1)
    return math.hypot(dx, dy)


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@lru_cache(maxsize=None)
def solution(seed: str):
    return load(seed).solve()


@lru_cache(maxsize=None)
def rendered(seed: str, view: str | None) -> tuple:
    """(drawing, Picture) of a seed's solution in a view (None: the default picture)."""
    d = solution(seed).drawing(view=view, max_nodes=1000) if view else solution(seed).drawing()
    return d, Picture(d.pipe(format="svg").decode("utf-8"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


# ---------------------------------------------------------------------------------------------
# Order, labels, strokes


@pytest.mark.needs_dot
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("seed", SEEDS)
def test_inputs_and_units_stand_in_index_order_top_to_bottom(seed, view):
    s = solution(seed)
    d, pic = rendered(seed, view)
    run = s.runs[0]  # the sample the picture draws (with several samples, the first)
    columns = [list(run.inputs)]
    for pre, post in zip(run.pre, run.post):
        columns += [pre, post]
    checked = 0
    for values in columns:
        ids = [d.node_id(v) for v in values if any(v is w for w, _ in d._ids)]  # ŷ₁ of seed 001 is not
        if len(set(ids)) < len(ids):  # in the loss's graph
            continue  # pre-activation and output of one unit share its box: checked with the outputs
        heights = [pic.centre(i)[1] for i in ids]
        assert heights == sorted(heights), f"{seed} {view}: {[notation.to_text(v.label) for v in values]} out of order"
        checked += len(ids) > 1
    assert checked  # every seed has a layer of two or more units


@pytest.mark.needs_dot
@pytest.mark.parametrize("view", ["full", "collapsed"])
@pytest.mark.parametrize("seed", SEEDS)
def test_each_units_weight_boxes_stand_in_index_order(seed, view):
    s = solution(seed)
    d, pic = rendered(seed, view)
    for layer in s.net.layers:
        for neuron in layer.neurons:
            params = list(neuron.weights) + ([neuron.bias] if neuron.bias is not None else [])
            heights = [pic.centre(d.node_id(w))[1] for w in params]
            assert heights == sorted(heights), f"{seed} {view}: {[w.label for w in params]} out of order"


@pytest.mark.needs_dot
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("seed", SEEDS)
def test_each_label_sits_on_its_edge_and_clear_of_every_box(seed, view):
    _, pic = rendered(seed, view)
    labels = [i for i in pic.boxes if i.startswith("e")]
    assert labels
    for label in labels:
        into = [strokes for tail, head, strokes in pic.edges if head == label]
        out = [strokes for tail, head, strokes in pic.edges if tail == label]
        assert len(into) == len(out) == 1, label  # one edge runs through each label
        box = pic.boxes[label]
        for strokes in into + out:
            ends = [p for _, _, points in strokes for p in (points[0], points[-1])]
            assert min(gap(box, p) for p in ends) < 2.0, f"{seed} {view}: {label} is off its edge"
        for other, other_box in pic.boxes.items():
            if other != label:
                assert not overlap(box, other_box), f"{seed} {view}: {label} overlaps {other}"


@pytest.mark.needs_dot
@pytest.mark.parametrize("seed", SEEDS)
def test_two_highlighted_paths_on_one_edge_are_two_strokes_apart(seed):
    _, pic = rendered(seed, None)
    shared = 0
    for tail, head, strokes in pic.edges:
        coloured = [(c, w, pts) for c, w, pts in strokes if c in HIGHLIGHT_COLOURS]
        if len(coloured) < 2:
            continue
        shared += 1
        (c1, w1, p1), (c2, w2, p2) = coloured[:2]
        assert c1 != c2
        apart = min(math.dist(a, b) for a, b in zip(p1, p2))
        assert apart > (w1 + w2) / 2 + 1, f"{tail}->{head}: the two paths touch ({apart:.1f} pt apart)"
    assert shared  # both derivatives of every seed run through the loss's last edge


# ---------------------------------------------------------------------------------------------
# Text: digits, names, the loss


def significant_digits(token: str) -> int:
    mantissa = token.replace("−", "").replace("-", "").split("e")[0]
    return len(mantissa.replace(".", "").lstrip("0"))


@pytest.mark.parametrize("digits", [2, 3, 6])
@pytest.mark.parametrize("seed", SEEDS)
def test_the_picture_shows_the_digits_asked_for(seed, digits, tmp_path):
    from homework.cli import main

    target = tmp_path / "g.gv"
    assert main(["solve", seed, "--digits", str(digits), "--draw", str(target)]) == 0
    source = target.read_text(encoding="utf-8")
    texts = [re.sub(r"<[^>]+>", " ", m) for m in re.findall(r"label=<(.*?)>(?: |\]|$)", source, re.M)]
    shown = [t for text in texts for t in re.findall(r"[−-]?\d+\.\d+(?:e[−-]\d+)?|[−-]?\d+e[−-]\d+", text)]
    assert shown
    assert max(significant_digits(t) for t in shown) == digits


def test_digits_reach_the_explain_picture(tmp_path):
    from homework.cli import main

    target = tmp_path / "f.gv"
    assert main(["explain", "f = exp(x) * y", "x=1.23456", "y=2", "--digits", "2", "--draw", str(target)]) == 0
    source = target.read_text(encoding="utf-8")
    assert "data 3.4" in source and "3.43" not in source


_TOKEN = re.compile(r"<[^<>]*>|>|[^<>]+")  # a tag, the > closing a label, or text


def all_label_texts(source: str) -> list[str]:
    """The text of every HTML-like label in DOT text: tags skipped, entities decoded, up to the
    ``>`` that closes the label."""
    out = []
    for m in re.finditer(r"label=<", source):
        words = []
        for token in _TOKEN.finditer(source, m.end()):
            piece = token.group()
            if piece == ">":
                break
            if not piece.startswith("<"):
                words.append(html.unescape(piece))
        out.append("".join(words))
    return out


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("seed", SEEDS)
def test_no_tex_braces_in_any_label(seed, view):
    s = solution(seed)
    source = s.drawing(view=view, max_nodes=1000).source
    texts = all_label_texts(source)
    assert texts and not [t for t in texts if "{" in t or "}" in t]


def test_names_the_tables_do_not_know_still_lose_their_braces():
    # a published walk-through's names: net_{h1}, out_{o1}; subscripts with no Unicode letter (q)
    i1 = Value(0.05, "i_1")
    w1 = Value(0.15, "w_{1}")
    net = linear([w1], [i1], label="net_{h1}")
    out = net.sigmoid().named("out_{h1}")
    loss = (out * Value(1.0, "x_{q2}")).named("E_{total}")
    loss.backward()
    for view in VIEWS:
        texts = all_label_texts(draw(loss, view=view, highlight=w1, show_formulas=view != "diagram").source)
        joined = " ".join(texts)
        assert "{" not in joined and "}" not in joined
        assert "outₕ₁" in joined and "Eₜₒₜₐₗ" in joined
    assert "netₕ₁" in " ".join(all_label_texts(draw(loss, highlight=w1).source))


def test_the_loss_box_shows_its_formula_and_the_caption_writes_d_as_the_printout_does():
    s = solution("seed002")
    d = s.drawing()
    texts = all_label_texts(d.source)
    (loss_box,) = [t for t in texts if t.startswith("ℓ")]
    assert "0.5·(1 − ŷ)²" in loss_box and "×" not in loss_box
    assert d.captions[0].startswith("dℓ/dW²₁₁ = ∂ℓ/∂ŷ")
    printout = s.render()
    assert "dℓ/dW²₁₁ = ∂ℓ/∂ŷ · ∂ŷ/∂α² · ∂α²/∂W²₁₁" in printout
    diagram = s.drawing(view="diagram")
    assert any(t.startswith("ℓ = 0.5·(1 − ŷ)²") for t in all_label_texts(diagram.source))


# ---------------------------------------------------------------------------------------------
# Size


def measure(seed: str, argv: list[str], tmp_path: Path) -> tuple[int, int, float]:
    """(width px, height px, smallest text px) of the PNG the command line draws."""
    from homework.cli import main

    png, svg = tmp_path / f"{seed}.png", tmp_path / f"{seed}.svg"
    for target in (png, svg):
        assert main(["solve", seed, *argv, "--draw", str(target)]) == 0
    width, height = png_size(png.read_bytes())
    pic = Picture(svg.read_text(encoding="utf-8"))
    scale = width / pic.width_pt  # pixels per SVG point
    return width, height, min(pic.font_sizes()) * scale


@pytest.mark.needs_dot
@pytest.mark.parametrize("seed, argv", [(seed, []) for seed in SEEDS] + [("seed002", ["--view", "diagram"])])
def test_every_default_picture_fits_2400_px_with_text_at_least_13_px(seed, argv, tmp_path, capsys):
    width, height, smallest = measure(seed, argv, tmp_path)
    capsys.readouterr()
    print(f"{seed} {' '.join(argv) or 'default'}: {width} × {height} px, smallest text {smallest:.1f} px")
    assert width <= LIMIT_PX and height <= LIMIT_PX, (width, height)
    assert smallest >= SMALLEST_TEXT_PX, smallest


@pytest.mark.needs_dot
def test_a_large_network_falls_back_to_one_box_per_unit_and_says_so(tmp_path):
    problem = tmp_path / "wide.toml"
    problem.write_text("""
[network]
convention = "Wx+b"
[[layer]]
weights = [[0.1, 0.2, 0.3, 0.4, 0.5], [0.5, 0.4, 0.3, 0.2, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2], [0.1, 0.0, 0.1, 0.0, 0.1]]
biases = [0, 0, 0, 0]
activation = "tanh"
[[layer]]
weights = [[1, -1, 1, -1]]
activation = "sigmoid"
[data]
x = [1, 2, 3, 4, 5]
y = [1]
[loss]
kind = "squared_error"
""", encoding="utf-8")
    picture = tmp_path / "wide.png"
    r = subprocess.run([sys.executable, "-m", "homework", "solve", str(problem), "--draw", str(picture)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    notes = [line for line in r.stderr.splitlines() if "one box per unit" in line]
    assert len(notes) == 1 and "--view neurons" in notes[0] and "--max-nodes" in notes[0]
    assert max(png_size(picture.read_bytes())) <= LIMIT_PX


# ---------------------------------------------------------------------------------------------
# The diagram seed 002's first question asks for


def test_seed002_diagram_has_a_plus_one_feeding_every_unit_and_the_weights_as_printed():
    s = solution("seed002")
    d = s.drawing(view="diagram", highlight=[])
    source = d.source
    bias_nodes = re.findall(r"(b\d+) \[label=<<FONT[^>]*><B>\+1</B>", source)
    assert len(bias_nodes) == 2  # one per layer
    edges = {}
    texts = dict(re.findall(r"(e\d+) \[label=(<.*?>) ", source))
    for line in source.splitlines():
        m = re.match(r"\s*([nb]\d+) -> (e\d+):w", line)
        if m:
            edges[m.group(2)] = [m.group(1)]
        m = re.match(r"\s*(e\d+):e -> (n\d+)", line)
        if m:
            edges[m.group(1)].append(m.group(2))
    labelled = {(tail, head): "".join(ET.fromstring(f"<r>{texts[e][1:-1]}</r>").itertext())
                for e, (tail, head) in edges.items()}
    net = s.net
    previous = list(net.last_inputs)
    for layer, bias in zip(net.layers, bias_nodes):
        units = [d.node_id(v) for v in layer.last_post]
        W = layer.weight_matrix()
        sources = [bias] + [d.node_id(v) for v in previous]
        for i, row in enumerate(W):  # row 1 multiplies the +1, row i + 1 input i; column j is unit j
            for j, w in enumerate(row):
                name = notation.to_text(f"W^{layer.index}_{{{i + 1}{j + 1}}}")
                assert labelled[(sources[i], units[j])] == f"{name} = {notation.format_number(w).replace('-', '−')}"
        assert {head for (tail, head) in labelled if tail == bias} == set(units)  # +1 feeds every unit
        previous = layer.last_post
    caption = " ".join(d.captions)
    assert "W²₁₁ is on the edge from +1 into ŷ" in caption and "W²₂₁ (not W²₁₁) on the edge from β¹₁" in caption


def test_the_diagram_without_values_shows_names_only_and_grads_on_request():
    s = solution("seed002")
    bare = all_label_texts(s.drawing(view="diagram", values=False, highlight=[]).source)
    assert "W¹₂₁" in bare and "β¹₁σ(α¹₁)" in bare and "ℓ = 0.5·(1 − ŷ)²" in bare  # names and formulas
    numbers_shown = [t for t in bare if re.search(r"\d", t) and not t.startswith(("+1", "ℓ = 0.5·(1 − ŷ)²", "layer"))]
    assert not numbers_shown
    with_grads = " ".join(all_label_texts(s.drawing(view="diagram", grads=True).source))
    assert "grad −0.09248" in with_grads
    with pytest.raises(ValueError, match="view='diagram'"):
        s.drawing(view="neurons", values=False)


@pytest.mark.needs_dot
def test_the_command_draws_the_diagram_of_the_first_question(tmp_path):
    target = tmp_path / "q1.svg"
    r = subprocess.run([sys.executable, "-m", "homework", "solve", "seed002", "--view", "diagram", "--draw",
                        str(target)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    texts = "".join(ET.fromstring(target.read_text(encoding="utf-8")).itertext())
    assert texts.count("+1") >= 2 and "W¹₂₁ = −2" in texts and "W²₁₁ = 1" in texts


def test_a_softmax_edge_names_the_other_output_as_the_printout_does():
    # seed 001's loss reads only ŷ₂, but ∂ŷ₂/∂z⁽²⁾₁ = −ŷ₂ŷ₁ names ŷ₁: the drawing (and the page's
    # picture and trace) say it as the printout does, not as −ŷ₂·softmax₁(z⁽²⁾₁, z⁽²⁾₂)
    solution = load("seed001").solve()
    assert re.search(r"∂ŷ₂/∂z⁽²⁾₁ +?= −ŷ₂ŷ₁", solution.render(trace=True))
    dot = solution.drawing(view="full").source
    assert "−ŷ₂ŷ₁" in dot and "−ŷ₂·softmax₁" not in dot
    page = solution.step_through(view="full")
    assert any("−ŷ₂ŷ₁" in " ".join(frame.cells) for frame in page.frames)
    assert not any("softmax₁(" in " ".join(frame.cells) for frame in page.frames)
    # without the network's outputs, the drawing cannot name ŷ₁ and writes its formula
    assert "−ŷ₂·softmax₁(z⁽²⁾₁, z⁽²⁾₂)" in draw(solution.loss, show_formulas=True).source
