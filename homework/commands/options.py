"""Options and checks shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd.drawing import VIEWS, box_count
from homework.reading import BUILTIN
from homework.report import FORMATS

IMAGE_SUFFIXES = (".svg", ".png", ".pdf", ".gv", ".dot")
PAGE_SUFFIXES = (".html", ".htm")
# the PROBLEM argument of every command that works on a problem file
PROBLEM_HELP = f"a problem file (.toml) or a built-in problem ({', '.join(BUILTIN)})"


class UsageError(Exception):
    """Wrong input on the command line; printed without a traceback, exit status 2."""


def digits(text: str) -> int:
    """The ``--digits`` value: a whole number from 1 to 17."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of digits such as 4, got {text!r}") from None
    if not 1 <= n <= 17:
        raise argparse.ArgumentTypeError(f"digits must be from 1 to 17, got {n}")
    return n


def whole_number(text: str) -> int:
    """A count such as ``--max-nodes``: a whole number ≥ 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number such as 60, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def add_output_options(p: argparse.ArgumentParser) -> None:
    """``--format``, ``--digits``, ``--draw``, ``--steps`` and the options of the picture."""
    p.add_argument("--format", choices=FORMATS + ("pdf",), default="text",
                   help="text (default), markdown, latex (a complete document) or pdf (made with pdflatex)")
    p.add_argument("--digits", type=digits, default=None, help="significant digits shown (default 4)")
    p.add_argument("--draw", metavar="FILE",
                   help="also draw the graph, with the (first) derivative's paths highlighted, to FILE "
                        "(.svg, .png, .pdf or .gv)")
    p.add_argument("--steps", metavar="FILE.html",
                   help="also write a page that steps through the forward and the backward pass node by node, "
                        "as --trace prints it, on the graph's picture (one self-contained HTML file)")
    pictures = p.add_argument_group("pictures (with --draw" + (", --out" if p.prog.endswith("solve") else "")
                                    + " or --steps)")
    pictures.add_argument("--view", choices=VIEWS, default=None,
                          help="full: every operation; collapsed: unnamed steps folded into the edges; neurons: "
                               "one box per unit; diagram: the network as a sheet draws it (circles, +1 bias "
                               "nodes, weights on the edges). Default: the most detailed one that fits --max-nodes")
    pictures.add_argument("--max-nodes", type=whole_number, default=None, metavar="N",
                          help="the most boxes a picture may have (without --view, also the size above which "
                               "one box per unit is drawn)")
    pictures.add_argument("--no-values", action="store_true",
                          help="with --view diagram: names only, no numbers (the network before any number is known)")
    pictures.add_argument("--grads", action="store_true",
                          help="with --view diagram: also write every weight's and unit's gradient")


def check_image_path(path: str | None) -> None:
    """Refuse a ``--draw`` file whose suffix names no image format, or whose folder is missing,
    before any work is done."""
    if path and Path(path).suffix.lower() not in IMAGE_SUFFIXES:
        raise UsageError(f"--draw {path}: the file name must end in one of {', '.join(IMAGE_SUFFIXES)}")
    if path and not Path(path).parent.is_dir():
        raise UsageError(f"--draw {path}: the folder {Path(path).parent} does not exist; create it first")
    if path and Path(path).exists() and not Path(path).is_file():
        raise UsageError(f"--draw {path}: exists and is not a regular file (a folder, device or pipe)")


def emit(text: str, fmt: str) -> None:
    """Print a document on standard output; ``fmt="pdf"`` compiles it and writes the PDF's bytes,
    which a terminal cannot show, so it must be redirected (``> solution.pdf``)."""
    if fmt != "pdf":
        sys.stdout.write(text)
        return
    if sys.stdout.isatty():
        raise UsageError("--format pdf writes a binary PDF: redirect it to a file (> solution.pdf), "
                         "or use --out DIR")
    from homework.pdf import compile_pdf  # runs pdflatex only when asked to
    data = compile_pdf(text)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def check_page_path(path: str | None) -> None:
    """Refuse a ``--steps`` file that is not an HTML file, before any work is done."""
    if path and Path(path).suffix.lower() not in PAGE_SUFFIXES:
        raise UsageError(f"--steps {path}: the page is HTML, so the file name must end in .html")


def check_picture_options(args, has_picture: bool) -> None:
    """Refuse picture options that would be ignored: no picture asked for, or a diagram-only option
    with another view."""
    given = [flag for flag, on in (("--view", args.view), ("--max-nodes", args.max_nodes),
                                    ("--no-values", args.no_values), ("--grads", args.grads)) if on]
    if given and not has_picture:
        raise UsageError(f"{given[0]} is an option of the picture: add --draw FILE"
                         + (" (or --out DIR)" if hasattr(args, "out") else "")
                         + ", or --steps FILE.html for the step-through page")
    for flag, on in (("--no-values", args.no_values), ("--grads", args.grads)):
        if on and args.view != "diagram":
            raise UsageError(f"{flag} belongs to --view diagram (the network drawing); the other views always "
                             f"show every number")


def picture_options(args) -> dict:
    """The options of `autograd.draw` that the command line sets."""
    options = {}
    if args.digits:
        options["digits"] = args.digits
    if args.view == "diagram":
        options.update(values=not args.no_values, grads=args.grads)
    return options


def check_picture_size(root, view: str, max_nodes: int) -> None:
    """Refuse, in command-line words, a picture with more boxes than ``max_nodes``."""
    try:
        count = box_count(root, view)
    except ValueError:
        raise UsageError(f"--view {view} draws the units of a network (its linear nodes), and this graph has none: "
                         f"use --view full or --view collapsed") from None
    if count > max_nodes:
        hints = []
        for other in ("collapsed", "neurons"):
            try:
                n = box_count(root, other)
            except ValueError:
                continue  # no units to draw one box each for
            if other != view and n < count:
                hints.append(f"--view {other} ({n} boxes)")
        hint = f"use {' or '.join(hints)}, or " if hints else ""
        raise UsageError(f"the picture would have {count} boxes in --view {view}, more than {max_nodes}, and a "
                         f"picture that large cannot be read: {hint}pass --max-nodes {count} to draw it anyway")


def inform(args, message: str) -> None:
    """An informational line ("wrote …", a note on what was chosen) on stderr, unless -q was given:
    standard output keeps only the result."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


def write_page(args, page, path: str) -> None:
    """Write a step-through page (`autograd.StepThrough`) and say on stderr what it holds."""
    written = page.save(path)
    forward = sum(1 for f in page.frames if f.phase == "forward")
    inform(args, f"wrote the step-through page to {written}: {len(page.frames)} steps, {forward} forward and "
                 f"{len(page.frames) - forward} backward")
