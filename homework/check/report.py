"""What checking prints: `CheckReport` for one answers file — a table per answer (name, yours,
expected, ✓/≈/→/✗, note), the first wrong step, the mistakes that reproduce each wrong answer — and
`CheckSummary` for several files: one row per file and a summary per question. Both are document
parts rendered by the shared renderers (text, Markdown), or data (JSON, CSV), and display themselves
in a notebook.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter

from autograd.derive.document import Explanation
from autograd.derive.model import Items, Nested, Prose, Table
from autograd.notation import format_number
from autograd.render import markdown, text
from homework.check.grade import DRIFT, FOLLOWS, LAST_DIGIT, MARKS, RIGHT, STATUSES, WRONG

FORMATS = ("text", "markdown", "json")


class CheckReport:
    """One answers file checked: see the module docstring.

    Attributes:
        key: the `homework.check.key.Key` checked against; ``source``: the answers file.
        rows: the answers judged, in derivation order (`homework.check.grade.Row`).
        blanks: how many questions the file left blank.
    """

    def __init__(self, key, rows: list, source: str, blanks: int = 0) -> None:
        self.key, self.rows, self.source, self.blanks = key, rows, source, blanks

    @property
    def title(self) -> str:
        return self.key.problem.title if self.key.problem is not None else "the graph"

    @property
    def first_wrong(self):
        """The first wrong step (a row), or None."""
        return next((r for r in self.rows if r.first), None)

    @property
    def counts(self) -> Counter:
        return Counter(r.status for r in self.rows)

    @property
    def ok(self) -> bool:
        """No answer wrong (drift and a last digit off are not mistakes)."""
        return not any(r.status in (WRONG, FOLLOWS) for r in self.rows)

    @property
    def exit_status(self) -> int:
        """0 when every answer is right, 1 when one is wrong (the command line's exit status)."""
        return 0 if self.ok else 1

    def expected(self, row) -> str:
        """The right number, to the problem's digits or to as many as the student wrote."""
        x = float(format(row.expected, ".12g"))  # 0.35000000000000003 is the 0.35 a student writes
        return format_number(x, max(self.key.digits, row.answer.written.digits))

    # Document --------------------------------------------------------------------------------------

    def parts(self) -> list:
        questions = any(r.question for r in self.rows)
        head = (["question"] if questions else []) + ["answer", "yours", "expected", "", "note"]
        table = [([r.question] if questions else []) + [_cell(r), r.answer.written.text, self.expected(r), r.mark, r.note]
                 for r in self.rows]
        out: list = [Prose(f"{self.source}: {len(self.rows)} answer{'s' if len(self.rows) != 1 else ''} checked "
                           f"against {self.title}")]
        if table:
            out.append(Nested(Explanation("check", 0.0, [Table([[h] for h in head], [[[c] for c in row]
                                                                                      for row in table])])))
        for r in self.rows:
            if r.status != WRONG:
                continue
            where = f" (question {r.question})" if r.question else ""
            what = "First wrong step" if r.first else "Also wrong"
            out.append(Prose(f"{what}: {_cell(r)}{where} = {r.answer.written.text}, expected {self.expected(r)}."))
            if r.diagnoses:
                out.append(Items([d.text for d in r.diagnoses]))
            elif r.note.startswith("written to"):
                out.append(Items([r.note]))
            else:
                out.append(Items(["no known mistake gives this number"]))
        out.append(Prose(self.summary()))
        return out

    def summary(self) -> str:
        n, c = len(self.rows), self.counts
        if not n:
            return "No answers given: fill in the numbers (chainrule check --template writes the names)."
        said = [f"{c[RIGHT]} of {n} right"]
        if c[DRIFT]:
            said.append(f"{c[DRIFT]} drift from rounding or truncating as you go")
        if c[LAST_DIGIT]:
            said.append(f"{c[LAST_DIGIT]} last digit off")
        if c[WRONG]:
            said.append(f"{c[WRONG]} wrong")
        if c[FOLLOWS]:
            said.append(f"{c[FOLLOWS]} follow{'s' if c[FOLLOWS] == 1 else ''} from an earlier wrong value")
        if self.blanks:
            said.append(f"{self.blanks} left blank")
        first = self.first_wrong
        tail = f"; the first wrong step is {_cell(first)}" + (f" (question {first.question})" if first.question else "") \
            if first else ""
        return ", ".join(said) + tail + "."

    def render(self, fmt: str = "text") -> str:
        """The report as ``"text"``, ``"markdown"`` or ``"json"``."""
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        if fmt == "json":
            return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"
        return (text.report if fmt == "text" else markdown.report)(self.parts())

    def __str__(self) -> str:
        return self.render("text")

    def __repr__(self) -> str:
        return f"<CheckReport {self.source}: {self.summary()}>"

    def to_markdown(self) -> str:
        return self.render("markdown")

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        cells = "".join(f"<tr><td>{html.escape(r.question)}</td><td>{html.escape(_cell(r))}</td>"
                        f"<td>{html.escape(r.answer.written.text)}</td><td>{html.escape(self.expected(r))}</td>"
                        f"<td>{r.mark}</td><td>{html.escape(r.note)}</td></tr>" for r in self.rows)
        found = "".join(f"<li><b>{html.escape(_cell(r))}</b>: " + "; ".join(html.escape(d.text) for d in r.diagnoses)
                        + "</li>" for r in self.rows if r.diagnoses)
        return (f"<p>{html.escape(self.source)}: checked against {html.escape(self.title)}</p><table><tr><th>question"
                f"</th><th>answer</th><th>yours</th><th>expected</th><th></th><th>note</th></tr>{cells}</table>"
                + (f"<ul>{found}</ul>" if found else "") + f"<p>{html.escape(self.summary())}</p>")

    def as_dict(self) -> dict:
        first = self.first_wrong
        return {
            "answers_file": self.source, "problem": self.title, "exit_status": self.exit_status,
            "first_wrong_step": _cell(first) if first else None, "summary": self.summary(),
            "answers": [{"section": r.entry.section, "name": r.entry.name, "symbol": r.entry.symbol,
                         "question": r.question, "yours": r.answer.written.text, "expected": r.expected,
                         "from_your_numbers": r.from_yours, "status": r.status, "note": r.note,
                         "diagnoses": [{"kind": d.kind, "text": d.text, "value": d.value} for d in r.diagnoses]}
                        for r in self.rows],
        }


def _cell(row) -> str:
    return row.entry.symbol


class CheckSummary:
    """Several answers files checked against one key: a row per file, a summary per question."""

    def __init__(self, key, reports: list) -> None:
        self.key, self.reports = key, reports

    @property
    def exit_status(self) -> int:
        return max((r.exit_status for r in self.reports), default=0)

    def _questions(self) -> list:
        seen: dict[int, list] = {}
        for report in self.reports:
            for r in report.rows:
                seen.setdefault(r.entry.index, []).append(r)
        asked = {i: k for k, i in enumerate(i for _, _, positions in self.key.asked for i in positions)}
        ordered = sorted(seen, key=lambda i: (asked.get(i, len(asked)), i))  # the sheet's order, then the rest
        return [(self.key.entries[i], seen[i]) for i in ordered]

    def parts(self) -> list:
        files = [[[r.source], [str(len(r.rows))]] + [[str(r.counts[s])] for s in STATUSES]
                 + [[_cell(r.first_wrong) if r.first_wrong else ""]] for r in self.reports]
        head = [["answers file"], ["answered"]] + [[f"{MARKS[s]} {s}"] for s in STATUSES] + [["first wrong step"]]
        per_question = []
        for entry, rows in self._questions():
            kinds = Counter(d.kind for r in rows for d in r.diagnoses[:1])
            per_question.append([[self.key.label(entry.index)], [entry.symbol], [str(len(rows))],
                                 [str(sum(r.status == RIGHT for r in rows))],
                                 [str(sum(r.status in (WRONG, FOLLOWS) for r in rows))],
                                 [", ".join(f"{k} ({n})" for k, n in kinds.most_common(2))]])
        qhead = [["question"], ["answer"], ["answered"], ["right"], ["wrong"], ["most common mistake"]]
        wrong = sum(not r.ok for r in self.reports)
        return [Prose(f"{len(self.reports)} answers files checked against {self.key.problem.title if self.key.problem else 'the graph'}:"),
                Nested(Explanation("check", 0.0, [Table(head, files)])), Prose("Per question:"),
                Nested(Explanation("check", 0.0, [Table(qhead, per_question)])),
                Prose(f"{len(self.reports) - wrong} of {len(self.reports)} files all right.")]

    def render(self, fmt: str = "text") -> str:
        if fmt == "json":
            return json.dumps({"files": [r.as_dict() for r in self.reports], "exit_status": self.exit_status},
                              ensure_ascii=False, indent=2) + "\n"
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        return (text.report if fmt == "text" else markdown.report)(self.parts())

    def __str__(self) -> str:
        return self.render("text")

    def _repr_markdown_(self) -> str:
        return self.render("markdown")

    def to_csv(self) -> str:
        """One row per file: its counts, its first wrong step, and each question's status."""
        entries = [entry for entry, _ in self._questions()]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["answers file", "answered", *STATUSES, "first wrong step",
                         *[(f"{self.key.label(e.index)} " if self.key.label(e.index) else "") + e.symbol for e in entries]])
        for r in self.reports:
            status = {row.entry.index: row.status for row in r.rows}
            writer.writerow([r.source, len(r.rows), *[r.counts[s] for s in STATUSES],
                             _cell(r.first_wrong) if r.first_wrong else "", *[status.get(e.index, "") for e in entries]])
        return out.getvalue()
