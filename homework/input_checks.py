"""Problem-file input checked before it is used: `read_problem_file` reads only a regular file, up to
`MAX_FILE_BYTES`, as UTF-8 (a pipe, device or folder is refused before reading, so nothing waits
for ever); `check_text` bounds a title's or notes' length and refuses control characters (which a
terminal would obey); `check_template` lets a notation template through only when it is made of
whitelisted characters, LaTeX names and placeholders, so no command (``\\input``) reaches a
LaTeX document; `class_target` reads a cross-entropy target given as ``class = N`` (counted from 1,
as on sheets). Every message names the file, the key and the fix.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from autograd.notation import GREEK
from homework.errors import ProblemError

MAX_FILE_BYTES = 1_000_000  # a problem file is a homework sheet, not a data set
MAX_TITLE = 300  # characters
MAX_NOTES = 20_000
MAX_TEMPLATE = 60
CLASS_LOSSES = ("cross_entropy", "cross_entropy_from_probabilities")


def shown(x: object) -> str:
    """A value as a message shows it: its repr, cut short when long."""
    text = repr(x)
    return text if len(text) <= 60 else text[:40] + f"… ({len(text)} characters)"


def read_problem_file(p: Path, hint: str = "") -> str:
    """The text of a problem file. Only a regular file is read, and only up to `MAX_FILE_BYTES`: a
    pipe, a device or a folder is refused before reading (reading a pipe could wait for ever).
    ``hint`` is added to the message for a missing file."""
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ProblemError(f"{p}: no such file{hint}") from None
    except OSError as e:
        raise ProblemError(f"{p}: cannot read the problem file: {e.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ProblemError(f"{p}: is a folder; give the problem file inside it (a .toml file)")
        if not stat.S_ISREG(mode):
            raise ProblemError(f"{p}: is not a regular file (a pipe, device or socket); save the problem "
                               f"as a .toml file and give its name")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise ProblemError(f"{p}: cannot read the problem file: {e.strerror}") from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise ProblemError(f"{p}: the file is larger than {MAX_FILE_BYTES:,} bytes; a problem file holds one "
                           f"homework network")
    try:
        return b"".join(chunks).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ProblemError(f"{p}: not UTF-8 text (byte {e.start + 1} is {e.object[e.start]:#04x}); save the "
                           f"file as UTF-8") from None


def check_text(source: str, key: str, value: object, longest: int, newlines: bool) -> None:
    if not isinstance(value, str):
        raise ProblemError(f"{source}: {key} must be text in quotes, got {shown(value)}")
    if len(value) > longest:
        raise ProblemError(f"{source}: {key} has {len(value):,} characters; at most {longest:,} are allowed")
    for c in value:
        if (unicodedata.category(c) in ("Cc", "Cs") or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069") \
                and not (newlines and c in "\n\t\r"):
            raise ProblemError(f"{source}: {key} contains the control character U+{ord(c):04X}"
                               f"{'' if newlines else ' (a title is one line)'}; remove it")


# A name template: letters, digits, a few marks, LaTeX names of Greek letters and accents, and the
# placeholders. Anything else (a backslash command such as \input, $, %, &, #) is refused.
_TEMPLATE_COMMANDS = set(GREEK) | {
    "hat", "bar", "tilde", "dot", "mathrm", "mathit", "mathbf", "boldsymbol", "operatorname", "text", "prime"}
_TEMPLATE_TOKEN = re.compile(r"<[liju]>|\\([A-Za-z]+)|(.)", re.S)
_TEMPLATE_MARKS = set("^_{}()[],.'*+-=|/ ")


def template_character(c: str) -> bool:
    if c.isascii():
        return c.isalnum() or c in _TEMPLATE_MARKS
    name = unicodedata.name(c, "")
    return (name.startswith(("GREEK", "SUPERSCRIPT", "SUBSCRIPT", "MODIFIER LETTER SMALL", "LATIN SUBSCRIPT",
                             "COMBINING")) or c in "ℓ∇∂′" or (unicodedata.category(c).startswith("L")
                                                               and unicodedata.category(c) != "Lo"))


def check_template(source: str, key: str, template: object) -> None:
    where = f"{source}: [network.notation] {key}"
    if not isinstance(template, str):
        return  # Notation itself says what the field must be
    if len(template) > MAX_TEMPLATE:
        raise ProblemError(f"{where}: the template has {len(template)} characters; at most {MAX_TEMPLATE}")
    depth = 0
    for m in _TEMPLATE_TOKEN.finditer(template):
        command, c = m.group(1), m.group(2)
        if command is not None and command not in _TEMPLATE_COMMANDS:
            raise ProblemError(f"{where} = {template!r}: \\{command} is not allowed in a name; a template uses "
                               f"letters, digits, ^ _ {{ }} ( ) , ', Greek letters (\\alpha or α), \\hat \\bar "
                               f"\\tilde \\dot and the placeholders <l> <i> <j> <u>")
        if c is not None:
            depth += (c == "{") - (c == "}")
            if depth < 0 or not template_character(c) or (c == "<" or c == ">"):
                shown = c if c.isprintable() else f"U+{ord(c):04X}"
                raise ProblemError(f"{where} = {template!r}: the character {shown!r} is not allowed in a name; a "
                                   f"template uses letters, digits, ^ _ {{ }} ( ) , ', Greek letters (\\alpha or α), "
                                   f"\\hat \\bar \\tilde \\dot and the placeholders <l> <i> <j> <u>")
    if depth:
        raise ProblemError(f"{where} = {template!r}: the braces {{ }} are not balanced")


def class_target(source: str, data: dict, kind: object, outputs: int, y: list[float] | None) -> list[float]:
    """The target: ``y`` (already read as numbers), or for cross-entropy ``class = N``, counted from 1
    as on sheets, which becomes the one-hot y (class = 2 of 3 → [0, 1, 0])."""
    if "class" in data:
        if "y" in data:
            raise ProblemError(f"{source}: [data]: give either y = [...] or class = N, not both")
        c = data["class"]
        if kind not in CLASS_LOSSES:
            raise ProblemError(f"{source}: [data] class: a class is the target of a cross-entropy loss "
                               f"(kind = \"cross_entropy\" or \"cross_entropy_from_probabilities\"); for "
                               f"{kind!r} write y = [...]")
        if isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= outputs:
            raise ProblemError(f"{source}: [data] class: expected the number of the true class, from 1 to {outputs} "
                               f"(classes count from 1 in problem files, as on sheets), got {shown(c)}")
        return [1.0 if k == c else 0.0 for k in range(1, outputs + 1)]
    if "y" not in data:
        hint = " (or class = N, counting from 1)" if kind in CLASS_LOSSES else ""
        raise ProblemError(f"{source}: [data]: missing y = [...]{hint}")
    if kind in CLASS_LOSSES and len(y) != outputs:
        raise ProblemError(f"{source}: [data] y: cross-entropy needs one probability per output, {outputs} here "
                           f"(e.g. y = [{', '.join(['0'] * (outputs - 1) + ['1'])}]), got {len(y)}; to name the true "
                           f"class instead, write class = N, counting from 1 as sheets do (class = {outputs} is the "
                           f"last)")
    return y
