"""Options and checks shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from homework.report import FORMATS

IMAGE_SUFFIXES = (".svg", ".png", ".pdf", ".gv", ".dot")


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


def add_output_options(p: argparse.ArgumentParser) -> None:
    """``--format``, ``--digits`` and ``--draw``."""
    p.add_argument("--format", choices=FORMATS + ("pdf",), default="text",
                   help="text (default), markdown, latex (a complete document) or pdf (made with pdflatex)")
    p.add_argument("--digits", type=digits, default=None, help="significant digits shown (default 4)")
    p.add_argument("--draw", metavar="FILE",
                   help="also draw the graph, with the (first) derivative's paths highlighted, to FILE "
                        "(.svg, .png, .pdf or .gv)")


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
