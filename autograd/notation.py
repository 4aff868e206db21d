"""Names and numbers as a course writes them.

A name can be typed the LaTeX way (``W^1_{21}``, ``\\alpha^2``, ``\\hat{y}``, ``\\ell``), in a short
ASCII convention (``W1_21`` means W¹₂₁: letters, a superscript, an underscore, a subscript; ``x1``
means x₁; ``alpha2`` means α₂; ``y_hat`` means ŷ), or already in Unicode (``W¹₂₁``). Indices may be
typed apart with a comma: ``W^1_{2,1}`` and ``W1_2,1`` are W¹₂₁, and where an index has two digits the
comma stays, as a big matrix's names keep it (``W^1_{12,3}`` is W¹₁₂,₃). `to_text` gives
the Unicode form printouts and drawings show; `to_latex` the LaTeX form (``W^{1}_{21}``); both
accept any of the three spellings, so ``to_text(to_latex(n)) == to_text(n)``.

>>> to_text("W^1_{21}"), to_text("W1_21"), to_text("\\\\hat{y}"), to_text("alpha^2")
('W¹₂₁', 'W¹₂₁', 'ŷ', 'α²')
>>> to_text("W^1_{2,1}"), to_text("W1_2,1"), to_text("W^2_{12,3}")
('W¹₂₁', 'W¹₂₁', 'W²₁₂,₃')
>>> to_latex("W¹₂₁"), to_latex("ŷ"), to_latex("β^1_1")
('W^{1}_{21}', '\\\\hat{y}', '\\\\beta^{1}_{1}')

This module is longer than 300 lines: beside the general rules for names and numbers sit the short
ways that printouts of big graphs take for almost every name and number, kept next to the rules
they must agree with (tests/test_notation.py checks each against its rule).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ", "nabla": "∇", "partial": "∂",
}
_GREEK_TO_LATEX = {v: k for k, v in reversed(list(GREEK.items()))}  # first spelling wins: ε -> epsilon

ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "dot": "\u0307"}
_ACCENT_TO_LATEX = {v: k for k, v in ACCENTS.items()}

SUPERSCRIPT = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"))
SUBSCRIPT = dict(zip("0123456789+-=()aeijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
SUPERSCRIPT.update(zip("TabcdefghjklmoprstuvwxyzABDEGHIJKLMNOPRUVW",
                       "ᵀᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵁⱽᵂ"))
_FROM_SUPERSCRIPT = {v: k for k, v in SUPERSCRIPT.items()}
_FROM_SUBSCRIPT = {v: k for k, v in SUBSCRIPT.items()}
_SUPERSCRIPT_TO_ASCII, _SUBSCRIPT_TO_ASCII = str.maketrans(_FROM_SUPERSCRIPT), str.maketrans(_FROM_SUBSCRIPT)

_GREEK_WORD = re.compile(r"\\?(?<![A-Za-z])(" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?![a-z])")
_ACCENT = re.compile(r"\\?(hat|bar|tilde|dot)\s*(?:\{([^{}]+)\}|\s([A-Za-z]))")
_SUFFIX_ACCENT = re.compile(r"^([A-Za-z])_(hat|bar|tilde)$")
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|(\\?[A-Za-z]+|[0-9]+|.))")
_SHORT_SUP_SUB = re.compile(r"^([A-Za-z]+|[α-ωΑ-Ωℓ])(\d+)_(\w+(?:,\d+)*)$")
_DIGITS_APART = re.compile(r"^\d+(?:,\d+)+$")  # indices typed apart: 2,1 or 12,3
_WRAPPER = re.compile(r"\\(?:mathrm|text|operatorname|mathit|boldsymbol|mathbf)\{([^{}]*)\}")
_SHORT_SUB = re.compile(r"^([A-Za-z]|[α-ωΑ-Ωℓ])(\d+)$")


def _script(chars: str, table: dict[str, str]) -> str | None:
    out = [table.get(c) for c in chars]
    return None if None in out else "".join(out)


# A name with none of these is already in its Unicode form: no TeX command or script mark, no digit
# to turn into a subscript, no run of two ASCII letters that could spell a Greek letter or an accent.
_MARKUP = re.compile(r"[\\^_]|\d|[A-Za-z]{2}")


@lru_cache(maxsize=4096)
def to_text(name: str) -> str:
    """The Unicode form of a name: ``W^1_{21}`` -> ``W¹₂₁``. Unknown syntax is left as typed."""
    if not name:
        return name
    if not _MARKUP.search(name) and name == name.strip():
        return unicodedata.normalize("NFC", name)  # W¹₂₁ as typed: none of the rewrites in _text applies
    return _text(name)


def _text(name: str) -> str:
    """`to_text` of any non-empty name, every rewrite tried."""
    s = _WRAPPER.sub(r"\1", name.strip())
    m = _SUFFIX_ACCENT.match(s)
    if m:  # y_hat -> ŷ
        s = f"{m.group(1)}{ACCENTS[m.group(2)]}"
    s = _ACCENT.sub(lambda m: (m.group(2) or m.group(3)) + ACCENTS[m.group(1)], s)
    s = _GREEK_WORD.sub(lambda m: GREEK[m.group(1)], s)
    m = _SHORT_SUP_SUB.match(s)
    if m:  # W1_21 -> W¹₂₁
        sup, sub = _script(m.group(2), SUPERSCRIPT), _script(_indices(m.group(3)), SUBSCRIPT)
        if sup and (sub or _DIGITS_APART.match(m.group(3))):
            sub = sub or ",".join(_script(p, SUBSCRIPT) or p for p in m.group(3).split(","))
            return f"{m.group(1)}{sup}{sub}"
    m = _SHORT_SUB.match(s)
    if m:  # x1 -> x₁, α2 -> α₂
        return f"{m.group(1)}{_script(m.group(2), SUBSCRIPT)}"
    return unicodedata.normalize("NFC", _SCRIPT.sub(_to_script, s))  # ŷ as one character where one exists


def _indices(body: str) -> str:
    """Indices typed apart with commas, as a name shows them: single digits run together (2,1 -> 21),
    and the commas stay where an index has two digits (12,3), as `nn.naming` writes a big matrix's."""
    if not _DIGITS_APART.match(body):
        return body
    parts = body.split(",")
    return "".join(parts) if all(len(p) == 1 for p in parts) else body


