"""`step_through` and `StepThrough`: the forward and backward pass of a recorded graph, one frame per row of
the forward table and of the backward trace, as one self-contained HTML page.

The page holds the drawing as inline SVG (rendered by graphviz, the same drawing `autograd.draw`
makes, without a highlighted path: each frame lights up its own node and edge), the frames as JSON,
and the CSS and JavaScript that step through them (assets.py). It makes no network request and
names no font it does not find on the machine, so it works opened from disk, and printing it gives
the final state: every value and every gradient.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from autograd.derive import forward_table, trace
from autograd.derive.model import Equations, Line, text_of
from autograd.drawing import DEFAULT_MAX_NODES, box_count, draw
from autograd.drawing.style import GRAD
from autograd.render import text
from autograd.stepthrough.assets import SCRIPT, STYLE
from autograd.stepthrough.frames import (Picture, appearances, backward_frames, closing_text, completions,
                                         forward_frames, lead_text, open_sums, table_of)
from autograd.value import Value

PIXELS_PER_POINT = 4 / 3  # CSS: 96 pixels, 72 points to the inch

# How each view draws the graph, for the sentence that says which view the page took.
VIEW_WORDS = {"full": "every operation in a box of its own",
              "collapsed": "the named nodes only, unnamed steps folded into the edges",
              "neurons": "one box per unit",
              "diagram": "the network as a sheet draws it, one circle per unit"}


class StepThrough:
    """A step-through of a recorded graph: ``save("steps.html")`` writes the page, and a notebook
    shows it inline (``_repr_html_``).

    Attributes:
        frames (list[Frame]): the forward frames, then the backward ones (see autograd.stepthrough.frames).
        forward (Explanation): the forward table the forward frames come from.
        trace (Explanation): the backward trace the backward frames come from.
        drawing (Drawing): the picture the frames light up.
        view (str): the drawing's view.
        view_note (str): the sentence the page shows about the view ("" for a box per operation).
        title (str): the page's title.
    """

    def __init__(self, frames, forward, backward, drawing, picture, view: str, view_note: str, title: str) -> None:
        self.frames = frames
        self.picture = picture
        self.forward = forward
        self.trace = backward
        self.drawing = drawing
        self.view = view
        self.view_note = view_note
        self.title = title
        self._page: str | None = None
        self._svg: tuple | None = None

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        f = sum(1 for fr in self.frames if fr.phase == "forward")
        return f"<StepThrough {self.title!r}: {len(self.frames)} frames ({f} forward, {len(self.frames) - f} backward)>"

    def html(self) -> str:
        """The whole page as one HTML document (rendered once: it needs graphviz's ``dot``)."""
        if self._page is None:
            self._page = _page(self)
        return self._page

    def svg(self) -> tuple[str, float, float]:
        """The drawing as inline SVG that scales with the page, and its width and height in points."""
        if self._svg is None:
            self._svg = _svg(self.drawing)
        return self._svg

    def save(self, path) -> Path:
        """Write the page to ``path`` (conventionally ``*.html``) and return the path written."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # The page in a frame of its own: its script, its styles and its arrow keys stay inside it,
        # so several step-throughs in one notebook do not disturb each other or the notebook.
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" title="{html.escape(self.title)}" '
                f'style="width: 100%; height: {_frame_height(*self.svg()[1:])}px; border: 1px solid #ddd"></iframe>')


def step_through(root: Value, *, view: str | None = None, digits: int = 4, max_nodes: int = DEFAULT_MAX_NODES,
          drawing=None, why: str = "", title: str | None = None, outputs: tuple = (),
          **draw_options) -> StepThrough:
    """The forward and backward pass of ``root``'s graph, step by step, as a page.

    Frames 1 … F are the rows of `forward_table` (every named node and given leaf, in the order
    computed; an unnamed step shows up with the named node computed from it), frames F+1 … n the
    rows of `trace` (upstream × local partial = contribution, in the engine's order), each with
    exactly the cells the printed table shows.

    Args:
        root: the output; run ``root.backward()`` first (the picture shows the engine's gradients).
        view: the drawing's view (see `autograd.draw`); default every operation in a box of its own,
            or unnamed steps folded into the edges when that would be more than ``max_nodes`` boxes.
        digits: significant digits of every number.
        max_nodes: the most boxes the picture may have.
        drawing: a ready `autograd.Drawing` of ``root``'s graph to use instead (drawn in ``view``,
            default ``"full"``).
        why: why the view was chosen, said on the page next to the view (e.g. the size of the graph).
        title: the page's title (default: the root's name).
        outputs: named outputs outside ``root``'s graph that a softmax partial names (ŷ₁ when only
            ŷ₂ feeds the loss), as in `trace` and `autograd.draw`.
        draw_options: passed to `autograd.draw` (``groups``, ``show_formulas``, …).

    Raises:
        TypeError: ``root`` is not a Value.
        ValueError: the engine's gradients are missing or do not match the backward pass (run
            ``zero_grad()`` and ``root.backward()`` first), or the graph is too large for the view.
    """
    if not isinstance(root, Value):
        raise TypeError(f"step_through needs a Value (usually the loss), got {type(root).__name__}")
    if not root.parents:
        raise ValueError(f"{root!r} is a leaf: there is no forward or backward pass to step through")
    if drawing is None:
        if view is None:
            full = box_count(root, "full")
            view = "full" if full <= max_nodes else "collapsed"
            if view != "full" and not why:
                why = f"every operation would make {full} boxes, more than {max_nodes}"
        drawing = draw(root, view=view, digits=digits, max_nodes=max_nodes, outputs=outputs, **draw_options)
    forward = forward_table(root, digits=digits)
    backward = trace(root, digits=digits, outputs=outputs)
    _check_engine(root, backward)
    picture = Picture(root, drawing)
    frames = forward_frames(forward, picture)
    frames += backward_frames(backward, picture, len(frames) + 1)
    view = view or "full"
    note = "" if view == "full" else (f"This picture draws {VIEW_WORDS[view]}" + (f" ({why})" if why else "")
                                       + ": a row about a node without a box of its own lights up the box or "
                                         "edge it is drawn in.")
    name = frames[len(forward.quantities) - 1].cells[0] if forward.quantities else "the root"
    return StepThrough(frames, forward, backward, drawing, picture, view, note, title or f"{name}, step by step")


def _check_engine(root: Value, backward) -> None:
    """The picture shows the engine's ``.grad``; refuse a page whose picture and rows disagree."""
    if root.grad != 1.0:
        raise ValueError(f"the root's .grad is {root.grad!r}, not 1: run root.backward() before stepping through it "
                         "(the picture shows the engine's .grad)")
    last = {}
    for s in backward.steps:
        last[id(s.into)] = s
    for s in last.values():
        if abs(s.into.grad - s.total) > 1e-9 * max(1.0, abs(s.total)):
            raise ValueError(f"the engine's .grad of {text_of(s.cells[5])} is {s.into.grad!r}, but the backward "
                             f"pass gives {s.total!r}: leaf gradients add up over backward() calls, so call "
                             f"zero_grad() and then root.backward() once before stepping through it")


