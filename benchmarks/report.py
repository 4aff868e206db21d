"""The benchmark's report: the table of every engine with its ratios to micrograd (or numpy), the
goals it judges (`TARGETS`) with what was measured, and the printouts' table and goals after them.
"""

from __future__ import annotations

import sys

from benchmarks import printouts as P

TARGETS = {  # the goals this benchmark judges; ratios are against micrograd (or numpy)
    "wide_fwd": 8.0, "wide_bwd": 2.5, "mlp_micrograd_style": 10.0, "mlp_nn": 30.0,
    "bytes_per_node": 130.0, "deep_fwd_us": 1.5, "replay_vs_numpy": 3.0,
}


def _num(x):
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def _cell(x, ratio=None):
    if x is None:
        return "—"
    return _num(x) + (f" ({ratio:.1f}×)" if ratio is not None else "")


ROWS = ("floor", "chainrule", "chainrule, gc_paused", "chainrule nn.MLP", "chainrule Replay", "numpy by hand",
        "micrograd")
TITLES = {
    "floor": "plain Python floats, backward by hand",
    "chainrule": "chainrule, micrograd-style code",
    "chainrule, gc_paused": "chainrule, micrograd-style code, inside `gc_paused()`",
    "chainrule nn.MLP": "chainrule `nn.MLP` (one `linear` node per unit)",
    "chainrule Replay": "chainrule `Replay` (batched numpy)",
    "numpy by hand": "numpy, forward and backward by hand",
    "micrograd": "micrograd 0.1.0",
}


def table(R) -> str:
    E, ratios = R["engines"], R["ratios"]
    head = ("| engine | wide fwd µs/op | wide bwd µs/op | MLP step ms | batched fwd+bwd ms | "
            "deep fwd µs/op | bytes/node | deepest backward |")
    lines = [head, "|" + "---|" * 8]
    for key in ROWS:
        if key not in E:
            continue
        e, q = E[key], ratios.get(key, {})
        deepest = e.get("deepest")
        if isinstance(deepest, int):
            deepest = f"{deepest:,}" + (f" ({e['deep_failure']})" if e.get("deep_failure", "ok") != "ok" else "")
        batched = _num(e.get("batched_ms")) if "batched_ms" in e else "—"
        if "batched_vs_numpy" in q:
            batched += f" ({q['batched_vs_numpy']:.1f}× numpy)"
        mem = e.get("bytes_per_node")
        lines.append("| " + " | ".join([
            TITLES[key],
            _cell(e.get("wide_fwd_us"), q.get("wide_fwd_us")),
            _cell(e.get("wide_bwd_us"), q.get("wide_bwd_us")),
            _cell(e.get("mlp_ms"), q.get("mlp_ms")),
            batched,
            _num(e.get("deep_fwd_us")) if "deep_fwd_us" in e else "—",
            f"{mem:,.0f}" if mem is not None else "—",
            deepest or "—",
        ]) + " |")
    return "\n".join(lines)


