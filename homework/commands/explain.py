"""``chainrule explain``: the derivatives of one formula, by the chain rule."""

from __future__ import annotations

import math
import sys

from autograd import Value, draw, explain, notation as names, step_through, trace
from autograd.expression import parse
from autograd.render import latex, markdown
from autograd.render.latex import document as latex_document
from autograd.drawing import DEFAULT_MAX_NODES, box_count
from homework.commands.options import (UsageError, add_output_options, check_image_path, check_page_path,
                                       check_picture_options, check_picture_size, emit, inform, picture_options,
                                       write_page)


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
    p.add_argument("--paths", action="store_true",
                   help="list every path as its own product instead of factoring at branch points")
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
    check_page_path(args.steps)
    check_picture_options(args, bool(args.draw or args.steps))
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
    view = _picture_view(args, root) if args.draw or args.steps else None  # checked before anything is printed
    if not root.parents and args.steps:
        raise UsageError(f"--steps: {expr.source} has no variable, so there is no pass to step through")
    if not root.parents:  # no variable: the formula is a number
        text = f"{root.label} = {expr.source} = {names.format_number(root.data, digits)}"
        if args.format == "latex":
            text = latex_document(latex.escape(text) + "\n")
        elif args.format == "markdown":
            text = markdown.escape(text) + "\n"
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    # the forward pass once, at the top; then each derivative
    parts = [explain(root, leaves[w], digits=digits, paths=args.paths, forward=k == 0) for k, w in enumerate(wrt)]
    if args.trace:
        parts.append(trace(root, digits=digits))
    if args.format == "text":
        emit("\n\n".join(str(p) for p in parts) + "\n", "text")
    elif args.format == "markdown":
        emit("\n".join(p.to_markdown() for p in parts), "markdown")
    else:
        emit(latex_document("\n".join(p.to_latex() for p in parts)), args.format)
    if args.draw:
        options = dict(picture_options(args), digits=digits)
        path = draw(root, highlight=leaves[wrt[0]] if wrt else None, view=view,
                    max_nodes=args.max_nodes or DEFAULT_MAX_NODES, **options).render_to(args.draw)
        inform(args, f"drew the graph to {path}")
    if args.steps:
        options = dict(picture_options(args), digits=digits)
        page = step_through(root, view=view, max_nodes=args.max_nodes or DEFAULT_MAX_NODES, title=expr.source,
                            **options)
        write_page(args, page, args.steps)
    return 0


def _picture_view(args, root) -> str:
    """``--view``, or every operation when that fits ``--max-nodes``, else unnamed steps folded
    into the edges (saying so on stderr)."""
    limit = args.max_nodes or DEFAULT_MAX_NODES
    view = args.view or "full"
    full = box_count(root, "full")
    if args.view is None and full > limit and box_count(root, "collapsed") <= limit:
        view = "collapsed"
        inform(args, f"chainrule explain: every operation would make {full} boxes, more than {limit}: the picture "
                     f"folds unnamed steps into the edges (--view collapsed); --max-nodes {full} draws them all")
    check_picture_size(root, view, limit)
    return view
