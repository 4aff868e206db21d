"""Judging a student's answers against a `homework.check.key.Key`, in derivation order.

Each answer is judged at the precision it is written with (or within ``tolerance``):

- right (✓): the right number rounds to it;
- drift (≈): it is what the student's own earlier numbers give, those being right at their precision
  (the derivation recomputed from them), or what the derivation gives rounded or truncated at every
  step to the digits the student uses — rounding as you go, not a mistake;
- last digit off (≈): one unit off in the last digit written from every way of getting it right;
- follows (→): wrong, but right given the student's earlier wrong numbers;
- wrong (✗): none of these. The earliest wrong answer is the first wrong step; each wrong answer
  gets every known mistake (homework.check.mistakes) that reproduces it, when it is written to at
  least 3 significant digits.
"""

from __future__ import annotations

import math

from collections import Counter
from dataclasses import dataclass, field

from autograd.notation import format_number
from homework.check.mistakes import Diagnosis, candidates, fitting
from homework.check.names import UnknownName
from homework.check.plan import Entry
from homework.check.reading import Answer
from homework.check.written import rounder
from homework.errors import ProblemError

RIGHT, DRIFT, LAST_DIGIT, FOLLOWS, WRONG = "right", "drift", "last digit off", "follows", "wrong"
STATUSES = (RIGHT, DRIFT, LAST_DIGIT, FOLLOWS, WRONG)
MARKS = {RIGHT: "✓", DRIFT: "≈", LAST_DIGIT: "≈", FOLLOWS: "→", WRONG: "✗"}
# Fewer significant digits than this and an answer is too coarse to tell one mistake from another.
DIAGNOSABLE_DIGITS = 3


@dataclass
class Row:
    """One answer judged.

    Attributes:
        entry: the quantity (`homework.check.plan.Entry`); ``expected`` its right number.
        answer: the answer as read (`homework.check.reading.Answer`).
        status: one of `STATUSES`; ``note``: why, in words.
        question: the sheet's label of the question asking for it ('' if none).
        from_yours: the number the student's own earlier numbers give (None when it is the right one).
        diagnoses: the known mistakes that give the student's number, most likely first.
        first: whether this is the first wrong step.
    """

    entry: Entry
    answer: Answer
    status: str
    note: str
    expected: float
    question: str = ""
    from_yours: float | None = None
    diagnoses: list = field(default_factory=list)
    first: bool = False

    @property
    def mark(self) -> str:
        return MARKS[self.status]


def match(key, answers: list[Answer]) -> dict[int, Answer]:
    """Each answer's entry position; blanks left out.

    Raises:
        ProblemError: an unknown name (with the closest), an array of the wrong shape, or one quantity
            answered twice (under two spellings).
    """
    given: dict[int, Answer] = {}
    for a in answers:
        try:
            found = key.lookup.find(a.section, a.key)
        except UnknownName as e:
            raise ProblemError(f"{a.where()}: {e}") from None
        for depth, i in enumerate(a.position):
            if not isinstance(found, list):
                raise ProblemError(f"{a.where()}: {a.key} is one number, not an array; write \"{a.key}\" = number")
            if a.length[depth] != len(found):
                raise ProblemError(f"{a.where()}: {a.key} has {len(found)} entries here, the array "
                                   f"{a.length[depth]}; give one number (or \"\") per entry")
            found = found[i]
        if isinstance(found, list):
            shape = f"{len(found)} × {len(found[0])} matrix" if isinstance(found[0], list) else f"vector of {len(found)}"
            raise ProblemError(f"{a.where()}: {a.key} is a {shape}; write it as an array of that shape")
        if found is None or a.written is None:
            continue
        if found in given:
            other = given[found]
            raise ProblemError(f"{a.where()}: {key.entries[found].symbol} is answered twice: also as "
                               f"\"{other.key}\"" + (f" on line {other.line}" if other.line else "") +
                               "; keep one of them")
        given[found] = a
    return given


def grade(key, answers: list[Answer], tolerance: float | None = None) -> list[Row]:
    """The answers judged in derivation order (see the module docstring)."""
    given = match(key, answers)
    worked = key.plan.work(decide=lambda e, x: given[e.index].written.value if e.index in given else x)
    ways = _Ways(key, given, _habits([a.written for a in given.values()]))
    status: dict[int, str] = {}
    sources: dict[int, list[int]] = {}
    rows: list[Row] = []
    first_done = False
    for e in key.entries:
        if e.index not in given:
            continue
        a, w = given[e.index], given[e.index].written
        mine = worked.computed[e.index]
        found = _answered_inputs(key, e.index, given, sources)
        wrong_before = [j for j in found if status.get(j) in (WRONG, FOLLOWS)]
        row = Row(e, a, WRONG, "", e.value, key.label(e.index), None if mine == e.value else mine)
        if w.matches(e.value, tolerance):
            row.status = RIGHT
        elif w.matches(mine, tolerance):
            row.status = FOLLOWS if wrong_before else DRIFT
            row.note = (_follows(key, given, wrong_before) if wrong_before
                        else f"drift: what your own earlier numbers give ({key.number(mine)})")
        else:
            drift = ways.drift(e.index, w, tolerance, own=not wrong_before)
            if drift:
                row.status, row.note = DRIFT, drift
            elif wrong_before and ways.follows(e.index, w, tolerance):
                row.status, row.note = FOLLOWS, _follows(key, given, wrong_before)
            elif tolerance is None and w.digits >= DIAGNOSABLE_DIGITS and \
                    ways.one_unit_off(e.index, w, mine, own=not wrong_before):
                row.status = LAST_DIGIT
                row.note = (f"last digit off: {format_number(e.value, w.digits + 1)} rounds to "
                            f"{format_number(e.value, w.digits)}")
        status[e.index] = row.status
        if row.status == WRONG:
            row.first, first_done = not first_done, True
            if w.digits < DIAGNOSABLE_DIGITS and tolerance is None:
                # a coarse number fits too many mistakes at its digits; one that a mistake gives
                # exactly (σ(0) = 0.5 for σ′(0) = 0.25) is still named
                row.diagnoses = diagnose(key, e, w, worked if found else None, exact=True)
                if not row.diagnoses:
                    row.note = (f"written to {w.digits} significant digit{'s' if w.digits > 1 else ''}: "
                                f"too coarse to diagnose")
                else:
                    row.note = "first wrong step" if row.first else ""
            else:
                row.diagnoses = diagnose(key, e, w, worked if found else None, tolerance)
                row.note = "first wrong step" if row.first else ""
        rows.append(row)
    return rows


