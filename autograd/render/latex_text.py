"""Text and formulas made safe for LaTeX: `escape` for any prose, `math` for any formula.

`escape` is the one function every piece of prose goes through on its way into a LaTeX document —
a derivation's words, a report's running text, and every string a user typed (a title, notes):
special characters become commands, accented Latin letters accent commands (``Ü`` → ``\\"{U}``,
set as one glyph by the T1 font encoding), known symbols inline math, and a character LaTeX has no
glyph for is shown as its code point (``[U+5909]``). `math` lets through only well-formed math built
from a whitelist of commands (`MATH_COMMANDS`) and shows anything else — a label such as
``\\input{…}``, unbalanced braces, a double superscript — as literal text. So a hostile title, note
or label can neither break the document nor run a command.
"""

from __future__ import annotations

import re
import unicodedata

from autograd import notation
from autograd.derive.formula import Formula

# -- escape: prose ----------------------------------------------------------------------------

_ASCII_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\textquotedbl{}",
                  "`": r"\textasciigrave{}", "\t": " ", "\r": " ", "\f": " ", "\v": " "}
# Accents as LaTeX commands, by the combining mark an accented letter decomposes into (NFD).
_ACCENT_COMMANDS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
                    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0327": "c",
                    "\u0328": "k"}
_LETTERS = {"ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "ø": r"\o{}", "Ø": r"\O{}", "œ": r"\oe{}",
            "Œ": r"\OE{}", "ł": r"\l{}", "Ł": r"\L{}", "ð": r"\dh{}", "Ð": r"\DH{}", "þ": r"\th{}",
            "Þ": r"\TH{}", "đ": r"\dj{}", "Đ": r"\DJ{}", "ŋ": r"\ng{}", "Ŋ": r"\NG{}", "ı": r"\i{}"}
TEXT_SYMBOLS = {"…": r"\ldots{}", "—": "---", "–": "--", "‘": "`", "’": "'", "“": "``", "”": "''",
                 "«": r"\guillemotleft{}", "»": r"\guillemotright{}", "¡": r"\textexclamdown{}",
                 "¿": r"\textquestiondown{}", "§": r"\S{}", "¶": r"\P{}", "\u00a0": "~", "✓": "(agrees)",
                 "✗": "(differs)", "′": "'"}
_MATH_SYMBOLS = {"−": "-", "→": r"\to", "←": r"\leftarrow", "×": r"\times", "÷": r"\div", "·": r"\cdot", "±": r"\pm",
                 "≈": r"\approx", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "⊙": r"\odot", "∈": r"\in",
                 "∞": r"\infty", "√": r"\surd", "½": r"\tfrac{1}{2}", "°": r"^{\circ}", "ᵀ": r"^{T}",
                 "∑": r"\sum", "∏": r"\prod", "⋅": r"\cdot", "∘": r"\circ", "µ": r"\mu"}
_MATH_SYMBOLS.update({c: "\\" + word for word, c in notation.GREEK.items()
                      if word not in ("varepsilon", "varphi")})
_MATH_SYMBOLS.update({c: f"^{{{d}}}" for d, c in notation.SUPERSCRIPT.items() if d.isalnum()})
_MATH_SYMBOLS.update({c: f"_{{{d}}}" for d, c in notation.SUBSCRIPT.items() if d.isalnum()})
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


def accent_command(c: str) -> str | None:
    """An accented Latin letter as a LaTeX accent command (``é`` → ``\\'{e}``), or None."""
    if c in _LETTERS:
        return _LETTERS[c]
    parts = unicodedata.normalize("NFD", c)
    if len(parts) == 2 and parts[0].isascii() and parts[0].isalpha() and parts[1] in _ACCENT_COMMANDS:
        base = r"\i" if parts[0] == "i" and parts[1] not in "\u0327\u0328" else parts[0]
        return f"\\{_ACCENT_COMMANDS[parts[1]]}{{{base}}}"
    return None


def _escape_char(c: str) -> str:
    if c in _ASCII_SPECIAL:
        return _ASCII_SPECIAL[c]
    if c == "\n" or " " <= c <= "~":
        return c
    if c in TEXT_SYMBOLS:
        return TEXT_SYMBOLS[c]
    letter = accent_command(c)
    if letter is not None:
        return letter
    if c in _MATH_SYMBOLS:
        return f"\\ensuremath{{{_MATH_SYMBOLS[c]}}}"
    if unicodedata.category(c) == "Zs":
        return " "
    return f"[U+{ord(c):04X}]"  # no glyph for it (or a control character): visible, never an error


