"""Where things sit in a picture: which column (graphviz rank) each node takes and the order of the
nodes in a column, decided here and handed to ``dot`` as ``rank=same`` chains, so that inputs and
units read top to bottom in index order in every layer.

Left to itself, ``dot`` reorders nodes to cut edge crossings, and inside clusters it does so even
against explicit ordering edges (x₂ drawn above x₁); so the pictures use no clusters: a group's
title is a node at the top of its column, and every column's order is fixed by a chain of
invisible edges. The order is found the usual way for layered drawings (barycentres of the
neighbours, swept left and right a few times), with one rule on top: *anchored* nodes — inputs,
units, anything with a fixed index — keep their index order, and only the rest (weight boxes,
labels on edges) move to where their neighbours are.
"""

from __future__ import annotations

from collections.abc import Sequence

_SWEEPS = 4


def columns(nodes: Sequence[str], links: Sequence[tuple[str, str]], anchored: dict[str, float],
            near_head: frozenset = frozenset()) -> list[list[str]]:
    """The columns of a layered drawing, left to right, each listed top to bottom.

    Args:
        nodes: every node id, in a topological order (tails before heads).
        links: ``(tail, head)`` pairs; an edge carrying a label node is two links through it.
        anchored: ``{node id: index}`` for the nodes whose relative order is fixed (within a column
            they are listed by index); the other nodes go where their neighbours are.
        near_head: nodes (labels on edges) that sit in the column just before the node they point
            to, however far back their edge starts.

    Returns:
        The columns: lists of node ids. A source (a node nothing points to) sits in the column just
        before its nearest consumer, so a weight box stands next to the node it feeds.
    """
    number = {n: k for k, n in enumerate(nodes)}
    preds: list[list[int]] = [[] for _ in nodes]
    succs: list[list[int]] = [[] for _ in nodes]
    for tail, head in links:
        t, h = number[tail], number[head]
        succs[t].append(h)
        preds[h].append(t)
    anchor = [anchored.get(n) for n in nodes]
    cols = numbered_columns(preds, succs, [n in near_head for n in nodes], anchor)
    return [[nodes[n] for n in col] for col in cols]


def numbered_columns(preds: list[list[int]], succs: list[list[int]], is_label: list[bool],
                     anchor: list[float | None]) -> list[list[int]]:
    """`columns` of nodes given by number (0, 1, … in a topological order): each node's predecessors
    and successors, whether it is a label on an edge, its anchor index (None: free). Lists indexed
    by number instead of dicts keyed by id strings keep the sweeps over a picture of many thousand
    nodes fast."""
    is_anchored = [a is not None for a in anchor]
    anchor = [float("inf") if a is None else a for a in anchor]
    rank = [0] * len(preds)
    for k, before in enumerate(preds):
        if before:
            rank[k] = max([rank[p] for p in before]) + 1
    for k in range(len(preds) - 1, -1, -1):  # pull sources and labels right, next to what they feed
        if (not preds[k] or is_label[k]) and succs[k]:
            rank[k] = min([rank[s] for s in succs[k]]) - 1
    low = min(rank, default=0)
    count = max(rank, default=0) - low + 1
    cols: list[list[int]] = [[] for _ in range(count)]
    for k in range(len(preds)):
        cols[rank[k] - low].append(k)
    for col in cols:  # start from the index order (anchored first by index, the rest as given)
        col.sort(key=anchor.__getitem__)
    position = [0.0] * len(preds)
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        for col in cols:
            _place(col, position)
        for col in (cols[1:] if forward else cols[-2::-1]):
            neighbours = preds if forward else succs
            _reorder(col, neighbours, position, is_anchored, anchor, is_label, succs, preds)
            _place(col, position)
    return cols


def _place(col: list[int], position: list[float]) -> None:
    """Each node's place in its column, from 0 to 1: the middle of its slot."""
    size = len(col)
    for k, n in enumerate(col):
        position[n] = (k + 0.5) / size


def _reorder(col: list[int], neighbours: list[list[int]], position: list[float], is_anchored: list[bool],
             anchor: list[float], is_label: list[bool], succs: list, preds: list) -> None:
    """Sort a column by the mean position of each node's neighbours on one side, looking through
    labels on edges to the node beyond (a node without neighbours there keeps its place); on a tie
    anchored nodes come first, so the weights of one unit stay together below the inputs they share
    a place with. Then the anchored nodes go back in index order into the slots they took. A label
    goes by its head first and its tail second, so the labels of the edges into one node stand
    together, in the order of their tails."""
    through = succs if neighbours is succs else preds  # where a label on an edge leads on this side
    first, second = [], []  # the sort keys of each node of the column, in its present order
    for n in col:
        if is_label[n]:
            first.append(position[succs[n][0]])
            second.append(position[preds[n][0]])
            continue
        near = neighbours[n]
        if near:
            total = 0
            for m in near:
                total += position[through[m][0] if is_label[m] else m]
            first.append(total / len(near))
        else:
            first.append(position[n])
        second.append(0.0 if is_anchored[n] else 1.0)
    # by (first, second), ties kept in the present order: two stable sorts on plain floats, which
    # Python compares much faster than tuples
    places = sorted(range(len(col)), key=second.__getitem__)
    places.sort(key=first.__getitem__)
    order = [col[k] for k in places]
    slots = [k for k, n in enumerate(order) if is_anchored[n]]
    fixed = sorted((n for n in order if is_anchored[n]), key=anchor.__getitem__)
    for k, n in zip(slots, fixed):
        order[k] = n
    col[:] = order
