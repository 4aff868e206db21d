"""The `chainrule` command, run as a user runs it: in a subprocess."""

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "homework", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


def test_the_console_script_is_declared():
    scripts = {e.name: e.value for e in entry_points(group="console_scripts")}
    assert scripts.get("chainrule") == "homework.cli:main"


def test_solve_without_arguments_solves_seed_002():
    r = run("solve")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Seed 002" in out
    assert "dℓ/dW¹₂₁ = ∂ℓ/∂ŷ · ∂ŷ/∂α² · ∂α²/∂β¹₁ · ∂β¹₁/∂α¹₁ · ∂α¹₁/∂W¹₂₁" in out
    assert "∂α²/∂β¹₁   = W²₂₁         = 2" in out
    assert "check: the engine's W¹₂₁.grad = -0.09248 ✓" in out
    assert "W¹₂₁ ← -2 − 2 · (-0.09248) = -1.815" in out


def test_solve_a_file_in_markdown_with_digits():
    r = run("solve", str(EXAMPLES / "seed001_relu_sin_softmax.toml"), "--format", "markdown", "--digits", "6")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# Seed 001")
    assert "0.218248" in r.stdout  # ŷ₁ to six digits


def test_solve_latex_is_a_document():
    r = run("solve", "seed003", "--format", "latex")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("\\documentclass{article}") and r.stdout.rstrip().endswith("\\end{document}")


@pytest.mark.needs_dot
def test_solve_draws_and_writes_a_folder(tmp_path):
    picture = tmp_path / "seed002.png"
    r = run("solve", "--draw", str(picture))
    assert r.returncode == 0, r.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = tmp_path / "out"
    r = run("solve", "seed002", "--format", "markdown", "--out", str(out))
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "solution.md" in names and "graph-W121.svg" in names and "graph-W211.png" in names
    assert "![the paths of W¹₂₁](graph-W121.png)" in (out / "solution.md").read_text(encoding="utf-8")


def test_explain_a_formula():
    r = run("explain", "q = x + y; f = q * z", "x=-2", "y=5", "z=-4")
    assert r.returncode == 0, r.stderr
    assert "df/dx = ∂f/∂q · ∂q/∂x" in r.stdout
    assert "check: the engine's z.grad = 3 ✓" in r.stdout
    r = run("explain", "(x + y) * z", "x=-2", "y=5", "z=-4", "--wrt", "x", "--trace")
    assert r.returncode == 0, r.stderr
    assert "check: the engine's x.grad = -4 ✓" in r.stdout and "backward pass" in r.stdout


def test_problems_lists_and_prints_the_builtin_files():
    r = run("problems")
    assert r.returncode == 0 and "seed002" in r.stdout and "seed003" in r.stdout
    r = run("problems", "seed002")
    assert r.stdout == (EXAMPLES / "seed002_sigmoid_network.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, fragment", [
    (("solve", "nope.toml"), "nope.toml: no such file"),
    (("solve", "--draw", "graph.jpg"), "must end in one of .svg, .png, .pdf"),
    (("explain", "x * y", "x=1"), "no value for y"),
    (("explain", "x * y", "x=1", "y=two"), "the value must be a number"),
    (("explain", "x ** ", "x=1"), "cannot read the formula"),
    (("explain", "x * y", "x=1", "y=2", "--wrt", "w"), "not a variable"),
    (("explain", "log(x)", "x=0"), "log needs x > 0"),
    (("problems", "seed9"), "no built-in problem 'seed9'"),
])
def test_errors_are_one_clear_line_and_exit_status_2(args, fragment):
    r = run(*args)
    assert r.returncode == 2
    assert fragment in r.stderr
    assert "Traceback" not in r.stderr


def test_a_typo_in_a_problem_file_is_reported_with_file_and_key(tmp_path):
    text = (EXAMPLES / "seed002_sigmoid_network.toml").read_text(encoding="utf-8")
    bad = tmp_path / "mine.toml"
    bad.write_text(text.replace("activation = \"sigmoid\"", "activaton = \"sigmoid\"", 1), encoding="utf-8")
    r = run("solve", str(bad))
    assert r.returncode == 2
    assert f"{bad}: [layer]: unknown key 'activaton'; did you mean 'activation'?" in r.stderr


def test_missing_dot_gives_the_install_command(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))  # no `dot` on this PATH
    r = run("solve", "--draw", str(tmp_path / "g.png"), env=env)
    assert r.returncode == 2
    assert "apt-get install graphviz fonts-dejavu-core" in r.stderr
    assert "Traceback" not in r.stderr
