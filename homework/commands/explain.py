"""``chainrule explain``: the derivatives of one formula, by the chain rule."""

from __future__ import annotations

import math
import sys

from autograd import Value, draw, explain, trace
from autograd.expression import parse
from autograd.render.latex import document as latex_document
from homework.commands.options import UsageError, add_output_options, check_image_path, emit


def add_to(commands) -> None:
    p = commands.add_parser(
        "explain", help="explain the derivatives of one formula",
        description="Explain the derivatives of a formula by the chain rule, e.g. "
                    "chainrule explain \"q = x + y; f = q * z\" x=-2 y=5 z=-4")
    p.add_argument("formula", help="the formula; NAME = ... steps separated by ';' name intermediate nodes")
    p.add_argument("values", nargs="*", metavar="NAME=VALUE", help="a number for every variable")
    p.add_argument("--wrt", action="append", metavar="NAME",
                   help="explain the derivative with respect to this variable (repeatable; default: all)")
    p.add_argument("--trace", action="store_true", help="also show the backward pass node by node")
    add_output_options(p)


def _parse_values(pairs: list[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for pair in pairs:
        name, sep, number = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"expected NAME=VALUE such as x=-2, got {pair!r}")
        if name in values:
            raise UsageError(f"{name} is given twice ({name}={values[name]:g} and {pair}); give each variable once")
        try:
            value = float(number)
        except ValueError:
            raise UsageError(f"{name}={number!r}: the value must be a number") from None
        if not math.isfinite(value):
            raise UsageError(f"{name}={number}: the value must be a finite number "
                             f"(within ±{sys.float_info.max:.4g})")
        values[name] = value
    return values


def run(args) -> int:
    check_image_path(args.draw)
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
        emit("\n\n".join(str(p) for p in parts) + "\n", "text")
    elif args.format == "markdown":
        emit("\n".join(p.to_markdown() for p in parts), "markdown")
    else:
        emit(latex_document("\n".join(p.to_latex() for p in parts)), args.format)
    if args.draw:
        path = draw(root, highlight=leaves[wrt[0]] if wrt else None, digits=digits).render_to(args.draw)
        print(f"drew the graph to {path}", file=sys.stderr)
    return 0
