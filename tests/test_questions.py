"""A sheet's questions in a problem file: read and checked, and answered one by one in the sheet's
order, each answer built from the solution's graph and derivations."""

from __future__ import annotations

import pytest

from homework import ProblemError, builtin_text, load, loads
from homework.questions import ASKS, read


def test_seed002_is_answered_in_the_sheets_order_under_its_labels():
    text = load("seed002").solve().render()
    labels = ["1.1", "1.2", "1.3", "1.4", "1.4b", "1.5", "1.6", "1.7", "1.8",
              "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9"]
    positions = [text.index(f"Question {label}:") for label in labels]
    assert positions == sorted(positions)
    assert "α¹₁ = W¹₁₁·1 + W¹₂₁·x₁ + W¹₃₁·x₂ = −1·1 + (−2)·2 + 1·5 = 0" in text
    assert "ŷ = 0.1192 < 0.5, so x is classified as 0." in text
    assert "[1; β¹] = [     1 ]" in text  # the augmented hidden output the output layer reads
    assert "∂ŷ/∂α² = ŷ(1 − ŷ) = 0.1050" in text
    assert "∂α¹₁/∂W¹₂₁ = x₁ = 2" in text
    assert "W²₁₁ ← 1 − 2 · (-0.09248) = 1.185" in text
    assert "W¹ is 3 × 2: one row per input plus the bias row first" in text
    # the answer to 2.9 lists the two weights in the question's order
    assert text.index("W²₁₁ ← 1 −") < text.index("W¹₂₁ ← -2 −")


def test_by_section_prints_the_complete_solution():
    text = load("seed002").solve().render(by_section=True)
    assert "Question" not in text and "Error terms and gradients, layer by layer" in text


def test_every_kind_of_question_has_an_answer():
    from homework.answers import _ANSWERS
    assert set(_ANSWERS) == set(ASKS)


@pytest.mark.parametrize("table, message", [
    ({"1": {"ask": "valus"}}, "did you mean 'values'"),
    ({"1": "values"}, "expected a table with ask"),
    ({"1": {"ask": "local", "of": "y_hat"}}, "needs wrt"),
    ({"1": {"ask": "values", "wrt": "x"}}, "'wrt' does not go with ask = 'values'"),
    ({"1": {"ask": "identity", "which": "ab"}}, "which must be the identity's letter"),
    ({"1": {"ask": "augmented", "layer": -1}}, "layer must be a whole number"),
    ({"1": {"ask": "values", "of": [1, 2]}}, "of must be a name"),
    ({"1": {"ask": "local", "of": ["a", "b"], "wrt": "x"}}, "one name each"),
    ([1, 2], "must be a table of questions"),
])
def test_malformed_questions_say_what_is_wrong(table, message):
    with pytest.raises(ProblemError, match=message):
        read("q.toml", table)


def test_a_question_naming_nothing_in_the_network_is_refused_with_the_names():
    text = builtin_text("seed002").replace('of = ["alpha^2"]', 'of = ["alpha^3"]')
    with pytest.raises(ProblemError, match=r"nothing is named 'alpha\^3'; the names are"):
        loads(text).solve().render()


def test_a_local_question_that_is_a_chain_points_to_derivative():
    text = builtin_text("seed002").replace('of = "y_hat"\nwrt = "alpha^2"', 'of = "y_hat"\nwrt = "W^1_{21}"')
    with pytest.raises(ProblemError, match="not one local factor.*ask = \"derivative\""):
        loads(text).solve().render()


@pytest.mark.parametrize("seed, labels", [
    ("seed000", ["1(a)", "1(b)", "1(c)"]),
    ("seed001", ["Q1.1", "Q1.2", "Q2a", "Q2b", "Q3"]),
    ("seed003", ["a", "b"]),
])
def test_every_built_in_sheet_is_answered_question_by_question(seed, labels):
    text = load(seed).solve().render()
    positions = [text.index(f"Question {label}:") for label in labels]
    assert positions == sorted(positions)
    assert "✗" not in text


def test_seed003_answers_each_closed_form_for_its_own_parameters():
    text = load("seed003").solve().render()
    a, b = text.index("Question a:"), text.index("Question b:")
    biases, weights = text[a:b], text[b:]
    assert "∇_{b₁} C = Σᵢ cᵢ (W₃ diag(pos(z₂)) W₂ diag(pos(z₁)))ᵀ" in biases and "∇_{W₁} C" not in biases
    assert "∇_{W₁} C = Σᵢ cᵢ diag(pos(z₁)) W₂ᵀ diag(pos(z₂)) W₃ᵀ xᵀ" in weights and "∇_{b₁} C =" not in weights.split("Other")[0]
    assert "4. Unrolled" not in text  # a part quoted as an answer loses the derivation's numbering
