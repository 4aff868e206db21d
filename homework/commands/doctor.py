"""``chainrule doctor``: what chainrule needs on this machine, found or missing, and how to install it.

Essential (exit status 1 when one is missing): a supported Python, the Python packages chainrule
depends on, and its import names ``autograd``, ``nn`` and ``homework`` provided by chainrule alone.
For pictures: graphviz's ``dot`` and the DejaVu fonts (their glyphs W¹₂₁, ŷ, ∂). Optional: TeX
(``pdflatex``, to compile ``--format latex``), a Chromium browser and a Jupyter kernel (the tests
that need them, and drawings shown in notebooks). Each ``find_*`` function is also what the test
suite's ``needs_*`` markers ask.
"""

from __future__ import annotations

import glob
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from autograd import distribution

PYTHONS = ((3, 10), (3, 13))  # the oldest and newest Python chainrule is tested on
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FONT_FILE = "DejaVuSans.ttf"


@dataclass(frozen=True)
class Check:
    """One line of the report: ``found`` says whether the thing is there, ``detail`` what or why not."""

    name: str
    found: bool
    detail: str
    essential: bool = False
    needed_for: str = ""
    install: str = ""


def _first_line(command: list[str]) -> str:
    """The first line a tool prints about itself (stdout first, then stderr), or '' if it fails."""
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = [line.strip() for line in (run.stdout.splitlines() + run.stderr.splitlines()) if line.strip()]
    return lines[0] if run.returncode == 0 and lines else ""


def _with_version(path: str | None, flag: str) -> str | None:
    if path is None:
        return None
    version = _first_line([path, flag])
    return f"{path} ({version})" if version else path


def find_dot() -> str | None:
    """graphviz's ``dot`` with its version, e.g. ``/usr/bin/dot (dot - graphviz version 2.43.0 (0))``;
    None if it is missing."""
    return _with_version(shutil.which("dot"), "-V")