def diagnose(key, entry: Entry, w, worked=None, tolerance: float | None = None,
             exact: bool = False) -> list[Diagnosis]:
    """The known mistakes that give the written number ``w`` for ``entry``: worked from the right
    derivation, and from the student's own earlier numbers (``worked``) when there are any.
    ``exact``: only mistakes whose number is exactly the one written."""
    found = candidates(key, entry, key.plan.truth)
    if worked is not None:
        found += candidates(key, entry, worked, whole=False)
    if exact:
        return fitting(found, lambda x: math.isclose(x, w.value, rel_tol=1e-12, abs_tol=1e-15))
    return fitting(found, lambda x: w.matches(x, tolerance))


def _follows(key, given: dict, wrong: list[int]) -> str:
    return "follows from your earlier value " + ", ".join(f"{key.entries[j].symbol} = {given[j].written.text}"
                                                          for j in wrong)


def _answered_inputs(key, i: int, given: dict, memo: dict) -> list[int]:
    """The nearest answered quantities entry i is computed from (through unanswered ones)."""
    if i not in memo:
        found: list[int] = []
        for j in key.entries[i].inputs:
            found += [j] if j in given else _answered_inputs(key, j, given, memo)
        memo[i] = sorted(set(found))
    return memo[i]


def _habits(written: list) -> list[tuple[str, int]]:
    """The precisions a student works at: the most common significant digits and decimals."""
    sig = Counter(w.digits for w in written).most_common(2)
    dec = Counter(w.decimals for w in written).most_common(2)
    return [("sig", d) for d, _ in sig] + [("dec", d) for d, _ in dec if d >= 0]


class _Ways:
    """The ways a student may have got a number short of a mistake: the derivation rounded or
    truncated at every step to the digits written (or to the digits the student mostly writes),
    from the start (``key.replay``) or from the student's own earlier numbers."""

    def __init__(self, key, given: dict, habits: list) -> None:
        self.key, self.given, self.habits = key, given, habits
        self._own: dict = {}

    def precisions(self, w) -> list[tuple[str, int]]:
        """The precisions to round at: the answer's own and the student's habits, none coarser than 2
        significant digits or 1 decimal (every step rounded to whole numbers is not a way of working)."""
        found = [("sig", w.digits), ("dec", w.decimals), *self.habits]
        return [p for p in dict.fromkeys(found) if p[1] >= (2 if p[0] == "sig" else 1)]

    def own(self, how: str, mode: str, digits: int):
        at = (how, mode, digits)
        if at not in self._own:
            given = self.given
            self._own[at] = self.key.plan.work(decide=lambda e, x: given[e.index].written.value
                                               if e.index in given else x, rounder=rounder(how, mode, digits))
        return self._own[at]

    def drift(self, i: int, w, tolerance, own: bool) -> str:
        """How rounding or truncating every step gives ``w`` for entry i, in words ('' if it does not)."""
        for mode, digits in self.precisions(w):
            for how in ("round", "truncate"):
                runs = [(self.key.replay(how, mode, digits), "")]
                if own:
                    runs.append((self.own(how, mode, digits), ", from your own earlier numbers"))
                for worked, whence in runs:
                    if w.matches(worked.computed[i], tolerance):
                        places = f"{digits} significant digit{'s' if digits > 1 else ''}" if mode == "sig" else \
                            f"{digits} decimal{'s' if digits != 1 else ''}"
                        verb = "rounding" if how == "round" else "truncating"
                        return f"drift from {verb} as you go ({places} at every step{whence})"
        return ""

    def follows(self, i: int, w, tolerance) -> bool:
        """Whether rounding every step from the student's own (wrong) earlier numbers gives ``w``."""
        return any(w.matches(self.own(how, mode, digits).computed[i], tolerance)
                   for mode, digits in self.precisions(w) for how in ("round", "truncate"))

    def one_unit_off(self, i: int, w, mine: float, own: bool) -> bool:
        """Whether ``w`` is one unit of its last digit from the right number or a way of getting it."""
        ways = [self.key.entries[i].value, mine]
        for mode, digits in self.precisions(w):
            for how in ("round", "truncate"):
                ways.append(self.key.replay(how, mode, digits).computed[i])
                if own:
                    ways.append(self.own(how, mode, digits).computed[i])
        return min(w.units_off(x) for x in ways) <= 1.5 + 1e-6