def goals(R) -> list[tuple[str, bool | None, str]]:
    """Each goal: (goal, met? — None when it cannot be judged in this run, measured figure)."""
    E, q = R["engines"], R["ratios"]
    cr, out = E["chainrule"], []
    has_mg = "micrograd" in E and "wide_fwd_us" in E["micrograd"]
    for key, metric, what in (("wide_fwd", "wide_fwd_us", "wide forward, micrograd-style code"),
                              ("wide_bwd", "wide_bwd_us", "wide backward")):
        need = TARGETS[key]
        f = q.get("chainrule", {}).get(metric) if has_mg else None
        out.append((f"{what} ≥ {need:g}× micrograd", None if f is None else f >= need,
                    "—" if f is None else f"{f:.1f}×"))
    for name, key, what in (("chainrule", "mlp_micrograd_style", "MLP step, micrograd-style code"),
                            ("chainrule nn.MLP", "mlp_nn", "MLP step, nn.MLP")):
        need = TARGETS[key]
        f = q.get(name, {}).get("mlp_ms") if has_mg else None
        out.append((f"{what} ≥ {need:g}× micrograd", None if f is None else f >= need,
                    "—" if f is None else f"{f:.1f}×"))
    mem = cr["bytes_per_node"]
    out.append((f"≤ {TARGETS['bytes_per_node']:g} bytes per recorded node (node and its float)",
                mem <= TARGETS["bytes_per_node"], f"{mem:.0f} bytes (wide workload, partials' floats included: "
                                                  f"{cr['wide_bytes_per_node']:.0f})"))
    for name in ("chainrule", "chainrule nn.MLP"):
        e = E[name]
        growth = e["rss_last_mb"] - e["rss_step10_mb"]
        out.append((f"{name}: RSS flat over {e['rss_steps']} training steps (growth after step 10 < 1 MB, "
                    f"nothing left for the cycle collector)", growth < 1.0 and e["gc_found_after"] == 0,
                    f"{growth:+.2f} MB, gc.collect() found {e['gc_found_after']}"))
    out.append((f"{cr['deepest']:,}-operation chain forward ≤ {TARGETS['deep_fwd_us']:g} µs/op, backward at the "
                f"default recursion limit ({sys.getrecursionlimit()})", cr["deep_fwd_us"] <= TARGETS["deep_fwd_us"],
                f"{cr['deep_fwd_us']:.3f} µs/op in a fresh process"
                + (f" ({cr['deep_fwd_us_shared_process']:.3f} in the benchmark's own, after the other workloads)"
                   if "deep_fwd_us_shared_process" in cr else "")
                + f"; backward {cr['deep_bwd_s']:.2f} s"))
    f = q["chainrule Replay"]["batched_vs_numpy"]
    out.append((f"Replay forward + backward ≤ {TARGETS['replay_vs_numpy']:g}× numpy by hand (gradients equal: "
                f"{'yes' if R['checks']['batched_agree'] else 'NO'})", f <= TARGETS["replay_vs_numpy"], f"{f:.2f}×"))
    rp = E["chainrule Replay"]
    out.append((f"Replay on {rp['big_n']:,} points in bounded memory", None,
                f"{rp['big_seconds']:.2f} s, peak {rp['big_peak_mb']:.0f} MB beyond the batch itself"))
    return out


def report(R) -> str:
    m, s = R["machine"], R["sizes"]
    lines = [f"Machine: {m['cpus']} CPUs, {m['cpu']}, Python {m['python']}, numpy {m['numpy']}; micrograd {R['micrograd']}",
             f"Each figure: the median of {s['runs']} interleaved runs; (r×) = micrograd's time ÷ this engine's, "
             f"the median of the per-run ratios.",
             "", table(R), "",
             f"wide: {s['wide_terms']:,} expressions ((a·b + c).relu() − 2·a)² + c/(b·b + 1.0) summed by a tree of "
             f"additions, {s['wide_ops']:,} operators as written. MLP step: 2-16-16-1 relu, micrograd's demo loss, "
             f"100 points, forward + backward + SGD, mean of {s['mlp_timed_steps']} steps. batched: forward + "
             f"backward of the same on the 100 points, mean of {s['batched_repeats']} calls. deep: a chain of "
             f"{s['depth']:,} operations. bytes/node: tracemalloc, per node x*y.",
             "", "Goals:"]
    for goal, ok, figure in goals(R):
        mark = "met" if ok else ("MISSED" if ok is False else "info")
        lines.append(f"  [{mark}] {goal}: {figure}")
    lines.append("")
    lines.append(f"Agreement (MLP losses of the first two steps, wide sums and gradients against the floor; "
                 f"Replay's gradients against numpy's): {'yes' if R['checks']['agree'] else 'NO'} "
                 f"(max relative difference {R['checks']['max_rel_diff']:.1e})")
    return "\n".join(lines + ["", printouts_report(R)])


def printouts_report(R) -> str:
    """The printouts' table and goals."""
    widths = R["printouts"]["widths"]
    lines = [f"Printouts and drawings: MLP 8-{widths[0]}-{widths[0]}-{widths[0]}-1 and "
             f"8-{widths[1]}-{widths[1]}-{widths[1]}-1, tanh, one sample, after backward(); seconds to build "
             f"each (the DOT text without running dot), median of {len(R['printouts']['trace']['per_run'][0])} "
             f"interleaved runs, growth = the median of the per-run ratios.", "", P.table(R["printouts"]), "",
             "Goals:"]
    for goal, ok, figure in P.goals(R["printouts"]):
        lines.append(f"  [{'met' if ok else 'MISSED'}] {goal}: {figure}")
    return "\n".join(lines)
