"""Hostile input, tried the way a careless or unlucky user would: every case names its exact outcome.

Each case is one of
- ``error``: one clear line on standard error containing the given text, the exit status given
  (2 for input the user can fix), and no traceback;
- ``result``: the command succeeds and prints the given text (the input was odd but meaningful).

The cases run in-process (``homework.cli.main`` with captured streams), problem files written to a
temporary folder; the few that need a real pipe, terminal encoding or exit run a subprocess.
Files and folders (``--out``) are in test_output.py; LaTeX in test_latex.py; random input in
test_hostile_fuzz.py.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import Value
from autograd.errors import ChainruleError, DomainError, NonFiniteError, RenderError
from autograd.expression import ExpressionError, parse
from homework import cli
from nn import SGD, Adam, losses

ROOT = Path(__file__).resolve().parent.parent
SEED002 = (ROOT / "homework" / "problems" / "seed002_sigmoid_network.toml").read_text(encoding="utf-8").split("\n# The sheet's questions")[0]  # the file without its [questions], which name nodes these edits rename
SEED001 = (ROOT / "homework" / "problems" / "seed001_relu_sin_softmax.toml").read_text(encoding="utf-8").split("\n# The sheet's questions")[0]
BIG_INT = "1" + "0" * 400


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def seed002(old: str, new: str, count: int = 1) -> str:
    return edit(SEED002, old, new, count)


def seed001(old: str, new: str, count: int = 1) -> str:
    return edit(SEED001, old, new, count)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_clear_error(code: int, err: str, fragment: str, status: int = 2) -> None:
    assert code == status, err
    assert fragment in err, err
    assert "Traceback" not in err
    first, *more = err.rstrip("\n").splitlines()
    assert all(line.startswith("  ") for line in more), err  # one line (a formula's may point at the spot)


# -- problem files ------------------------------------------------------------------------------------

PROBLEM_ERRORS = {
    "not TOML": ("x = ", "not valid TOML"),
    "unknown top-level key": (seed002('title =', 'titel ='), "unknown key 'titel'; did you mean 'title'?"),
    "unknown layer key": (seed002("weights =", "weigths ="), "unknown key 'weigths'"),
    "layer as a single table": ('[layer]\nweights = [[1]]\n', "double brackets"),
    "no layers": ('[data]\nx = [1]\ny = [1]\n[loss]\nkind = "mse"\n', "no [[layer]] tables"),
    "empty file": ("", "no [[layer]] tables"),
    "weights a number": (seed002("weights = [[1],", "weights = 5\nw = [[1],"), "unknown key 'w'"),
    "weights not a matrix": (seed002("weights = [[-1, 2],\n           [-2, 1],\n           [ 1, 4]]", "weights = 5"),
                             "expected a matrix"),
    "ragged weight rows": (seed002("[-2, 1]", "[-2, 1, 7]"), "the rows have different lengths"),
    "a weight in quotes": (seed002("[-1, 2]", '[-1, "2"]'), "expected a number, got '2'; write numbers without quotes"),
    "a weight true": (seed002("[-1, 2]", "[-1, true]"), "expected a number, got True"),
    "a weight nan": (seed002("[-1, 2]", "[-1, nan]"), "is not a finite number"),
    "a weight inf": (seed002("[-1, 2]", "[-1, inf]"), "is not a finite number"),
    "a weight -inf": (seed002("[-1, 2]", "[-1, -inf]"), "is not a finite number"),
    "a 400-digit weight": (seed002("[-1, 2]", f"[-1, {BIG_INT}]"), "is not a finite number (within ±1.8e308)"),
    "a weight 1e400": (seed002("[-1, 2]", "[-1, 1e400]"), "is not a finite number"),
    "an empty weight matrix": (seed002("weights = [[1],\n           [2],\n           [-4]]", "weights = []"),
                               "expected a matrix"),
    "an empty weight row": (seed002("[-1, 2]", "[]"), "expected a list of numbers"),
    "layers that do not fit": (seed002("weights = [[1],\n           [2],\n           [-4]]", "weights = [[1], [2]]"),
                               "[[layer]]"),
    "biases in the W^T x convention": (seed002('activation = "sigmoid"', 'activation = "sigmoid"\nbiases = [1, 2]'),
                                       "keeps the bias in W's first row"),
    "biases of the wrong length": (edit(SEED001, "biases = [0.1, -0.1, 0.05]", "biases = [0.1, -0.1]"), "[[layer]]"),
    "unknown activation": (seed002('activation = "sigmoid"', 'activation = "sigmoidd"'), "sigmoidd"),
    "activation of two variables": (seed002('activation = "sigmoid"', 'activation = "z * y"'), "one variable"),
    "activation calling import": (seed002('activation = "sigmoid"', 'activation = "__import__(z)"'),
                                  "unknown function '__import__'"),
    "activation reading an attribute": (seed002('activation = "sigmoid"', 'activation = "z.real + (z)"'),
                                        "Attribute is not allowed"),
    "activation a number": (seed002('activation = "sigmoid"', "activation = 5"), "expected a name such as"),
    "activation too long": (seed002('activation = "sigmoid"', f'activation = "{"+".join(["z"] * 12000)}"'),
                            "at most 20,000 are read"),
    "activation nested too deeply": (seed002('activation = "sigmoid"', f'activation = "{"+".join(["z"] * 9000)}"'),
                                     "nested too deeply"),
    "activation one past its depth limit": (
        seed002('activation = "sigmoid"', f'activation = "{"+".join(["sigmoid(z)"] * 102)}"'),
        "at most 100 operations"),
    "activation log of a negative": (seed002('activation = "sigmoid"', 'activation = "log(z - 100)"'), "log"),
    "missing x": (seed002("x = [2, 5]", ""), "[data]: missing x"),
    "missing y": (seed002("y = [1]", ""), "[data]: missing y"),
    "x of the wrong length": (seed002("x = [2, 5]", "x = [2, 5, 7]"), "[data] x"),
    "x in quotes": (seed002("x = [2, 5]", 'x = "2, 5"'), "expected a list of numbers"),
    "x empty": (seed002("x = [2, 5]", "x = []"), "expected a list of numbers"),
    "y nan": (seed002("y = [1]", "y = [nan]"), "is not a finite number"),
    "y of the wrong length": (seed002("y = [1]", "y = [1, 0]"), "[data] y"),
    "no loss kind": (seed002('kind = "squared_error"', ""), "missing kind"),
    "a misspelt loss": (seed002('kind = "squared_error"', 'kind = "squared_eror"'), "did you mean 'squared_error'?"),
    "a loss kind that is a number": (seed002('kind = "squared_error"', "kind = 5"), "unknown loss 5"),
    "learning rate 0": (seed002("learning_rate = 2", "learning_rate = 0"), "must be positive"),
    "learning rate negative": (seed002("learning_rate = 2", "learning_rate = -1"), "must be positive"),
    "learning rate in words": (seed002("learning_rate = 2", 'learning_rate = "fast"'), "expected a number"),
    "learning rate 1e400": (seed002("learning_rate = 2", "learning_rate = 1e400"), "not a finite number"),
    "digits 0": (seed002("digits = 4", "digits = 0"), "from 1 to 17"),
    "digits 18": (seed002("digits = 4", "digits = 18"), "from 1 to 17"),
    "digits 3.5": (seed002("digits = 4", "digits = 3.5"), "from 1 to 17"),
    "derivatives not a list": (seed002('derivatives = ["W^2_{11}", "W^1_{21}"]', 'derivatives = "W^1_{21}"'),
                               "expected a list of parameter names"),
    "a derivative of nothing": (seed002('"W^1_{21}"]', '"W^9_{99}"]'), "nothing in the network is named 'W^9_{99}'"),
    "the derivative of the loss itself": (seed002('"W^1_{21}"]', '"\\\\ell"]'), "nothing in the network is named"),
    "a title that is a number": (seed002('title = "Seed 002: a 2-2-1 sigmoid network"', "title = 5"),
                                 "title must be text in quotes"),
    "a title with a terminal escape": (seed002("title = \"Seed 002", "title = \"\\u001b[2J Seed 002"),
                                       "the control character U+001B"),
    "a title of 400 characters": (seed002("title = \"Seed 002", f"title = \"{'x' * 400}"), "at most 300"),
    "notes of 30,000 characters": (seed002('notes = """', f'notes = """{"n" * 30000}'), "at most 20,000"),
    "notes with a NUL": (seed002('notes = """', 'notes = """\\u0000'), "U+0000"),
    "an unknown notation preset": (seed002('notation = "alpha-beta"', 'notation = "greek"'),
                                   "unknown notation preset 'greek'"),
    "a notation that is a number": (seed002('notation = "alpha-beta"', "notation = 5"),
                                    "expected a preset name or a table"),
    "an unknown notation key": (seed002('notation = "alpha-beta"', "[network.notation]\nwieght = \"W\""),
                                "unknown key 'wieght'"),
    "a template running \\input": (seed002('notation = "alpha-beta"', '[network.notation]\nweight = '
                                   '"\\\\input{/etc/passwd}<l><i><j>"'), "\\input is not allowed in a name"),
    "a template with a dollar": (seed002('notation = "alpha-beta"', '[network.notation]\npre = "$z$<l><u>"'),
                                 "the character '$' is not allowed"),
    "a template with a percent": (seed002('notation = "alpha-beta"', '[network.notation]\npre = "z%<l><u>"'),
                                  "the character '%' is not allowed"),
    "a template with an ampersand": (seed002('notation = "alpha-beta"', '[network.notation]\npre = "z&<l><u>"'),
                                     "the character '&' is not allowed"),
    "a template with a hash": (seed002('notation = "alpha-beta"', '[network.notation]\npre = "z#<l><u>"'),
                               "the character '#' is not allowed"),
    "a template with a tilde": (seed002('notation = "alpha-beta"', '[network.notation]\npre = "z~<l><u>"'),
                                "the character '~' is not allowed"),
    "a template with a newline": (seed002('notation = "alpha-beta"', '[network.notation]\npre = "z\\n<l><u>"'),
                                  "U+000A"),
    "a template with unbalanced braces": (seed002('notation = "alpha-beta"', '[network.notation]\npre = "z^{<l>_<u>"'),
                                          "the braces { } are not balanced"),
    "a template closing a brace first": (seed002('notation = "alpha-beta"', '[network.notation]\npre = "z}<l>{<u>"'),
                                         "the character '}' is not allowed"),
    "a template with an unknown placeholder": (seed002('notation = "alpha-beta"',
                                                       '[network.notation]\npre = "z<k>"'),
                                               "the character '<' is not allowed"),
    "a template of 100 characters": (seed002('notation = "alpha-beta"', f'[network.notation]\npre = "{"z" * 100}"'),
                                     "at most 60"),
    "a template that is a number": (seed002('notation = "alpha-beta"', "[network.notation]\npre = 5"),
                                    "must be a str template"),
    "an identity label of neither": (seed002('notation = "alpha-beta"', '[network.notation]\nidentity_label = "both"'),
                                     "identity_label must be 'pre' or 'post'"),
    "a yes/no given as text": (seed002('notation = "alpha-beta"',
                                       '[network.notation]\ndrop_single_output_index = "yes"'), "True or False"),
    "an unknown convention": (seed002('convention = "W^T x"', 'convention = "Vx"'), "unknown convention 'Vx'"),
    "a convention that is a number": (seed002('convention = "W^T x"', "convention = 5"), "convention must be a str"),
    "network that is a number": (seed002('[network]\nconvention = "W^T x"\nnotation = "alpha-beta"', "network = 5"),
                                 "network must be a table"),
    "binary cross-entropy with y = 2": (seed002('kind = "squared_error"', 'kind = "binary_cross_entropy"').replace(
        "y = [1]", "y = [2]"), "target 0 is 2.0, but this loss takes targets y in [0, 1]"),
    "binary cross-entropy with y = -1": (seed002('kind = "squared_error"', 'kind = "binary_cross_entropy"').replace(
        "y = [1]", "y = [-1]"), "map a label y ∈ {−1, +1} to (y + 1) / 2"),
    "logistic with y = 0": (seed002('kind = "squared_error"', 'kind = "logistic"').replace("y = [1]", "y = [0]"),
                            "needs labels y ∈ {−1, +1}"),
    "hinge with y = 0.5": (seed002('kind = "squared_error"', 'kind = "hinge"').replace("y = [1]", "y = [0.5]"),
                           "needs labels y ∈ {−1, +1}"),
    "cross-entropy with y = 1 for two classes": (seed001("y = [0, 1]", "y = 1"),
                                                 "write class = N, counting from 1 as sheets do"),
    "cross-entropy with y = [1]": (seed001("y = [0, 1]", "y = [1]"), "one probability per output, 2 here"),
    "cross-entropy with target (-1, 2)": (seed001("y = [0, 1]", "y = [-1, 2]"), "entry 0 is -1.0"),
    "cross-entropy with probabilities summing to 2.7": (seed001("y = [0, 1]", "y = [0.9, 1.8]"), "entry 1 is 1.8"),
    "cross-entropy with a target summing to 1.8": (seed001("y = [0, 1]", "y = [0.9, 0.9]"), "sums to 1.8, not 1"),
    "class 0": (seed001("y = [0, 1]", "class = 0"), "from 1 to 2 (classes count from 1 in problem files"),
    "class 3 of 2": (seed001("y = [0, 1]", "class = 3"), "from 1 to 2"),
    "class in quotes": (seed001("y = [0, 1]", 'class = "2"'), "got '2'"),
    "class true": (seed001("y = [0, 1]", "class = true"), "got True"),
    "class 1.5": (seed001("y = [0, 1]", "class = 1.5"), "got 1.5"),
    "class and y both": (seed001("y = [0, 1]", "y = [0, 1]\nclass = 2"), "give either y = [...] or class = N, not both"),
    "class for squared error": (seed002("y = [1]", "class = 1"), "a class is the target of a cross-entropy loss"),
    "cross-entropy from logits after softmax": (seed001('kind = "cross_entropy_from_probabilities"',
                                                        'kind = "cross_entropy"'), "already applies softmax"),
    "probabilities from sigmoid units": (seed001('activation = "softmax"', 'activation = "sigmoid"'),
                                         "outputs sum to 1.11057, not 1, so they are not probabilities"),
    "a duplicated key": (seed002("x = [2, 5]", "x = [2, 5]\nx = [1, 1]"), "not valid TOML"),
    "more than 10,000 parameters": (
        seed002("weights = [[1],\n           [2],\n           [-4]]", "weights = [[1], [2], [-4]]")
        .replace("weights = [[-1, 2],\n           [-2, 1],\n           [ 1, 4]]",
                 "weights = [" + ", ".join(["[" + ", ".join(["0.1"] * 2) + "]"] * 3) + "]")
        .replace("x = [2, 5]", "x = [2, 5]") + "\n" + "", None),  # replaced below by a generated file
    "weights that overflow": (seed002("[-2, 1]", "[-2, 1e308]").replace("x = [2, 5]", "x = [2e10, 5]"), "overflow"),
}
# A network of 101 × 100 weights: one file, 10,100 parameters.
_WIDE = "weights = [" + ", ".join(["[" + ", ".join(["0.5"] * 100) + "]"] * 101) + "]"
PROBLEM_ERRORS["more than 10,000 parameters"] = (
    '[network]\nconvention = "W^T x"\n[[layer]]\n' + _WIDE + '\nactivation = "identity"\n[data]\nx = ['
    + ", ".join(["1"] * 100) + ']\ny = [' + ", ".join(["0"] * 100) + ']\n[loss]\nkind = "mse"\n',
    "10,100 parameters; a problem file holds a homework network of at most 10,000")


@pytest.mark.parametrize("name", sorted(PROBLEM_ERRORS))
def test_a_bad_problem_file_is_one_clear_line_and_status_2(name, tmp_path, capsys):
    text, fragment = PROBLEM_ERRORS[name]
    path = tmp_path / "sheet.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "solve", str(path))
    assert_clear_error(code, err, fragment)
    assert err.startswith(f"chainrule solve: error: {path}")
    assert out == ""


def _solve_text(capsys, text: str, tmp_path, *options: str) -> str:
    path = tmp_path / "sheet.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "solve", str(path), *options)
    assert code == 0, err
    return out


def _reference(capsys, name: str) -> str:
    # section by section, as the edited files (without the sheet's [questions]) print
    code, out, err = run_cli(capsys, "solve", name, "--by-section")
    assert code == 0, err
    return out


PROBLEM_RESULTS = {
    # input, reference built-in problem whose solution it must equal (from the title on)
    "class = 2 names the second class, as sheets count": (seed001("y = [0, 1]", "class = 2"), "seed001"),
    "a byte-order mark": ("\ufeff" + SEED002, "seed002"),
    "Windows line endings": (SEED002.replace("\n", "\r\n"), "seed002"),
    "numbers written as floats": (seed002("weights = [[1],\n           [2],\n           [-4]]",
                                          "weights = [[1.0], [2.0], [-4.0]]"), "seed002"),
    "1e0 for 1": (seed002("y = [1]", "y = [1e0]"), "seed002"),
    "a target given as a number": (seed002("y = [1]", "y = 1"), "seed002"),
    "a derivative asked for twice": (seed002('"W^1_{21}"]', '"W^1_{21}", "W1_21"]'), None),
    "an accented title": (seed002("Seed 002: a 2-2-1", "Übung 002: a 2-2-1"), None),
    "a title with LaTeX specials": (seed002("Seed 002: a 2-2-1", "50% of $x & {y} #1 ~ ^ \\\\input{a}: a 2-2-1"), None),
    "a whitelisted template with Greek letters": (seed002('notation = "alpha-beta"',
                                                          '[network.notation]\npre = "\\\\zeta^{(<l>)}_<u>"'), None),
    "digits 17": (seed002("digits = 4", "digits = 17"), None),
    "an activation at its depth limit": (
        seed002('activation = "sigmoid"', f'activation = "{"+".join(["sigmoid(z)"] * 100)}"'), None),
}


@pytest.mark.parametrize("name", sorted(PROBLEM_RESULTS))
def test_an_odd_but_meaningful_problem_file_gives_the_right_solution(name, tmp_path, capsys):
    text, reference = PROBLEM_RESULTS[name]
    out = _solve_text(capsys, text, tmp_path)
    if reference is not None:
        expected = _reference(capsys, reference)
        strip = lambda s: s.split("\n", 2)[2]  # everything after the title line and its underline
        assert strip(out) == strip(expected)
    else:
        assert "One gradient-descent step" in out


def test_an_odd_problem_keeps_its_words_in_the_printout(tmp_path, capsys):
    out = _solve_text(capsys, seed002("Seed 002: a 2-2-1", "Übung 002: 50% > 3 & a 2-2-1"), tmp_path)
    assert out.startswith("Übung 002: 50% > 3 & a 2-2-1")
    out = _solve_text(capsys, seed002('notation = "alpha-beta"', '[network.notation]\npre = "\\\\zeta^{(<l>)}_<u>"'),
                      tmp_path)
    assert "ζ⁽¹⁾₁" in out


# -- files that are not problem files ---------------------------------------------------------------------

def test_a_fifo_is_refused_without_waiting(tmp_path, capsys):
    import signal
    fifo = tmp_path / "sheet.toml"
    os.mkfifo(fifo)  # reading it would wait for a writer for ever

    def hung(signum, frame):
        raise TimeoutError("reading the FIFO hung")
    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        code, _, err = run_cli(capsys, "solve", str(fifo))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert_clear_error(code, err, "is not a regular file (a pipe, device or socket)")


@pytest.mark.parametrize("path, fragment", [
    ("/dev/null", "is not a regular file"),
    ("/dev/zero", "is not a regular file"),
    ("/dev/urandom", "is not a regular file"),
    (".", "is a folder"),
    ("/nonexistent/sheet.toml", "no such file"),
    ("seed9", "no such file (built-in problems: seed000, seed001, seed002, seed003)"),
])
def test_a_path_that_is_not_a_problem_file(path, fragment, capsys):
    code, _, err = run_cli(capsys, "solve", path)
    assert_clear_error(code, err, fragment)


@pytest.mark.parametrize("content, fragment", [
    ("x = 1\n".encode() + b"\xff\xfe title", "not UTF-8 text"),
    ("title = 'Übung'\n".encode("latin-1"), "not UTF-8 text"),
    (bytes(range(256)), "not UTF-8 text"),
    (b"# " + b"x" * 1_100_000, "larger than 1,000,000 bytes"),
])
def test_a_file_that_is_not_text_or_too_large(content, fragment, tmp_path, capsys):
    path = tmp_path / "sheet.toml"
    path.write_bytes(content)
    code, _, err = run_cli(capsys, "solve", str(path))
    assert_clear_error(code, err, fragment)


# -- formulas ---------------------------------------------------------------------------------------------

EXPLAIN_ERRORS = {
    "a value given twice": (("x*y", "x=1", "x=2", "y=3"), "x is given twice (x=1 and x=2)"),
    "a value nan": (("x*y", "x=nan", "y=1"), "the value must be a finite number"),
    "a value inf": (("x*y", "x=inf", "y=1"), "the value must be a finite number"),
    "a value 1e400": (("x*y", "x=1e400", "y=1"), "the value must be a finite number"),
    "a 400-digit value": (("x*y", f"x={BIG_INT}", "y=1"), "the value must be a finite number"),
    "a value in words": (("x*y", "x=one", "y=1"), "the value must be a number"),
    "a value without a name": (("x*y", "=1", "y=1"), "expected NAME=VALUE"),
    "a value without '='": (("x*y", "x", "y=1"), "expected NAME=VALUE"),
    "a missing value": (("x*y", "x=1"), "no value for y"),
    "an unused value": (("x*y", "x=1", "y=2", "z=3"), "z is not used"),
    "--wrt something else": (("x*y", "x=1", "y=2", "--wrt", "w"), "--wrt w: not a variable"),
    "an overflow": (("x*x", "x=1e200"), "overflow"),
    "exp overflowing": (("exp(x)", "x=1000"), "exp"),
    "log of 0": (("log(x)", "x=0"), "log needs x > 0"),
    "a division by 0": (("1/x", "x=0"), "division"),
    "sqrt at 0": (("sqrt(x)", "x=0"), "sqrt"),
    "a negative number to a fractional power": (("x**y", "x=-1", "y=0.5"), "pow"),
    "import": (("__import__('os').system('true')",), "unknown function"),
    "an attribute": (("x.__class__", "x=1"), "Attribute is not allowed"),
    "open()": (("open('f')",), "unknown function 'open'"),
    "a conditional": (("x if x else y", "x=1", "y=1"), "IfExp is not allowed"),
    "a lambda": (("(lambda: 1)()",), "unknown function"),
    "a list": (("[x]", "x=1"), "List is not allowed"),
    "a statement": (("x; import os", "x=1"), "only formulas and assignments"),
    "a string": (("'a' * x", "x=1"), "'a' is not a number"),
    "a syntax error": (("x *", "x=1"), "cannot read the formula"),
    "an empty formula": (("",), "a formula must be non-empty text"),
    "only spaces": (("   ",), "a formula must be non-empty text"),
    "two arguments": (("relu(x, x)", "x=1"), "relu takes exactly one argument"),
    "a function without a call": (("relu + x", "x=1"), "relu is a function"),
    "a built-in name assigned": (("pi = x; pi", "x=1"), "'pi' is a built-in name"),
    "a 400-digit literal": ((f"{BIG_INT} * x", "x=1"), "the number is too large"),
    "300 nested parentheses": (("(" * 300 + "x" + ")" * 300, "x=1"), "too many nested parentheses"),
    "9000 terms": (("+".join(["x"] * 9000), "x=1"), "nested too deeply"),
    "2002 terms, one past the depth limit": (("+".join(["x"] * 2002), "x=1"), "at most 2,000 operations"),
    "200,000 characters": (("x" + " + x" * 50_000, "x=1"), "the formula is too large"),
    "a boolean": (("True * x", "x=1"), "True is not a number"),
    "a complex number": (("1j * x", "x=1"), "1j is not a number"),
    "a keyword argument": (("relu(x=x)", "x=1"), "relu takes exactly one argument"),
    "a comparison": (("x < 1", "x=1"), "Compare is not allowed"),
    "a matrix product": (("x @ x", "x=1"), "only + - * / **"),
    "a floor division": (("x // 2", "x=1"), "only + - * / **"),
    "a bitwise not": (("~x", "x=1"), "only a leading - or +"),
}


@pytest.mark.parametrize("name", sorted(EXPLAIN_ERRORS))
def test_a_bad_formula_or_value_is_one_clear_line_and_status_2(name, capsys):
    args, fragment = EXPLAIN_ERRORS[name]
    code, out, err = run_cli(capsys, "explain", *args)
    assert code == 2, err
    assert fragment in err and "Traceback" not in err, err
    assert out == ""


EXPLAIN_RESULTS = {
    "1000 terms": (("+".join(["x"] * 1000), "x=1"), "check: the engine's x.grad = 1000 ✓"),
    "2001 terms, at the depth limit": (("+".join(["x"] * 2001), "x=1"), "check: the engine's x.grad = 2001 ✓"),
    "1000 nested minus signs": (("-" * 1000 + "x", "x=1"), "check: the engine's x.grad = 1 ✓"),
    "1001 nested minus signs": (("-" * 1001 + "x", "x=1"), "check: the engine's x.grad = -1 ✓"),
    "a Unicode variable name": (("变量 * 2", "变量=1"), "check: the engine's 变量.grad = 2 ✓"),
    "spaces around '='": (("x * 3", " x = 2 "), "check: the engine's x.grad = 3 ✓"),
    "a large but finite value": (("x * 2", "x=1e300"), "check: the engine's x.grad = 2 ✓"),
    "a tiny value": (("x * x", "x=1e-300"), "check: the engine's x.grad = 2.000e-300 ✓"),
    "a negative zero": (("x * 3", "x=-0"), "check: the engine's x.grad = 3 ✓"),
    "a hex-looking value is refused by float() but 1_000 is read": (("x * 1", "x=1_000"), "x.grad = 1 ✓"),
}


@pytest.mark.parametrize("name", sorted(EXPLAIN_RESULTS))
def test_an_odd_but_meaningful_formula_is_explained(name, capsys):
    args, expected = EXPLAIN_RESULTS[name]
    code, out, err = run_cli(capsys, "explain", "--", *args)
    assert code == 0, err
    assert expected in out


# -- the command line -------------------------------------------------------------------------------------

CLI_ERRORS = {
    "no command": ((), "the following arguments are required: COMMAND"),
    "an unknown command": (("slove",), "invalid choice: 'slove'"),
    "digits 0": (("solve", "--digits", "0"), "digits must be from 1 to 17"),
    "digits 99": (("solve", "--digits", "99"), "digits must be from 1 to 17"),
    "digits in words": (("solve", "--digits", "four"), "expected a whole number of digits"),
    "an unknown format": (("solve", "--format", "docx"), "invalid choice: 'docx'"),
    "a picture of an unknown kind": (("solve", "--draw", "graph.jpg"), "must end in one of .svg, .png"),
    "a picture in a missing folder": (("solve", "--draw", "/nonexistent/folder/g.png"), "does not exist; create it"),
    "--force without --out": (("solve", "--force"), "--force goes with --out DIR"),
    "an unknown built-in problem": (("problems", "seed9"), "no built-in problem 'seed9'"),
    "an unknown option": (("solve", "--colour"), "unrecognized arguments: --colour"),
}


@pytest.mark.parametrize("name", sorted(CLI_ERRORS))
def test_a_bad_command_line_is_status_2(name, capsys):
    args, fragment = CLI_ERRORS[name]
    code, out, err = run_cli(capsys, *args)
    assert code == 2, err
    assert fragment in err and "Traceback" not in err, err


def test_help_lists_the_exit_statuses(capsys):
    for args in (("--help",), ("solve", "--help"), ("explain", "--help")):
        code, out, _ = run_cli(capsys, *args)
        assert code == 0
        assert "exit status:" in out and "130  interrupted" in out and "3    internal error" in out


@pytest.mark.parametrize("make", [Path.mkdir, os.mkfifo])
def test_a_picture_onto_a_folder_or_pipe_is_refused(make, tmp_path, capsys):
    make(tmp_path / "g.png")
    code, _, err = run_cli(capsys, "solve", "--draw", str(tmp_path / "g.png"))
    assert_clear_error(code, err, "exists and is not a regular file")


def _broken(exception):
    def run(args):
        raise exception
    return run


def test_an_internal_error_says_it_is_a_bug_with_status_3(monkeypatch, capsys):
    monkeypatch.setattr(cli.COMMANDS["solve"], "run", _broken(TypeError("unsupported operand")))
    monkeypatch.delenv(cli.DEBUG_VARIABLE, raising=False)
    code, _, err = run_cli(capsys, "solve")
    assert code == 3
    assert "internal error: TypeError: unsupported operand" in err and "This is a bug in chainrule, please report" in err
    assert "Traceback" not in err and "--debug" in err


def test_an_internal_value_error_is_a_bug_too(monkeypatch, capsys):
    monkeypatch.setattr(cli.COMMANDS["explain"], "run", _broken(ValueError("an engine slip")))
    code, _, err = run_cli(capsys, "explain", "x", "x=1")
    assert code == 3 and "This is a bug" in err


@pytest.mark.parametrize("how", ["--debug after the command", "--debug before it", "the environment variable"])
def test_debug_shows_the_traceback_of_an_internal_error(how, monkeypatch, capsys):
    monkeypatch.setattr(cli.COMMANDS["solve"], "run", _broken(KeyError("slot")))
    args = {"--debug after the command": ["solve", "--debug"], "--debug before it": ["--debug", "solve"],
            "the environment variable": ["solve"]}[how]
    if how == "the environment variable":
        monkeypatch.setenv(cli.DEBUG_VARIABLE, "1")
    code, _, err = run_cli(capsys, *args)
    assert code == 3
    assert "Traceback (most recent call last)" in err and "KeyError: 'slot'" in err and "please report" in err


def test_ctrl_c_exits_130_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setattr(cli.COMMANDS["solve"], "run", _broken(KeyboardInterrupt()))
    code, _, err = run_cli(capsys, "solve")
    assert code == 130
    assert "interrupted" in err and "Traceback" not in err


def test_a_closed_pipe_is_not_an_error(monkeypatch, capsys):
    monkeypatch.setattr(cli.COMMANDS["solve"], "run", _broken(BrokenPipeError()))
    monkeypatch.setattr(cli, "_silence_stdout", lambda: None)
    code, _, err = run_cli(capsys, "solve")
    assert code == 0 and err == ""


def test_a_missing_pdflatex_says_how_to_install_it(monkeypatch, capsys):
    import homework.pdf
    monkeypatch.setattr(homework.pdf.shutil, "which", lambda name: None)
    code, out, err = run_cli(capsys, "solve", "--format", "pdf")
    assert_clear_error(code, err, "needs pdflatex, which is not installed")
    assert "apt-get install --no-install-recommends texlive-latex-base" in err and out == ""


def test_pdf_on_a_terminal_is_refused(monkeypatch, capsys):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, _, err = run_cli(capsys, "solve", "--format", "pdf")
    assert_clear_error(code, err, "redirect it to a file (> solution.pdf)")


@pytest.mark.parametrize("value", ["soon", "-5", "0", "nan"])
def test_a_bad_tex_timeout_is_a_clear_error(value, monkeypatch, capsys):
    import homework.pdf
    monkeypatch.setattr(homework.pdf.shutil, "which", lambda name: "/bin/true")
    monkeypatch.setenv("CHAINRULE_TEX_TIMEOUT", value)
    code, _, err = run_cli(capsys, "solve", "--format", "pdf")
    assert_clear_error(code, err, "CHAINRULE_TEX_TIMEOUT=")


def test_a_pdflatex_that_hangs_is_stopped(tmp_path, monkeypatch, capsys):
    slow = tmp_path / "pdflatex"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setenv("CHAINRULE_TEX_TIMEOUT", "0.5")
    code, _, err = run_cli(capsys, "solve", "--format", "pdf")
    assert_clear_error(code, err, "pdflatex did not finish within 0.5 s and was stopped")


def test_a_pdflatex_that_fails_is_reported(tmp_path, monkeypatch, capsys):
    failing = tmp_path / "pdflatex"
    failing.write_text("#!/bin/sh\necho '! Emergency stop.'\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    code, _, err = run_cli(capsys, "solve", "--format", "pdf")
    assert_clear_error(code, err, "pdflatex failed (exit status 1): ! Emergency stop.")


# -- dot: missing, slow, silent, failing -----------------------------------------------------------------

def _fake_dot(folder: Path, script: str) -> None:
    dot = folder / "dot"
    dot.write_text("#!/bin/sh\n" + script)
    dot.chmod(0o755)


@pytest.mark.parametrize("script, fragment", [
    ("sleep 30\n", "did not finish within 0.5 s and was stopped"),
    ("exit 0\n", "exited normally but wrote nothing"),
    ("echo 'not a picture'\n", "exited normally but wrote no PNG"),
    ("echo 'Error: syntax error' >&2; exit 1\n", "failed (exit status 1): Error: syntax error"),
])
def test_a_broken_dot_is_a_clear_error_and_writes_no_file(script, fragment, tmp_path, monkeypatch, capsys):
    _fake_dot(tmp_path, script)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setenv("CHAINRULE_DOT_TIMEOUT", "0.5")
    picture = tmp_path / "g.png"
    code, _, err = run_cli(capsys, "solve", "--draw", str(picture))
    assert_clear_error(code, err, fragment)
    assert not picture.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["dot"]  # no temporary file left behind


@pytest.mark.needs_dot
def test_a_failed_drawing_keeps_the_earlier_picture(tmp_path, monkeypatch, capsys):
    picture = tmp_path / "g.png"
    picture.write_bytes(b"\x89PNG earlier")
    fake = tmp_path / "bin"
    fake.mkdir()
    _fake_dot(fake, "exit 0\n")
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    code, _, _ = run_cli(capsys, "solve", "--draw", str(picture))
    assert code == 2 and picture.read_bytes() == b"\x89PNG earlier"


@pytest.mark.parametrize("value", ["soon", "0", "-1", "1e9"])
def test_a_bad_dot_timeout_is_a_clear_error(value, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHAINRULE_DOT_TIMEOUT", value)
    code, _, err = run_cli(capsys, "solve", "--draw", str(tmp_path / "g.png"))
    assert_clear_error(code, err, "CHAINRULE_DOT_TIMEOUT=")


@pytest.mark.parametrize("dpi", [10 ** 6, 601, 0, -1, True, "150", float("nan"), float("inf")])
def test_a_picture_resolution_is_bounded(dpi, tmp_path):
    from autograd import draw
    x = Value(1.0, label="x")
    drawing = draw(x * 2)
    with pytest.raises(ValueError, match="dpi must be a number from 1 to 600"):
        drawing.render_to(tmp_path / "g.png", dpi=dpi)
    assert not (tmp_path / "g.png").exists()


@pytest.mark.parametrize("timeout", [0, -1, True, "60", float("nan")])
def test_a_dot_timeout_argument_is_checked(timeout, tmp_path):
    from autograd import draw
    from autograd.drawing.dot import save
    with pytest.raises(ValueError, match="timeout for dot"):
        save(draw(Value(1.0, label="x") * 2), tmp_path / "g.svg", timeout=timeout)


# -- the Python API ---------------------------------------------------------------------------------------

def _probabilities(*ps):
    return [Value(p) for p in ps]


API_ERRORS = {
    "BCE with y = 2": (lambda: losses.binary_cross_entropy(Value(0.5), 2), ValueError, "takes targets y in [0, 1]"),
    "BCE with y = -0.1": (lambda: losses.binary_cross_entropy(Value(0.5), -0.1), ValueError, "[0, 1]"),
    "BCE with a Value target of 3": (lambda: losses.binary_cross_entropy(Value(0.5), Value(3.0)), ValueError, "[0, 1]"),
    "BCE from logits with y = 1.5": (lambda: losses.binary_cross_entropy_with_logits(Value(0.0), 1.5), ValueError,
                                      "[0, 1]"),
    "CE with target (-1, 2)": (lambda: losses.cross_entropy(_probabilities(0, 0), [-1, 2]), ValueError,
                               "entry 0 is -1.0"),
    "CE with a target summing to 2.7": (lambda: losses.cross_entropy(_probabilities(0, 0, 0), [0.9, 0.9, 0.9]),
                                        ValueError, "sums to 2.7, not 1"),
    "CE with class 2 of 2": (lambda: losses.cross_entropy(_probabilities(0, 0), 2), ValueError,
                             "the Python losses count from 0, like PyTorch (0 to 1)"),
    "CE with class -1": (lambda: losses.cross_entropy(_probabilities(0, 0), -1), ValueError, "count from 0"),
    "CE with a target too short": (lambda: losses.cross_entropy(_probabilities(0, 0, 0), [1]), ValueError,
                                   "a class index (an int, from 0 like PyTorch: 0 to 2)"),
    "CE from probabilities with target (2, -1)": (
        lambda: losses.cross_entropy_from_probabilities(_probabilities(0.3, 0.7), [2, -1]), ValueError, "entry 0 is 2"),
    "CE from probabilities with a probability of 1.5": (
        lambda: losses.cross_entropy_from_probabilities(_probabilities(1.5, 0.7), [1, 0]), ValueError,
        "not a probability"),
    "logistic with y = 0": (lambda: losses.logistic(Value(1.0), 0), ValueError, "y ∈ {−1, +1}"),
    "hinge with y = 2": (lambda: losses.hinge(Value(1.0), 2), ValueError, "y ∈ {−1, +1}"),
    "multiclass hinge with class 3 of 3": (lambda: losses.multiclass_hinge(_probabilities(0, 1, 2), 3), ValueError,
                                           "count classes from 0, like PyTorch (0 to 2)"),
    "multiclass hinge with class 1.0": (lambda: losses.multiclass_hinge(_probabilities(0, 1), 1.0), TypeError,
                                        "counted from 0 like PyTorch"),
    "squared error with a nan target": (lambda: losses.squared_error(Value(1.0), math.nan), ValueError, "finite"),
    "squared error with two targets for one output": (lambda: losses.squared_error([Value(1.0)], [1, 2]), ValueError,
                                                      "give one target per output"),
    "a formula that is not text": (lambda: parse(5), ExpressionError, "must be non-empty text"),
    "a formula of 200,000 characters": (lambda: parse("x+" * 100_000 + "x"), ExpressionError, "too large"),
    "a formula nested too deeply": (lambda: parse("+".join(["x"] * 9000)), ExpressionError, "nested too deeply"),
    "a 400-digit literal": (lambda: parse(BIG_INT), ExpressionError, "too large"),
}


@pytest.mark.parametrize("name", sorted(API_ERRORS))
def test_a_bad_python_call_raises_a_clear_error(name):
    call, kind, fragment = API_ERRORS[name]
    with pytest.raises(kind) as caught:
        call()
    assert fragment in str(caught.value)


API_RESULTS = {
    "CE with class 1 (from 0)": (lambda: losses.cross_entropy(_probabilities(0, 0), 1).data, math.log(2)),
    "CE with a soft target": (lambda: losses.cross_entropy(_probabilities(0, 0), [0.5, 0.5]).data, math.log(2)),
    "CE with a target within the tolerance": (
        lambda: losses.cross_entropy(_probabilities(0, 0), [0.5, 0.5 + 1e-9]).data, pytest.approx(math.log(2))),
    "CE from probabilities, one-hot": (
        lambda: losses.cross_entropy_from_probabilities(_probabilities(0.25, 0.75), [1, 0]).data, -math.log(0.25)),
    "BCE with y = 0.3": (lambda: losses.binary_cross_entropy(Value(0.5), 0.3).data, pytest.approx(math.log(2))),
    "BCE with y = 1": (lambda: losses.binary_cross_entropy(Value(0.5), 1).data, pytest.approx(math.log(2))),
    "1000 nested minus signs in Python": (lambda: parse("-" * 1000 + "x").evaluate(x=Value(2.0)).data, 2.0),
    "a 2000-term sum in Python": (lambda: parse("+".join(["x"] * 2000)).evaluate(x=Value(1.0)).data, 2000.0),
}


@pytest.mark.parametrize("name", sorted(API_RESULTS))
def test_an_odd_but_meaningful_python_call_gives_the_right_number(name):
    call, expected = API_RESULTS[name]
    assert call() == expected


def _model(grad: float, optimizer_class, **options):
    w, b = Value(1.0, label="w"), Value(-2.0, label="b")
    w.grad, b.grad = 0.5, grad
    return (w, b), optimizer_class([w, b], **options)


@pytest.mark.parametrize("optimizer_class, options", [(SGD, {"lr": 0.1}), (SGD, {"lr": 0.1, "momentum": 0.9}),
                                                      (SGD, {"lr": 0.1, "weight_decay": 0.01}), (Adam, {"lr": 0.1})])
@pytest.mark.parametrize("grad", [math.inf, -math.inf, math.nan])
def test_a_step_with_a_non_finite_gradient_changes_nothing(optimizer_class, options, grad):
    (w, b), opt = _model(grad, optimizer_class, **options)
    state = {k: list(v) if isinstance(v, list) else v for k, v in vars(opt).items() if k != "params"}
    with pytest.raises(NonFiniteError, match="no parameter was changed"):
        opt.step()
    assert (w.data, b.data) == (1.0, -2.0)  # the model is intact, not half updated
    assert {k: list(v) if isinstance(v, list) else v for k, v in vars(opt).items() if k != "params"} == state
    b.grad = 0.25  # and the next good step is exactly a first step
    (w2, b2), fresh = _model(0.25, optimizer_class, **options)
    opt.step()
    fresh.step()
    assert (w.data, b.data) == (w2.data, b2.data)


def test_a_diverging_step_changes_nothing():
    (w, b), opt = _model(1e308, SGD, lr=10.0)
    with pytest.raises(NonFiniteError, match="the step was not taken"):
        opt.step()
    assert (w.data, b.data) == (1.0, -2.0) and opt.steps == 0


def test_engine_errors_are_chainrule_errors():
    # the CLI reports these as the user's (status 2); they must stay in the family
    assert issubclass(DomainError, ChainruleError) and issubclass(RenderError, ChainruleError)


# -- streams, encodings, a full disk: a real process ---------------------------------------------------------

def _subprocess(*args, env=None, stdout=subprocess.PIPE):
    environment = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "homework", *args], stdout=stdout, stderr=subprocess.PIPE,
                          env=environment, timeout=120)


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "cp1252"}, {"PYTHONIOENCODING": "ascii"},
                                 {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}])
def test_a_pipe_that_is_not_utf8_still_gets_the_whole_solution_in_utf8(env):
    r = _subprocess("solve", env=env)
    assert r.returncode == 0, r.stderr
    assert "check: the engine's W¹₂₁.grad = -0.09248 ✓" in r.stdout.decode("utf-8")


def test_a_terminal_that_is_not_utf8_gets_ascii_after_a_notice(capsys, monkeypatch):
    import io

    class Terminal(io.TextIOWrapper):
        def isatty(self):
            return True

    raw = io.BytesIO()
    terminal = Terminal(raw, encoding="cp1252", errors="strict")
    monkeypatch.setattr(sys, "stdout", terminal)
    code = cli.main(["solve"])
    terminal.flush()
    text = raw.getvalue().decode("cp1252")
    assert code == 0
    assert "dl/dW^1_21 = dl/dy_hat * dy_hat/dα^2" not in text  # no half-translated lines
    assert "check: the engine's W¹_21.grad = -0.09248 ok" in text  # cp1252 has ¹ but no ₂
    assert "writing them in ASCII" in capsys.readouterr().err


def test_a_full_disk_on_standard_output_is_a_clear_error():
    with open("/dev/full", "wb") as full:
        r = _subprocess("solve", stdout=full)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert "the disk is full" in err and "Traceback" not in err


def test_informational_lines_go_to_standard_error(tmp_path, capsys):
    code, out, err = run_cli(capsys, "solve", "--draw", str(tmp_path / "g.gv"))
    assert code == 0
    assert "drew the graph to" in err and "drew the graph" not in out
