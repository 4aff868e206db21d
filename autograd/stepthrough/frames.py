"""The frames of a step-through, as data: one per row of the forward table, then one per row of the
backward trace, each saying which boxes and edges of the drawing it lights up.

Nothing is computed here that a printout does not already state: the rows are the forward table's
(`autograd.derive.forward.forward_table`) and the trace's (`autograd.derive.trace.trace`), their
cells exactly as the printed tables show them; the drawing (`autograd.draw`) says which box shows
which Value. What is worked out here is only *where* a row sits in the picture: a node drawn inside
another box (a unit's pre-activation in the neuron view), or folded into an edge (an unnamed step in
the collapsed view), lights up that box or that edge, and the frame says so.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from autograd.derive.model import Line, Table, text_of
from autograd.graph import topological_order


@dataclass(frozen=True)
class Frame:
    """One frame of a step-through.

    Attributes:
        number: its position, from 1.
        phase: ``"forward"`` or ``"backward"``.
        header: the printed table's column names.
        cells: the row's cells exactly as the printed table shows them (plain text).
        node: forward: the Value computed; backward: the consumer whose gradient flows back.
        into: backward: the argument receiving the contribution (None going forward).
        box: the DOT id of the box showing ``node`` (None: the view does not draw it).
        into_box: the DOT id of the box showing ``into`` (None going forward, or not drawn).
        links: the drawn edges lit up, as ``(tail id, head id)``: going forward, the edges into
            ``node``'s box and into ``also``; going backward, the edge(s) the row's local partial
            lies on.
        also: going forward, the boxes of the unnamed steps computed on the way to ``node`` (they
            have no row of their own: ``ℓ = 0.5·(1 − ŷ)²`` computes 1 − ŷ and (1 − ŷ)² too).
        note: what the picture cannot show as the row says it ("" when it can).
        source: the `autograd.derive.model.Quantity` or `autograd.derive.model.TraceStep` of the row.
    """

    number: int
    phase: str
    header: tuple
    cells: tuple
    node: object
    into: object
    box: str | None
    into_box: str | None
    links: tuple
    note: str
    source: object
    also: tuple = ()


class Picture:
    """Where each Value of the graph sits in a drawing: its box, or the boxes next to it when the
    view folds it away."""

    def __init__(self, root, drawing) -> None:
        self.order = topological_order(root)
        self.index = {id(v): k for k, v in enumerate(self.order)}
        self.box: dict[int, str] = {}
        for v in self.order:
            try:
                self.box[id(v)] = drawing.node_id(v)
            except KeyError:
                pass  # folded into an edge by this view
        self.links = tuple(dict.fromkeys((tail, head) for tail, head, _ in drawing.edge_partials()))
        self.members: dict[str, int] = {}
        for dot_id in self.box.values():
            self.members[dot_id] = self.members.get(dot_id, 0) + 1
        self.consumers: dict[int, list] = {}
        for v in self.order:
            for p in v.parents:
                self.consumers.setdefault(id(p), []).append(v)

    def shared(self, box: str) -> bool:
        """Whether ``box`` shows several Values (a unit with its steps and weights)."""
        return self.members.get(box, 0) > 1

    def box_of(self, v) -> str | None:
        return self.box.get(id(v))

    def _nearest(self, v, step) -> set[str]:
        """The boxes reached from ``v`` through undrawn Values only (``step``: the way to go)."""
        found, seen, todo = set(), set(), [v]
        while todo:
            u = todo.pop()
            if id(u) in seen:
                continue
            seen.add(id(u))
            if id(u) in self.box:
                found.add(self.box[id(u)])
            else:
                todo.extend(step(u))
        return found

    def links_between(self, tail_value, head_value) -> tuple:
        """The drawn edges that carry the partial ∂head/∂tail: the edge from tail's box to head's, or,
        where the view folds either into an edge, every edge whose route passes through them."""
        heads = self._nearest(head_value, lambda u: self.consumers.get(id(u), ()))
        tails = self._nearest(tail_value, lambda u: u.parents)
        return tuple((t, h) for t, h in self.links if t in tails and h in heads and t != h)

    def links_into(self, box: str | None) -> tuple:
        return tuple((t, h) for t, h in self.links if h == box) if box else ()


def table_of(explanation) -> Table:
    """The table of a forward table's or a trace's printout."""
    return next(b for b in explanation.blocks if isinstance(b, Table))


def _kind(v, box: str | None, picture: Picture) -> str:
    """How the view shows ``v``: in a box of its own (""), folded into an edge, inside a unit's box,
    or as a weight of a unit (written on its edge or in its box)."""
    if box is None:
        return "folded"
    if picture.shared(box):
        return "weight" if not v.parents else "unit"
    return ""


def _note(named: list[tuple[str, str]]) -> str:
    """What the picture cannot show as the row says it, for ``(name, kind)`` pairs (see `_kind`)."""
    sentences = []
    for kind in ("folded", "unit", "weight"):
        names = [name for name, k in named if k == kind]
        if not names:
            continue
        several = len(names) > 1
        who = " and ".join(names)
        if kind == "folded":
            sentences.append(f"{who} {'have' if several else 'has'} no box in this view: "
                             f"{'the' if several else 'its'} step is folded into the edge lit up.")
        elif kind == "unit":
            where = "their units' boxes" if several else "its unit's box"
            sentences.append(f"{who} {'are' if several else 'is'} drawn inside {where} "
                             "(one box per unit in this view).")
        else:
            sentences.append(f"{who} {'are weights' if several else 'is a weight'} of the unit lit up, written on "
                             "its edge or in its box (one box per unit in this view).")
    return " ".join(sentences)


def forward_frames(forward, picture: Picture) -> list[Frame]:
    """One frame per row of the forward table, in the order computed."""
    table = table_of(forward)
    if len(table.rows) != len(forward.quantities):
        raise ValueError("the forward table's rows and quantities disagree")  # a builder's bug, not the user's
    header = tuple(text_of(h) for h in table.header)
    frames = []
    previous = -1
    for k, (row, q) in enumerate(zip(table.rows, forward.quantities), start=1):
        cells = tuple(text_of(c) for c in row)
        box = picture.box_of(q.of)
        here = picture.index[id(q.of)]
        on_the_way = [picture.box[id(v)] for v in picture.order[previous + 1:here]
                      if v.parents and id(v) in picture.box and picture.box[id(v)] != box]
        previous = max(previous, here)
        also = tuple(dict.fromkeys(on_the_way))
        links = tuple(link for b in also + ((box,) if q.of.parents else ()) for link in picture.links_into(b))
        note = _note([(cells[0], _kind(q.of, box, picture))])
        frames.append(Frame(k, "forward", header, cells, q.of, None, box, None, links, note, q, also))
    return frames


def backward_frames(trace, picture: Picture, start: int) -> list[Frame]:
    """One frame per row of the backward trace, in the trace's order, numbered from ``start``."""
    table = table_of(trace)
    header = tuple(text_of(h) for h in table.header)
    frames = []
    for k, step in enumerate(trace.steps, start=start):
        cells = tuple(text_of(c) for c in step.cells)
        box, into_box = picture.box_of(step.node), picture.box_of(step.into)
        links = () if box is not None and box == into_box else picture.links_between(step.into, step.node)
        if box is not None and box == into_box:
            note = f"{cells[1]} and {cells[5]} are drawn in the one box lit up: the step stays inside it."
        else:
            note = _note([(cells[1], _kind(step.node, box, picture)), (cells[5], _kind(step.into, into_box, picture))])
        frames.append(Frame(k, "backward", header, cells, step.node, step.into, box, into_box, links, note, step))
    return frames


