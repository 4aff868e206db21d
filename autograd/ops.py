"""The rule table: every primitive operation, written once.

Each `Rule` holds, side by side:

- ``forward(m, *xs)``: the output value;
- ``partials``: one short function per argument, ``(m, out, *xs) -> ∂out/∂xᵢ`` (or, for operations
  with any number of arguments, one function ``nary_partials(m, out, xs)`` giving all of them at
  once, from which ``nary_partial(m, i, out, xs)`` is derived; or, where every partial is a number,
  as for add, those numbers as ``constant_partials``);
- the formula text of the output and of each partial, in Unicode and in LaTeX, with ``{0}``, ``{1}``,
  ... standing for the arguments' names and ``{out}`` for the output's name (or a function of
  ``(names, out)`` where a template cannot say it, as for ``x³ → 3·x²``);
- ``domain``: where the operation and its derivative are defined and finite, said in words for the
  error message raised outside it.

``m`` is a small math namespace. `SCALAR` below works on Python floats; the batched replay passes a
numpy namespace with the same function names, so the same rule computes a whole batch at once.
Partials are written in terms of the inputs *and the output* (``tanh′ = 1 − out²``), as a student
writes them. Nothing here knows about `Value`: the engine (value.py) applies these rules, the
printouts (derive/) and drawings (drawing/) read their formulas. The `Rule` class is in
rule.py, the scalar math namespace in scalar_math.py.

Kinks: ``relu′(0) = 0`` and ``abs′(0) = 0``, and at a tie ``max`` and ``min`` pass half of the gradient
to each argument (the subgradients PyTorch and JAX also choose). A rule's ``kink`` fields say where
it has no derivative and what is used there, so that printouts can say so where it happens.

This module is longer than 300 lines on purpose: it is the one place every operation is defined, and
reading an operation means reading its whole entry here, next to the others.
"""

from __future__ import annotations

from operator import mul

from autograd.rule import Rule
from autograd.scalar_math import EXP_LIMIT, SCALAR, ScalarMath, plain_sum

RULES: dict[str, Rule] = {}


def _register(rule: Rule) -> Rule:
    RULES[rule.name] = rule
    return rule


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _pow_text(names, out):
    base, exponent = names
    c = _number(exponent)
    if c is not None and c.is_integer() and abs(c) < 1000:
        return f"{base}{_fmt(c).translate(_SUPERSCRIPT)}"  # x², x⁻¹
    return f"{base}^{exponent}"


def _pow_base_partial_text(names, out):
    base, exponent = names
    c = _number(exponent)
    if c is None:
        return f"{exponent}·{base}^({exponent} − 1)"
    if c == 1:
        return "1"
    if c == 2:
        return f"2·{base}"
    return f"{_fmt(c)}·{_pow_text((base, _fmt(c - 1)), out)}"


def _pow_base_partial_latex(names, out):
    base, exponent = names
    c = _number(exponent)
    if c is None:
        return f"{exponent} \\cdot {{{base}}}^{{{exponent} - 1}}"  # braced: the base may have scripts
    if c == 1:
        return "1"
    if c == 2:
        return f"2 {base}"
    return f"{_fmt(c)} \\cdot {{{base}}}^{{{_fmt(c - 1)}}}"


# ---------------------------------------------------------------------------------------------
# Arithmetic. The binary rules accept a constant on either side; the engine then keeps only the
# partials of the arguments that are Values.

ADD = _register(Rule(
    "add", "+", lambda m, x, y: x + y,
    "{0} + {1}", "{0} + {1}",
    ("1", "1"), ("1", "1"),
    constant_partials=(1.0, 1.0), arity=2))

SUB = _register(Rule(
    "sub", "−", lambda m, x, y: x - y,
    "{0} − {1}", "{0} - {1}",
    ("1", "−1"), ("1", "-1"),
    constant_partials=(1.0, -1.0), arity=2))

MUL = _register(Rule(
    "mul", "×", lambda m, x, y: x * y,
    "{0}·{1}", r"{0} \cdot {1}",
    ("{1}", "{0}"), ("{1}", "{0}"),
    (lambda m, out, x, y: y, lambda m, out, x, y: x), arity=2))

