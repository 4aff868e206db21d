"""Each known mistake is named when an answer is made wrong in exactly that way — the wrong number
computed here from the engine's own numbers, not from the checker — and random wrong numbers are
not mistaken for one; a student who rounds or truncates as they go drifts, and is not wrong."""

from __future__ import annotations

import math
import random
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from autograd.notation import format_number
from homework import load
from homework.check import check, key_of
from homework.check.grade import DRIFT, FOLLOWS, LAST_DIGIT, RIGHT, WRONG


def nodes(problem):
    solution = load(problem).solve()
    return solution, solution.named_nodes()


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def seed002_bias_last_in_layer_1() -> float:
    """ŷ of seed 002 computed as a student who reads W¹'s bias row as its last row: α¹ = W¹ᵀ[x; 1]."""
    W1, W2, x = np.array([[-1, 2], [-2, 1], [1, 4]]), np.array([[1], [2], [-4]]), np.array([2, 5])
    beta = 1 / (1 + np.exp(-(W1.T @ np.r_[x, 1])))
    return float(1 / (1 + np.exp(-(W2.T @ np.r_[1, beta])[0])))


def made_wrong():
    """(problem, section, name, wrong number as written, the kind of mistake it is)."""
    s, n = nodes("seed002")
    g, beta = n["W¹₂₁"].grad, n["β¹₁"].data
    prime = beta * (1 - beta)
    yield "seed002", "gradients", "W^1_{21}", -g, "sign flipped"
    yield "seed002", "gradients", "W^1_{21}", g / prime, "factor left out"
    yield "seed002", "gradients", "W^1_{21}", g / prime * beta, "σ(α) used for σ′(α)"
    yield "seed002", "gradients", "W^2_{31}", n["α²"].grad * n["α¹₂"].data, "pre-activation for activation"
    yield "seed002", "gradients", "W^1_{21}", g / prime * sigmoid(beta) * (1 - sigmoid(beta)), \
        "pre-activation for activation"
    yield "seed002", "values", "\\ell", 2 * s.loss.data, "½ of ½SE dropped"
    yield "seed002", "gradients", "W^2_{11}", 2 * n["W²₁₁"].grad, "½ of ½SE dropped"
    yield "seed002", "updated", "W^1_{21}", n["W¹₂₁"].data + 2 * g, "learning-rate step"
    yield "seed002", "updated", "W^1_{21}", n["W¹₂₁"].data - g, "learning-rate step"
    yield "seed002", "gradients", "W^2_{11}", n["W²₂₁"].grad, "figure labelling"
    yield "seed002", "local", "∂α²/∂β¹₁", n["W²₁₁"].data + 1.718, None  # 2.718: nothing known gives it
    yield "seed002", "values", "y_hat", seed002_bias_last_in_layer_1(), "bias row mixed up"
    s, n = nodes("seed001")
    delta = [n["z⁽²⁾₁"].grad, n["z⁽²⁾₂"].grad]
    yield "seed001", "gradients", "(W_2)_{12}", n["(W₂)₂₁"].grad, "transposed index"
    yield "seed001", "gradients", "h_2", delta[0] * n["(W₂)₂₁"].data + delta[1] * n["(W₂)₂₂"].data, "transposed index"
    yield "seed001", "gradients", "h_1", delta[0] * n["(W₂)₁₁"].data, "one path only"
    yield "seed001", "gradients", "z^{(1)}_1", n["h₁"].grad, "factor left out"
    yield "seed001", "values", "h_1", n["z⁽¹⁾₁"].data, "pre-activation for activation"


@pytest.mark.parametrize("problem, section, name, number, kind", list(made_wrong()))
def test_each_mistake_is_named(problem, section, name, number, kind):
    report = check(problem, {section: {name: format_number(number, 4)}})
    (row,) = report.rows
    assert row.status == WRONG and report.exit_status == 1
    kinds = [d.kind for d in row.diagnoses]
    if kind is None:
        assert kinds == []
        assert "no known mistake gives this number" in str(report)
    else:
        assert kind in kinds, (kind, [d.text for d in row.diagnoses])
        assert all(row.answer.written.matches(d.value) for d in row.diagnoses)


def test_where_several_mistakes_give_the_number_all_are_listed_most_likely_first():
    # dℓ/dW²₁₁ = dℓ/dW²₃₁ = dℓ/dW¹₂₁ = −0.09248 in seed 002: −0.09248 for dℓ/dW²₂₁ (−0.04624) is β¹₁
    # left out, the figure's W²₂₁ (which is W²₃₁ by the bias-first rule), or the ½ dropped
    row = check("seed002", {"gradients": {"W^2_{21}": "-0.09248"}}).rows[0]
    kinds = [d.kind for d in row.diagnoses]
    assert kinds[0] == "factor left out" and "∂α²/∂W²₂₁ = β¹₁ = 0.5" in row.diagnoses[0].text
    assert {"½ of ½SE dropped", "figure labelling"} <= set(kinds)


def test_the_done_when_of_a_flipped_sign():
    report = check("seed002", {"gradients": {"W^1_{21}": "0.09248"}, "updated": {"W^1_{21}": "-2.185"}})
    text = str(report)
    assert "dℓ/dW¹₂₁    0.09248  -0.09248  ✗  first wrong step" in text
    assert "sign flipped: the right number is -0.09248, yours has the opposite sign" in text
    assert report.rows[1].status == FOLLOWS and report.rows[1].note.startswith("follows from your earlier value")