def find_dejavu() -> str | None:
    """Where the DejaVu Sans font is, as fontconfig (which graphviz uses) or the usual folders know it."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            run = subprocess.run([fc_list, ":family=DejaVu Sans", "file"], capture_output=True, text=True, timeout=30)
            files = sorted(line.split(":")[0] for line in run.stdout.splitlines() if line.strip())
            if files:
                return next((f for f in files if f.endswith(FONT_FILE)), files[0])
        except (OSError, subprocess.SubprocessError):
            pass
    home = Path.home()
    folders = ["/usr/share/fonts", "/usr/local/share/fonts", home / ".fonts", home / ".local/share/fonts",
               home / "Library/Fonts", "/Library/Fonts", "/opt/homebrew/share/fonts",
               Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
               Path(os.environ.get("LOCALAPPDATA", home)) / "Microsoft/Windows/Fonts"]
    for folder in folders:
        found = glob.glob(os.path.join(str(folder), "**", FONT_FILE), recursive=True)
        if found:
            return found[0]
    return None


def find_tex() -> str | None:
    """``pdflatex`` with its version; None if it is missing."""
    return _with_version(shutil.which("pdflatex"), "--version")


def find_browser() -> str | None:
    """The path of a Chromium-based browser (Debian's ``chromium`` first); None if there is none."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def find_kernel() -> str | None:
    """The Jupyter kernel notebooks would run in, e.g. ``python3 (ipykernel 6.29.5, nbclient 0.10.2)``;
    None when ipykernel, jupyter_client or nbclient is missing or no kernel is known."""
    if not all(importlib.util.find_spec(m) for m in ("ipykernel", "jupyter_client", "nbclient")):
        return None
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        specs = KernelSpecManager().find_kernel_specs()
    except Exception:  # a broken Jupyter configuration is a missing kernel, not a crash of the doctor
        return None
    if not specs:
        return None
    name = "python3" if "python3" in specs else sorted(specs)[0]
    versions = ", ".join(f"{m} {importlib.metadata.version(m)}" for m in ("ipykernel", "nbclient"))
    return f"{name} ({versions})"


def _install(debian: str, macos: str, windows: str) -> str:
    if sys.platform == "darwin":
        return macos
    if sys.platform.startswith("win"):
        return windows
    return debian


def _python() -> Check:
    version = sys.version_info[:2]
    text = f"{sys.version.split()[0]} ({sys.executable})"
    if version < PYTHONS[0]:
        return Check("Python", False, f"{text}: chainrule needs Python 3.10 or newer", essential=True,
                     install="install Python 3.10 or newer and make a virtual environment with it")
    if version > PYTHONS[1]:
        text += ": newer than the newest tested (3.13)"
    return Check("Python", True, text, essential=True)


def _packages() -> Check:
    needed = ["numpy", "graphviz"] + (["tomli"] if sys.version_info < (3, 11) else [])
    found, missing = [], []
    for name in needed:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check("Python packages", False, f"missing: {', '.join(missing)}", essential=True,
                     install=f"pip install {' '.join(missing)}")
    return Check("Python packages", True, ", ".join(found), essential=True)


def _import_names() -> Check:
    clashes = {name: distribution.others(name) for name in distribution.IMPORT_NAMES}
    clashes = {name: others for name, others in clashes.items() if others}
    names = ", ".join(distribution.IMPORT_NAMES)
    if not clashes:
        return Check("import names", True, f"{names}: provided by chainrule only", essential=True)
    shown = "; ".join(f"{name} also by {', '.join(others)}" for name, others in clashes.items())
    return Check("import names", False, shown, essential=True,
                 install="give chainrule a virtual environment of its own: python3 -m venv ~/.venvs/chainrule "
                         "&& ~/.venvs/chainrule/bin/pip install chainrule")


def _optional(name: str, found: str | None, needed_for: str, install: str) -> Check:
    return Check(name, found is not None, found or "not found", needed_for=needed_for, install=install)


def checks() -> list[Check]:
    """Everything the doctor looks at, in the order it reports them."""
    here = Path(distribution.__file__).resolve().parent.parent
    return [
        _python(),
        Check("chainrule", True, f"{distribution.__version__} ({here})", essential=True),
        _packages(),
        _import_names(),
        _optional("graphviz dot", find_dot(), "pictures: --draw, --out, autograd.draw",
                  _install("sudo apt-get install graphviz", "brew install graphviz",
                           "install Graphviz (e.g. choco install graphviz) and add its bin folder to PATH")),
        _optional("DejaVu fonts", find_dejavu(), "the glyphs W¹₂₁, ŷ, ℓ, ∂ in pictures",
                  _install("sudo apt-get install fonts-dejavu-core", "brew install --cask font-dejavu",
                           "install the DejaVu fonts (DejaVuSans.ttf) for all users")),
        _optional("TeX", find_tex(), "compiling --format latex to PDF",
                  _install("sudo apt-get install --no-install-recommends texlive-latex-base "
                           "texlive-latex-recommended texlive-fonts-recommended",
                           "brew install --cask basictex", "install MiKTeX")),
        _optional("browser", _with_version(find_browser(), "--version"), "the browser tests",
                  _install("sudo apt-get install chromium", "brew install --cask chromium",
                           "install Chromium or Google Chrome")),
        _optional("Jupyter kernel", find_kernel(), "drawings and printouts in notebooks, the notebook tests",
                  "pip install ipykernel nbclient"),
    ]


def add_to(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    commands.add_parser(
        "doctor", help="check what chainrule needs: Python, graphviz, fonts, TeX, a browser, Jupyter",
        description="Check what chainrule needs on this machine and say how to install what is missing. "
                    "Exit status 0 when the essentials (Python, its packages, chainrule's import names) "
                    "are there, 1 when one is missing; with -q only what is missing is printed.")


def run(args: argparse.Namespace) -> int:
    found = checks()
    quiet = getattr(args, "quiet", False)
    width = max(len(c.name) for c in found)
    for c in found:
        if quiet and c.found:
            continue
        line = f"{'✓' if c.found else '✗'} {c.name:<{width}}  {c.detail}"
        if c.needed_for:
            line += f"  [{c.needed_for}]"
        print(line)
        if not c.found and c.install:
            print(f"  {'':<{width}}  to install: {c.install}")
    broken = [c.name for c in found if c.essential and not c.found]
    if broken:
        print(f"chainrule cannot work here: {', '.join(broken)} missing or wrong (see above)")
        return 1
    if not quiet:
        missing = [c.name for c in found if not c.found]
        print("everything chainrule needs is there" + (f"; optional, not found: {', '.join(missing)}" if missing else ""))
    return 0