DIV = _register(Rule(
    "div", "÷", lambda m, x, y: x / y,
    "{0}/{1}", r"\frac{{{0}}}{{{1}}}",
    ("1/{1}", "−{0}/{1}²"), (r"\frac{{1}}{{{1}}}", r"-\frac{{{0}}}{{{{{1}}}^2}}"),
    (lambda m, out, x, y: 1.0 / y, lambda m, out, x, y: -out / y),
    domain="the divisor must not be 0", arity=2))

POW = _register(Rule(
    "pow", "^", lambda m, x, y: m.pow(x, y),
    _pow_text, lambda names, out: f"{{{names[0]}}}^{{{names[1]}}}",
    (_pow_base_partial_text, "{out}·log({0})"),
    (_pow_base_partial_latex, r"{out} \cdot \log {0}"),
    (lambda m, out, x, y: y * m.pow(x, y - 1.0), lambda m, out, x, y: out * m.log(x)),
    domain="a negative base needs a whole-number exponent, 0 needs a positive exponent (and where "
           "the derivative is taken, an exponent ≥ 1), and a Value exponent needs a base > 0",
    arity=2, literal_args=(1,)))

NEG = _register(Rule(
    "neg", "−", lambda m, x: -x,
    "−{0}", "-{0}", ("−1",), ("-1",), constant_partials=(-1.0,)))

# ---------------------------------------------------------------------------------------------
# Elementary functions.

EXP = _register(Rule(
    "exp", "exp", lambda m, x: m.exp(x),
    "exp({0})", r"e^{{{0}}}", ("exp({0})",), (r"e^{{{0}}}",),
    (lambda m, out, x: out,),
    domain=f"exp overflows float64 for x > {EXP_LIMIT:.2f}"))

LOG = _register(Rule(
    "log", "log", lambda m, x: m.log(x),
    "log({0})", r"\log {0}", ("1/{0}",), (r"\frac{{1}}{{{0}}}",),
    (lambda m, out, x: 1.0 / x,),
    domain="log needs x > 0"))

SQRT = _register(Rule(
    "sqrt", "√", lambda m, x: m.sqrt(x),
    "√{0}", r"\sqrt{{{0}}}", ("1/(2√{0})",), (r"\frac{{1}}{{2\sqrt{{{0}}}}}",),
    (lambda m, out, x: 0.5 / out,),
    domain="sqrt needs x > 0 (at 0 its derivative is infinite; use sqrt(x + ε))"))

TANH = _register(Rule(
    "tanh", "tanh", lambda m, x: m.tanh(x),
    "tanh({0})", r"\tanh {0}", ("1 − {out}²",), ("1 - {{{out}}}^2",),
    (lambda m, out, x: 1.0 - out * out,)))

SIGMOID = _register(Rule(
    "sigmoid", "σ", lambda m, x: m.sigmoid(x),
    "σ({0})", r"\sigma({0})", ("{out}(1 − {out})",), (r"{out}(1 - {out})",),
    (lambda m, out, x: out * (1.0 - out),)))

RELU = _register(Rule(
    "relu", "relu", lambda m, x: m.relu(x),
    "relu({0})", r"\operatorname{{relu}}({0})", ("[{0} > 0]",), ("[{0} > 0]",),
    (lambda m, out, x: m.step(x),),
    kink=lambda m, x: x == 0.0, kink_where=("{0} = 0", "{0} = 0"), kink_convention="relu′(0) = 0 is used"))

SIN = _register(Rule(
    "sin", "sin", lambda m, x: m.sin(x),
    "sin({0})", r"\sin {0}", ("cos({0})",), (r"\cos {0}",),
    (lambda m, out, x: m.cos(x),)))

COS = _register(Rule(
    "cos", "cos", lambda m, x: m.cos(x),
    "cos({0})", r"\cos {0}", ("−sin({0})",), (r"-\sin {0}",),
    (lambda m, out, x: -m.sin(x),)))

ABS = _register(Rule(
    "abs", "|·|", lambda m, x: m.fabs(x),
    "|{0}|", r"\lvert {0} \rvert", ("sign({0})",), (r"\operatorname{{sign}}({0})",),
    (lambda m, out, x: m.sign(x),),
    kink=lambda m, x: x == 0.0, kink_where=("{0} = 0", "{0} = 0"), kink_convention="abs′(0) = 0 is used"))

