"""Homework sheets worked out: problem files, their worked solutions, and the ``chainrule`` command.

A problem file (TOML) holds a sheet's network, data, loss and learning rate in the sheet's notation;
`load` reads and checks it, `Problem.solve` computes the solution (forward pass, gradients, the
chain-rule derivations asked for, one gradient-descent step) and `Solution.render` writes it as
text, Markdown or LaTeX. Built on the engine (autograd) and the networks (nn).

>>> solution = load("seed002").solve()
>>> round(solution.loss.data, 4)
0.3879
"""

import nn  # noqa: F401  first: it checks that `autograd` is chainrule's engine, not HIPS autograd
from autograd import __version__
from homework.errors import ProblemError
from homework.problem import Problem
from homework.reading import BUILTIN, DEFAULT_PROBLEM, builtin_text, load, loads
from homework.solution import Solution

__all__ = ["load", "loads", "builtin_text", "BUILTIN", "DEFAULT_PROBLEM", "Problem", "Solution", "ProblemError"]
