"""A problem's sheet written to a folder — the exercise (``sheet.md``, ``sheet.tex``), the blank
answers file a student fills in (``answers.toml``), the answer key (``key.toml``) and the worked
solution (``solution.md``, ``solution.tex``) — and a set of variants, one folder each with its
``problem.toml``, plus ``variants.csv`` listing them.
"""

from __future__ import annotations

import csv
from pathlib import Path

from homework.check import Key
from homework.check.template import answers_file
from homework.sheet.exercise import exercise
from homework.sheet.redraw import variants
from homework.sheet.rewrite import problem_text

# The files of one sheet, by what they hold.
FILES = {"sheet.md": "the exercise, Markdown", "sheet.tex": "the exercise, LaTeX",
         "answers.toml": "the blank answers file", "key.toml": "the answer key",
         "solution.md": "the worked solution, Markdown", "solution.tex": "the worked solution, LaTeX"}


def write(key: Key, directory: str | Path, check_command: str, subtitle: str = "", problem_file: str = "") -> list[Path]:
    """Write one sheet's files (see `FILES`) into ``directory``; with ``problem_file`` (a problem
    file's text) also ``problem.toml``. Returns the paths written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "sheet.md": exercise(key, "markdown", subtitle),
        "sheet.tex": exercise(key, "latex", subtitle),
        "answers.toml": answers_file(key, command=check_command),
        "key.toml": answers_file(key, filled=True),
        "solution.md": key.solution.render("markdown"),
        "solution.tex": key.solution.render("latex"),
    }
    if problem_file:
        texts["problem.toml"] = problem_file
    written = []
    for name, text in texts.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def write_variants(problem, count: int, seed: int, directory: str | Path, name: str = "PROBLEM") -> list[Path]:
    """``count`` variants of ``problem`` drawn from ``seed``, each in ``directory/variant-NN/`` with its
    problem file, its sheet, its blank answers file and its key; ``variants.csv`` lists them. Returns
    the folders written."""
    from homework.reading import loads

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(count)))
    rows, folders = [], []
    for k, chosen in enumerate(variants(problem, count, seed), start=1):
        sub = folder / f"variant-{k:0{width}d}"
        text = problem_text(problem, chosen, seed, k)
        solved = loads(text, source=str(sub / "problem.toml")).solve()
        command = f"chainrule check {sub / 'problem.toml'} answers.toml"
        write(Key(solved), sub, command, subtitle="", problem_file=text)
        rows.append([k, sub.name, str(sub / "problem.toml"), f"chainrule check {name} --variant {k} --seed {seed} "
                                                              f"answers.toml"])
        folders.append(sub)
    with open(folder / "variants.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["variant", "folder", "problem file", "check a student's answers"])
        writer.writerows(rows)
    return folders
