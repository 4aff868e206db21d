"""`chainrule check`: answers judged at the digits written, the first wrong step, what follows from it,
names in every spelling, array answers, bad input refused with the line and the fix, the template read
back, several files with a summary and CSV — in-process through the command line's own `main`."""

from __future__ import annotations

import json

import pytest

from homework.check import answer_key, check, check_files, key_of, template
from homework.check.grade import DRIFT, FOLLOWS, LAST_DIGIT, RIGHT, WRONG
from homework.cli import main
from homework.errors import ProblemError

# Seed 002 worked by hand from the sheet (W¹ = [[-1, 2], [-2, 1], [1, 4]], W² = [[1], [2], [-4]],
# x = (2, 5), y = 1, ℓ = ½(y − ŷ)², λ = 2), four significant digits:
#   α¹₁ = −1 + (−2)(2) + 1(5) = 0,  α¹₂ = 2 + 1(2) + 4(5) = 24,  β¹₁ = σ(0) = 0.5,  β¹₂ = σ(24) ≈ 1.000
#   α² = 1 + 2(0.5) − 4(1.000) = −2.000,  ŷ = σ(−2) = 0.1192,  ℓ = ½(0.8808)² = 0.3879
#   dℓ/dŷ = −(1 − ŷ) = −0.8808,  dŷ/dα² = ŷ(1 − ŷ) = 0.1050,  dα²/dW²₁₁ = 1,  dℓ/dW²₁₁ = −0.09248
#   dα²/dβ¹₁ = W²₂₁ = 2,  dβ¹₁/dα¹₁ = 0.25,  dα¹₁/dW¹₂₁ = x₁ = 2,  dℓ/dW¹₂₁ = −0.09248
#   W²₁₁ ← 1 − 2(−0.09248) = 1.185,  W¹₂₁ ← −2 − 2(−0.09248) = −1.815
BY_HAND = """
[values]
"α¹₁" = 0
"α¹₂" = 24
"β¹₁" = 0.5
"β¹₂" = 1.000
"α²" = -2.000
"ŷ" = 0.1192
"ℓ" = 0.3879

[local]
"∂ℓ/∂ŷ" = -0.8808
"∂ŷ/∂α²" = 0.1050
"∂α²/∂W²₁₁" = 1
"∂α²/∂β¹₁" = 2
"∂β¹₁/∂α¹₁" = 0.25
"∂α¹₁/∂W¹₂₁" = 2

[gradients]
"W²₁₁" = -0.09248
"W¹₂₁" = -0.09248
"α¹₁" = -0.04624

[updated]
"W²₁₁" = 1.185
"W¹₂₁" = -1.815
"""


def run(args, tmp_path, capsys, files=()):
    paths = []
    for k, text in enumerate(files):
        path = tmp_path / f"answers{k}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    code = main(["check", *args, *paths])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_seed002_worked_by_hand_is_all_right(tmp_path, capsys):
    code, out, _ = run(["seed002"], tmp_path, capsys, [BY_HAND])
    assert code == 0
    assert "18 of 18 right." in out and "✗" not in out
    assert "2.8       dℓ/dW¹₂₁    -0.09248  -0.09248  ✓" in out


def test_a_flipped_sign_is_the_first_wrong_step_and_the_update_follows(tmp_path, capsys):
    flipped = BY_HAND.replace('"W¹₂₁" = -0.09248', '"W¹₂₁" = 0.0925').replace('"W¹₂₁" = -1.815', '"W¹₂₁" = -2.185')
    code, out, _ = run(["seed002"], tmp_path, capsys, [flipped])
    assert code == 1
    assert "dℓ/dW¹₂₁    0.0925    -0.09248  ✗  first wrong step" in out
    assert "W¹₂₁ (new)  -2.185    -1.815    →  follows from your earlier value dℓ/dW¹₂₁ = 0.0925" in out
    assert "First wrong step: dℓ/dW¹₂₁ (question 2.8) = 0.0925, expected -0.09248." in out
    assert "sign flipped" in out


