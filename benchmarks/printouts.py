"""The printouts and drawings on big graphs: `trace`, `explain`, `forward_table` and the DOT text of
`draw` (running graphviz's ``dot`` is not counted) on the graph of one MLP loss at two sizes.

The network is ``nn.MLP([8, w, w, w, 1])`` with tanh units, one sample, squared error, after
``backward()``: width 24 gives about 1,600 nodes and width 82 about 15,000 (every weight, bias,
input and unit is a named node). Each printout is timed as a first printout of a freshly built
network sees it: the name caches of `autograd.notation` are emptied and ``gc.collect()`` runs
before each timed region, and the collector is left on inside it (the printouts pause it
themselves while they build, as a caller's code would find them). The result is kept alive until
the clock stops, so freeing it is not counted; every printout is made once on a tiny network
first, so that no import (graphviz's, on the first drawing) is counted either. Every figure is the median over the runs, the
printouts taking turns inside each run; the growth from the small graph to the big one is the
median of the per-run ratios.
"""

from __future__ import annotations

import statistics

import numpy as np

from autograd import draw, explain, forward_table, notation, topological_order, trace
from benchmarks.workloads import clock

WIDTHS = (24, 82)  # about 1,600 and 15,000 nodes
QUICK_WIDTHS = (8, 16)
PRINTOUTS = ("trace", "explain", "forward_table", "DOT text")
TARGET_SECONDS = 1.0  # each printout of the big graph
TARGET_GROWTH = 12.0  # from the small graph to the big one


def network_loss(width: int):
    """(loss after backward(), the first weight, node count) of MLP 8-w-w-w-1, tanh, one sample."""
    from nn import MLP, losses
    net = MLP([8, width, width, width, 1], activations="tanh", seed=0)
    y, = net(np.linspace(-1, 1, 8).tolist())
    loss = losses.squared_error(y, 0.5)
    loss.backward()
    return loss, net.layers[0].W[0][0], len(topological_order(loss))


def builders(loss, weight) -> dict:
    return {"trace": lambda: trace(loss),
            "explain": lambda: explain(loss, weight),
            "forward_table": lambda: forward_table(loss),
            "DOT text": lambda: draw(loss, max_nodes=10**6).source}


def timed(build) -> float:
    """Seconds one printout takes to build, from empty name caches, after gc.collect()."""
    notation.to_text.cache_clear()
    notation.to_latex.cache_clear()
    seconds, result = clock(build)
    del result  # freed after the clock stopped
    return seconds


def measure(runs: int, widths=WIDTHS, log=lambda msg: None) -> dict:
    """{"nodes": [small, big], printout: {"seconds": [small, big], "growth": ratio, "per_run": ...}}."""
    for build in builders(*network_loss(2)[:2]).values():
        build()  # imports (graphviz's on the first drawing) and first calls, before any clock runs
    graphs = [network_loss(w) for w in widths]
    made = [builders(loss, weight) for loss, weight, _ in graphs]
    per_run: dict = {name: ([], []) for name in PRINTOUTS}
    for r in range(runs):
        log(f"printouts, run {r + 1}/{runs} ...")
        k = r % len(PRINTOUTS)
        for name in PRINTOUTS[k:] + PRINTOUTS[:k]:
            for size, build in enumerate(made):
                per_run[name][size].append(timed(build[name]))
    out: dict = {"nodes": [n for _, _, n in graphs], "widths": list(widths)}
    for name, (small, big) in per_run.items():
        out[name] = {"seconds": [statistics.median(small), statistics.median(big)],
                     "growth": statistics.median([b / s for s, b in zip(small, big)]),
                     "per_run": [small, big]}
    return out


def table(P: dict) -> str:
    small, big = P["nodes"]
    lines = [f"| printout | {small:,} nodes s | {big:,} nodes s | growth |", "|---|---|---|---|"]
    for name in PRINTOUTS:
        s, b = P[name]["seconds"]
        lines.append(f"| {name} | {s:.3f} | {b:.3f} | {P[name]['growth']:.1f}× |")
    return "\n".join(lines)


def goals(P: dict) -> list[tuple[str, bool, str]]:
    """(goal, met, measured) per printout: at most TARGET_SECONDS on the big graph, growth at most
    TARGET_GROWTH from the small one."""
    small, big = P["nodes"]
    out = []
    for name in PRINTOUTS:
        s, b = P[name]["seconds"]
        growth = P[name]["growth"]
        out.append((f"{name} on {big:,} nodes ≤ {TARGET_SECONDS:g} s, growth from {small:,} nodes ≤ "
                    f"{TARGET_GROWTH:g}×", b <= TARGET_SECONDS and growth <= TARGET_GROWTH,
                    f"{b:.3f} s, {growth:.1f}×"))
    return out
