"""The two-moons example: it runs from main(argv), learns, and reports without matplotlib."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

PATH = Path(__file__).resolve().parent.parent / "examples" / "moons.py"


@pytest.fixture(scope="module")
def moons():
    spec = importlib.util.spec_from_file_location("moons_example", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_moons_is_seeded_and_balanced(moons):
    X, y = moons.make_moons(31, seed=4)
    X2, y2 = moons.make_moons(31, seed=4)
    assert X.shape == (31, 2) and set(y) == {-1.0, 1.0} and (y == 1).sum() == 16
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    with pytest.raises(ValueError, match="at least 2"):
        moons.make_moons(1)


def test_smoke_run_prints_progress_and_lowers_the_loss(moons, capsys, tmp_path):
    result = moons.main(["--steps", "5", "--points", "20", "--plot", str(tmp_path / "b.png")])
    out = capsys.readouterr().out
    assert "step    1" in out and "training accuracy" in out
    history = result["history"]
    assert history[-1][1] < history[0][1]
    try:
        import matplotlib  # noqa: F401
        assert (tmp_path / "b.png").exists()
    except ImportError:
        assert "matplotlib is not installed" in out and not (tmp_path / "b.png").exists()


def test_a_short_run_learns_the_moons(moons, capsys):
    result = moons.main(["--steps", "30", "--points", "40", "--hidden", "8", "--no-plot"])
    assert result["accuracy"] >= 0.85 and result["accuracy"] > result["history"][0][2]


def test_the_default_run_reaches_95_percent(moons, capsys):
    result = moons.main(["--no-plot"])  # the batched replay makes the full default run quick
    assert result["accuracy"] >= 0.95


def test_replay_and_scalar_engines_train_identically(moons, capsys):
    args = ["--steps", "6", "--points", "24", "--hidden", "6", "--no-plot"]
    replayed = moons.main(args + ["--engine", "replay"])["history"]
    scalar = moons.main(args + ["--engine", "scalar"])["history"]
    assert [h[0] for h in replayed] == [h[0] for h in scalar]
    for (_, loss_r, acc_r), (_, loss_s, acc_s) in zip(replayed, scalar):
        assert loss_r == pytest.approx(loss_s, rel=1e-12) and acc_r == acc_s
