"""The exceptions chainrule raises, so that callers can catch them by kind.

Every message says which operation failed, on which values (and their labels), why, and what to do.
"""


class ChainruleError(Exception):
    """Base class of every error chainrule raises on purpose."""


class DomainError(ChainruleError, ValueError):
    """An operation was applied outside the inputs where it (or its derivative) is defined and finite.

    Examples: log of a non-positive number, division by zero, exp overflowing float64, sqrt at 0
    (value defined, derivative infinite).
    """


class NonFiniteError(ChainruleError, ArithmeticError):
    """A NaN or an infinity appeared in a forward value or a gradient; the message names the node."""


class GradcheckError(ChainruleError, AssertionError):
    """Analytic and numeric derivatives disagree; the message holds the per-input report."""


class RenderError(ChainruleError, RuntimeError):
    """A drawing could not be rendered to an image: most often graphviz's ``dot`` program is missing
    (Debian/Ubuntu: ``apt-get install graphviz fonts-dejavu-core``); the message says which case."""


class DrawingTooLargeError(ChainruleError, ValueError):
    """A drawing would have more nodes than its ``max_nodes`` limit; the message suggests a smaller
    view (``view="collapsed"`` or ``view="neurons"``) or a higher limit."""
