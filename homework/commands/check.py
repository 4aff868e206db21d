"""``chainrule check``: a student's answers checked against a problem's worked solution — each number
judged at the digits written, the first wrong step, the mistake behind each wrong number — and
``--template``, the blank answers file to fill in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from homework.check import check_files, key_of, template
from homework.check.report import FORMATS
from homework.commands.options import PROBLEM_HELP, UsageError, inform, whole_number


def _tolerance(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number such as 0.001, got {text!r}") from None
    if not x >= 0:
        raise argparse.ArgumentTypeError(f"the tolerance must be ≥ 0, got {text}")
    return x


class _Intermixed(argparse.ArgumentParser):
    """A parser whose positional arguments may stand on either side of its options
    (``chainrule check seed002 --format json answers.toml``): argparse alone takes the positionals
    only up to the first option."""

    _inside = False

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        if self._inside:
            return super().parse_known_args(args, namespace)
        self._inside = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inside = False


def add_to(commands) -> None:
    p = commands.add_parser("check", help="check your answers: the first wrong step and the mistake behind it",
                            description="Check a student's answers file against a problem: every number judged "
                                        "at the digits it is written with, the first wrong step, and the known "
                                        "mistakes that reproduce each wrong number. Exit status 0 when every "
                                        "answer is right, 1 when one is wrong, 2 for bad input.")
    p.__class__ = _Intermixed
    p.add_argument("problem", help=PROBLEM_HELP)
    p.add_argument("answers", nargs="*", metavar="ANSWERS",
                   help="answers files (TOML: [values], [local], [gradients], [updated]); several give one row "
                        "per file and a summary per question")
    p.add_argument("--template", action="store_true",
                   help="print the blank answers file of the problem, every name it asks for, to fill in")
    p.add_argument("--tolerance", type=_tolerance, metavar="T",
                   help="judge every answer within T of the right number, instead of at the digits written")
    p.add_argument("--format", choices=FORMATS, default="text", help="text (default), markdown or json")
    p.add_argument("--csv", metavar="FILE", help="also write one row per answers file, with each question's status")
    p.add_argument("--variant", type=whole_number, metavar="K",
                   help="check against variant K of the problem (with --seed: as chainrule sheet --variants made it)")
    p.add_argument("--seed", type=int, metavar="S", help="the seed the variants were made with")


def run(args) -> int:
    if (args.variant is None) != (args.seed is None):
        raise UsageError("--variant K and --seed S go together: the variant is remade from its seed")
    problem = args.problem
    if args.variant is not None:
        from homework.sheet.redraw import variant

        problem = variant(problem, args.seed, args.variant)
    if args.template:
        if args.answers:
            raise UsageError("--template prints the blank answers file; leave out the answers files")
        name = args.problem if args.variant is None else f"{args.problem} --variant {args.variant} --seed {args.seed}"
        sys.stdout.write(template(problem, command=f"chainrule check {name} answers.toml"))
        return 0
    if not args.answers:
        raise UsageError(f"give the answers file to check (chainrule check --template {args.problem} > answers.toml "
                         f"writes a blank one)")
    key = key_of(problem)
    summary = check_files(key, args.answers, tolerance=args.tolerance)
    shown = summary.reports[0] if len(summary.reports) == 1 else summary
    sys.stdout.write(shown.render(args.format))
    if args.csv:
        Path(args.csv).write_text(summary.to_csv(), encoding="utf-8")
        inform(args, f"wrote {args.csv}")
    return summary.exit_status
