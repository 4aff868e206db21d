"""``chainrule sheet``: the teacher's side — a problem's exercise sheet with blanks, its answer key and
worked solution, and with ``--variants N --seed S`` a variant with fresh numbers for each student."""

from __future__ import annotations

import sys

from homework.check import key_of
from homework.check.template import answers_file
from homework.commands.options import PROBLEM_HELP, UsageError, inform, whole_number
from homework.reading import load
from homework.sheet import exercise, write, write_variants
from homework.sheet.files import FILES


def add_to(commands) -> None:
    p = commands.add_parser("sheet", help="a blank exercise sheet and its answer key; --variants N, one per student",
                            description="Write a problem's exercise sheet (its questions with every number "
                                        "blanked, Markdown and LaTeX), the blank answers file, the answer key and "
                                        "the worked solution; with --variants N --seed S, N variants with fresh "
                                        "well-conditioned numbers, each with its own key.")
    p.add_argument("problem", help=PROBLEM_HELP)
    p.add_argument("--out", metavar="DIR", help="write every file into DIR (with --variants, one folder per variant)")
    p.add_argument("--variants", type=whole_number, metavar="N", help="make N variants with fresh numbers (needs --out)")
    p.add_argument("--seed", type=int, default=None, metavar="S",
                   help="the seed the variants are drawn from: the same seed makes the same variants")
    p.add_argument("--format", choices=("markdown", "latex"), default="markdown",
                   help="without --out: print the exercise sheet as markdown (default) or latex")
    p.add_argument("--key", action="store_true", help="without --out: print the answer key instead of the sheet")


def run(args) -> int:
    if args.variants is not None:
        if not args.out:
            raise UsageError("--variants writes one folder per variant: add --out DIR")
        if args.seed is None:
            raise UsageError("--variants needs --seed S, so that the same variants can be made again "
                             "(and each student's answers checked against their own)")
        folders = write_variants(load(args.problem), args.variants, args.seed, args.out, name=args.problem)
        inform(args, f"wrote {len(folders)} variants of {args.problem} (seed {args.seed}) in {args.out}: "
                     f"{folders[0].name} … {folders[-1].name}, each with problem.toml, {', '.join(FILES)}; "
                     f"variants.csv lists them")
        return 0
    if args.seed is not None:
        raise UsageError("--seed goes with --variants N")
    key = key_of(args.problem)
    if args.out:
        paths = write(key, args.out, f"chainrule check {args.problem} answers.toml")
        inform(args, f"wrote {', '.join(p.name for p in paths)} in {args.out}")
        return 0
    sys.stdout.write(answers_file(key, filled=True) if args.key else exercise(key, args.format))
    return 0