def lead_text(explanation) -> str:
    """The sentence a printout opens with (its first paragraph), as plain text."""
    lead = next((b for b in explanation.blocks if isinstance(b, Line) and b.pieces), None)
    return text_of(lead.pieces) if lead is not None else ""


def closing_text(explanation) -> str:
    """The trace's closing check (``engine check: …``), as plain text."""
    for block in explanation.blocks:
        if isinstance(block, Line) and block.pieces and text_of(block.pieces).startswith("engine check"):
            return text_of(block.pieces)
    return ""


def appearances(picture: Picture, frames: list[Frame]) -> dict[str, int]:
    """The forward frame at which each box's value appears: the frame of its first computed Value
    (of its first Value, for a box of given leaves); an unnamed step, which has no row of its own,
    appears with the named node computed from it."""
    forward = [f for f in frames if f.phase == "forward"]
    indices = [picture.index[id(f.node)] for f in forward]  # increasing: the table is in order computed
    computed: dict[str, int] = {}
    given: dict[str, int] = {}
    for v in picture.order:
        box = picture.box.get(id(v))
        if box is None:
            continue
        k = bisect.bisect_left(indices, picture.index[id(v)])
        at = forward[min(k, len(forward) - 1)].number
        into = computed if v.parents else given
        into.setdefault(box, at)
    return {box: computed.get(box, given.get(box)) for box in {**given, **computed}}


def completions(picture: Picture, frames: list[Frame]) -> dict[str, int]:
    """For each box, the backward frame after which its gradient is complete (every Value it shows has
    received its last contribution). The root's box is complete from the first backward frame (its
    gradient is the seed 1); a box nothing flows into (behind a zero gradient, which the engine skips
    too) at the last frame."""
    backward = [f for f in frames if f.phase == "backward"]
    done: dict[str, int] = {}
    for f in backward:
        if f.into_box is not None:
            done[f.into_box] = f.number
    root_box = picture.box.get(id(picture.order[-1]))
    last = frames[-1].number if frames else 0
    for box in set(picture.box.values()):
        if box == root_box:
            done[box] = backward[0].number if backward else last
        done.setdefault(box, last)
    return done


def open_sums(picture: Picture, frames: list[Frame]) -> dict[int, tuple[str, str | None]]:
    """The running sums a picture shows, by frame number: ``(box, text)`` when a row adds into a Value
    that more rows will add into (``Σ so far …``, named when its box shows several Values), and
    ``(box, None)`` when the last row into it closes the sum."""
    backward = [f for f in frames if f.phase == "backward"]
    rows: dict[int, int] = {}
    for f in backward:
        rows[id(f.into)] = rows.get(id(f.into), 0) + 1
    seen: dict[int, int] = {}
    out = {}
    for f in backward:
        key = id(f.into)
        seen[key] = seen.get(key, 0) + 1
        if f.into_box is None or rows[key] < 2:
            continue
        if seen[key] == rows[key]:
            out[f.number] = (f.into_box, None)
        else:
            so_far = "Σ so far " + f.cells[6].rsplit(" = ", 1)[-1]
            out[f.number] = (f.into_box, f"{f.cells[5]}: {so_far}" if picture.shared(f.into_box) else so_far)
    return out
