"""The exercise version of a problem: the network and the numbers it is given, then the sheet's
questions with a blank for every number they ask for (without questions: the forward values, the
error terms, the gradients and the updated parameters), as document parts for the Markdown and LaTeX
renderers. The answer key is `homework.check.answer_key`; the worked solution, `Solution.render`.
"""

from __future__ import annotations

from autograd.derive.model import Heading, Items, Prose
from autograd.render import latex, markdown
from homework.report import parts as solution_parts

BLANK = "____________"
FORMATS = ("markdown", "latex")
# Questions whose answer is not a number to fill in: what to leave room for instead.
_ROOM = {"diagram": "(draw it here)", "shapes": f"shapes: {BLANK}", "classify": f"class: {BLANK}",
         "augmented": f"with the 1 in front: {BLANK}", "closed_forms": "(write the formulas)",
         "layers": "(write the derivation)", "identity": "(show the identity)"}


def exercise_parts(key, subtitle: str = "") -> list:
    """The exercise sheet of a `homework.check.key.Key`'s problem as document parts."""
    solution, problem = key.solution, key.problem
    out: list = [Heading(problem.title + (f" — {subtitle}" if subtitle else ""), 1)]
    out += _given(solution)
    lr = key.number(problem.learning_rate)
    out.append(Prose(f"Learning rate {lr}. Give numbers to {problem.digits} significant digits, as you work them "
                     f"out."))
    if problem.questions:
        asked = {label: positions for label, _, positions in key.asked}
        for q in problem.questions:
            out.append(Heading(f"Question {q.label}" + (f": {q.text}" if q.text else "")))
            positions = asked.get(q.label, [])
            lines = [_blank(key, i) for i in positions] or [_ROOM.get(q.ask, f"Answer: {BLANK}")]
            out.append(Items(lines))
    else:
        out.append(Heading("Questions"))
        for _, text, positions in key.asked:
            out.append(Prose(text + ":"))
            out.append(Items([_blank(key, i) for i in positions]))
    return out


def _given(solution) -> list:
    """The network as a worked solution states it (its first section), with the numbers it is given."""
    every = solution_parts(solution, solution.problem.digits, by_section=True)
    start = next(k for k, p in enumerate(every) if isinstance(p, Heading) and p.text == "The network")
    end = next((k for k in range(start + 1, len(every)) if isinstance(every[k], Heading)), len(every))
    return every[start:end]


def _blank(key, i: int) -> str:
    e = key.entries[i]
    return f"{e.symbol} = {BLANK}"


def exercise(key, fmt: str = "markdown", subtitle: str = "") -> str:
    """The exercise sheet as ``"markdown"`` or ``"latex"`` (a complete document)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return (markdown.report if fmt == "markdown" else latex.report)(exercise_parts(key, subtitle))
