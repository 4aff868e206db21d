"""``chainrule solve``: the worked solution of a problem file."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from autograd import notation as names
from autograd.drawing import DEFAULT_MAX_NODES
from homework.commands.options import (add_output_options, check_image_path, check_page_path, check_picture_options,
                                       check_picture_size, picture_options, write_page)
from homework.reading import BUILTIN, DEFAULT_PROBLEM, load
from homework.report import with_pictures
from homework.solution import NEURON_VIEW_ABOVE

_SUFFIX = {"text": ".txt", "markdown": ".md", "latex": ".tex"}


def add_to(commands) -> None:
    solve = commands.add_parser("solve", help="the worked solution of a problem file",
                                description="Print the worked solution of a problem file: forward pass, loss, "
                                            "gradients, chain-rule derivations and one gradient-descent step.")
    solve.add_argument("problem", nargs="?", default=DEFAULT_PROBLEM,
                       help=f"a problem file (.toml) or a built-in problem ({', '.join(BUILTIN)}); "
                            f"default {DEFAULT_PROBLEM}")
    add_output_options(solve)
    solve.add_argument("--paths", action="store_true",
                       help="in the chain-rule derivations, list every path as its own product instead of "
                            "factoring at branch points")
    solve.add_argument("--by-section", action="store_true",
                       help="print the complete solution section by section, instead of answering the problem's "
                            "[questions] one by one")
    solve.add_argument("--unfused", action="store_true",
                       help="with softmax and cross-entropy, derive ∂ℓ/∂z through the softmax instead of "
                            "starting from ∂ℓ/∂z = ŷ − y")
    solve.add_argument("--trace", action="store_true",
                       help="also show the backward pass node by node, as the engine runs it")
    solve.add_argument("--round-steps", action="store_true",
                       help="also recompute every step from rounded numbers, as by hand, and show the drift")
    solve.add_argument("--out", metavar="DIR",
                       help="write the solution and one picture per explained derivative into DIR")


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "", names.to_latex(label)) or "node"


def run(args) -> int:
    check_image_path(args.draw)
    check_page_path(args.steps)
    check_picture_options(args, bool(args.draw or args.out or args.steps))
    problem = load(args.problem)
    solution = problem.solve()
    if args.steps:  # checked before anything is printed
        check_picture_size(solution.loss, args.view or solution.step_view(args.max_nodes)[0],
                           args.max_nodes or DEFAULT_MAX_NODES)
    text = solution.render(args.format, args.digits, round_steps=args.round_steps, paths=args.paths,
                           trace=args.trace, unfused=args.unfused, by_section=args.by_section)
    view = args.view
    if view is None and (args.draw or args.out):
        view, boxes = solution.picture_view(args.max_nodes)
        if view == "neurons":
            limit = args.max_nodes or NEURON_VIEW_ABOVE
            print(f"chainrule solve: a box per weight would make {boxes} boxes, more than {limit}: the picture "
                  f"draws one box per unit (--view neurons); --view collapsed or --max-nodes {boxes} draws every "
                  f"weight", file=sys.stderr)
    if args.draw or args.out:
        check_picture_size(solution.loss, view, args.max_nodes or DEFAULT_MAX_NODES)
    options = dict(picture_options(args), view=view, max_nodes=args.max_nodes)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        pictures = []
        targets = solution.wrt or [None]
        suffixes = (".svg", ".png", ".pdf") if args.format == "latex" else (".svg", ".png")  # LaTeX includes PDFs
        for w in targets:
            stem = f"graph-{_slug(w.label)}" if w is not None else "graph"
            drawing = solution.drawing(highlight=w, **options)
            for suffix in suffixes:
                drawing.render_to(out / f"{stem}{suffix}")
            pictures.append((w, stem))
        text = with_pictures(text, args.format, [(w.label if w is not None else "", stem) for w, stem in pictures])
        written = out / f"solution{_SUFFIX[args.format]}"
        written.write_text(text, encoding="utf-8")
        kinds = "/".join(suffixes)
        print(f"wrote {written} and {', '.join(f'{stem}{kinds}' for _, stem in pictures)} in {out}")
    else:
        sys.stdout.write(text)
    if args.draw:
        path = solution.drawing(**options).render_to(args.draw)
        print(f"drew the graph to {path}", file=sys.stderr)
    if args.steps:
        page_options = dict(picture_options(args), view=args.view, max_nodes=args.max_nodes, digits=args.digits)
        write_page(solution.step_through(**page_options), args.steps)
    return 0
