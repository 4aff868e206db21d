"""The ``chainrule`` command: worked solutions of problem files, and chain-rule explanations of formulas.

    chainrule solve [PROBLEM]          the whole worked solution (default: the built-in seed002)
    chainrule explain FORMULA NAME=VALUE ...
    chainrule problems                 list the built-in problems; `chainrule problems NAME` prints one

Run ``chainrule COMMAND --help`` for the options. ``python -m nn`` is the same command.
Exit status: 0 on success, 2 when the input is wrong (the message says what and how to fix it).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from autograd import Value, notation as names
from autograd.errors import ChainruleError
from autograd.expression import ExpressionError, parse
from nn.problem import BUILTIN, DEFAULT_PROBLEM, ProblemError, builtin_text, load
from nn.solution import FORMATS

_SUFFIX = {"text": ".txt", "markdown": ".md", "latex": ".tex"}
_IMAGE_SUFFIXES = (".svg", ".png", ".pdf", ".gv", ".dot")


class UsageError(Exception):
    """Wrong input on the command line; printed without a traceback, exit status 2."""


def _digits(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of digits such as 4, got {text!r}") from None
    if not 1 <= n <= 17:
        raise argparse.ArgumentTypeError(f"digits must be from 1 to 17, got {n}")
    return n


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainrule", description="Backpropagation worked out step by step, in your sheet's notation.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    solve = commands.add_parser("solve", help="the worked solution of a problem file",
                                description="Print the worked solution of a problem file: forward pass, loss, "
                                            "gradients, chain-rule derivations and one gradient-descent step.")
    solve.add_argument("problem", nargs="?", default=DEFAULT_PROBLEM,
                       help=f"a problem file (.toml) or a built-in problem ({', '.join(BUILTIN)}); "
                            f"default {DEFAULT_PROBLEM}")
    _output_options(solve)
    solve.add_argument("--round-steps", action="store_true",
                       help="also recompute every step from rounded numbers, as by hand, and show the drift")
    solve.add_argument("--out", metavar="DIR",
                       help="write the solution and one picture per explained derivative into DIR")

    explain = commands.add_parser(
        "explain", help="explain the derivatives of one formula",
        description="Explain the derivatives of a formula by the chain rule, e.g. "
                    "chainrule explain \"q = x + y; f = q * z\" x=-2 y=5 z=-4")
    explain.add_argument("formula", help="the formula; NAME = ... steps separated by ';' name intermediate nodes")
    explain.add_argument("values", nargs="*", metavar="NAME=VALUE", help="a number for every variable")
    explain.add_argument("--wrt", action="append", metavar="NAME",
                         help="explain the derivative with respect to this variable (repeatable; default: all)")
    explain.add_argument("--trace", action="store_true", help="also show the backward pass node by node")
    _output_options(explain)

    problems = commands.add_parser("problems", help="list the built-in problems, or print one",
                                   description="List the built-in problems, or print one to start your own file: "
                                               "chainrule problems seed002 > mine.toml")
    problems.add_argument("name", nargs="?", help="print this built-in problem file")
    return parser


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="text", help="text (default), markdown or latex")
    p.add_argument("--digits", type=_digits, default=None, help="significant digits shown (default 4)")
    p.add_argument("--draw", metavar="FILE",
                   help="also draw the graph, with the (first) derivative's paths highlighted, to FILE "
                        "(.svg, .png, .pdf or .gv)")


def _check_image_path(path: str | None) -> None:
    if path and Path(path).suffix.lower() not in _IMAGE_SUFFIXES:
        raise UsageError(f"--draw {path}: the file name must end in one of {', '.join(_IMAGE_SUFFIXES)}")


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "", names.to_latex(label)) or "node"


def _run_solve(args) -> int:
    _check_image_path(args.draw)
    problem = load(args.problem)
    solution = problem.solve()
    text = solution.render(args.format, args.digits, round_steps=args.round_steps)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        pictures = []
        targets = solution.wrt or [None]
        for w in targets:
            stem = f"graph-{_slug(w.label)}" if w is not None else "graph"
            drawing = solution.drawing(highlight=w)
            for suffix in (".svg", ".png"):
                drawing.render_to(out / f"{stem}{suffix}")
            pictures.append((w, stem))
        if args.format == "markdown":
            text += "\n" + "\n\n".join(
                f"![{'the graph' if w is None else 'the paths of ' + w.label}]({stem}.png)" for w, stem in pictures) + "\n"
        written = out / f"solution{_SUFFIX[args.format]}"
        written.write_text(text, encoding="utf-8")
        print(f"wrote {written} and {', '.join(f'{stem}.svg/.png' for _, stem in pictures)} in {out}")
    else:
        sys.stdout.write(text)
    if args.draw:
        path = solution.drawing().render_to(args.draw)
        print(f"drew the graph to {path}", file=sys.stderr)
    return 0


def _parse_values(pairs: list[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for pair in pairs:
        name, sep, number = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"expected NAME=VALUE such as x=-2, got {pair!r}")
        try:
            values[name.strip()] = float(number)
        except ValueError:
            raise UsageError(f"{name.strip()}={number!r}: the value must be a number") from None
    return values


def _run_explain(args) -> int:
    from autograd.explain import explain, latex_document, trace

    _check_image_path(args.draw)
    expr = parse(args.formula)
    given = _parse_values(args.values)
    leaves = {name: Value(v, label=name) for name, v in given.items()}
    root = expr.evaluate(leaves)
    if not root.label:
        root.label = "f"
    root.backward()
    wrt = args.wrt or list(expr.variables)
    unknown = [w for w in wrt if w not in leaves]
    if unknown:
        raise UsageError(f"--wrt {', '.join(unknown)}: not a variable of the formula "
                         f"(its variables: {', '.join(expr.variables)})")
    digits = args.digits or 4
    parts = [explain(root, leaves[w], digits=digits) for w in wrt]
    if args.trace:
        parts.append(trace(root, digits=digits))
    if args.format == "text":
        sys.stdout.write("\n\n".join(str(p) for p in parts) + "\n")
    elif args.format == "markdown":
        sys.stdout.write("\n".join(p.to_markdown() for p in parts))
    else:
        sys.stdout.write(latex_document("\n".join(p.to_latex() for p in parts)))
    if args.draw:
        from autograd.viz import draw
        path = draw(root, highlight=leaves[wrt[0]] if wrt else None, digits=digits).render_to(args.draw)
        print(f"drew the graph to {path}", file=sys.stderr)
    return 0


def _run_problems(args) -> int:
    if args.name:
        sys.stdout.write(builtin_text(args.name))
        return 0
    for name in BUILTIN:
        title = load(name).title
        print(f"{name}  {title}")
    print("\nchainrule solve NAME solves one; chainrule problems NAME prints its file to start your own.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return {"solve": _run_solve, "explain": _run_explain, "problems": _run_problems}[args.command](args)
    except (UsageError, ProblemError, ExpressionError, ChainruleError, ValueError, TypeError) as e:
        print(f"chainrule {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