def test_a_left_out_factor_is_named_with_its_value():
    report = check("seed002", {"gradients": {"W^1_{21}": "-0.3699"}})
    (row,) = report.rows
    assert row.status == WRONG and row.first
    assert [d.kind for d in row.diagnoses] == ["factor left out"]
    assert "∂β¹₁/∂α¹₁ = σ′(α¹₁) = 0.25" in row.diagnoses[0].text


def test_judged_at_the_precision_written():
    right = check("seed002", {"gradients": {"W1_21": "-0.0925", "α¹₁": "-0.046"}, "values": {"ŷ": "0.12"}})
    assert [r.status for r in right.rows] == [RIGHT, RIGHT, RIGHT]
    wrong = check("seed002", {"gradients": {"W1_21": "-0.0924"}})
    assert wrong.rows[0].status == LAST_DIGIT  # -0.09248 rounds to -0.0925: one unit off in the last digit
    assert check("seed002", {"gradients": {"W1_21": "-0.0930"}}).rows[0].status == WRONG
    within = check("seed002", {"gradients": {"W1_21": "-0.0930"}}, tolerance=0.001)
    assert within.rows[0].status == RIGHT and within.exit_status == 0


def test_a_coarse_wrong_answer_is_not_diagnosed():
    row = check("seed002", {"gradients": {"W^1_{21}": "0.09"}}).rows[0]  # the sign, at 1 significant digit
    assert row.status == WRONG and not row.diagnoses
    assert "too coarse to diagnose" in row.note


def test_a_coarse_answer_that_a_mistake_gives_exactly_is_still_named():
    row = check("seed002", {"local": {"∂β¹₁/∂α¹₁": "0.5"}}).rows[0]  # σ(0) = 0.5 exactly, for σ′(0) = 0.25
    assert row.status == WRONG and "too coarse" not in row.note
    assert row.diagnoses[0].kind == "σ(α) used for σ′(α)"
    near = check("seed002", {"local": {"∂β¹₁/∂α¹₁": "0.4"}}).rows[0]  # no mistake gives 0.4 exactly
    assert not near.diagnoses and "too coarse to diagnose" in near.note


@pytest.mark.parametrize("name", ["W¹₂₁", "W^1_{21}", "W^1_{2,1}", "W1_21", "W1_2,1", "dℓ/dW¹₂₁", "W121"])
def test_every_spelling_of_a_name(name):
    assert check("seed002", {"gradients": {name: "-0.09248"}}).rows[0].entry.symbol == "dℓ/dW¹₂₁"


@pytest.mark.parametrize("section, name, symbol", [
    ("values", "alpha^1_1", "α¹₁"), ("values", "beta1_2", "β¹₂"), ("values", "y_hat", "ŷ"), ("values", "yhat", "ŷ"),
    ("values", "\\ell", "ℓ"), ("local", "dyhat/dalpha^2", "∂ŷ/∂α²"), ("local", "∂β¹₁/∂α¹₁", "∂β¹₁/∂α¹₁"),
    ("updated", "W^2_{11}", "W²₁₁ (new)")])
def test_names_as_printed_as_in_problem_files_and_in_ascii(section, name, symbol):
    key = key_of("seed002")
    assert key.entries[key.lookup.find(section, name)].symbol == symbol


def test_whole_matrices_and_error_term_vectors():
    report = check("seed001", {"gradients": {"delta^1": ["-0.1862", "0.2963", "-0.07968"], "δ₂": ["0.2182", "-0.2182"],
                                             "W_2": [["0.5076", "0.1512", "0.2542"], ["-0.5076", "-0.1512", ""]]}})
    assert len(report.rows) == 10 and report.exit_status == 0  # the blank is left out
    assert {r.entry.symbol for r in report.rows} >= {"dℓ/dz⁽¹⁾₁", "dℓ/d(W₂)₁₁", "dℓ/d(W₂)₂₂"}


