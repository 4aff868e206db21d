"""Formulas as printouts write them: Unicode text and LaTeX side by side, with how tightly each binds.

A `Formula` is one displayed formula (``ŷ(1 − ŷ)``, ``W²₂₁``, ``-0.09248``) in both renderings.
The functions here build formulas from formulas — fill a rule's template with operand names,
multiply factors (numeric coefficients multiplied out, factors of 1 dropped), add terms, write a
derivative ∂a/∂b — putting parentheses exactly where the binding strengths need them. They never
compute a derivative: the numbers come from the recorded graph, the templates from the rule table.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Sequence

from autograd import notation

# Binding strength of a displayed formula, weakest first: decides where parentheses are needed.
ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺^"
MINUS = ("−", "-")


@dataclass(frozen=True, slots=True)  # slots: a printout of a big graph holds hundreds of thousands
class Formula:
    """A formula in both renderings, with how tightly it binds."""

    text: str
    latex: str
    prec: int = ATOM


def classify(text: str) -> int:
    """How tightly a Unicode formula binds, read from its operators outside brackets."""
    prec, depth = ATOM, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            if ch in "+−-" and i > 0 and text[i - 1] == " ":
                return ADD
            if ch in "·/×":
                prec = min(prec, MUL)
            elif ch in _SUPERSCRIPTS:
                prec = min(prec, POW)
    if text.startswith(MINUS):
        prec = min(prec, NEG)
    return prec


def from_text(text: str, latex: str) -> Formula:
    return Formula(text, latex, classify(text))


def paren(e: Formula) -> Formula:
    return Formula(f"({e.text})", f"({e.latex})", ATOM)


# ---------------------------------------------------------------------------------------------
# Filling the rule table's templates. The templates are opaque (strings or functions), so each
# operand is passed in as a sentinel and the characters around where it lands decide whether it
# needs parentheses there: "a·(b + c)", "(1 − ŷ)²", "−(1 − ŷ)", but "σ(a + b)" and "e^{a + b}".

_SENTINEL = re.compile("\x00(\\d+)\x01")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+$")
_CONTEXT = 64  # characters either side of an operand that decide its parentheses


def _needs_parens(before: str, after: str, e: Formula, form: str, latex: bool) -> bool:
    leading_minus = form.startswith(MINUS)
    if e.prec == ATOM and not leading_minus:
        return False
    b, a = before.rstrip(" "), after.lstrip(" ")
    if latex and a.startswith("}") and a[1:].lstrip().startswith("^"):
        return e.prec < ATOM or leading_minus  # {base}^{n}: braces group but do not show
    opened = not b or b.endswith(("(", "[", "|", "{", "\\lvert"))
    closed = not a or a.startswith((")", "]", "|", "}", "\\rvert", ">"))
    if opened and closed:
        return False
    need = ADD
    if b.endswith(("·", "\\cdot", "×")):
        need = MUL
    elif b.endswith("/"):
        need = POW
    elif b.endswith(MINUS):
        need = MUL  # x − (a + b), −(a + b)
    elif b.endswith("√"):
        need = ATOM
    elif latex and _LATEX_COMMAND.search(b):
        need = ATOM  # \log x, \tanh x: an argument without brackets
    elif b and (b[-1].isalnum() or b[-1] in ")}"):
        need = POW  # implicit multiplication: "2 x", ")x"
    if a.startswith(("·", "\\cdot", "/", "×")):
        need = max(need, MUL)
    elif a and a[0] in _SUPERSCRIPTS:
        need = ATOM  # the base of a power
    elif after[:1] == "(" or after[:1].isalnum():
        need = max(need, POW)  # implicit multiplication: ŷ(1 − ŷ)
    return e.prec < need or (leading_minus and not opened)


@functools.lru_cache(maxsize=None)
def _sentinels(n: int) -> tuple:
    """Placeholders for n operands: a template is filled with these, then each is replaced by its
    operand, parenthesised as the text around it needs (one tuple per arity, made once)."""
    return tuple(f"\x00{i}\x01" for i in range(n))


def placeholders(args: Sequence) -> Sequence:
    """What `fill` hands a template for ``args``: a placeholder per `Formula`, a plain string as it is."""
    names = _sentinels(len(args))
    if all(isinstance(x, Formula) for x in args):
        return names
    return [s if isinstance(x, Formula) else x for s, x in zip(names, args)]


def fill(make, args: Sequence, out: Formula | None, latex: bool, names: Sequence | None = None) -> str:
    """Call a template maker ``make(names, out_name)`` and substitute the operands.

    ``args`` holds an `Formula` for each operand that may need parentheses, or a plain string that
    is passed to the template as it is (an exponent the rule reads as a number). ``names`` is
    ``placeholders(args)``, for a caller that fills many templates with the same arguments.
    """
    if names is None:
        names = placeholders(args)
    return substitute(make(names, out_placeholder(len(args)) if out is not None else ""), args, out, latex)


def out_placeholder(n: int) -> str:
    """What `fill` hands a template for the output's name, after ``n`` operands."""
    return f"\x00{n}\x01"


