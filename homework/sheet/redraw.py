"""Variants of a problem, one per student: the same network, loss, notation and questions with fresh
weights, biases and input, drawn from a seed so that the same seed gives the same variants.

Numbers are drawn like the sheet's own: each matrix's entries on the grid its numbers lie on
(whole numbers for seed 002, tenths for seed 001's W₁, twentieths for its b₁) and within their
largest size, never 0. A draw is kept only when its answers are well-conditioned: no unit saturated
or dead (every activation's derivative at least `MIN_SLOPE`, every softmax output between
`MIN_PROBABILITY` and 1 − it), no error term or parameter gradient that is 0 at the problem's digits
(at least 10^−(digits−1) in size), no value beyond `LARGEST`; and it differs from the problem and
from every earlier variant. Variant k of a seed is the same whichever others are made.
"""

from __future__ import annotations

import dataclasses
import math
import random
from fractions import Fraction

from homework.errors import ProblemError

MIN_SLOPE = 0.05
MIN_PROBABILITY = 0.02
LARGEST = 50.0
TRIES = 4000


def grid(numbers) -> tuple[Fraction, Fraction]:
    """The step the numbers lie on and their largest size: ([0.1, −0.1, 0.05]) → (1/20, 1/10)."""
    fractions = [Fraction(str(float(x))).limit_denominator(10**6) for x in numbers]
    step = Fraction(0)
    for f in fractions:
        step = Fraction(math.gcd(step.numerator * f.denominator, f.numerator * step.denominator),
                        step.denominator * f.denominator) if step else abs(f)
    step = step or Fraction(1)
    return step, max((abs(f) for f in fractions), default=Fraction(1)) or step


def _draw(rng: random.Random, numbers) -> list:
    step, largest = grid(numbers)
    n = max(1, int(largest / step))
    choices = [k for k in range(-n, n + 1) if k]
    return [float(step * rng.choice(choices)) for _ in numbers]


def _shaped(flat: list, like: list) -> list:
    out, k = [], 0
    for row in like:
        out.append(flat[k:k + len(row)])
        k += len(row)
    return out


def conditioned(problem, solution=None) -> bool:
    """Whether a problem's answers are well-conditioned (see the module docstring)."""
    if solution is None:
        solution = _solved(problem)
    if solution is None or any(_saturated(solution.net.layers, run.pre, run.post) for run in solution.runs):
        return False
    smallest = 10.0 ** -(problem.digits - 1)
    deltas = [z for run in solution.runs for pre in run.pre for z in pre]
    return all(abs(v.grad) >= smallest for v in deltas + solution.net.parameters())


def _saturated(layers, pres, posts) -> bool:
    """Whether a forward pass leaves a unit saturated or dead, an output certain, or a value too big."""
    return any(_failing(layer, pre, post) for layer, pre, post in zip(layers, pres, posts))


def _failing(layer, pre, post) -> set:
    """The units of one layer that are saturated, dead or too big (for softmax: all, if one output is
    nearly certain)."""
    bad = set()
    for u, (z, h) in enumerate(zip(pre, post)):
        if abs(z.data) > LARGEST or abs(h.data) > LARGEST:
            bad.add(u)
        elif layer.activation.elementwise and z is not h:
            if abs(_slope(h, z)) < MIN_SLOPE:
                bad.add(u)
        elif not layer.activation.elementwise and not MIN_PROBABILITY <= h.data <= 1 - MIN_PROBABILITY:
            return set(range(len(pre)))
    return bad