@pytest.mark.parametrize("text, message", [
    ('[values]\n"ŷ" = 0.1192\n"ŷ" = 0.12\n', "line 3"),                       # TOML's own duplicate, with the line
    ('[values]\n"ŷ" = 0.1192\nx = [1,\n', "not valid TOML"),
    ('[values]\n"ŷ" = "abc"\n', 'line 2: [values] "ŷ": \'abc\' is not a number'),
    ('[values]\n"ŷ" = true\n', "expected a number"),
    ('[values]\n"W^1_{22}" = 1\n', "is given, not computed: its gradient goes in [gradients]"),
    ('[updated]\n"ŷ" = 1\n', "it goes in [values]"),
    ('[gradients]\n"W^1_{21}" = -0.09\n"W1_21" = -0.09\n', "answered twice: also as \"W^1_{21}\" on line 2"),
    ('[gradients]\n"W^1_{12}" = -0.09\n"W^1_{24}" = 1\n', "did you mean"),
    ('[gradient]\n"ŷ" = 1\n', "did you mean [gradients]?"),
    ('[updated]\n"W^1" = [[1, 2], [3, 4]]\n', "has 3 entries here, the array 2"),
    ('[updated]\n"W^1" = 1\n', "write it as an array of that shape"),
])
def test_bad_answers_are_refused_with_the_line_and_the_fix(text, message, tmp_path, capsys):
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemError, match=None) as caught:
        check("seed002", path)
    assert message in str(caught.value)


def test_the_template_names_every_asked_number_and_reads_back(tmp_path, capsys):
    code, text, _ = run(["seed002", "--template"], tmp_path, capsys)
    assert code == 0 and text == template("seed002")
    assert '# 2.8 Finally, what is dℓ/dW¹₂₁?\n"W¹₂₁" = ""' in text
    blank = check("seed002", text)
    assert blank.rows == [] and blank.blanks == 17 and blank.exit_status == 0
    key = key_of("seed002")
    lines, section = [], None  # each blank filled with the right number, to the problem's digits
    for line in text.splitlines():
        if line.startswith("["):
            section = line.split("]")[0][1:]
        if line.endswith('= ""'):
            name = line.split('"')[1]
            line = f'"{name}" = {key.number(key.entries[key.lookup.find(section, name)].value)}'
        lines.append(line)
    report = check("seed002", "\n".join(lines))
    assert len(report.rows) == 17 and report.counts[RIGHT] == 17


@pytest.mark.parametrize("problem", ["seed000", "seed001", "seed002", "seed003"])
def test_every_answer_key_passes(problem):
    report = check(problem, answer_key(problem))
    assert report.rows and report.counts[RIGHT] == len(report.rows)


def test_the_first_wrong_step_is_the_earliest_and_later_answers_follow():
    # β¹₁ wrong (σ(0) taken as 1); α² = 1 + 2·β¹₁ − 4·β¹₂ computed from it; ŷ from that α²
    report = check("seed002", {"values": {"β¹₁": "1.000", "α²": "-1.000", "ŷ": "0.2689", "ℓ": "0.2673"}})
    assert [r.status for r in report.rows] == [WRONG, FOLLOWS, FOLLOWS, FOLLOWS]
    assert report.first_wrong.entry.symbol == "β¹₁"
    assert report.rows[1].note == "follows from your earlier value β¹₁ = 1.000"


def test_rounding_earlier_numbers_is_drift_not_a_mistake():
    # ŷ written as 0.12, then ℓ from it: ½(0.88)² = 0.3872, not the 0.3879 of the exact ŷ
    report = check("seed002", {"values": {"ŷ": "0.12", "ℓ": "0.3872"}})
    assert [r.status for r in report.rows] == [RIGHT, DRIFT]
    assert report.exit_status == 0


