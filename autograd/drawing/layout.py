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
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    for tail, head in links:
        succs[tail].append(head)
        preds[head].append(tail)
    rank: dict[str, int] = {}
    for n in nodes:
        rank[n] = max((rank[p] + 1 for p in preds[n]), default=0)
    for n in reversed(nodes):  # pull sources and labels right, next to what they feed
        if (not preds[n] or n in near_head) and succs[n]:
            rank[n] = min(rank[s] for s in succs[n]) - 1
    low = min(rank.values(), default=0)
    count = max(rank.values(), default=0) - low + 1
    cols: list[list[str]] = [[] for _ in range(count)]
    for n in nodes:
        cols[rank[n] - low].append(n)
    for col in cols:  # start from the index order (anchored first by index, the rest as given)
        col.sort(key=lambda n: anchored.get(n, float("inf")))
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        position = _positions(cols)
        for col in (cols[1:] if forward else cols[-2::-1]):
            neighbours = preds if forward else succs
            _reorder(col, neighbours, position, anchored, near_head, succs, preds)
            for k, n in enumerate(col):
                position[n] = (k + 0.5) / len(col)
    return cols


def _positions(cols: list[list[str]]) -> dict[str, float]:
    return {n: (k + 0.5) / len(col) for col in cols for k, n in enumerate(col)}


def _reorder(col: list[str], neighbours: dict[str, list[str]], position: dict[str, float],
             anchored: dict[str, float], near_head: frozenset, succs: dict, preds: dict) -> None:
    """Sort a column by the mean position of each node's neighbours on one side, looking through
    labels on edges to the node beyond (a node without neighbours there keeps its place); on a tie
    anchored nodes come first, so the weights of one unit stay together below the inputs they share
    a place with. Then the anchored nodes go back in index order into the slots they took. A label
    goes by its head first and its tail second, so the labels of the edges into one node stand
    together, in the order of their tails."""
    def beyond(m: str) -> str:
        if m not in near_head:
            return m
        return (succs if neighbours is succs else preds)[m][0]

    def key(k: int, n: str) -> tuple:
        if n in near_head:
            return position[succs[n][0]], position[preds[n][0]], k
        near = [beyond(m) for m in neighbours[n]]
        centre = sum(position[m] for m in near) / len(near) if near else position[n]
        return centre, 0.0 if n in anchored else 1.0, k

    order = [n for _, n in sorted((key(k, n), n) for k, n in enumerate(col))]
    slots = [k for k, n in enumerate(order) if n in anchored]
    fixed = sorted((n for n in order if n in anchored), key=lambda n: anchored[n])
    for k, n in zip(slots, fixed):
        order[k] = n
    col[:] = order
