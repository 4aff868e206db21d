"""Running graphviz's ``dot`` on DOT text and writing the image file, safely: `run_dot` stops ``dot``
after a timeout and checks that what it wrote is the format asked for (a 0-byte SVG is an error,
not a picture), `check_dpi` bounds a PNG's resolution, and `write_whole` writes a file all at once
(a temporary file beside it, then ``os.replace``), so a failure leaves any earlier file as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from autograd.errors import RenderError

TIMEOUT = 60.0  # seconds; the environment variable CHAINRULE_DOT_TIMEOUT overrides it
TIMEOUT_VARIABLE = "CHAINRULE_DOT_TIMEOUT"
MAX_DPI = 600  # a PNG at 600 dpi is already about 10,000 pixels a side
_MAGIC = {"svg": (b"<?xml", b"<svg"), "png": (b"\x89PNG",), "pdf": (b"%PDF",)}


def check_dpi(dpi: object) -> None:
    """Raises ValueError unless ``dpi`` is a number from 1 to `MAX_DPI`."""
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 1 <= dpi <= MAX_DPI:
        raise ValueError(f"dpi must be a number from 1 to {MAX_DPI} such as 150 (a PNG at {MAX_DPI} dpi is "
                         f"already about 10,000 pixels a side), got {dpi!r}")


def timeout_seconds(timeout: object = None) -> float:
    """``timeout``, or `TIMEOUT_VARIABLE` from the environment, or `TIMEOUT`; checked to be positive
    (a bad argument is a ValueError, a bad environment variable a `RenderError`)."""
    if timeout is None:
        text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
        try:
            timeout = float(text) if text else TIMEOUT
        except ValueError:
            raise RenderError(f"{TIMEOUT_VARIABLE}={text!r}: expected a number of seconds such as 60") from None
        if not 0 < timeout <= 86400:
            raise RenderError(f"{TIMEOUT_VARIABLE}={text!r}: expected a number of seconds from 0 to 86400, such as 60")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 86400:
        raise ValueError(f"the timeout for dot must be a number of seconds such as 60, got {timeout!r}")
    return float(timeout)


def run_dot(source: str, fmt: str, timeout: float, graphviz) -> bytes:
    """``dot -T<fmt>`` on ``source``; ``dot`` is stopped after ``timeout`` seconds.

    Raises graphviz's own ``ExecutableNotFound`` and ``CalledProcessError`` (which
    `autograd.drawing.dot.rendering` turns into messages): ``dot`` is missing, failed, ran too long,
    or exited normally without writing a ``fmt`` file.
    """
    exe = shutil.which("dot")
    if exe is None:
        raise graphviz.ExecutableNotFound(["dot"])
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=source.encode("utf-8"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise graphviz.CalledProcessError(-9, [exe, f"-T{fmt}"], stderr=(
            f"it did not finish within {timeout:g} s and was stopped; a large drawing may need longer "
            f"({TIMEOUT_VARIABLE}=seconds) or a smaller view").encode()) from None
    if done.returncode != 0:
        raise graphviz.CalledProcessError(done.returncode, [exe, f"-T{fmt}"], output=done.stdout, stderr=done.stderr)
    if not done.stdout.lstrip().startswith(_MAGIC[fmt]):
        raise graphviz.CalledProcessError(0, [exe, f"-T{fmt}"], output=done.stdout, stderr=(
            f"it exited normally but wrote {'nothing' if not done.stdout else 'no ' + fmt.upper()}; check the "
            f"graphviz installation (dot -V)").encode())
    return done.stdout


def write_whole(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file beside it; refuse a folder, device or pipe."""
    if path.exists() and not path.is_file():
        raise ValueError(f"{path} exists and is not a regular file (a folder, device or pipe); give a file name")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return path