def _random_wrong(rng, key, i) -> str:
    true = key.entries[i].value
    scale = abs(true) if abs(true) > 1e-3 else 1.0
    while True:
        x = rng.uniform(-3 * scale, 3 * scale)
        text = format_number(x, rng.choice([3, 4, 5]))
        if not _rounds_to(true, text) and abs(float(text)) >= 10 ** -(3 + 2):
            return text


def _rounds_to(x: float, text: str) -> bool:
    unit = 10.0 ** Decimal(text).as_tuple().exponent
    return abs(x - float(text)) <= 0.5 * unit * (1 + 1e-9)


def test_random_wrong_numbers_are_not_diagnosed_except_where_a_mistake_really_gives_them():
    rng = random.Random(2024)
    keys = [key_of(p) for p in ("seed000", "seed001", "seed002", "seed003")]
    diagnosed = 0
    for _ in range(1000):
        key = rng.choice(keys)
        i = rng.choice([i for _, _, positions in key.asked for i in positions])
        e = key.entries[i]
        row = check(key, {e.section: {e.name: _random_wrong(rng, key, i)}}).rows[0]
        assert row.status in (WRONG, LAST_DIGIT, DRIFT)
        for d in row.diagnoses:  # a named mistake really gives the number, at the digits written
            assert _rounds_to(d.value, row.answer.written.text), (e.symbol, row.answer.written.text, d)
        diagnosed += bool(row.diagnoses)
    assert diagnosed <= 10, f"{diagnosed} of 1000 random numbers diagnosed"


# Seed 001 worked by hand, rounding (or truncating) every number written down ------------------------

def by_hand(digits: int, how) -> dict:
    """Seed 001's whole solution as a student works it, every number cut to ``digits`` significant
    digits as it is written down (``how``: Decimal's ROUND_HALF_UP or ROUND_DOWN)."""
    def r(x: float) -> float:
        if x == 0:
            return 0.0
        d = Decimal(format(x, ".12g"))
        return float(d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=how))

    W1 = [[0.1, -0.2, 0.3, 0.4], [0.5, -0.3, 0.1, -0.2], [0.4, 0.2, -0.5, 0.3]]
    b1, W2, b2 = [0.1, -0.1, 0.05], [[-0.3, 0.2, 0.1], [0.4, -0.5, 0.3]], [0.05, -0.05]
    x, y, lr = [1, -1, 0.5, 2], [0, 1], 0.001
    z1 = [r(sum(w * v for w, v in zip(row, x)) + b) for row, b in zip(W1, b1)]
    h = [r(max(z, 0) + r(math.sin(z))) for z in z1]
    z2 = [r(sum(w * v for w, v in zip(row, h)) + b) for row, b in zip(W2, b2)]
    e = [r(math.exp(z)) for z in z2]
    total = r(sum(e))
    yhat = [r(v / total) for v in e]
    loss = r(-math.log(yhat[1]))
    d2 = [r(p - t) for p, t in zip(yhat, y)]
    slope = [r((1 if z > 0 else 0) + r(math.cos(z))) for z in z1]
    d1 = [r(r(sum(W2[k][i] * d2[k] for k in range(2))) * slope[i]) for i in range(3)]
    gW1 = [[r(d * v) for v in x] for d in d1]
    gW2 = [[r(d * v) for v in h] for d in d2]
    new = lambda w, g: r(w - r(lr * g))  # noqa: E731
    return {
        "values": {"z^{(1)}": z1, "h": h, "z^{(2)}": z2, "y_hat": yhat, "\\ell": loss},
        "gradients": {"δ₂": d2, "δ₁": d1, "W_1": gW1, "b_1": d1, "W_2": gW2, "b_2": d2},
        "updated": {"W_1": [[new(w, g) for w, g in zip(rw, rg)] for rw, rg in zip(W1, gW1)],
                    "b_1": [new(w, g) for w, g in zip(b1, d1)],
                    "W_2": [[new(w, g) for w, g in zip(rw, rg)] for rw, rg in zip(W2, gW2)],
                    "b_2": [new(w, g) for w, g in zip(b2, d2)]},
    }


def _as_written(answers: dict, digits: int) -> dict:
    def text(v):
        return [text(u) for u in v] if isinstance(v, list) else format_number(v, digits)
    return {section: {name: text(v) for name, v in table.items()} for section, table in answers.items()}


@pytest.mark.parametrize("digits", [3, 4])
@pytest.mark.parametrize("how", [ROUND_HALF_UP, ROUND_DOWN], ids=["rounded", "truncated"])
def test_rounding_or_truncating_as_you_go_is_drift_not_wrong(digits, how):
    answers = _as_written(by_hand(digits, how), digits)
    report = check("seed001", answers)
    statuses = {r.status for r in report.rows}
    assert len(report.rows) == 11 + (2 + 3 + 12 + 3 + 6 + 2) + (12 + 3 + 6 + 2)
    assert statuses <= {RIGHT, DRIFT, LAST_DIGIT}, [(r.entry.symbol, r.answer.written.text, r.status)
                                                    for r in report.rows if r.status not in (RIGHT, DRIFT, LAST_DIGIT)]
    assert DRIFT in statuses and report.exit_status == 0


def test_the_sheets_own_numbers_for_seed001():
    sheet = {"values": {"h": ["2.325", "0.692", "1.164"], "z^{(2)}": ["-0.3927", "0.8832"], "y_hat": ["0.2181", "0.7819"]}}
    rows = {r.entry.symbol: r for r in check("seed001", sheet).rows}
    assert rows["h₃"].status == DRIFT and "truncating" in rows["h₃"].note  # 1.1646 written 1.164
    assert rows["z⁽²⁾₁"].status == RIGHT
    assert rows["ŷ₁"].status == LAST_DIGIT and rows["ŷ₂"].status == LAST_DIGIT
