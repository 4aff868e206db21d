"""The known mistakes, each tried on a wrong answer by recomputing that quantity as the mistake would
have it, from the derivation's own data: the paths from a node to the loss with one factor left out,
replaced (σ(α) for σ′(α), a pre-activation for an activation, W²₁₂ for W²₂₁, the weight a figure
without the bias row labels) or one path alone; the quantity of a neighbouring name (the transposed
index, the figure's label); a gradient step's sign or learning rate; the ½ of ½(y − ŷ)²; and whole
derivations under a misread matrix (homework.check.mistaken). `candidates` lists them, most likely
first; a report names those that reproduce the student's number at the precision written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from homework.check.plan import GRADIENTS, LOCAL, UPDATED, VALUES

# The kinds of mistakes, most likely first. Of these two, every one that fits is named (two factors
# may each account for a number); of the others, the first way of making it.
SEVERAL = ("factor left out", "one path only")
# The kinds of mistakes, most likely first.
KINDS = ("sign flipped", "factor left out", "σ(α) used for σ′(α)", "pre-activation for activation",
         "½ of ½SE dropped", "learning-rate step", "transposed index", "one path only", "figure labelling",
         "bias row mixed up")


@dataclass(frozen=True)
class Diagnosis:
    """A mistake that reproduces an answer: its kind (one of `KINDS`), what it is in words, with the
    names and numbers involved, and the number it gives."""

    kind: str
    text: str
    value: float


def candidates(key, entry, worked, whole: bool = True) -> list[Diagnosis]:
    """Every known mistake's number for ``entry``, worked from ``worked`` (the right derivation, or
    the student's own numbers); with ``whole``, also the whole derivations under a misread matrix."""
    found = _TRIES[entry.section](_Context(key, entry, worked))
    if whole:
        for kind, what, values in key.mistaken():
            if entry.index in values:
                found.append(Diagnosis(kind, f"{what}, which gives {key.number(values[entry.index])}",
                                       values[entry.index]))
    return [d for d in sorted(found, key=lambda d: KINDS.index(d.kind)) if math.isfinite(d.value)]


def fitting(found: list[Diagnosis], fits) -> list[Diagnosis]:
    """The diagnoses that reproduce a number (``fits(value)``), each kind once unless it is one of
    `SEVERAL`, in the order given."""
    seen, out = set(), []
    for d in found:
        if not fits(d.value) or (d.kind, d.text if d.kind in SEVERAL else "") in seen:
            continue
        seen.add((d.kind, d.text if d.kind in SEVERAL else ""))
        out.append(d)
    return out