def substitute(template: str, args: Sequence, out: Formula | None, latex: bool) -> str:
    """A template made with `placeholders` (and `out_placeholder`) for ``args``, each placeholder
    replaced by its operand, in parentheses where the text around it needs them (see `fill`)."""
    n = len(args)
    whole = _SENTINEL.fullmatch(template)
    if whole:  # the template is one operand (a linear node's ∂/∂wᵢ = xᵢ): nothing around it to bind
        i = int(whole.group(1))
        e = args[i] if i < n else out
        return e.latex if latex else e.text

    def substitute(m: re.Match) -> str:
        i = int(m.group(1))
        e = args[i] if i < n else out
        form = e.latex if latex else e.text
        if e.prec == ATOM and not form.startswith(MINUS):
            return form  # a name never needs parentheses: no need to look around it
        # only the text next to the operand decides: a window keeps a long sum linear to fill
        before, after = template[max(0, m.start() - _CONTEXT):m.start()], template[m.end():m.end() + _CONTEXT]
        return f"({form})" if _needs_parens(_SENTINEL.sub("x", before), _SENTINEL.sub("x", after), e, form, latex) else form

    return _SENTINEL.sub(substitute, template)


def number(x: float, digits: int, mode: str = "sig", ascii_minus: bool = False) -> Formula:
    """A number as a formula: with the minus sign − inside formulas, with the ASCII hyphen where it
    stands as a result (as `notation.format_number` writes it, so it can be pasted into code)."""
    s = notation.format_number(x, digits, mode)
    if s.startswith("-"):
        return Formula(s if ascii_minus else "−" + s[1:], s, NEG)
    return Formula(s, s, ATOM)


def equals(*parts: Formula) -> Formula:
    """``a = b = c`` as one formula."""
    return Formula(" = ".join([p.text for p in parts]), " = ".join([p.latex for p in parts]), ADD)


def as_number(text: str) -> float | None:
    t = text.strip()
    if t.startswith("(") and t.endswith(")"):
        t = t[1:-1]
    t = t.replace("−", "-")
    first = t.lstrip()[:1]
    if not (first.isdecimal() or first in _NUMBER_STARTS):
        return None  # what float() refuses at once (a name: x₁, W¹₂₁), without raising and catching
    try:
        return float(t)
    except ValueError:
        return None


_NUMBER_STARTS = set("+-.iInN")  # besides a digit, how float() text can begin: a sign, a point, inf, nan


_COEF_TEXT = re.compile(r"^(−?\d+(?:\.\d+)?)·(.+)$")
_COEF_LATEX = re.compile(r"^(-?\d+(?:\.\d+)?)(?: \\cdot | )(.+)$")