def test_formats_json_and_markdown(tmp_path, capsys):
    flipped = '[gradients]\n"W^1_{21}" = 0.0925\n[updated]\n"W^1_{21}" = -2.185\n'
    code, out, _ = run(["seed002", "--format", "json"], tmp_path, capsys, [flipped])
    data = json.loads(out)
    assert code == 1 and data["exit_status"] == 1 and data["first_wrong_step"] == "dℓ/dW¹₂₁"
    assert data["answers"][0]["diagnoses"][0]["kind"] == "sign flipped"
    assert data["answers"][0]["expected"] == pytest.approx(-0.0924780432)
    code, out, _ = run(["seed002", "--format", "markdown"], tmp_path, capsys, [flipped])
    assert "| 2.8 | dℓ/dW¹₂₁ | 0.0925 | -0.09248 | ✗ | first wrong step |" in out
    report = check("seed002", flipped)
    assert report._repr_markdown_() == report.to_markdown() and "<table>" in report._repr_html_()


def test_several_files_give_a_row_each_a_summary_per_question_and_a_csv(tmp_path, capsys):
    flipped = BY_HAND.replace('"W¹₂₁" = -0.09248', '"W¹₂₁" = 0.09248')
    csv_path = tmp_path / "grades.csv"
    code, out, err = run(["seed002", "--csv", str(csv_path)], tmp_path, capsys, [BY_HAND, flipped])
    assert code == 1 and f"wrote {csv_path}" in err
    assert "answers0.toml  18        18" in out and "first wrong step" in out and "Per question:" in out
    assert "sign flipped (1)" in out
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and rows[0].startswith("answers file,answered,right,drift")
    assert rows[2].split(",")[7] == "dℓ/dW¹₂₁" and rows[2].split(",").count("wrong") == 1


def test_check_files_in_python():
    summary = check_files("seed002", [])
    assert summary.exit_status == 0 and summary.reports == []


def test_command_line_mistakes_exit_2(tmp_path, capsys):
    assert main(["check", "seed002"]) == 2
    assert "give the answers file" in capsys.readouterr().err
    assert main(["check", "seed002", str(tmp_path / "missing.toml")]) == 2
    assert "no such answers file" in capsys.readouterr().err
    assert main(["check", "seed002", "--variant", "3"]) == 2
    assert "--variant K and --seed S go together" in capsys.readouterr().err


def test_indices_typed_apart_are_read_wherever_names_are_read():
    from autograd.notation import to_text
    from homework import loads
    from homework.reading import builtin_text

    assert to_text("W^1_{2,1}") == "W¹₂₁" and to_text("W^2_{12,3}") == "W²₁₂,₃"
    text = builtin_text("seed002").replace('derivatives = ["W^2_{11}", "W^1_{21}"]',
                                           'derivatives = ["W^2_{1,1}", "W^1_{2,1}"]')
    solution = loads(text).solve()
    assert [w.label for w in solution.wrt] == ["W²₁₁", "W¹₂₁"]
    assert solution.net.parameter("W^1_{2,1}") is solution.wrt[1]


@pytest.mark.parametrize("problem", ["seed000", "seed001", "seed002", "seed003"])
def test_the_key_states_the_numbers_the_engine_and_the_derivations_state(problem):
    from autograd import explain
    from homework.report import fused_output_errors

    key = key_of(problem)
    solution = key.solution
    new = {id(p): after for p, _, _, after in solution.updates}
    for e in key.entries:
        if e.section == "values":
            assert e.value == pytest.approx(e.node.data, abs=1e-12)
        elif e.section == "gradients":
            assert e.value == pytest.approx(e.node.grad if key.plan.on_loss[key.plan.index[id(e.node)]] else 0.0,
                                            rel=1e-9, abs=1e-12)
        elif e.section == "updated":
            assert e.value == pytest.approx(new[id(e.node)], abs=1e-12)
    shown = {e.symbol: e.value for e in key.entries if e.section in ("local", "gradients", "values")}
    for w in solution.wrt:  # every number the factored derivation states is the key's
        compared = 0
        for q in explain(solution.loss, w, shortcuts=fused_output_errors(solution)).quantities:
            name = "d" + q.symbol.text[1:].replace("/∂", "/d", 1) if q.kind == "upstream" else q.symbol.text
            assert name in shown, name
            assert shown[name] == pytest.approx(q.exact, rel=1e-9, abs=1e-12), name
            compared += 1
        assert compared >= 5
