"""``chainrule solve``: the worked solution of a problem file.

Files are written all or nothing: ``--out DIR`` through `homework.output.OutputFolder` (the files
appear together, only when all are complete, and a file chainrule did not write is never touched),
``--draw FILE`` through a temporary file beside FILE.
"""

from __future__ import annotations

import re

from autograd import notation as names
from autograd.drawing import DEFAULT_MAX_NODES
from autograd.errors import DrawingTooLargeError
from homework.commands.options import (PROBLEM_HELP, UsageError, add_output_options, check_image_path,
                                       check_page_path, check_picture_options, check_picture_size, emit, inform,
                                       picture_options, write_page)
from homework.output import OutputFolder
from homework.reading import DEFAULT_PROBLEM, load
from homework.report import with_pictures
from homework.solution import NEURON_VIEW_ABOVE

_SUFFIX = {"text": ".txt", "markdown": ".md", "latex": ".tex", "pdf": ".pdf"}


def add_to(commands) -> None:
    solve = commands.add_parser("solve", help="the worked solution of a problem file",
                                description="Print the worked solution of a problem file: forward pass, loss, "
                                            "gradients, chain-rule derivations and one gradient-descent step.")
    solve.add_argument("problem", nargs="?", default=DEFAULT_PROBLEM,
                       help=f"{PROBLEM_HELP}; default {DEFAULT_PROBLEM}")
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
                       help="write the solution and one picture per explained derivative into DIR, all at once; "
                            "a DIR holding files chainrule did not write is refused")
    solve.add_argument("--force", action="store_true",
                       help="with --out: write into a DIR that holds other files (they are never overwritten "
                            "or deleted)")


def _slug(label: str) -> str:
    # The comma stays: W¹₁₁,₁ and W¹₁,₁₁ (matrices of 10+ rows) are different weights.
    return re.sub(r"[^A-Za-z0-9,]+", "", names.to_latex(label)) or "node"


def picture_stems(labels: list[str]) -> list[str]:
    """A file stem per explained derivative (``graph-W121``), unique by construction: names that
    would clash — also in case, on filesystems that ignore it — get the derivative's number."""
    stems = [f"graph-{_slug(label)}" for label in labels]
    folded = [s.casefold() for s in stems]
    return [f"{s}-{k}" if folded.count(s.casefold()) > 1 else s for k, s in enumerate(stems, start=1)]


def _write_folder(args, solution, text: str, options: dict) -> None:
    """The solution and one picture per explained derivative, written into ``--out`` all or nothing."""
    targets = solution.wrt or [None]
    stems = picture_stems([w.label for w in solution.wrt]) if solution.wrt else ["graph"]
    # LaTeX includes each picture as a PDF; a PDF made here is compiled on its own, without them
    suffixes = (".svg", ".png", ".pdf") if args.format == "latex" else (".svg", ".png")
    with OutputFolder(args.out, force=args.force) as out:
        pictures = []
        try:
            check_picture_size(solution.drawn_root, options["view"], args.max_nodes or DEFAULT_MAX_NODES)
            drawings = [solution.drawing(highlight=w, **options) for w in targets]
        except (DrawingTooLargeError, UsageError) as e:
            inform(args, f"chainrule solve: note: no pictures in {args.out}: {e}")
            drawings = []
        for w, stem, drawing in zip(targets, stems, drawings):
            for suffix in suffixes:
                drawing.render_to(out.path(f"{stem}{suffix}"))
            pictures.append((w, stem))
        if args.format == "pdf":
            from homework.pdf import compile_pdf
            document = compile_pdf(text)
        else:
            document = with_pictures(text, args.format, [(w.label if w is not None else "", stem)
                                                         for w, stem in pictures]).encode("utf-8")
        out.write(f"solution{_SUFFIX[args.format]}", document)
    kinds = "/".join(suffixes)
    drawn = f" and {', '.join(f'{stem}{kinds}' for _, stem in pictures)}" if pictures else ""
    inform(args, f"wrote solution{_SUFFIX[args.format]}{drawn} in {args.out}")


def run(args) -> int:
    check_image_path(args.draw)
    check_page_path(args.steps)
    check_picture_options(args, bool(args.draw or args.out or args.steps))
    if args.force and not args.out:
        raise UsageError("--force goes with --out DIR: it lets chainrule write into a folder that holds other files")
    problem = load(args.problem)
    solution = problem.solve()
    if args.steps:  # checked before anything is printed
        check_picture_size(solution.loss, args.view or solution.step_view(args.max_nodes)[0],
                           args.max_nodes or DEFAULT_MAX_NODES)
    text = solution.render("latex" if args.format == "pdf" else args.format, args.digits,
                           round_steps=args.round_steps, paths=args.paths, trace=args.trace, unfused=args.unfused,
                           by_section=args.by_section)
    view = args.view
    if view is None and (args.draw or args.out):
        view, boxes = solution.picture_view(args.max_nodes)
        if view == "neurons":
            limit = args.max_nodes or NEURON_VIEW_ABOVE
            inform(args, f"chainrule solve: a box per weight would make {boxes} boxes, more than {limit}: the "
                         f"picture draws one box per unit (--view neurons); --view collapsed or --max-nodes {boxes} "
                         f"draws every weight")
    if args.draw:
        check_picture_size(solution.drawn_root, view, args.max_nodes or DEFAULT_MAX_NODES)
    options = dict(picture_options(args), view=view, max_nodes=args.max_nodes)
    if args.out:
        _write_folder(args, solution, text, options)
    else:
        emit(text, args.format)
    if args.draw:
        path = solution.drawing(**options).render_to(args.draw)
        inform(args, f"drew the graph to {path}")
    if args.steps:
        page_options = dict(picture_options(args), view=args.view, max_nodes=args.max_nodes, digits=args.digits)
        write_page(args, solution.step_through(**page_options), args.steps)
    return 0
