"""A variant's problem file: the original file with its weights, biases and input replaced, its title
marked and its notes (which may quote the original's numbers) replaced, everything else — comments,
notation, questions — kept as written. The rewritten file is read back and must give the variant's
numbers, or the rewriting is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from homework.errors import ProblemError
from homework.reading import builtin_text, loads


def source_text(problem) -> str:
    """The text of the file a problem was read from."""
    prefix = "built-in problem "
    if problem.source.startswith(prefix):
        return builtin_text(problem.source[len(prefix):])
    return Path(problem.source).read_text(encoding="utf-8")


def problem_text(original, chosen, seed: int, k: int) -> str:
    """The problem file of variant ``chosen``: ``original``'s file with the weights, biases and input
    replaced, the title marked and the notes (which may quote the original's numbers) replaced."""
    text = source_text(original)
    arrays = [("layer", "weights", w) for w in chosen.weights]
    arrays += [("layer", "biases", b) for b in (chosen.biases or []) if b]
    if not chosen.samples:
        arrays.append(("data", "x", chosen.x))
    for start, end, numbers in reversed(_located(text, arrays)):
        text = text[:start] + numbers + text[end:]
    note = (f"Variant {k} of {original.title}, drawn with seed {seed}: the same network and questions with "
            f"fresh numbers (chainrule sheet --variants).")
    text = re.sub(r'(?ms)^notes\s*=\s*(""".*?"""|"[^"\n]*")[ \t]*$', "notes = " + _string(note), text, count=1)
    if not re.search(r"(?m)^notes\s*=", text):
        text = "notes = " + _string(note) + "\n" + text
    title = f"{original.title} — variant {k}"
    text, n = re.subn(r'(?m)^title\s*=\s*"[^"\n]*"', "title = " + _string(title), text, count=1)
    if not n:
        text = "title = " + _string(title) + "\n" + text
    check = loads(text, source=f"variant {k}")
    if (check.weights, check.biases, check.x) != (chosen.weights, chosen.biases, chosen.x):
        raise ProblemError(f"{original.source}: could not rewrite the file's numbers for variant {k}; write its "
                           f"matrices one [[layer]] at a time as weights = [[…], …]")
    return text


def _string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _located(text: str, arrays: list) -> list:
    """(start, end, new text) of each array to replace, in file order: the n-th ``weights`` of the
    [[layer]] tables gets the n-th matrix, and so on."""
    wanted: dict = {}
    for table, key, value in arrays:
        wanted.setdefault((table, key), []).append(value)
    section, out, counts = None, [], {}
    for m in re.finditer(r"(?m)^\s*(\[\[?\s*([A-Za-z_.]+)\s*\]\]?)|^\s*([A-Za-z_]+)\s*=\s*(?=\[)", text):
        if m.group(1):
            section = m.group(2)
            continue
        key = (section, m.group(3))
        if key not in wanted:
            continue
        n = counts.get(key, 0)
        counts[key] = n + 1
        if n >= len(wanted[key]):
            continue
        start = m.end()
        end = _array_end(text, start)
        out.append((start, end, _format(wanted[key][n], text[m.start():start])))
    return out


def _array_end(text: str, start: int) -> int:
    depth, k = 0, start
    while k < len(text):
        c = text[k]
        if c == "#":
            k = text.find("\n", k)
            k = len(text) if k < 0 else k
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    raise ProblemError("an array in the problem file is not closed")


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _format(value: list, lead: str) -> str:
    if value and isinstance(value[0], list):
        indent = " " * (len(lead.split("\n")[-1]) + 1)
        width = max(len(_number(x)) for row in value for x in row)
        rows = ["[" + ", ".join(_number(x).rjust(width) for x in row) + "]" for row in value]
        return "[" + (",\n" + indent).join(rows) + "]"
    return "[" + ", ".join(_number(x) for x in value) + "]"
