"""Checking a student's answers to a backprop sheet: every number judged at the digits it is written
with, the first wrong step found, and the mistake that explains each wrong number named.

>>> report = check("seed002", {"values": {"ŷ": "0.1192"}, "gradients": {"W^1_{21}": "0.0925"},
...                            "updated": {"W^1_{21}": "-2.185"}})
>>> [(r.entry.symbol, r.mark, r.note) for r in report.rows]       # in derivation order
[('ŷ', '✓', ''), ('dℓ/dW¹₂₁', '✗', 'first wrong step'), ('W¹₂₁ (new)', '→', 'follows from your earlier value dℓ/dW¹₂₁ = 0.0925')]
>>> [d.kind for d in report.first_wrong.diagnoses], report.exit_status
(['sign flipped'], 1)

Modules: written.py (numbers as written), plan.py (the derivation in derivation order, worked again
from other numbers), wiring.py (how a network is wired), names.py (the names an answers file may
use), reading.py (answers files), key.py (`Key`), mistakes.py and mistaken.py (the known mistakes),
grade.py (judging), report.py (`CheckReport`, `CheckSummary`), template.py (blank files and keys).
"""

from __future__ import annotations

from pathlib import Path

from homework.check import reading
from homework.check.grade import grade
from homework.check.key import Key
from homework.check.report import CheckReport, CheckSummary
from homework.check.template import answers_file
from homework.errors import ProblemError

__all__ = ["check", "check_files", "key_of", "template", "answer_key", "Key", "CheckReport", "CheckSummary"]

_KEYS: dict = {}


def key_of(what) -> Key:
    """The `Key` of a problem: a built-in problem's name or a problem file's path, a
    `homework.Problem`, a `homework.Solution`, a `Key`, or the loss `Value` of a graph built in Python."""
    from autograd import Value
    from homework.problem import Problem
    from homework.reading import BUILTIN, load
    from homework.solution import Solution

    if isinstance(what, Key):
        return what
    if isinstance(what, Value):
        return Key.of_graph(what)
    if isinstance(what, (str, Path)):
        name = str(what)
        if name not in BUILTIN:  # a file may change between two checks: read it each time
            return Key(load(what).solve())
        if name not in _KEYS:
            _KEYS[name] = Key(load(what).solve())
        return _KEYS[name]
    if isinstance(what, Problem):
        return Key(what.solve())
    if isinstance(what, Solution):
        return Key(what)
    raise TypeError(f"check needs a problem (a built-in name such as 'seed002', a problem file, a Problem or a "
                    f"Solution) or the loss Value of a graph, got {type(what).__name__}")


def _answers(answers, source: str | None) -> tuple[list, str]:
    if isinstance(answers, dict):
        return reading.from_dict(answers, source or "<answers>"), source or "<answers>"
    if isinstance(answers, (str, Path)) and (isinstance(answers, Path) or "\n" not in answers and "=" not in answers):
        return reading.read(answers), source or str(answers)
    if isinstance(answers, str):
        return reading.loads(answers, source or "<answers>"), source or "<answers>"
    raise TypeError(f"answers must be an answers file's path, its TOML text or a dict of sections, got "
                    f"{type(answers).__name__}")


def check(problem, answers, *, tolerance: float | None = None, source: str | None = None) -> CheckReport:
    """Check a student's answers to a problem.

    Args:
        problem: what `key_of` takes: ``"seed002"``, a problem file, a Problem, a Solution or a Key.
        answers: an answers file's path, its TOML text, or a dict ``{"values": {"ŷ": 0.1192}, …}``
            (a string keeps the digits written; a float is judged at the digits of its shortest form).
        tolerance: judge every answer within this distance instead of at the precision written.
        source: the answers' name in the report (default: the file's path).

    Returns:
        A `CheckReport`: ``rows`` in derivation order, ``first_wrong``, ``exit_status``; it prints
        itself, and renders as Markdown or JSON.

    Raises:
        ProblemError: malformed answers (not TOML, a non-number, an unknown or duplicated name).
    """
    if tolerance is not None and not tolerance >= 0:
        raise ProblemError(f"the tolerance must be a number ≥ 0, got {tolerance!r}")
    key = key_of(problem)
    given, name = _answers(answers, source)
    rows = grade(key, given, tolerance)
    blanks = sum(a.written is None for a in given)
    return CheckReport(key, rows, name, blanks)


def check_files(problem, paths, *, tolerance: float | None = None) -> CheckSummary:
    """Check several answers files against one problem: a report per file and a summary."""
    key = key_of(problem)
    return CheckSummary(key, [check(key, p, tolerance=tolerance) for p in paths])


def template(problem, command: str | None = None) -> str:
    """The blank answers file of a problem: every number it asks for, with "" to fill in."""
    name = problem if isinstance(problem, str) else "PROBLEM"
    return answers_file(key_of(problem), command=command or f"chainrule check {name} answers.toml")


def answer_key(problem) -> str:
    """The answers file of a problem with the right numbers, at the problem's digits."""
    return answers_file(key_of(problem), filled=True)
