"""The step-through's frames and page without a browser: one frame per row of the forward table and
of the trace, each placed on the picture (also where a view folds nodes away), the views the page
takes and says, the errors it refuses with, and the `--steps` option of the command line.
(tests/test_steps.py drives the page itself in a browser.)"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, draw, forward_table, step_through, trace, zero_grad
from autograd.stepthrough.frames import Picture, appearances, completions
from homework import load
from tests.test_explain import random_graph
from tests.test_pictures_cli import run


@pytest.mark.parametrize("seed, view, forward, backward", [
    ("seed000", "collapsed", 20, 30), ("seed001", "neurons", 37, 57), ("seed002", "full", 18, 21),
    ("seed003", "neurons", 49, 68)])  # seed 003: two samples, every one walked
def test_one_frame_per_row_of_the_forward_table_then_of_the_trace(seed, view, forward, backward):
    solution = load(seed).solve()
    page = solution.step_through()
    assert page.view == view and (page.view_note == "") == (view == "full")
    frames = page.frames
    assert [f.phase for f in frames] == ["forward"] * forward + ["backward"] * backward
    assert [f.number for f in frames] == list(range(1, forward + backward + 1))
    table = forward_table(solution.loss, digits=solution.problem.digits)
    assert [f.source for f in frames[:forward]] == table.quantities
    # the trace `chainrule solve --trace` prints, which names every output (−ŷ₂ŷ₁ for softmax)
    printed = str(trace(solution.loss, digits=solution.problem.digits, outputs=tuple(solution.all_outputs)))
    for f in frames[forward:]:
        assert "  ".join(f.cells) in re.sub(r" {2,}", "  ", printed)  # the row as the trace prints it
        assert f.box is not None or f.into_box is not None or f.links  # every row lights something up


def test_the_full_view_lights_exactly_the_rows_edge():
    solution = load("seed002").solve()
    page = solution.step_through()
    drawing = page.drawing
    for f in page.frames[18:]:
        assert f.box == drawing.node_id(f.node) and f.into_box == drawing.node_id(f.into)
        assert f.links == ((f.into_box, f.box),) and f.note == ""


def test_a_view_that_folds_nodes_away_says_where_they_are():
    page = load("seed000").solve().step_through()
    assert page.view_note.startswith("This picture draws the named nodes only, unnamed steps folded into the edges "
                                     "(as the solution's picture does: every operation in a box of its own would "
                                     "make 26 boxes)")
    folded = [f for f in page.frames if f.phase == "backward" and f.box is None]
    assert folded and all("no box in this view" in f.note and f.links for f in folded)
    units = load("seed001").solve().step_through()
    inside = [f for f in units.frames if f.phase == "backward" and f.box == f.into_box]
    assert inside and all(f.links == () and "stays inside it" in f.note for f in inside)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["full", "collapsed"]))
def test_every_row_of_a_random_graph_sits_on_the_picture(seed, view):
    root, _ = random_graph(seed)
    root.backward()
    drawing = draw(root, view=view)
    page = step_through(root, drawing=drawing, view=view)
    edges = {(t, h) for t, h, _ in drawing.edge_partials()}
    backward = [f for f in page.frames if f.phase == "backward"]
    assert len(backward) == len(trace(root).steps)
    for f in backward:
        assert set(f.links) <= edges
        if f.box is not None and f.into_box is not None and f.box != f.into_box:
            assert (f.into_box, f.box) in f.links  # both drawn: their own edge
        elif f.box != f.into_box or f.box is None:
            assert f.links, f  # folded: the edge(s) its step lies on
    picture = Picture(root, drawing)
    appear = appearances(picture, page.frames)
    done = completions(picture, page.frames)
    boxes = set(picture.box.values())
    assert set(appear) == boxes and set(done) == boxes  # every box appears and completes
    assert all(1 <= k <= len(page.frames) - len(backward) for k in appear.values())
    assert all(len(page.frames) - len(backward) < k <= len(page.frames) for k in done.values())


@pytest.mark.needs_dot
def test_the_page_carries_the_frames_as_data():
    page = load("seed002").solve().step_through()
    text = page.html()
    assert load("seed002").solve().step_through().html() == text  # the same program, the same bytes
    data = json.loads(re.search(r'<script type="application/json" id="frames">(.*?)</script>', text, re.S)
                      .group(1).replace("<\\/", "</"))
    assert len(data["frames"]) == 39 and data["frames"][18]["cells"] == list(page.frames[18].cells)
    assert data["closing"] == "engine check: the .grad of all 19 nodes that received a gradient agrees ✓"
    assert data["frames"][32]["sum"] == ["n7", "Σ so far 5.586e-11"]  # x₂: the first of its two contributions
    assert data["frames"][38]["sum"] == ["n7", None]  # … and the second closes the sum
    assert sum(1 for f in data["frames"] if "sum" in f) == 4  # x₁ and x₂ are the only nodes with two consumers
    assert repr(page) == "<StepThrough 'Seed 002: a 2-2-1 sigmoid network': 39 frames (18 forward, 21 backward)>"


def test_stepping_through_needs_the_engines_gradients():
    x = Value(2.0, label="x")
    y = (x * x + x).named("y")
    with pytest.raises(ValueError, match=r"run root.backward\(\) before stepping through it"):
        step_through(y)
    y.backward()
    y.backward()  # x's gradient adds up twice
    with pytest.raises(ValueError, match=r"call zero_grad\(\) and then root.backward\(\) once"):
        step_through(y)
    zero_grad(y)
    y.backward()
    assert len(step_through(y).frames) == 2 + 4  # x, y; y → x·x, y → x, and x·x → x twice (one per slot)
    with pytest.raises(ValueError, match="is a leaf"):
        step_through(x)
    with pytest.raises(TypeError, match="needs a Value"):
        step_through(3.0)
    dead = (x * -1.0).relu().named("r")  # nothing flows back through a relu at a negative input
    dead.backward()
    assert [f.cells[-1] for f in step_through(dead).frames if f.phase == "backward"] == ["0"]


@pytest.mark.parametrize("argv, message", [
    (("solve", "--steps", "s.png"), "--steps s.png: the page is HTML, so the file name must end in .html"),
    (("explain", "2 * 3", "--steps", "s.html"), "--steps: 2 * 3 has no variable, so there is no pass to step through"),
    (("solve", "seed001", "--view", "full", "--max-nodes", "30", "--steps", "s.html"),
     "the picture would have 44 boxes in --view full, more than 30"),
])
def test_the_command_line_refuses_a_page_it_cannot_write(argv, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(*argv)
    assert status == 2 and message in err and out == "" and not list(tmp_path.iterdir())


@pytest.mark.needs_dot
def test_steps_takes_the_pictures_options(tmp_path):
    target = tmp_path / "diagram.html"
    status, _, err = run("solve", "seed002", "--view", "diagram", "--grads", "--steps", str(target))
    assert status == 0 and err == f"wrote the step-through page to {target}: 39 steps, 18 forward and 21 backward\n"
    assert "one circle per unit" in target.read_text(encoding="utf-8")
