"""`chainrule sheet`: the exercise with a blank for every number asked, its answer key, and seeded
variants — 50 of each built-in problem solve, are well-conditioned, pass their own keys and differ
from each other — written to folders a student's answers are checked against."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess

import pytest

from autograd.notation import format_number
from homework import load
from homework.check import Key, answer_key, check, key_of
from homework.check.grade import RIGHT
from homework.cli import main
from homework.reading import loads
from homework.sheet import exercise, variant, variants
from homework.sheet.redraw import conditioned, grid
from homework.sheet.rewrite import problem_text

PROBLEMS = ("seed000", "seed001", "seed002", "seed003")


def test_the_exercise_asks_every_question_and_gives_no_answer():
    key = key_of("seed002")
    sheet = exercise(key, "markdown")
    assert "## Question 2.8: Finally, what is dℓ/dW¹₂₁?\n\n- dℓ/dW¹₂₁ = ____________" in sheet
    assert "## Question 1.1: Draw what our neural network will look like.\n\n- (draw it here)" in sheet
    assert "W^{1} = \\begin{bmatrix} -1 & 2 \\\\ -2 & 1 \\\\ 1 & 4 \\end{bmatrix}" in sheet  # what it is given
    answers = [format_number(e.value, 4) for e in key.entries if abs(e.value) > 0.01]
    assert not [a for a in answers if len(a.strip("-0.")) >= 3 and a in sheet]
    assert exercise(key, "latex").startswith("\\documentclass")


def test_without_questions_for_numbers_the_exercise_asks_for_the_whole_solution():
    unasked = dataclasses.replace(load("seed001"), questions=[])
    sheet = exercise(Key(unasked.solve()), "markdown")
    for line in ("- h₃ = ____________", "- dℓ/dz⁽¹⁾₁ = ____________", "- dℓ/d(W₁)₂₃ = ____________", "- (b₂)₂ (new) = ____________"):
        assert line in sheet


@pytest.mark.needs_tex
def test_the_exercise_compiles_with_latex(tmp_path):
    (tmp_path / "sheet.tex").write_text(exercise(key_of("seed002"), "latex"), encoding="utf-8")
    done = subprocess.run([shutil.which("pdflatex") or "pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                           "sheet.tex"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]


def test_numbers_are_drawn_on_the_sheets_own_grid():
    assert grid([0.1, -0.1, 0.05]) == (pytest.approx(0.05), pytest.approx(0.1))
    assert grid([-1, 2, -2, 1, 1, 4]) == (1, 4)
    assert grid([1, -1, 0.5, 2]) == (pytest.approx(0.5), 2)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_fifty_variants_solve_pass_their_keys_and_differ(problem):
    base = load(problem)
    made = variants(base, 50, seed=11)
    numbers = {(str(v.weights), str(v.biases), str(v.x)) for v in made}
    assert len(numbers) == 50 and (str(base.weights), str(base.biases), str(base.x)) not in numbers
    losses = set()
    for k, v in enumerate(made, start=1):
        solution = v.solve()
        assert conditioned(v, solution)
        assert [type(q) for q in v.questions] == [type(q) for q in base.questions] and v.loss == base.loss
        key = Key(solution)
        report = check(key, answer_key(key))
        assert report.rows and report.counts[RIGHT] == len(report.rows), k
        losses.add(format_number(solution.loss.data, base.digits))
    assert len(losses) == 50


def test_variants_are_made_again_from_their_seed():
    base = load("seed002")
    first, again, other = variants(base, 5, 3), variants(base, 5, 3), variants(base, 5, 4)
    assert [v.weights for v in first] == [v.weights for v in again]
    assert [v.weights for v in first] != [v.weights for v in other]
    assert variants(base, 2, 3)[1].weights == first[1].weights  # variant 2 is variant 2, however many are made
    fourth = variant("seed002", 3, 4)
    assert fourth.weights == first[3].weights and fourth.title.endswith("— variant 4")


def test_a_variants_problem_file_keeps_everything_but_the_numbers():
    base = load("seed001")
    chosen = variants(base, 1, 9)[0]
    text = problem_text(base, chosen, 9, 1)
    read = loads(text)
    assert (read.weights, read.biases, read.x) == (chosen.weights, chosen.biases, chosen.x)
    assert read.notation == base.notation and read.activation_names == base.activation_names and read.y == base.y
    assert read.title == f"{base.title} — variant 1" and "H₃" not in read.notes  # the notes quoted the old numbers


def test_one_command_makes_a_class_set_with_keys(tmp_path, capsys):
    out = tmp_path / "handouts"
    assert main(["sheet", "seed002", "--variants", "3", "--seed", "5", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "wrote 3 variants of seed002 (seed 5)" in captured.err and captured.out == ""  # stdout: results only
    folder = out / "variant-02"
    for name in ("problem.toml", "sheet.md", "sheet.tex", "answers.toml", "key.toml", "solution.md", "solution.tex"):
        assert (folder / name).stat().st_size > 0
    assert (out / "variants.csv").read_text(encoding="utf-8").splitlines()[2].endswith(
        "chainrule check seed002 --variant 2 --seed 5 answers.toml")
    key = str(folder / "key.toml")
    assert main(["check", str(folder / "problem.toml"), key]) == 0
    assert main(["check", "seed002", key, "--variant", "2", "--seed", "5"]) == 0
    assert main(["check", "seed002", key, "--variant", "3", "--seed", "5"]) == 1  # another student's variant
    capsys.readouterr()
    assert main(["check", str(folder / "problem.toml"), str(folder / "answers.toml")]) == 0
    assert "No answers given" in capsys.readouterr().out


def test_one_sheet_printed_or_written(tmp_path, capsys):
    assert main(["sheet", "seed002"]) == 0
    assert capsys.readouterr().out == exercise(key_of("seed002"), "markdown")
    assert main(["sheet", "seed002", "--key"]) == 0
    assert capsys.readouterr().out == answer_key("seed002")
    assert main(["sheet", "seed001", "--out", str(tmp_path)]) == 0
    assert "wrote sheet.md, sheet.tex, answers.toml, key.toml, solution.md, solution.tex" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--variants", "3", "--seed", "1"], "add --out DIR"),
    (["--variants", "3", "--out", "x"], "--variants needs --seed S"),
    (["--seed", "3"], "--seed goes with --variants N"),
])
def test_sheet_options_that_do_not_go_together(args, message, capsys):
    assert main(["sheet", "seed002", *args]) == 2
    assert message in capsys.readouterr().err
