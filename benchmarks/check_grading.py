"""How long `chainrule check` takes to grade a class: 200 answers files for seed 001, each answering
every number the problem asks for (62 of them), graded in one process as ``chainrule check seed001
FILE…`` does, and one file through the command line in a fresh process.

    python -m benchmarks.check_grading            # prints per-file times; run by hand, not a test

The files are made from the problem's own key, seeded: a quarter right, a quarter rounded as you go
(3 significant digits at every step), a quarter with one sign flipped (its update then follows from
it) and a quarter with five numbers replaced by random ones, so that grading finds drift, follows
and diagnoses as a class's answers would make it.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograd.notation import format_number
from homework.check import _KEYS, check, key_of
from homework.check.plan import GRADIENTS

FILES = 200


def answers_files(folder: Path, count: int = FILES, seed: int = 1) -> list[Path]:
    """``count`` answers files for seed 001 in ``folder`` (see the module docstring)."""
    key = key_of("seed001")
    asked = [i for _, _, positions in key.asked for i in positions]
    rounded = key.replay("round", "sig", 3)
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        kind = n % 4
        numbers = {i: key.entries[i].value for i in asked}
        if kind == 1:
            numbers = {i: rounded.computed[i] for i in asked}
        elif kind == 2:
            flipped = rng.choice([i for i in asked if key.entries[i].section == GRADIENTS])
            numbers[flipped] = -numbers[flipped]
        elif kind == 3:
            for i in rng.sample(asked, 5):
                numbers[i] = rng.uniform(-3, 3)
        lines, section = [], None
        for i in asked:
            e = key.entries[i]
            if e.section != section:
                section = e.section
                lines.append(f"[{section}]")
            lines.append(f'"{e.name}" = {format_number(numbers[i], 4)}')
        path = folder / f"student-{n + 1:03d}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = answers_files(Path(tmp))
        _KEYS.clear()  # the key as the first file of a run builds it: the problem read, solved, planned
        start = time.perf_counter()
        key_of("seed001")
        cold = time.perf_counter() - start
        times, wrong = [], 0
        for p in paths:
            t = time.perf_counter()
            report = check("seed001", p)
            times.append(time.perf_counter() - t)
            wrong += report.exit_status
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "homework", "check", "seed001", str(paths[3])],
                              capture_output=True, text=True)
        command = time.perf_counter() - t
    asked = sum(len(positions) for _, _, positions in key_of("seed001").asked)
    print(f"seed 001, {len(paths)} answers files of {asked} answers each")
    print(f"  key built once: {cold * 1000:.0f} ms")
    print(f"  per file: median {statistics.median(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms, "
          f"all {sum(times):.2f} s ({wrong} files with a wrong answer)")
    print(f"  one file through the command line, a fresh process: {command:.2f} s (exit status {done.returncode})")


if __name__ == "__main__":
    main()