class _Context:
    def __init__(self, key, entry, worked) -> None:
        self.key, self.entry, self.w = key, entry, worked
        self.plan, self.wiring = key.plan, key.wiring
        self.base = worked.computed[entry.index]
        self.n = key.number

    def k(self, node) -> int:
        return self.plan.index[id(node)]

    def name(self, k: int) -> str:
        return self.plan.name(k)

    def value(self, node) -> float:
        return self.w.values[self.k(node)]

    def sign(self) -> list:
        if self.base == 0:
            return []
        return [Diagnosis("sign flipped", f"sign flipped: the right number is {self.n(self.base)}, yours has the "
                                          f"opposite sign", -self.base)]

    def edge_text(self, kc: int, kp: int) -> str:
        c, p = self.plan.order[kc], self.plan.order[kp]
        symbol = f"∂{self.name(kc)}/∂{self.name(kp)}"
        if self.wiring is None:
            return symbol
        if self.wiring.pre_of.get(id(c)) is p:
            return f"{symbol} = {self.wiring.f_prime(p)}"
        if id(p) in self.wiring.place and id(c) in self.wiring.units:
            x = self.wiring.input_of(c, p)
            return f"{symbol} = {self.name(self.k(x)) if x is not None else '1'}"
        weight = self.wiring.weight_on(c, p)
        return f"{symbol} = {self.name(self.k(weight))}" if weight is not None else symbol

    def through(self, changes: dict, paths=None) -> float:
        """The gradient summed over the paths, some factors changed (None: left out)."""
        total = 0.0
        for top, edges in (paths if paths is not None else self.key.paths(self.k(self.entry.node))):
            product = 1.0 if top == self.k(self.plan.root) else self.w.grads[top]
            for edge in edges:
                f = changes.get(edge, self.w.factors[edge])
                product *= 1.0 if f is None else f
            total += product
        return total

    def replacements(self, kc: int, kp: int):
        """(kind, words, factor) for each known way of getting the factor ∂c/∂p wrong."""
        if self.wiring is None:
            return
        c, p, wiring, n = self.plan.order[kc], self.plan.order[kp], self.wiring, self.n
        f = self.w.factors[kc, kp]
        if wiring.pre_of.get(id(c)) is p:
            sigma, prime, h = wiring.f_name(p), wiring.f_prime(p), self.w.values[kc]
            yield ("σ(α) used for σ′(α)", f"{sigma}({self.name(kp)}) = {n(h)} used for {prime} = {n(f)}", h)
            at = self.plan.factor_at(kc, kp, self.w.values, {kp: h})
            yield ("pre-activation for activation", f"{sigma}′ taken at the activation {self.name(kc)} = {n(h)} "
                                                    f"instead of the pre-activation {self.name(kp)}: "
                                                    f"{sigma}′({n(h)}) = {n(at)} for {prime} = {n(f)}", at)
            swapped = list(self.w.values)
            swapped[kc] = self.w.values[kp]  # σ′ = β(1 − β) worked with α in β's place
            put = self.plan.factors_of(kc, swapped).get(kp, f) if not self.plan.regions[kc][0] else f
            if put != f:
                yield ("pre-activation for activation", f"the pre-activation {self.name(kp)} = {n(self.w.values[kp])} "
                                                        f"put for the activation {self.name(kc)} in the formula of "
                                                        f"{prime}: {n(put)} for {n(f)}", put)
        elif id(p) in wiring.place and id(c) in wiring.units:
            x = wiring.input_of(c, p)
            z = wiring.pre_of.get(id(x)) if x is not None else None
            if z is not None:
                yield ("pre-activation for activation",
                       f"the pre-activation {self.name(self.k(z))} = {n(self.value(z))} used for the activation "
                       f"{self.name(self.k(x))} = {n(f)} in ∂{self.name(kc)}/∂{self.name(kp)}", self.value(z))
            label = wiring.figure_label(p)
            if label is not None:
                y = wiring.input_of(c, label)
                shown = self.name(self.k(y)) if y is not None else "1"
                yield ("figure labelling",
                       f"the figure's labelling followed: it puts {self.name(kp)} on {shown}'s edge, but by the "
                       f"bias-first rule that weight is {self.name(self.k(label))} and ∂{self.name(kc)}/∂{self.name(kp)} "
                       f"= {n(f)}", self.value(y) if y is not None else 1.0)
        else:
            weight = wiring.weight_on(c, p)
            if weight is None:
                return
            t, up = wiring.transposed(weight), wiring.weight_one_row_up(c, p)
            if t is not None:
                yield ("transposed index", f"transposed index: {self.name(self.k(t))} = {n(self.value(t))} used for "
                                           f"{self.name(self.k(weight))} = {n(f)}", self.value(t))
            if up is not None:
                yield ("figure labelling",
                       f"the figure's labelling followed: it puts {self.name(self.k(up))} = {n(self.value(up))} on "
                       f"{self.name(kp)}'s edge, where the bias-first rule has {self.name(self.k(weight))} = {n(f)}",
                       self.value(up))

    def partner(self, node):
        if self.wiring is None:
            return None, ""
        z = self.wiring.pre_of.get(id(node))
        if z is not None:
            return z, "pre-activation"
        h = self.wiring.post_of.get(id(node))
        return (h, "activation") if h is not None else (None, "")

    def half(self, what: str, value: float) -> list:
        if not self.key.squared_error:
            return []
        return [Diagnosis("½ of ½SE dropped", f"the ½ of ℓ = ½(y − ŷ)² dropped: {what} doubles, to {self.n(value)}",
                          value)]


def _values(c: _Context) -> list:
    out = c.sign()
    other, role = c.partner(c.entry.node)
    if other is not None:
        out.append(Diagnosis("pre-activation for activation", f"the {role} {c.name(c.k(other))} = "
                             f"{c.n(c.value(other))} written for {c.entry.name}", c.value(other)))
    if c.entry.node is c.plan.root:
        out += c.half("the loss", 2 * c.base)
    return out


def _local(c: _Context) -> list:
    out = c.sign()
    kc, kp = c.k(c.entry.node), c.k(c.entry.wrt)
    out += [Diagnosis(kind, text, f) for kind, text, f in c.replacements(kc, kp)]
    if kc == c.k(c.plan.root):
        out += c.half(c.entry.name, 2 * c.base)
    return out