def _to_script(m: re.Match) -> str:
    body = _indices(m.group(2) if m.group(2) is not None else m.group(3))
    body = _GREEK_WORD.sub(lambda g: GREEK[g.group(1)], body)
    table = SUPERSCRIPT if m.group(1) == "^" else SUBSCRIPT
    converted = (",".join(_script(p, table) or p for p in body.split(",")) if _DIGITS_APART.match(body)
                 else _script(body, table))
    if converted is not None:
        return converted
    return f"{m.group(1)}{{{body}}}" if len(body) > 1 else f"{m.group(1)}{body}"


_LATEX_WORD = re.compile(r"(?<![\\A-Za-z])([A-Za-z]{2,})(?![A-Za-z])")


# The shape of most names: a letter, then superscripts, then subscripts (a comma between indices).
_SUP, _SUB = ("".join(map(re.escape, table.values())) for table in (SUPERSCRIPT, SUBSCRIPT))
_PLAIN_NAME = re.compile(f"([A-Za-z])([{_SUP}]*)((?:[{_SUB}]+)(?:,[{_SUB}]+)*)?")


@lru_cache(maxsize=4096)
def to_latex(name: str) -> str:
    """The LaTeX (math mode) form of a name: ``W¹₂₁`` or ``W^1_{21}`` -> ``W^{1}_{21}``."""
    if not name:
        return name
    text = unicodedata.normalize("NFD", to_text(name))  # ŷ -> y + combining circumflex
    m = _PLAIN_NAME.fullmatch(text)
    return _plain_latex(m) if m else _latex(text)


def _plain_latex(m: re.Match) -> str:
    """`to_latex` of a name of the shape `_PLAIN_NAME` (W¹₂₁, z⁽¹⁾₁, W²₁₂,₃), as `_latex` writes it:
    each index between commas is a subscript of its own (W^{2}_{12},_{3})."""
    base, sup, sub = m.groups()
    sup = "^{" + sup.translate(_SUPERSCRIPT_TO_ASCII) + "}" if sup else ""
    sub = "_{" + sub.translate(_SUBSCRIPT_TO_ASCII).replace(",", "},_{") + "}" if sub else ""
    return base + sup + sub


