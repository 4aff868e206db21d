"""Whole outputs, byte for byte: the four built-in problems in text, Markdown and LaTeX, their
drawings as DOT text, and a formula's explanation, trace and drawing, compared with the files in
tests/snapshots/.

A snapshot changes only when the output is meant to change: regenerate them with
``python tests/test_snapshots.py --update`` and read the diff before committing it.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path


SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SEEDS = ("seed000", "seed001", "seed002", "seed003")
FORMULA = ["q = x + y; f = q * z", "x=-2", "y=5", "z=-4"]


def _cli(argv: list[str]) -> str:
    from homework.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    assert status == 0, err.getvalue()
    return out.getvalue()


def _dot_of(argv: list[str], tmp: Path) -> str:
    target = tmp / "drawing.gv"
    _cli(argv + ["--draw", str(target)])
    return target.read_text(encoding="utf-8")


def _python_outputs() -> dict[str, str]:
    """Printouts and drawings made from Python with options the command line does not reach."""
    from autograd import draw, explain, forward_table, trace
    from homework import load

    out: dict[str, str] = {}
    for seed in ("seed001", "seed002"):
        s = load(seed).solve()
        w = s.wrt[-1]
        variants = {
            "all-nodes": explain(s.loss, w, collapse=False),
            "paths": explain(s.loss, w, paths=True, forward=False),
            "delta": explain(s.loss, w, paths=True, max_paths=1),
            "rounded": explain(s.loss, w, round_steps=True),
            "trace-named": trace(s.loss, wrt=w, named_only=True, outputs=s.all_outputs),
            "forward-all": forward_table(s.loss, all_nodes=True, round_steps=True),
        }
        for name, e in variants.items():
            out[f"{seed}.{name}.txt"] = str(e) + "\n"
            out[f"{seed}.{name}.md"] = e.to_markdown(math="latex")
            out[f"{seed}.{name}.tex"] = e.to_latex()
        for view in ("full", "neurons"):
            out[f"{seed}.draw-{view}.gv"] = draw(s.loss, highlight=s.wrt, view=view, show_formulas=True,
                                                 groups=s.net.graph_groups(s.loss), max_nodes=1000).source
    return out


def outputs(tmp: Path) -> dict[str, str]:
    """Every snapshot's name and today's text."""
    out: dict[str, str] = {}
    for seed in SEEDS:
        for fmt, suffix in (("text", "txt"), ("markdown", "md"), ("latex", "tex")):
            out[f"{seed}.solve.{suffix}"] = _cli(["solve", seed, "--format", fmt])
        out[f"{seed}.solve.gv"] = _dot_of(["solve", seed], tmp)
    out["seed001.solve-unfused.txt"] = _cli(["solve", "seed001", "--unfused"])  # the softmax chain written out
    out["formula.explain-trace.txt"] = _cli(["explain", *FORMULA, "--trace"])
    out["formula.explain.gv"] = _dot_of(["explain", *FORMULA], tmp)
    out.update(_python_outputs())
    return out


def test_every_snapshot_is_todays_output(tmp_path):
    made = outputs(tmp_path)
    stored = {p.name for p in SNAPSHOTS.iterdir()}
    assert stored == set(made), "snapshots and outputs differ in names: regenerate with --update"
    changed = [name for name, text in sorted(made.items())
               if (SNAPSHOTS / name).read_text(encoding="utf-8") != text]
    assert not changed, f"these outputs changed: {changed}; if that was meant, run " \
                        f"python tests/test_snapshots.py --update and read the diff"


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_snapshots.py --update")
    SNAPSHOTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        made = outputs(Path(tmp))
    for old in SNAPSHOTS.iterdir():
        if old.name not in made:
            old.unlink()
    for name, text in made.items():
        (SNAPSHOTS / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(made)} snapshots to {SNAPSHOTS}")
