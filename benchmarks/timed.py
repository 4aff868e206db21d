"""The timed parts of the benchmark, each under the protocol run.py describes: ``gc.collect()``
before the timed region (`workloads.clock`), the collector left on inside it unless the row says
`gc_paused`. Each returns seconds (or µs per operation) and what the run checks for agreement.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
import tracemalloc
from contextlib import nullcontext

import numpy as np

from autograd import Value, gc_paused
from benchmarks import networks as N
from benchmarks import workloads as W


def wide_once(V, data, paused=False):
    """(forward seconds, backward seconds, (sum, ∂sum/∂a₀)) of the wide workload on Value class V."""
    a, b, c = data
    A, B, C = [V(x) for x in a], [V(x) for x in b], [V(x) for x in c]
    with gc_paused() if paused else nullcontext():
        t_fwd, root = W.clock(lambda: W.wide_forward(A, B, C))
        t_bwd, _ = W.clock(root.backward)
    return t_fwd, t_bwd, (float(root.data), float(A[0].grad))


def wide_floor_once(data):
    a, b, c = data
    t_fwd, (zs, total) = W.clock(lambda: W.wide_floor_forward(a, b, c))
    t_bwd, (ga, _, _) = W.clock(lambda: W.wide_floor_backward(a, b, c, zs))
    return t_fwd, t_bwd, (total, ga[0])


def mlp_once(make, step, steps, paused=False):
    """Mean seconds per step over `steps` timed training steps of a fresh model; its first two losses."""
    model = make()
    times, losses = [], []
    for k in range(steps):
        with gc_paused() if paused else nullcontext():
            t, loss = W.clock(lambda: step(model, k))
        times.append(t)
        losses.append(loss)
    return sum(times) / steps, losses[:2]


def batched_once(fn, repeats):
    """Mean seconds of fn() over `repeats` calls (one timed region), and its last result."""
    def loop():
        out = None
        for _ in range(repeats):
            out = fn()
        return out
    t, out = W.clock(loop)
    return t / repeats, out


def deep_once(depth):
    """(forward µs per operation, backward seconds) of a `depth`-operation chain; checks the gradient."""
    t_fwd, (x, v) = W.clock(lambda: W.deep_chain(Value, depth))
    t_bwd, _ = W.clock(v.backward)
    expected = W.deep_expected_grad(depth)
    if abs(x.grad - expected) > 1e-6 * abs(expected):
        raise AssertionError(f"deep chain gradient {x.grad} != {expected}")
    return t_fwd / depth * 1e6, t_bwd


def deep_in_fresh_process(depth):
    """`deep_once` in a new Python process, as pyperf runs every benchmark: a million nodes are
    laid out in memory the way a program that builds one deep graph lays them out, not scattered
    through the arenas the workloads before it freed (which slows the collector's walks over them)."""
    code = "import json, sys; from benchmarks.timed import deep_once; print(json.dumps(deep_once(int(sys.argv[1]))))"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", code, str(depth)], cwd=root, capture_output=True, text=True,
                          check=True)
    return tuple(json.loads(done.stdout))


def rss_over_steps(make, step, steps):
    """RSS (bytes) after the 10th and after the last of `steps` training steps; what gc.collect() finds then."""
    model = make()
    marks = {}
    for k in range(steps):
        step(model, k)
        if k + 1 in (10, steps):
            marks[k + 1] = W.rss_bytes()
    return marks[10], marks[steps], gc.collect()


def replay_big(n, chunk):
    """Replay of the MLP on n points: seconds for forward + backward and the peak traced memory."""
    X, Y = W.two_moons(n, seed=3)
    XY = np.column_stack([X, Y])
    model = N.ReplayMLP(W.initial_weights(), n)
    gc.collect()
    tracemalloc.start()
    try:
        t = time.perf_counter()
        model.replay.forward(XY, chunk_size=chunk, progress=False)
        model.replay.backward()
        seconds = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak - XY.nbytes - X.nbytes - Y.nbytes


def count_nodes(root, parents_of):
    seen, stack = {id(root)}, [root]
    while stack:
        v = stack.pop()
        for p in parents_of(v):
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)