def _latex(text: str) -> str:
    """`to_latex` of any name already in Unicode (NFD) form."""
    pieces: list[tuple[str, bool]] = []  # (latex, is_plain_text): only plain text can hold a word
    i = 0
    while i < len(text):
        c = text[i]
        if c in _FROM_SUPERSCRIPT or c in _FROM_SUBSCRIPT:
            table, mark = (_FROM_SUPERSCRIPT, "^") if c in _FROM_SUPERSCRIPT else (_FROM_SUBSCRIPT, "_")
            j = i
            while j < len(text) and text[j] in table:
                j += 1
            pieces.append((f"{mark}{{{''.join(table[ch] for ch in text[i:j])}}}", False))
            i = j
            continue
        if c in "^_" and text[i + 1:i + 2] == "{" and "}" in text[i:]:  # a script kept as typed
            j = text.index("}", i) + 1
            pieces.append((text[i:j], False))
            i = j
            continue
        if i + 1 < len(text) and text[i + 1] in _ACCENT_TO_LATEX:
            base = "\\" + _GREEK_TO_LATEX[c] if c in _GREEK_TO_LATEX else c
            pieces.append((f"\\{_ACCENT_TO_LATEX[text[i + 1]]}{{{base}}}", False))
            i += 2
            continue
        if c in _GREEK_TO_LATEX:
            pieces.append(("\\" + _GREEK_TO_LATEX[c] + ("" if text[i + 1:i + 2] in ("", "^", "_") or not text[i + 1].isalpha() else " "), False))
        elif c == "−":
            pieces.append(("-", True))
        elif c == "·":
            pieces.append((r"\cdot ", False))
        elif c in "#$%&":
            pieces.append(("\\" + c, False))
        else:
            pieces.append((c, True))
        i += 1
    out: list[str] = []
    plain = ""
    base, seen = 0, ""  # where the current base begins in out, and the scripts it already carries
    for latex, is_plain in pieces + [("", False)]:
        if is_plain:
            plain += latex
            continue
        if plain:
            base, seen = len(out), ""
            out.append(_LATEX_WORD.sub(r"\\mathrm{\1}", plain))  # 'loss' is a name, not l·o·s·s
        plain = ""
        mark = latex[:1] if latex[:2] in ("^{", "_{") else ""
        if mark and mark in seen:
            # a second superscript (α¹₁⁽²⁾, a sample's copy of α¹₁): TeX refuses x^{1}_{1}^{(2)}, so
            # the name so far becomes the base of the new script: {α^{1}_{1}}^{(2)}
            out[base:] = ["{" + "".join(out[base:]) + "}"]
            seen = ""
        elif not mark and latex:
            base, seen = len(out), ""
        seen += mark
        out.append(latex)
    return "".join(out)


def format_number(x: float, digits: int = 4, mode: str = "sig") -> str:
    """Format a number for a printout.

    Args:
        x: the number.
        digits: significant digits (``mode="sig"``) or digits after the point (``mode="dec"``).
        mode: ``"sig"`` or ``"dec"``.

    Whole numbers print without a decimal point (``2``, ``-4``); ``-0`` prints as ``0``; a minus is
    the ASCII hyphen so the text can be pasted into code. Trailing zeros are dropped only when the
    shorter text is the number exactly (``0.25``), so a rounded value keeps the digits that say it was
    rounded: σ(α²) = 0.10499… shows as ``0.1050`` and σ(24) = 0.99999999996 as ``1.000``, not ``1``.

    >>> format_number(0.0066480566707901, 4), format_number(2.0), format_number(1/3, 3, "dec")
    ('0.006648', '2', '0.333')
    >>> format_number(0.25), format_number(0.104993585), format_number(1 - 3.8e-11)
    ('0.25', '0.1050', '1.000')
    """
    if mode not in ("sig", "dec"):
        raise ValueError(f"mode must be 'sig' or 'dec', got {mode!r}")
    if not isinstance(digits, int) or digits < 1:
        raise ValueError(f"digits must be a whole number ≥ 1, got {digits!r}")
    if math.isnan(x) or math.isinf(x):
        return repr(float(x))
    if x == 0:
        return "0"
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    if mode == "sig" and digits <= 12 and 1e-4 <= abs(x) < 1e15:
        # Python's "g" with "#" rounds to `digits` significant digits and keeps the trailing zeros,
        # as the steps below do, in one call; where it would write an exponent, they decide. (With
        # more digits the steps' log10 can miss a power of ten by one, and they would differ.)
        text = f"{x:#.{digits}g}"
        if "e" not in text:
            short = text.rstrip("0").rstrip(".")
            return short if float(short) == x else text.rstrip(".")
    return _format_by_steps(x, digits, mode)


