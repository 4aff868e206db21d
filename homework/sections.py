"""Parts a worked solution and the answers to a sheet's questions share: matrices of numbers, and the
gradient-descent step (Δθ beside θ′, each new value with the digits that show its change)."""

from __future__ import annotations

import numpy as np

from autograd import notation as names
from autograd.derive.formula import Formula
from autograd.derive.model import Items, Matrices, Prose



def number(x: float, digits: int) -> str:
    return names.format_number(float(x), digits)


def derivative_name(of: str, wrt: str) -> str:
    return f"d{of}/d{wrt}"


def matrices(rows: list, digits: int, before: dict | None = None) -> Matrices:
    """``[(Unicode name, LaTeX name, matrix)]`` as a `Matrices` block of formatted numbers; with
    ``before`` (the same matrices by name, before a step), each entry gets the digits that show how
    it changed."""
    out = []
    for key, (t, tex, m) in zip(before or [None] * len(rows), rows):
        m = np.atleast_2d(m)
        old = np.atleast_2d(before[key]) if before else m
        out.append((Formula(t, tex), [[number(x, visible_digits([a], [x], digits) if before else digits)
                                        for a, x in zip(old_row, row)] for old_row, row in zip(old, m)]))
    return Matrices(out)


def visible_digits(before, after, digits: int, most: int = 12) -> int:
    """The fewest significant digits, from ``digits`` up to ``most``, at which every entry the step
    changed prints differently from before (a step of 0.001 · 0.07968 must not look like no step)."""
    pairs = [(float(a), float(b)) for a, b in zip(np.ravel(before), np.ravel(after)) if a != b]
    for d in range(digits, most + 1):
        if all(names.round_number(a, d) != names.round_number(b, d) for a, b in pairs):
            return d
    return most


def update_line(name: str, old: float, grad: float, new: float, lr: str, digits: int) -> str:
    """``θ ← θ − α · (g) = θ′   (Δθ = …)``, θ′ with the digits that show the change."""
    step = new - old
    if new == old:
        shown = f"{number(new, digits)}: θ′ = θ to double precision (Δθ = {number(-float(lr) * grad, digits)} " \
                f"is below what a double can add to {number(old, digits)})"
    else:
        shown = f"{number(new, visible_digits([old], [new], digits))}   (Δ{name} = {number(step, digits)})"
    return f"{name} ← {number(old, digits)} − {lr} · ({number(grad, digits)}) = {shown}"


def update_parts(solution, digits: int, wanted: list | None = None) -> list:
    """One gradient-descent step: the rule, ΔW = −α dℓ/dW, the new matrices, and a line per
    explained parameter (``wanted``: these parameters instead)."""
    problem = solution.problem
    loss_name = solution.loss.label or "ℓ"
    out: list = []
    lr = number(problem.learning_rate, digits)
    out.append(Prose(f"θ ← θ − {lr} · d{loss_name}/dθ for every parameter θ (learning rate {lr}), "
                     f"a change of Δθ = −{lr} · d{loss_name}/dθ:"))
    out.append(matrices([(f"Δ{k}", f"\\Delta {{{names.to_latex(k)}}}", solution.after[k] - m)
                          for k, m in solution.before.items()], digits))
    out.append(matrices([(f"{k} (new)", f"{{{names.to_latex(k)}}}^{{\\text{{new}}}}", m)
                          for k, m in solution.after.items()], digits, before=solution.before))
    steps = solution.steps if wanted is None else [step for w in wanted for step in solution.updates if step[0] is w]
    if steps:
        out.append(Items([update_line(w.label, old, g, new, lr, digits) for w, old, g, new in steps]))
    return out


def error_term_lines(solution, digits: int) -> list[str]:
    """Every error term dℓ/dz, a line per layer (and per sample when there are several)."""
    lines = []
    for run in solution.runs:
        for pre in run.pre:
            lines.append(", ".join(f"d{solution.loss.label}/d{z.label} = {number(z.grad, digits)}" for z in pre))
    return lines
