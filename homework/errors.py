"""The errors the homework tools raise on purpose, each a `ValueError` whose message says what was
wrong and how to fix it."""


class ProblemError(ValueError):
    """A problem file is malformed; the message names the file, the key and the fix."""