def _format_by_steps(x: float, digits: int, mode: str) -> str:
    """`format_number` of a finite, non-zero, not whole number, step by step."""
    if mode == "dec":
        text = f"{x:.{digits}f}"
    else:
        if 1e-5 <= abs(x) < 1e15:
            decimals = max(digits - 1 - math.floor(math.log10(abs(x))), 0)
            rounded = round(x, decimals)
            if decimals and rounded and math.floor(math.log10(abs(rounded))) > math.floor(math.log10(abs(x))):
                decimals -= 1  # 0.99996 rounds up to 1.000, one digit before the point more
            text = f"{rounded:.{decimals}f}"
        else:
            return f"{x:.{digits - 1}e}"
    if "." in text:
        short = text.rstrip("0").rstrip(".")
        if float(short) == x:  # exact: 0.25, 1.35
            text = short
    return text


def round_number(x: float, digits: int = 4, mode: str = "sig") -> float:
    """Round as `format_number` shows, for printouts that mimic rounding every step by hand."""
    return float(format_number(x, digits, mode))


def format_derivative(of: str, wrt: str, partial: bool = True, latex: bool = False) -> str:
    """Write a derivative from names that are already in display form (Unicode text or LaTeX).

    Use `derivative` for names as typed; this one leaves its arguments untouched, so an expression
    such as ``(1 − ŷ)`` can stand in for a name.

    >>> format_derivative("ℓ", "ŷ"), format_derivative("ℓ", "W¹₂₁", partial=False)
    ('∂ℓ/∂ŷ', 'dℓ/dW¹₂₁')
    >>> format_derivative("\\\\ell", "\\\\hat{y}", latex=True)
    '\\\\frac{\\\\partial \\\\ell}{\\\\partial \\\\hat{y}}'
    """
    if latex:
        d = r"\partial " if partial else "d"
        return f"\\frac{{{d}{of}}}{{{d}{wrt}}}"
    d = "∂" if partial else "d"
    return f"{d}{of}/{d}{wrt}"


def derivative(of: str, wrt: str, partial: bool = True, latex: bool = False) -> str:
    """The derivative of one name with respect to another, as a course writes it.

    Args:
        of: the name differentiated, typed in any spelling `to_text` accepts (``"\\\\ell"``, ``"ℓ"``).
        wrt: the name differentiated with respect to (``"W^1_{21}"``, ``"W1_21"``, ``"W¹₂₁"``).
        partial: ∂ (a local partial) when True, d (a total derivative) when False.
        latex: LaTeX (``\\frac{...}{...}``, math mode) instead of Unicode text.

    Returns:
        The derivative as text, e.g. ``dℓ/dW¹₂₁``.

    Raises:
        TypeError: a name is not a str.

    >>> derivative("\\\\ell", "W^1_{21}", partial=False)
    'dℓ/dW¹₂₁'
    >>> derivative("\\\\ell", "W^1_{21}", latex=True)
    '\\\\frac{\\\\partial \\\\ell}{\\\\partial W^{1}_{21}}'
    """
    for what, name in (("of", of), ("wrt", wrt)):
        if not isinstance(name, str):
            raise TypeError(f"derivative() needs names as str, got {what}={name!r}; pass a label such as 'W^1_{{21}}'")
    convert = to_latex if latex else to_text
    return format_derivative(convert(of), convert(wrt), partial=partial, latex=latex)
