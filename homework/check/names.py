"""The names an answers file may use, and what each means: every quantity of a derivation by the name
the solution prints (W¹₂₁, α¹₁, ŷ, ℓ, ∂ŷ/∂α²), and whole vectors and matrices (W¹, b₁, α¹, h, δ¹) as
arrays of them. A name may be typed as a solution prints it, as a problem file spells it
(``W^1_{21}``, ``alpha^1_1``, ``W^1_{2,1}``) or in plain ASCII (``W1_21``, ``yhat``); what cannot be
told apart is refused, and an unknown name gets the closest known ones.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from autograd import notation
from homework.check.plan import GRADIENTS, LOCAL, SECTIONS, UPDATED, VALUES

_FROM_SCRIPT = {**{v: k for k, v in notation.SUPERSCRIPT.items()}, **{v: k for k, v in notation.SUBSCRIPT.items()}}
_PUNCTUATION = re.compile(r"[\s^_{}()\[\],\\⁽⁾₍₎]")
_HAT = re.compile(r"([A-Za-z])hat\b|\bhat([A-Za-z])")
# what each section holds, for a name given in the wrong one
_HOLDS = {VALUES: "forward values and the loss", LOCAL: "local factors ∂a/∂b",
          GRADIENTS: "gradients dℓ/d(name)", UPDATED: "parameters after the gradient step"}
_NOUN = {VALUES: "value", LOCAL: "local factor", GRADIENTS: "gradient", UPDATED: "parameter"}


class UnknownName(ValueError):
    """A name the problem does not have; the message lists the closest known names."""


def skeleton(name: str) -> str:
    """A name with its scripts, brackets and spacing taken away (W¹₂₁ → W121, z⁽¹⁾₁ → z11), for
    matching what is typed loosely; ``yhat`` reads as ŷ."""
    text = _HAT.sub(lambda m: (m.group(1) or m.group(2)) + "\u0302", notation.to_text(name.strip()))
    text = "".join(_FROM_SCRIPT.get(c, c) for c in unicodedata.normalize("NFC", text))
    return _PUNCTUATION.sub("", text)


class Lookup:
    """Names per section: ``scalars[section][name]`` is an entry's position, ``arrays[section][name]``
    a vector or matrix of them (nested lists, None where a position has no entry)."""

    def __init__(self, plan, arrays: dict | None = None, loss_name: str = "ℓ") -> None:
        self.loss_name = loss_name
        self.scalars: dict[str, dict[str, int]] = {s: {} for s in SECTIONS}
        for e in plan.entries:
            self.scalars[e.section].setdefault(e.name, e.index)
        self.arrays: dict[str, dict[str, list]] = {s: dict((arrays or {}).get(s, {})) for s in SECTIONS}
        self.pairs = {(notation.to_text(e.node.label) if e.node.label else loss_name,
                       notation.to_text(e.wrt.label)): e.index for e in plan.entries if e.section == LOCAL}
        self._skeletons: dict[str, dict[str, list[str]]] = {}

    def names(self, section: str) -> list[str]:
        return list(self.scalars[section]) + list(self.arrays[section])

    def find(self, section: str, key: str):
        """The entry position (or nested list of positions) ``key`` names in ``section``.

        Raises:
            UnknownName: no such name, or a loose spelling that fits several; the message says which
                names are close, or where the name belongs.
        """
        text = notation.to_text(key.strip())
        if section == GRADIENTS:
            text = self._strip_loss(text)
        if section == UPDATED:
            text = re.sub(r"\s*\(new\)$|[′']$", "", text)
        if section == LOCAL:
            return self._local(key, text)
        found = self._match(section, text)
        if found is not None:
            return found
        if section == VALUES and self._match(GRADIENTS, text) is not None and self._match(UPDATED, text) is not None:
            raise UnknownName(f"{key!r} is given, not computed: its gradient goes in [gradients], its new value "
                              f"in [updated]")
        for other in SECTIONS:
            if other != section and other != LOCAL and self._match(other, text) is not None:
                raise UnknownName(f"{key!r} is not among the {_HOLDS[section]} of [{section}]; "
                                  f"it goes in [{other}] ({_HOLDS[other]})")
        raise UnknownName(f"no {_NOUN[section]} named {key!r} in [{section}]" + self._closest(section, text))

    def _match(self, section: str, text: str):
        for table in (self.scalars[section], self.arrays[section]):
            if text in table:
                return table[text]
            plain = text.replace(",", "")
            if plain in table:
                return table[plain]
        loose = self._skeleton_table(section).get(skeleton(text), [])
        if len(loose) == 1:
            return self.scalars[section].get(loose[0], self.arrays[section].get(loose[0]))
        if len(loose) > 1:
            raise UnknownName(f"{text!r} could be any of {', '.join(loose)}; write the name as the solution "
                              f"prints it")
        return None

    def _skeleton_table(self, section: str) -> dict[str, list[str]]:
        table = self._skeletons.get(section)
        if table is None:
            table = self._skeletons[section] = {}
            for name in self.names(section):
                table.setdefault(skeleton(name), []).append(name)
        return table

    def _strip_loss(self, text: str) -> str:
        """``dℓ/dW¹₂₁`` or ``∂ℓ/∂W¹₂₁`` in [gradients] is W¹₂₁."""
        for mark in ("d", "∂"):
            prefix = f"{mark}{self.loss_name}/{mark}"
            if text.startswith(prefix):
                return text[len(prefix):]
        return text

    def _local(self, key: str, text: str) -> int:
        if "/" not in text:
            raise UnknownName(f"{key!r}: a local factor is written ∂top/∂bottom, e.g. \"∂ŷ/∂α²\"")
        top, bottom = (part.strip() for part in text.split("/", 1))
        for a in dict.fromkeys([top, top.removeprefix("∂"), top.removeprefix("d")]):
            for b in dict.fromkeys([bottom, bottom.removeprefix("∂"), bottom.removeprefix("d")]):
                found = self.pairs.get((notation.to_text(a), notation.to_text(b)))
                if found is not None:
                    return found
        loose = [pos for (a, b), pos in self.pairs.items()
                 if skeleton(a) == skeleton(top.lstrip("∂d")) and skeleton(b) == skeleton(bottom.lstrip("∂d"))]
        if len(loose) == 1:
            return loose[0]
        raise UnknownName(f"no local factor {key!r} in [local]: the factors are between a node and one it "
                          f"uses directly" + self._closest(LOCAL, text))

    def _closest(self, section: str, text: str) -> str:
        known = self.names(section)
        close = difflib.get_close_matches(text, known, n=3, cutoff=0.5)
        if not close:
            by_shape = {skeleton(n): n for n in known}
            close = [by_shape[s] for s in difflib.get_close_matches(skeleton(text), list(by_shape), n=3, cutoff=0.5)]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        return f"{hint} The names here are {shown} (chainrule check --template lists them all)"
