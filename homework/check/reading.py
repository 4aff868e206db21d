"""Reading an answers file: a small TOML file of a student's numbers under ``[values]``, ``[local]``,
``[gradients]`` and ``[updated]``, each number kept as it was written (its digits decide how it is
judged), an empty string for a question left blank, arrays for whole vectors and matrices.

    [values]            # forward values and the loss
    "ŷ" = 0.1192
    [gradients]         # dℓ/d(name); for a pre-activation this is its error term δ
    "W^1_{21}" = -0.0925
    [updated]           # parameters after the gradient step
    "W^1_{21}" = -1.815

Every mistake in the file is a `homework.errors.ProblemError` naming the file, the line and the fix.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from homework.check.plan import SECTIONS
from homework.check.written import Written, from_float, written
from homework.errors import ProblemError

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, published as tomli
    import tomli as tomllib

_HEADER = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]")
_KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=""")


class _Float(str):
    """A TOML float as it was written."""


@dataclass(frozen=True)
class Answer:
    """One number of an answers file.

    Attributes:
        section: values, local, gradients or updated.
        key: the name as typed.
        written: the number as written; None for a blank (``""``).
        line: its line in the file (None for answers given as a dict).
        position: where it sits in an array answer (``(row, column)`` of a matrix, ``(i,)`` of a vector).
        source: the file it came from.
        length: the length of the array at each level of ``position``.
    """

    section: str
    key: str
    written: Written | None
    line: int | None = None
    position: tuple = ()
    source: str = "<answers>"
    length: tuple = ()

    def where(self) -> str:
        at = f" line {self.line}:" if self.line else ""
        index = "[" + "][".join(str(i + 1) for i in self.position) + "]" if self.position else ""
        return f"{self.source}:{at} [{self.section}] \"{self.key}\"{index}"


def read(path: str | Path) -> list[Answer]:
    """The answers of a file (see the module docstring).

    Raises:
        ProblemError: the file is missing, not valid TOML (with the line), has an unknown section or a
            value that is not a number.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProblemError(f"{p}: no such answers file (chainrule check --template PROBLEM > {p} writes one "
                           f"to fill in)") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as e:
        raise ProblemError(f"{p}: cannot read the answers file: {e}") from None
    return loads(text, str(p))


def loads(text: str, source: str = "<answers>") -> list[Answer]:
    """The answers in TOML text; ``source`` names it in error messages."""
    try:
        doc = tomllib.loads(text, parse_float=_Float)
    except tomllib.TOMLDecodeError as e:
        raise ProblemError(f"{source}: not valid TOML: {e}") from None
    lines = _lines(text)
    out: list[Answer] = []
    for section, table in doc.items():
        if section not in SECTIONS:
            close = difflib.get_close_matches(section, SECTIONS, n=1)
            hint = f"did you mean [{close[0]}]? " if close else ""
            raise ProblemError(f"{source}: line {lines.get((None, section), '?')}: unknown section [{section}]; "
                               f"{hint}the sections are {', '.join(f'[{s}]' for s in SECTIONS)}")
        if not isinstance(table, dict):
            raise ProblemError(f"{source}: line {lines.get((None, section), '?')}: {section} must be a section: "
                               f"write [{section}] on its own line, then one \"name\" = number per line")
        for key, value in table.items():
            out.extend(_answers(section, key, value, lines.get((section, key)), source, ()))
    return out


def from_dict(answers: dict, source: str = "<answers>") -> list[Answer]:
    """Answers given in Python: ``{"values": {"ŷ": 0.1192}, "gradients": {"W^1_{21}": "-0.0925"}}``.
    A float is judged at the digits of its shortest form (0.0925: 3); a string keeps its digits."""
    if not isinstance(answers, dict):
        raise ProblemError(f"{source}: answers must be a dict of sections, e.g. {{\"values\": {{\"ŷ\": 0.1192}}}}")
    out: list[Answer] = []
    for section, table in answers.items():
        if section not in SECTIONS or not isinstance(table, dict):
            raise ProblemError(f"{source}: {section!r} is not a section of answers; the sections are "
                               f"{', '.join(SECTIONS)}, each a dict of name -> number")
        for key, value in table.items():
            out.extend(_answers(section, key, value, None, source, ()))
    return out


def _answers(section: str, key: str, value, line, source: str, position: tuple, length: tuple = ()) -> list[Answer]:
    where = Answer(section, key, None, line, position, source).where()
    if isinstance(value, list):
        if not value:
            raise ProblemError(f"{where}: an empty array; give one number (or \"\") per entry")
        return [a for k, v in enumerate(value)
                for a in _answers(section, key, v, line, source, position + (k,), length + (len(value),))]
    if isinstance(value, str) and not value.strip():
        return [Answer(section, key, None, line, position, source, length)]
    try:
        if isinstance(value, str):  # a TOML float as written, or a number in quotes
            number = written(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            number = from_float(value)
        else:
            raise ValueError(f"expected a number, got {value!r}")
    except ValueError as e:
        raise ProblemError(f"{where}: {e}; write a number such as -0.0925, or \"\" to leave it blank") from None
    return [Answer(section, key, number, line, position, source, length)]


def _lines(text: str) -> dict:
    """Where each section header and each key stands (1-based lines), for error messages."""
    found: dict = {}
    section = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            section = header.group(1).strip("\"'")
            found.setdefault((None, section), number)
            continue
        key = _KEY.match(line)
        if key:
            name = key.group(1)
            if name[0] in "\"'":
                name = name[1:-1] if name[0] == "'" else name[1:-1].replace("\\\\", "\\").replace('\\"', '"')
            found.setdefault((section, name), number)
    return found
