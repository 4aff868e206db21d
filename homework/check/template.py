"""Answers files written out: the blank template a student fills in (every number the problem asks
for, each under its question, with "" for its value) and the answer key (the same file with the
right numbers, at the problem's digits), which `chainrule check` reads back.
"""

from __future__ import annotations

from autograd import notation
from homework.check.plan import GRADIENTS, LOCAL, SECTIONS, UPDATED, VALUES

_ABOUT = {VALUES: "forward values and the loss", LOCAL: "local factors ∂a/∂b between a node and one it uses",
          GRADIENTS: "dℓ/d(name); for a pre-activation this is its error term δ",
          UPDATED: "parameters after one gradient-descent step"}


def answers_file(key, filled: bool = False, command: str = "chainrule check PROBLEM answers.toml") -> str:
    """The answers file of every number ``key.asked`` lists: blank (``""``), or with the right
    numbers (``filled``, the answer key)."""
    loss = key.lookup.loss_name
    title = key.problem.title if key.problem is not None else "the graph"
    lines = [f"# {'Answer key' if filled else 'Answers'}: {title}"]
    if filled:
        lines += ["# The right numbers, at the problem's digits; check reads this file like a student's."]
    else:
        lines += ["# Write your numbers in place of \"\", as you worked them out (-0.0925): each is judged at",
                  "# the digits you write. Leave \"\" where you have no answer. Then run:",
                  f"#   {command}"]
        sample = next((e.name for e in key.entries if e.section == GRADIENTS and not e.node.parents), "")
        if sample:
            lines.append(f"# Names are as the solution prints them; a problem file's spelling works too "
                         f"({notation.to_latex(sample)} for {sample}).")
    for section in SECTIONS:
        body: list[str] = []
        seen: set[int] = set()
        for label, text, positions in key.asked:
            mine = [i for i in positions if key.entries[i].section == section and i not in seen]
            if not mine:
                continue
            seen.update(mine)
            heading = " ".join(x for x in (label, text) if x)
            if heading:
                body.append(f"# {heading}")
            for i in mine:
                e = key.entries[i]
                value = key.number(e.value) if filled else '""'
                body.append(f"{_quoted(e.name)} = {value}")
        if body:
            lines += ["", f"[{section}]" + " " * max(1, 20 - len(section)) + f"# {_ABOUT[section].replace('ℓ', loss)}"]
            lines += body
    return "\n".join(lines) + "\n"


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
