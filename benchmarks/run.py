"""Measure chainrule beside micrograd 0.1.0 and plain Python floats; print one table, write JSON.

    python -m benchmarks.run                    # full sizes, a few minutes
    python -m benchmarks.run --quick            # small sizes, for a smoke check (numbers not comparable)
    python -m benchmarks.run --part printouts   # only the printouts and drawings on big graphs

The protocol is the same for every engine:

- ``gc.collect()`` before every timed region, and the collector left on inside it (the row that
  uses the `autograd.gc_paused` opt-in says so in its name);
- the workloads of workloads.py, written once and run on each engine's own ``Value``;
- every figure is the median over ``--runs`` runs (at least 5 for a full run), and the engines
  take turns inside each run (the order rotates from one run to the next), so a slow phase of a
  shared machine hits them all; each ratio is the median of the per-run ratios;
- an MLP figure is the mean over ``--steps`` (≥ 10) timed training steps from the same weights.

The printouts (`trace`, `explain`, `forward_table`, the DOT text of `draw`) are timed on graphs of
about 1,600 and 15,000 nodes by printouts.py, with the same protocol; their table follows the
engines'. This file runs the parts in turn; the workloads are in workloads.py (the MLP step's
networks in networks.py), the timed parts in timed.py, the table and the goals in report.py.

micrograd comes from the package index (``pip install -e '.[bench]'``); without it its row and the
ratios are left out and the goals cannot be judged. The JSON goes to benchmarks/results/latest.json
(full runs) or benchmarks/results/quick.json, unless ``--json`` names another file.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys

import numpy as np

from autograd import Value, topological_order
from benchmarks import networks as N
from benchmarks import printouts as P
from benchmarks import workloads as W
from benchmarks.report import goals, printouts_report, report, table
from benchmarks.timed import (batched_once, count_nodes, deep_in_fresh_process, deep_once, mlp_once, replay_big,
                              rss_over_steps, wide_floor_once, wide_once)


def _median(xs):
    return statistics.median(xs) if xs else None


def _rotated(names, r):
    k = r % len(names)
    return names[k:] + names[:k]


def _log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_printouts(args) -> dict:
    return P.measure(args.runs or (2 if args.quick else 5), P.QUICK_WIDTHS if args.quick else P.WIDTHS, _log)


def run(args):
    quick = args.quick
    n_wide = args.wide or (2_000 if quick else 20_000)
    depth = args.depth or (20_000 if quick else 1_000_000)
    runs = args.runs or (2 if quick else 5)
    steps = args.steps or (2 if quick else 10)
    rss_steps = 20 if quick else 100
    batched_repeats = 20 if quick else 200
    big_n = 20_000 if quick else 1_000_000
    has_mg = W.micrograd_available()
    MV = W.micrograd_value() if has_mg else None

    data = W.wide_data(n_wide)
    wide_ops = W.WIDE_OPS_PER_TERM * n_wide + n_wide - 1
    X, Y = W.two_moons(100)
    Xl, Yl = X.tolist(), Y.tolist()
    XY = np.column_stack([X, Y])
    weights = W.initial_weights()
    lr = W.learning_rate
    per_run: dict = {}  # name -> metric -> [one figure per run]
    checks: dict = {"wide": {}, "mlp_losses": {}}

    def record(name, metric, value):
        per_run.setdefault(name, {}).setdefault(metric, []).append(value)

    # Wide -------------------------------------------------------------------------------------
    wide_engines = {"floor": lambda: wide_floor_once(data),
                    "chainrule": lambda: wide_once(Value, data),
                    "chainrule, gc_paused": lambda: wide_once(Value, data, paused=True)}
    if has_mg:
        wide_engines["micrograd"] = lambda: wide_once(MV, data)
    for r in range(runs):
        _log(f"wide, run {r + 1}/{runs} ...")
        for name in _rotated(list(wide_engines), r):
            fwd, bwd, check = wide_engines[name]()
            record(name, "wide_fwd_us", fwd / wide_ops * 1e6)
            record(name, "wide_bwd_us", bwd / wide_ops * 1e6)
            checks["wide"][name] = check

    # MLP training step ------------------------------------------------------------------------
    scalar_step = lambda m, k: m.step(Xl, Yl, lr(k))  # noqa: E731
    mlp_engines = {
        "floor": (lambda: N.FloorMLP(weights), scalar_step, False),
        "chainrule": (lambda: N.MicrogradStyleMLP(weights), scalar_step, False),
        "chainrule, gc_paused": (lambda: N.MicrogradStyleMLP(weights), scalar_step, True),
        "chainrule nn.MLP": (lambda: N.NNMLP(weights), scalar_step, False),
        "chainrule Replay": (lambda: N.ReplayMLP(weights, len(Xl)), lambda m, k: m.step(XY, lr(k)), False),
    }
    if has_mg:
        mlp_engines["micrograd"] = (lambda: N.MicrogradMLP(weights), scalar_step, False)
    for r in range(runs):
        _log(f"MLP steps, run {r + 1}/{runs} ...")
        for name in _rotated(list(mlp_engines), r):
            make, step, paused = mlp_engines[name]
            t, losses = mlp_once(make, step, steps, paused)
            record(name, "mlp_ms", t * 1e3)
            checks["mlp_losses"][name] = losses

    # Batched forward + backward: Replay against numpy written by hand --------------------------
    numpy_mlp, replay_mlp = N.NumpyMLP(weights), N.ReplayMLP(weights, len(Xl))
    batched = {"numpy by hand": lambda: numpy_mlp.forward_backward(X, Y),
               "chainrule Replay": lambda: replay_mlp.forward_backward(XY)}
    results = {}
    for r in range(runs):
        _log(f"batched forward + backward, run {r + 1}/{runs} ...")
        for name in _rotated(list(batched), r):
            t, results[name] = batched_once(batched[name], batched_repeats)
            record(name, "batched_ms", t * 1e3)
    (loss_np, g_np), (loss_rp, g_rp) = results["numpy by hand"], results["chainrule Replay"]
    checks["batched_max_abs_grad_diff"] = float(np.max(np.abs(g_np - g_rp)))
    checks["batched_loss"] = {"numpy by hand": loss_np, "chainrule Replay": loss_rp}
    checks["batched_agree"] = bool(np.allclose(g_np, g_rp, rtol=1e-9, atol=1e-12)
                                   and abs(loss_np - loss_rp) <= 1e-12 * abs(loss_np))

    # Deep chain -------------------------------------------------------------------------------
    # In a fresh process for the figure the goal judges, and in this one (after every workload
    # above) for comparison: the two take turns.
    for r in range(runs):
        _log(f"deep chain ({depth:,} operations), run {r + 1}/{runs} ...")
        for where in _rotated(["fresh", "shared"], r):
            fwd_us, bwd_s = deep_in_fresh_process(depth) if where == "fresh" else deep_once(depth)
            suffix = "" if where == "fresh" else "_shared_process"
            record("chainrule", "deep_fwd_us" + suffix, fwd_us)
            record("chainrule", "deep_bwd_s" + suffix, bwd_s)

    # Memory -----------------------------------------------------------------------------------
    _log("memory ...")
    extra: dict = {"chainrule": {}, "micrograd": {}, "floor": {}, "chainrule Replay": {}}
    extra["chainrule"]["bytes_per_node"] = W.bytes_per_node(Value)
    extra["chainrule"]["wide_bytes_per_node"] = W.wide_bytes_per_node(
        Value, min(n_wide, 20_000), lambda root: len(topological_order(root)))
    extra["floor"]["bytes_per_node"] = 24.0  # one float per result
    if has_mg:
        extra["micrograd"]["bytes_per_node"] = W.bytes_per_node(MV)
        extra["micrograd"]["wide_bytes_per_node"] = W.wide_bytes_per_node(
            MV, min(n_wide, 20_000), lambda root: count_nodes(root, lambda v: v._prev))
        extra["micrograd"]["deepest"], extra["micrograd"]["deep_failure"] = W.deepest_micrograd()
    extra["chainrule"]["deepest"] = depth
    _log(f"RSS over {rss_steps} training steps ...")
    for name, make in (("chainrule", lambda: N.MicrogradStyleMLP(weights)), ("chainrule nn.MLP", lambda: N.NNMLP(weights))):
        gc.collect()
        r10, r_last, found = rss_over_steps(make, scalar_step, rss_steps)
        extra.setdefault(name, {}).update(rss_step10_mb=r10 / 2**20, rss_last_mb=r_last / 2**20,
                                          rss_steps=rss_steps, gc_found_after=found)
    _log(f"Replay on {big_n:,} points ...")
    seconds, peak = replay_big(big_n, chunk=args.chunk)
    extra["chainrule Replay"].update(big_n=big_n, big_seconds=seconds, big_peak_mb=peak / 2**20, big_chunk=args.chunk)

    # Medians and ratios -----------------------------------------------------------------------
    E: dict = {}
    for name, metrics in per_run.items():
        E[name] = {m: _median(v) for m, v in metrics.items()}
        E[name].update(extra.get(name, {}))
    for name, e in extra.items():
        E.setdefault(name, {}).update(e)
    ratios: dict = {}
    if has_mg:
        mg = per_run["micrograd"]
        for name, metrics in per_run.items():
            for m in ("wide_fwd_us", "wide_bwd_us", "mlp_ms"):
                if m in metrics:
                    ratios.setdefault(name, {})[m] = _median([t_mg / t for t_mg, t in zip(mg[m], metrics[m])])
    np_runs, rp_runs = per_run["numpy by hand"]["batched_ms"], per_run["chainrule Replay"]["batched_ms"]
    ratios.setdefault("chainrule Replay", {})["batched_vs_numpy"] = _median([r / n for r, n in zip(rp_runs, np_runs)])

    R = {"engines": E, "ratios": ratios, "per_run": per_run, "checks": checks}
    R["sizes"] = {"wide_terms": n_wide, "wide_ops": wide_ops, "depth": depth, "runs": runs, "mlp_timed_steps": steps,
                  "batched_repeats": batched_repeats, "rss_steps": rss_steps, "replay_big_n": big_n}
    R["printouts"] = run_printouts(args)
    R["machine"] = machine()
    R["micrograd"] = "0.1.0, measured" if has_mg else "not installed (pip install -e '.[bench]')"
    check_agreement(R)
    return R


def check_agreement(R):
    """The engines computed the same numbers: MLP losses of the first two steps, wide sums and gradients."""
    losses = R["checks"]["mlp_losses"]
    ref = losses["floor"]
    worst = 0.0
    for ls in losses.values():
        for x, r in zip(ls, ref):
            worst = max(worst, abs(x - r) / max(abs(r), 1e-300))
    wide = R["checks"]["wide"]
    wf = wide["floor"]
    for s, g in wide.values():
        worst = max(worst, abs(s - wf[0]) / abs(wf[0]), abs(g - wf[1]) / max(abs(wf[1]), 1e-300))
    R["checks"]["max_rel_diff"] = worst
    R["checks"]["agree"] = worst < 1e-9 and R["checks"]["batched_agree"]


def machine() -> dict:
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor()
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "numpy": np.__version__, "platform": platform.platform()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke check in seconds")
    parser.add_argument("--runs", type=int, help="interleaved runs; every figure is their median (default 5)")
    parser.add_argument("--wide", type=int, help="number of expressions of the wide workload (default 20,000)")
    parser.add_argument("--depth", type=int, help="operations of the deep chain (default 10⁶)")
    parser.add_argument("--steps", type=int, help="timed MLP steps per engine and run (default 10)")
    parser.add_argument("--chunk", type=int, help="Replay chunk size for the 10⁶-point batch (default: its own)")
    parser.add_argument("--part", choices=("all", "printouts"), default="all",
                        help="printouts: only the printouts and drawings on big graphs (default: all)")
    parser.add_argument("--json", help="where to write the numbers (default benchmarks/results/latest.json, "
                                       "quick.json or printouts.json)")
    args = parser.parse_args(argv)
    if not args.quick and ((args.runs or 5) < 5 or (args.steps or 10) < 10):
        parser.error("a full run needs --runs ≥ 5 and --steps ≥ 10 (use --quick for a smoke check)")
    if args.part == "printouts":
        R = {"printouts": run_printouts(args), "machine": machine(), "checks": {"agree": True}}
        print(printouts_report(R))
        name = "quick-printouts.json" if args.quick else "printouts.json"
    else:
        R = run(args)
        print(report(R))
        name = "quick.json" if args.quick else "latest.json"
    R["table"] = table(R) if args.part == "all" else None
    R["printouts_table"] = P.table(R["printouts"])
    R["goals"] = ([{"goal": g, "met": ok, "measured": f} for g, ok, f in goals(R)] if args.part == "all" else []) + \
        [{"goal": g, "met": ok, "measured": f} for g, ok, f in P.goals(R["printouts"])]
    path = args.json or os.path.join(os.path.dirname(__file__), "results", name)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(R, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"\nwrote {path}", file=sys.stderr)
    return 0 if R["checks"]["agree"] else 1


if __name__ == "__main__":
    sys.exit(main())