SOFTPLUS = _register(Rule(
    "softplus", "softplus", lambda m, x: m.softplus(x),
    "log(1 + exp({0}))", r"\log(1 + e^{{{0}}})", ("σ({0})",), (r"\sigma({0})",),
    (lambda m, out, x: m.sigmoid(x),)))

# The larger and the smaller of two arguments. At a tie the gradient is split evenly, ½ to each
# argument (PyTorch's maximum/minimum and JAX's do the same); the formula text says so with the
# Iverson bracket [x = y], and printouts name the convention wherever a tie occurs.

MAX = _register(Rule(
    "max", "max", lambda m, x, y: m.maximum(x, y),
    "max({0}, {1})", r"\max({0}, {1})",
    ("[{0} > {1}] + ½[{0} = {1}]", "[{1} > {0}] + ½[{0} = {1}]"),
    (r"[{0} > {1}] + \tfrac{{1}}{{2}}[{0} = {1}]", r"[{1} > {0}] + \tfrac{{1}}{{2}}[{0} = {1}]"),
    (lambda m, out, x, y: m.share(x, y), lambda m, out, x, y: m.share(y, x)), arity=2,
    kink=lambda m, x, y: x == y, kink_where=("{0} = {1}", "{0} = {1}"),
    kink_convention="each argument gets ½ of the gradient"))

MIN = _register(Rule(
    "min", "min", lambda m, x, y: m.minimum(x, y),
    "min({0}, {1})", r"\min({0}, {1})",
    ("[{0} < {1}] + ½[{0} = {1}]", "[{1} < {0}] + ½[{0} = {1}]"),
    (r"[{0} < {1}] + \tfrac{{1}}{{2}}[{0} = {1}]", r"[{1} < {0}] + \tfrac{{1}}{{2}}[{0} = {1}]"),
    (lambda m, out, x, y: m.share(y, x), lambda m, out, x, y: m.share(x, y)), arity=2,
    kink=lambda m, x, y: x == y, kink_where=("{0} = {1}", "{0} = {1}"),
    kink_convention="each argument gets ½ of the gradient"))

# ---------------------------------------------------------------------------------------------
# Operations on any number of arguments: one node instead of a chain of binary ones, so that a
# neuron's pre-activation is one named node whose partials are exactly what a student writes.


def _sum_text(sep):
    return lambda names, out: sep.join(names)


SUM = _register(Rule(
    "sum", "Σ", lambda m, *xs: plain_sum(xs) if m is SCALAR else m.sum(xs),
    _sum_text(" + "), _sum_text(" + "), lambda i, names, out: "1", lambda i, names, out: "1",
    nary_partials=lambda m, out, xs: (1.0,) * len(xs), arity=None))


def _linear_terms(names, times):
    """Names laid out as (w₁ … wₙ, x₁ … xₙ[, b]) -> 'w₁·x₁ + … + b'."""
    n = len(names) // 2
    terms = [f"{names[k]}{times}{names[n + k]}" for k in range(n)]
    if len(names) % 2:
        terms.append(names[-1])
    return " + ".join(terms)


def _linear_partial(i, args, out):
    n = len(args) // 2
    if i == 2 * n:
        return "1"  # the bias
    return args[i + n] if i < n else args[i - n]


def _linear_forward(m, *xs):
    n = len(xs) // 2
    products = map(mul, xs[:n], xs[n:2 * n])  # w₁x₁, w₂x₂, …
    total = plain_sum(products) if m is SCALAR else m.sum(list(products))
    return total + xs[-1] if len(xs) % 2 else total


def _linear_partials(m, out, xs):
    # ∂/∂wᵢ = xᵢ and ∂/∂xᵢ = wᵢ: the arguments themselves, in swapped halves; ∂/∂b = 1.
    n = len(xs) // 2
    return tuple(xs[n:2 * n]) + tuple(xs[:n]) + ((1.0,) if len(xs) % 2 else ())