def _svg(drawing) -> tuple[str, float, float]:
    svg = drawing.pipe(format="svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    match = re.match(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    width, height = (float(match.group(1)), float(match.group(2))) if match else (800.0, 600.0)
    # as wide as the page allows, but a small graph no larger than half again its own size
    widest = f"{width * PIXELS_PER_POINT * 1.5:.0f}px"
    svg = re.sub(r'^<svg width="[\d.]+pt" height="[\d.]+pt"', f'<svg id="graph" role="img" style="max-width: {widest}"',
                 svg, count=1)
    return svg, width, height


def _frame_height(width: float, height: float) -> int:
    """A notebook frame tall enough for the picture at the width a notebook gives it, and the panel."""
    return int(min(900, max(480, 200 + 900 * height / max(width, 1.0))))


def _legend(explanation) -> str:
    """The names a printout defines under its table (where ⟨k⟩ = …), as the text printout writes them."""
    after = explanation.blocks[explanation.blocks.index(table_of(explanation)) + 1:]
    blocks = [b for b in after if isinstance(b, Equations) or (isinstance(b, Line) and b.pieces and not
                                                                text_of(b.pieces).startswith(("engine check", "…")))]
    return text.derivation(blocks) if blocks else ""


def _data(s: StepThrough) -> dict:
    """Everything the script needs; per frame only what changes (the script replays frames 1 … k)."""
    picture = s.picture
    appear = appearances(picture, s.frames)
    done = completions(picture, s.frames)
    sums = open_sums(picture, s.frames)
    frames = []
    for f in s.frames:
        item = {"phase": f.phase, "cells": list(f.cells), "box": f.box, "into": f.into_box, "also": list(f.also),
                "links": [f"{t}->{h}" for t, h in f.links], "note": f.note,
                "appear": sorted(b for b, k in appear.items() if k == f.number),
                "done": sorted(b for b, k in done.items() if k == f.number)}
        if f.number in sums:
            item["sum"] = list(sums[f.number])
        frames.append(item)
    return {"frames": frames, "boxes": sorted(set(picture.box.values()), key=lambda b: int(b[1:])),
            "headers": {f.phase: list(f.header) for f in s.frames}, "grad": GRAD,
            "leads": {"forward": lead_text(s.forward), "backward": lead_text(s.trace)},
            "closing": closing_text(s.trace), "legend": {"forward": _legend(s.forward), "backward": _legend(s.trace)}}


def _page(s: StepThrough) -> str:
    svg, _, _ = s.svg()
    data = json.dumps(_data(s), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    title = html.escape(s.title)
    n = len(s.frames)
    note = f'<p class="view-note">{html.escape(s.view_note)}</p>' if s.view_note else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="chainrule">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1>{note}</header>
<figure id="figure">
{svg}</figure>
<section id="panel" aria-live="polite">
<div id="bar">
<p id="phase"></p>
<p id="counter"><span id="k">1</span> / <span id="n">{n}</span></p>
<button id="prev" type="button" title="previous step (←)">◀ previous</button>
<button id="play" type="button" title="play or pause (space)">▶ play</button>
<button id="next" type="button" title="next step (→)">next ▶</button>
<input id="slider" type="range" min="1" max="{n}" value="1" aria-label="step">
</div>
<p id="lead"></p>
<table id="row"><thead></thead><tbody></tbody></table>
<p id="note"></p>
<p id="key"><span class="forward"><b class="now">green</b>: the node computed in this step, and the edges into it.
</span><span class="backward"><b class="from">orange</b>: the node whose gradient flows back, and the edge with
its local partial; <b class="into">blue</b>: the node it flows into; Σ so far: a sum still waiting for a contribution.
</span></p>
<p id="closing"></p>
<pre id="legend"></pre>
</section>
<script type="application/json" id="frames">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
