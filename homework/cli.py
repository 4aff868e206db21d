"""The ``chainrule`` command: worked solutions of problem files, and chain-rule explanations of formulas.

    chainrule solve [PROBLEM]          the whole worked solution (default: the built-in seed002)
    chainrule explain FORMULA NAME=VALUE ...
    chainrule problems                 list the built-in problems; `chainrule problems NAME` prints one
    chainrule doctor                   check what chainrule needs: Python, graphviz, fonts, TeX, ...
    chainrule --version                the version

Run ``chainrule COMMAND --help`` for the options. ``python -m homework`` is the same command. Each
subcommand lives in homework/commands/. Exit status: 0 on success, 2 when the input is wrong (the
message says what and how to fix it).
"""

from __future__ import annotations

import argparse
import sys

from autograd.errors import ChainruleError
from autograd.expression import ExpressionError
from autograd import __version__
from homework.commands import check, doctor, explain, problems, sheet, solve
from homework.commands.options import UsageError
from homework.errors import ProblemError

COMMANDS = {"solve": solve, "explain": explain, "problems": problems, "doctor": doctor, "check": check, "sheet": sheet}


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``chainrule`` and all its subcommands."""
    p = argparse.ArgumentParser(
        prog="chainrule", description="Backpropagation worked out step by step, in your sheet's notation.")
    p.add_argument("--version", action="version", version=f"chainrule {__version__}")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only results and errors: no progress or informational lines on stderr")
    commands = p.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for module in COMMANDS.values():
        module.add_to(commands)
    for sub in commands.choices.values():  # `chainrule solve -q` as well as `chainrule -q solve`
        sub.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command].run(args)
    except (UsageError, ProblemError, ExpressionError, ChainruleError, ValueError, TypeError) as e:
        print(f"chainrule {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
