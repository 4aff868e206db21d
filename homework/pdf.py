"""PDF from a LaTeX document: `compile_pdf` runs ``pdflatex`` in a temporary folder, with a timeout,
without shell escape and with TeX's file access limited to that folder, and returns the PDF's bytes.

``pdflatex`` is looked up on PATH; without it `PdfError` says how to install it. The timeout is
``CHAINRULE_TEX_TIMEOUT`` seconds (default 120).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from autograd.errors import ChainruleError

INSTALL_COMMAND = ("apt-get install --no-install-recommends texlive-latex-base texlive-latex-recommended "
                   "texlive-fonts-recommended")
TIMEOUT = 120.0
TIMEOUT_VARIABLE = "CHAINRULE_TEX_TIMEOUT"


class PdfError(ChainruleError, RuntimeError):
    """The PDF could not be made: pdflatex is missing, failed or took too long; the message says which."""


def timeout_from_environment(variable: str, default: float) -> float:
    """A timeout in seconds from an environment variable (a positive number), or ``default``."""
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= 86400:
        raise ChainruleError(f"{variable}={text!r}: expected a number of seconds such as 60")
    return seconds


def compile_pdf(latex: str, timeout: float | None = None) -> bytes:
    """The PDF of a complete LaTeX document.

    Raises:
        PdfError: pdflatex is not installed, reports an error, gives no PDF, or runs longer than
            ``timeout`` seconds (default: ``CHAINRULE_TEX_TIMEOUT`` or 120).
    """
    exe = shutil.which("pdflatex")
    if exe is None:
        raise PdfError(f"--format pdf needs pdflatex, which is not installed (or not on PATH). Install it "
                       f"(Debian/Ubuntu: {INSTALL_COMMAND}; macOS: brew install --cask mactex-no-gui), or "
                       f"write --format latex and compile the .tex elsewhere")
    seconds = timeout if timeout is not None else timeout_from_environment(TIMEOUT_VARIABLE, TIMEOUT)
    # TeX may read and write only inside its working folder ("paranoid"), and runs no shell command.
    env = dict(os.environ, openin_any="p", openout_any="p", shell_escape="f")
    with tempfile.TemporaryDirectory(prefix="chainrule-tex-") as work:
        (Path(work) / "solution.tex").write_text(latex, encoding="utf-8")
        try:
            done = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                                   "solution.tex"], cwd=work, env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=seconds)
        except subprocess.TimeoutExpired:
            raise PdfError(f"pdflatex did not finish within {seconds:g} s and was stopped; set "
                           f"{TIMEOUT_VARIABLE} to allow longer") from None
        pdf = Path(work) / "solution.pdf"
        data = pdf.read_bytes() if pdf.is_file() else b""
        if done.returncode != 0 or not data.startswith(b"%PDF"):
            log = done.stdout.decode("utf-8", "replace")
            errors = [line for line in log.splitlines() if line.startswith("!")][:3]
            raise PdfError(f"pdflatex failed (exit status {done.returncode}): "
                           f"{' / '.join(errors) or 'no PDF was written'}; write --format latex to see the .tex")
    return data