def escape(text: str) -> str:
    """Any text as LaTeX text that compiles, in running text and in a command's argument alike.

    The ten special characters and ``< > | " ``` become commands, accented Latin letters accent
    commands (``Ü`` → ``\\"{U}``), known symbols (Greek letters, ∂, ×, ≤, ¹, ₂, …) inline math;
    anything else outside ASCII is shown as its code point (``[U+5909]``), a control character
    too. A blank line (a paragraph break) becomes a single line break, so the result is safe inside
    ``\\section*{…}`` and table cells.

    >>> escape("50% of {x} & y_1 > 0")
    '50\\\\% of \\\\{x\\\\} \\\\& y\\\\_1 \\\\textgreater{} 0'
    >>> escape("Übung: α ≤ 1")
    '\\\\"{U}bung: \\\\ensuremath{\\\\alpha} \\\\ensuremath{\\\\leq} 1'
    """
    if not isinstance(text, str):
        raise TypeError(f"escape needs a str, got {type(text).__name__}: {text!r}")
    text = PARAGRAPH_BREAK.sub("\n", unicodedata.normalize("NFC", text))
    return "".join(_escape_char(c) for c in text)


# -- math: formulas ------------------------------------------------------------------------------

MATH_COMMANDS = frozenset(
    ("frac tfrac dfrac partial cdot cdots ldots times div pm mp ell nabla in notin sum prod odot circ "
     "langle rangle lvert rvert left right sqrt surd sin cos tan log ln exp tanh sinh cosh max min "
     "sigma to leftarrow rightarrow mapsto leq geq neq approx infty prime top quad qquad mid "
     "hat bar tilde dot widehat widetilde overline mathrm text operatorname mathit mathbf boldsymbol").split()
    + [w for w in notation.GREEK])
_CONTROL_SYMBOLS = set("{}&#%$_,;!| ")
_TEXT_ARGUMENT = re.compile(r"\{[A-Za-z0-9 .,:;()+\-=/']*\}")


def _well_formed(s: str) -> bool:
    """True when ``s`` is math TeX reads without error and that runs no command outside
    `MATH_COMMANDS`: balanced braces, every ``^``/``_`` with an argument and at most one of each
    per atom, no ``&``, ``#``, ``%``, ``$`` or ``\\\\`` (row break) of its own."""
    stack: list[tuple[dict, bool]] = []
    atom = {"^": False, "_": False}
    pending = False  # a ^ or _ waits for its argument
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            m = re.match(r"[A-Za-z]+", s[i + 1:])
            if m:
                word = m.group()
                if word not in MATH_COMMANDS:
                    return False
                i += 1 + len(word)
                if word == "text":  # text mode inside: only plain characters
                    t = _TEXT_ARGUMENT.match(s, i)
                    if not t:
                        return False
                    i = t.end()
            elif i + 1 < n and s[i + 1] in _CONTROL_SYMBOLS:
                i += 2
            else:
                return False
            if pending:
                pending = False
            elif not (m and m.group() in ("left", "right")):
                atom = {"^": False, "_": False}
            continue
        if c in "^_":
            if pending or atom[c] or s.startswith("^^", i):
                return False
            atom[c] = pending = True
        elif c == "{":
            stack.append((atom, pending))
            atom, pending = {"^": False, "_": False}, False
        elif c == "}":
            if not stack or pending:
                return False
            outer, was_argument = stack.pop()
            atom = outer if was_argument else {"^": False, "_": False}
        elif c == "'":
            if atom["^"] and not pending:
                return False
            pending = False
        elif c == " ":
            pass
        elif c in "&#%$~" or c < " " or c == "\x7f":
            return False
        elif pending:
            pending = False
        else:
            atom = {"^": False, "_": False}
        i += 1
    return not stack and not pending


def math(formula) -> str:
    """A formula (a `Formula` or LaTeX math text) that is safe to put between ``$ … $``.

    Well-formed math made of whitelisted commands (`MATH_COMMANDS`) is kept as it is, with any
    character outside ASCII set as text (``\\text{\\"{u}}``); anything else — a label typed as
    ``\\input{x}``, unbalanced braces, a double superscript — is shown as literal text instead,
    so the document still compiles and runs nothing.

    >>> math(r"\\frac{\\partial \\ell}{\\partial W^{1}_{21}}")
    '\\\\frac{\\\\partial \\\\ell}{\\\\partial W^{1}_{21}}'
    >>> math(r"\\input{/etc/passwd}")
    '\\\\text{\\\\textbackslash{}input\\\\{/etc/passwd\\\\}}'
    """
    s = formula.latex if isinstance(formula, Formula) else formula
    if not isinstance(s, str):
        raise TypeError(f"math needs a Formula or a str, got {type(formula).__name__}: {formula!r}")
    if not _well_formed(s):
        return f"\\text{{{escape(s)}}}"
    if s.isascii():
        return s
    return "".join(c if c.isascii() else (f"{{{_MATH_SYMBOLS[c]}}}" if c in _MATH_SYMBOLS else f"\\text{{{escape(c)}}}")
                   for c in s)