def _draw_problem(rng: random.Random, problem):
    """One draw of fresh numbers, layer by layer: the weights of a unit left saturated or dead on the
    inputs drawn are drawn again (the others kept), so that most draws are usable."""
    from nn.conventions import WX_B
    from nn.layers import Layer

    x = problem.x if problem.samples else _draw(rng, problem.x)
    inputs = [sx for sx, _ in problem.all_samples] if problem.samples else [x]
    weights, biases = [], []
    count = len(problem.weights)
    for l, w in enumerate(problem.weights, start=1):
        b = problem.biases[l - 1] if problem.biases else None
        drawn_w = _shaped(_draw(rng, [v for row in w for v in row]), w)
        drawn_b = _draw(rng, b) if b else b
        for _ in range(TRIES // 10):
            try:
                layer = Layer.from_matrix(drawn_w, drawn_b, problem.activations[l - 1], convention=problem.convention,
                                          layer=l, is_output=l == count, notation=problem.notation)
                outputs, bad = [], set()
                for xs in inputs:
                    outputs.append([h.data for h in layer.forward(xs)])
                    bad |= _failing(layer, layer.last_pre, layer.last_post)
            except (ValueError, ArithmeticError):  # off an operation's domain: draw every unit again
                bad = set(range(len(w) if problem.convention == WX_B else len(w[0])))
            if not bad:
                break
            fresh_w = _shaped(_draw(rng, [v for row in w for v in row]), w)
            fresh_b = _draw(rng, b) if b else b
            for r, row in enumerate(drawn_w):
                for c in range(len(row)):
                    if (r if problem.convention == WX_B else c) in bad:
                        row[c] = fresh_w[r][c]
            if drawn_b:
                drawn_b = [fresh_b[u] if u in bad else v for u, v in enumerate(drawn_b)]
        else:
            return None
        weights.append(drawn_w)
        biases.append(drawn_b)
        inputs = outputs
    return dataclasses.replace(problem, weights=weights, biases=biases if problem.biases else None, x=x)


def _slope(h, z) -> float:
    """dh/dz through the nodes between (an activation written as a formula of z)."""
    if h.parents and all(p is z for p in h.parents):
        return sum(h.partials)
    from autograd.graph import topological_order

    grads = {id(h): 1.0}
    for v in reversed(topological_order(h)):
        g = grads.get(id(v), 0.0)
        if v is z:
            return g
        for p, d in zip(v.parents, v.partials):
            grads[id(p)] = grads.get(id(p), 0.0) + g * d
    return grads.get(id(z), 0.0)


def _answers(solution) -> str:
    """The loss at the problem's digits: no two variants share it, so no answer can be copied whole."""
    from autograd.notation import format_number

    return format_number(solution.loss.data, solution.problem.digits)


def _solved(problem):
    try:
        return problem.solve()
    except (ValueError, ArithmeticError):
        return None


def _numbers(problem) -> tuple:
    return (tuple(x for w in problem.weights for row in w for x in row),
            tuple(x for b in (problem.biases or []) if b for x in b), tuple(problem.x))


def variants(problem, count: int, seed: int) -> list:
    """``count`` variants of ``problem`` (a `homework.Problem`) drawn from ``seed``: see the module
    docstring. Each is a Problem whose ``source`` text (``text``) is a problem file.

    Raises:
        ProblemError: no well-conditioned variant found for a problem (its numbers leave too little room).
    """
    if count < 1:
        raise ProblemError(f"the number of variants must be at least 1, got {count}")
    made, seen, answers = [], {_numbers(problem)}, {_answers(problem.solve())}
    for k in range(1, count + 1):
        rng = random.Random(f"chainrule variant {seed} {k}")
        for _ in range(TRIES):
            candidate = _draw_problem(rng, problem)
            if candidate is None or _numbers(candidate) in seen:
                continue
            solution = _solved(candidate)
            if solution is not None and _answers(solution) not in answers and conditioned(candidate, solution):
                break
        else:
            raise ProblemError(f"{problem.source}: no well-conditioned variant {k} in {TRIES} draws; the sheet's "
                               f"numbers leave too little room")
        seen.add(_numbers(candidate))
        answers.add(_answers(solution))
        made.append(candidate)
    return made


def variant(problem, seed: int, k: int):
    """Variant k (from 1) of those `variants` makes from ``seed``, as a Problem read from its file."""
    from homework.reading import load, loads
    from homework.sheet.rewrite import problem_text

    base = load(problem) if isinstance(problem, str) else problem
    chosen = variants(base, k, seed)[-1]
    return loads(problem_text(base, chosen, seed, k), source=f"{base.source}, variant {k} of seed {seed}")