def _gradient(c: _Context) -> list:
    out = c.sign()
    k = c.k(c.entry.node)
    paths = c.key.paths(k)
    edges = list(dict.fromkeys(edge for _, path in paths for edge in path))
    for edge in edges:
        f = c.w.factors[edge]
        if f != 1.0:
            out.append(Diagnosis("factor left out", f"a factor left out: {c.edge_text(*edge)} = {c.n(f)}; without "
                                                    f"it {c.entry.symbol} = {c.n(c.through({edge: None}))}",
                                 c.through({edge: None})))
        for kind, text, x in c.replacements(*edge):
            out.append(Diagnosis(kind, f"{text}, which gives {c.n(c.through({edge: x}))}", c.through({edge: x})))
    if len(paths) > 1:
        for top, path in paths:
            nodes = list(dict.fromkeys([kc for kc, _ in path] + [top]))
            apart = [c.name(j) for j in nodes if not all(j in [kc for kc, _ in q] + [t] for t, q in paths)]
            alone = c.through({}, [(top, path)])
            out.append(Diagnosis("one path only", f"only one of the {len(paths)} paths summed, the one through "
                                                  f"{', '.join(apart[:2]) or c.name(top)} ({c.n(alone)})", alone))
    consumers = c.plan.consumers.get(k, [])
    if len(paths) > len(consumers) > 1 and k not in c.plan.shortcuts:  # else each term is one of the paths
        for kc in consumers:
            term = c.w.grads.get(kc, 1.0) * c.w.factors[kc, k]
            out.append(Diagnosis("one path only", f"only the term through {c.name(kc)} of the sum over the "
                                                  f"{len(consumers)} nodes {c.entry.name} feeds ({c.n(term)})", term))
    other, role = c.partner(c.entry.node)
    if other is not None:
        g = c.w.grads.get(c.k(other), 0.0)
        out.append(Diagnosis("pre-activation for activation", f"the gradient of the {role} {c.name(c.k(other))}, "
                                                               f"{c.n(g)}, written for {c.entry.symbol}", g))
    out += _neighbours(c, c.w.grads)
    return out + c.half("every gradient", 2 * c.base)


def _neighbours(c: _Context, numbers: dict) -> list:
    """The same quantity of the transposed weight, and of the weight a figure without the bias row
    labels with this weight's name."""
    out = []
    if c.wiring is None:
        return out
    node, what = c.entry.node, c.entry.symbol
    t, label = c.wiring.transposed(node), c.wiring.figure_label(node)
    if t is not None and c.k(t) in numbers:
        x = numbers[c.k(t)]
        out.append(Diagnosis("transposed index", f"transposed index: the number of {c.name(c.k(t))}, {c.n(x)}, "
                                                 f"written for {what}", x))
    if label is not None and c.k(label) in numbers:
        x = numbers[c.k(label)]
        out.append(Diagnosis("figure labelling", f"the figure's labelling followed: it puts {c.entry.name} where the "
                                                 f"bias-first rule has {c.name(c.k(label))}, whose number is {c.n(x)}",
                             x))
    return out


def _updated(c: _Context) -> list:
    k = c.k(c.entry.node)
    theta, g, lr = c.w.values[k], c.w.grads[k], c.plan.learning_rate
    name, lr_text = c.entry.name, c.n(lr)
    out = [Diagnosis("learning-rate step", f"learning-rate step with the wrong sign: {name} + {lr_text}·dℓ/d{name} "
                                           f"= {c.n(theta + lr * g)}", theta + lr * g)]
    if lr != 1:
        out.append(Diagnosis("learning-rate step", f"learning-rate step without the learning rate: {name} − dℓ/d{name} "
                                                   f"= {c.n(theta - g)}", theta - g))
    out += _neighbours(c, c.w.updates)
    label = c.wiring.figure_label(c.entry.node) if c.wiring is not None else None
    if label is not None:
        x = theta - lr * c.w.grads[c.k(label)]
        out.append(Diagnosis("figure labelling", f"the figure's labelling followed: {name} stepped with the gradient of "
                                                 f"{c.name(c.k(label))}, the weight the figure labels {name}: {c.n(x)}",
                             x))
    return out + c.half("the step", theta - 2 * lr * g)


_TRIES = {VALUES: _values, LOCAL: _local, GRADIENTS: _gradient, UPDATED: _updated}