def _unwrap(text: str) -> str:
    """``(a + b)`` → ``a + b`` when the outer parentheses enclose everything."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and i < len(text) - 1:
            return text
    return text[1:-1]


def _bare(text: str, latex: str) -> Formula:
    return from_text(_unwrap(text), _unwrap(latex))


def _split_coefficient(f: Formula) -> tuple[float, Formula | None]:
    """``2·x`` → (2, x); ``−sin(x)`` → (−1, sin(x)); ``0.5`` → (0.5, None); else (1, f)."""
    n = as_number(f.text)
    if n is not None:
        return n, None
    m1, m2 = _COEF_TEXT.match(f.text), _COEF_LATEX.match(f.latex)
    if m1 and m2 and classify(m1.group(2)) >= MUL and not m1.group(2).startswith(MINUS):
        return float(m1.group(1).replace("−", "-")), _bare(m1.group(2), m2.group(2))
    if f.text.startswith("−") and f.latex.startswith("-"):
        rest_t, rest_l = f.text[1:], f.latex[1:]
        if classify(rest_t) >= MUL and not rest_t.startswith(MINUS):
            return -1.0, _bare(rest_t, rest_l)
    return 1.0, f


def product(factors: Sequence[Formula]) -> Formula:
    """The product of formulas, numeric coefficients multiplied out and factors of 1 dropped."""
    if len(factors) == 1:
        return factors[0]
    coefficient, symbolic = 1.0, []
    for f in factors:
        c, rest = _split_coefficient(f)
        coefficient *= c
        if rest is not None:
            symbolic.append(rest)
    if coefficient == 0.0 or not symbolic:
        return number(coefficient, 6)
    alone = len(symbolic) == 1 and coefficient == 1.0
    wrapped = [s if alone or (s.prec >= MUL and not s.text.startswith(MINUS)) else paren(s) for s in symbolic]
    text = "·".join(s.text for s in wrapped)
    latex = r" \cdot ".join(s.latex for s in wrapped)
    if coefficient == -1.0:
        return Formula("−" + text, "-" + latex, NEG if len(wrapped) == 1 and wrapped[0].prec > MUL else MUL)
    if coefficient != 1.0:
        c = number(coefficient, 6)
        return Formula(f"{c.text}·{text}", rf"{c.latex} \cdot {latex}", MUL)
    return Formula(text, latex, MUL if len(wrapped) > 1 else wrapped[0].prec)


def product_text(factors: Sequence[str]) -> str:
    """A product of Unicode formulas written as the printouts write it: numeric coefficients
    multiplied out, factors of 1 dropped (``["0.5", "2·(1 − ŷ)", "−1"]`` -> ``"−(1 − ŷ)"``), so a
    drawing's collapsed edge and a printout's collapsed factor read the same."""
    if not factors:
        return "1"
    return product([from_text(f, f.replace("·", r" \cdot ").replace("−", "-")) for f in factors]).text


def sum_of(terms: Sequence[Formula]) -> Formula:
    if len(terms) == 1:
        return terms[0]
    text, latex = terms[0].text, terms[0].latex
    for t in terms[1:]:
        t = paren(t) if t.prec <= ADD or t.text.startswith(MINUS) else t
        text, latex = f"{text} + {t.text}", f"{latex} + {t.latex}"
    return Formula(text, latex, ADD)


def derivative(of: Formula, wrt: Formula, partial: bool = True) -> Formula:
    return Formula(*derivative_texts(of, wrt, partial), ATOM)


def derivative_texts(of: Formula, wrt: Formula, partial: bool = True) -> tuple[str, str]:
    """The text and the LaTeX of ∂of/∂wrt, each side in parentheses where it needs them, for a
    caller that puts them into a larger formula (a trace's ``∂c/∂p = formula = number``)."""
    if of.prec < POW or of.text.startswith(MINUS):
        of = paren(of)
    if wrt.prec < POW or wrt.text.startswith(MINUS):
        wrt = paren(wrt)
    return (notation.format_derivative(of.text, wrt.text, partial),
            notation.format_derivative(of.latex, wrt.latex, partial, latex=True))


def delta_of(e: Formula) -> Formula:
    return Formula(f"δ({e.text})", rf"\delta({e.latex})", ATOM)