LINEAR = _register(Rule(
    "linear", "Σwx", _linear_forward,
    lambda names, out: _linear_terms(names, "·"), lambda names, out: _linear_terms(names, r" \cdot "),
    _linear_partial, _linear_partial,
    nary_partials=_linear_partials, arity=None))

LOGSUMEXP = _register(Rule(
    "logsumexp", "logΣexp", lambda m, *xs: m.logsumexp(xs),
    lambda names, out: "log(" + " + ".join(f"exp({n})" for n in names) + ")",
    lambda names, out: r"\log(" + " + ".join(f"e^{{{n}}}" for n in names) + ")",
    lambda i, names, out: f"exp({names[i]} − {out})",
    lambda i, names, out: f"e^{{{names[i]} - {out}}}",
    nary_partials=lambda m, out, xs: tuple([m.exp(x - out) for x in xs]), arity=None))


def _softmax_names(names) -> tuple[int, str]:
    """(i, 'z₁, z₂, …') from a softmax node's argument names: the index comes first, as a constant."""
    return int(float(names[0])), ", ".join(names[1:])


def _softmax_partials(m, out, xs):
    i, zs = int(xs[0]), xs[1:]
    lse = m.logsumexp(zs)
    # ∂ŷᵢ/∂zᵢ = ŷᵢ(1 − ŷᵢ), ∂ŷᵢ/∂zⱼ = −ŷᵢŷⱼ; the index i in front is a constant (partial 0).
    return (0.0,) + tuple([out * (1.0 - out) if j == i else -out * m.exp(z - lse) for j, z in enumerate(zs)])


def _softmax_partial_text(j, names, out, latex=False, others=()):
    # ∂ŷᵢ/∂zⱼ = ŷᵢ([i = j] − ŷⱼ): ŷᵢ(1 − ŷᵢ) on the diagonal, −ŷᵢŷⱼ off it, with ŷⱼ the name of the
    # other output when the printout has it (see Rule.names_other_outputs), else its formula.
    i, zs = _softmax_names(names)
    if j == 0:
        return "0"  # the index in front is a constant
    if j - 1 == i:
        return f"{out}(1 − {out})" if not latex else f"{out}(1 - {out})"
    other = others[j - 1] if len(others) >= j else None  # output j − 1 (0-based) is ŷⱼ
    if other is not None:
        return f"−{out}{other}" if not latex else f"-{out} {other}"
    return f"−{out}·softmax{_SUBSCRIPT_DIGITS(j)}({zs})" if not latex else \
        rf"-{out} \cdot \operatorname{{softmax}}_{{{j}}}({zs})"


def _SUBSCRIPT_DIGITS(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


# softmaxᵢ(z₁ … zₖ) = exp(zᵢ − log Σⱼ exp zⱼ): one node per output, so that a printout shows the
# textbook partials ∂ŷᵢ/∂zᵢ = ŷᵢ(1 − ŷᵢ) and ∂ŷᵢ/∂zⱼ = −ŷᵢŷⱼ. The arguments are (i, z₁, …, zₖ) with
# the 0-based output index i as a constant.
SOFTMAX = _register(Rule(
    "softmax", "softmax",
    lambda m, i, *zs: m.exp(zs[int(i)] - m.logsumexp(zs)),
    lambda names, out: f"softmax{_SUBSCRIPT_DIGITS(_softmax_names(names)[0] + 1)}({_softmax_names(names)[1]})",
    lambda names, out: rf"\operatorname{{softmax}}_{{{_softmax_names(names)[0] + 1}}}({_softmax_names(names)[1]})",
    _softmax_partial_text,
    lambda j, names, out, others=(): _softmax_partial_text(j, names, out, latex=True, others=others),
    nary_partials=_softmax_partials, arity=None, literal_args=(0,), names_other_outputs=True))

__all__ = ["EXP_LIMIT", "RULES", "Rule", "SCALAR", "ScalarMath", "plain_sum", "ADD", "SUB", "MUL",
           "DIV", "POW", "NEG", "EXP", "LOG", "SQRT", "TANH", "SIGMOID", "RELU", "SIN", "COS",
           "ABS", "SOFTPLUS", "MAX", "MIN", "SUM", "LINEAR", "LOGSUMEXP", "SOFTMAX"]
