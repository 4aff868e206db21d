"""``chainrule solve``: the worked solution of a problem file.

Files are written all or nothing: ``--out DIR`` through `homework.output.OutputFolder` (the files
appear together, only when all are complete, and a file chainrule did not write is never touched),
``--draw FILE`` through a temporary file beside FILE.
"""

from __future__ import annotations

import re
import sys

from autograd import notation as names
from autograd.errors import DrawingTooLargeError
from homework.commands.options import UsageError, add_output_options, check_image_path, emit
from homework.output import OutputFolder
from homework.reading import BUILTIN, DEFAULT_PROBLEM, load

_SUFFIX = {"text": ".txt", "markdown": ".md", "latex": ".tex", "pdf": ".pdf"}


def add_to(commands) -> None:
    solve = commands.add_parser("solve", help="the worked solution of a problem file",
                                description="Print the worked solution of a problem file: forward pass, loss, "
                                            "gradients, chain-rule derivations and one gradient-descent step.")
    solve.add_argument("problem", nargs="?", default=DEFAULT_PROBLEM,
                       help=f"a problem file (.toml) or a built-in problem ({', '.join(BUILTIN)}); "
                            f"default {DEFAULT_PROBLEM}")
    add_output_options(solve)
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


def _write_folder(args, solution, text: str) -> None:
    document = text.encode("utf-8")
    if args.format == "pdf":
        from homework.pdf import compile_pdf
        document = compile_pdf(text)
    targets = solution.wrt or [None]
    stems = picture_stems([w.label for w in solution.wrt]) if solution.wrt else ["graph"]
    with OutputFolder(args.out, force=args.force) as out:
        pictures = []
        try:
            drawings = [solution.drawing(highlight=w) for w in targets]
        except DrawingTooLargeError as e:
            print(f"chainrule solve: note: no pictures in {args.out}: {e}", file=sys.stderr)
            drawings = []
        for w, stem, drawing in zip(targets, stems, drawings):
            for suffix in (".svg", ".png"):
                drawing.render_to(out.path(f"{stem}{suffix}"))
            pictures.append((w, stem))
        if args.format == "markdown" and pictures:
            document += ("\n" + "\n\n".join(f"![{'the graph' if w is None else 'the paths of ' + w.label}]({stem}.png)"
                                            for w, stem in pictures) + "\n").encode("utf-8")
        out.write(f"solution{_SUFFIX[args.format]}", document)
    drawn = f" and {', '.join(f'{stem}.svg/.png' for _, stem in pictures)}" if pictures else ""
    print(f"wrote solution{_SUFFIX[args.format]}{drawn} in {args.out}", file=sys.stderr)


def run(args) -> int:
    check_image_path(args.draw)
    if args.force and not args.out:
        raise UsageError("--force goes with --out DIR: it lets chainrule write into a folder that holds other files")
    problem = load(args.problem)
    solution = problem.solve()
    text = solution.render("latex" if args.format == "pdf" else args.format, args.digits,
                           round_steps=args.round_steps)
    if args.out:
        _write_folder(args, solution, text)
    else:
        emit(text, args.format)
    if args.draw:
        path = solution.drawing().render_to(args.draw)
        print(f"drew the graph to {path}", file=sys.stderr)
    return 0
