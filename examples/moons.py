"""Train a small MLP on two interleaving half-moons with chainrule.

The network is made of `autograd.Value`s, the same nodes the printouts and drawings show. By
default training runs through `autograd.Replay`: the graph of one sample's loss is recorded once and
then evaluated forward and backward on all points at once with numpy, from the same rule table
(``--engine scalar`` builds one scalar graph per point instead, the reference path; both give the
same gradients). The default run (100 points, a 2-16-16-1 relu network, logistic loss, 60
full-batch Adam steps) reaches 100% training accuracy; with matplotlib installed it also saves a
picture of the decision boundary.

    python examples/moons.py                 # the default run
    python examples/moons.py --engine scalar --steps 5 --points 20 --no-plot

On a terminal a progress line on stderr follows the training; ``-q`` prints only the result.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from autograd import Replay, Value
from nn import MLP, Adam, losses


def make_moons(n_points: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles with Gaussian noise.

    Returns:
        X of shape (n_points, 2) and labels y of shape (n_points,) in {−1, +1}.
    """
    if n_points < 2:
        raise ValueError(f"--points must be at least 2, got {n_points}")
    rng = np.random.default_rng(seed)
    n_top = n_points // 2
    n_bottom = n_points - n_top
    t_top = np.linspace(0.0, np.pi, n_top)
    t_bottom = np.linspace(0.0, np.pi, n_bottom)
    top = np.stack([np.cos(t_top), np.sin(t_top)], axis=1)
    bottom = np.stack([1.0 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)], axis=1)
    X = np.concatenate([top, bottom]) + rng.normal(0.0, noise, size=(n_points, 2))
    y = np.concatenate([-np.ones(n_top), np.ones(n_bottom)])
    order = rng.permutation(n_points)
    return X[order], y[order]


class Progress:
    """One line on stderr that follows a loop (step, bar, a short text), redrawn at most ten times a
    second, and shown only when stderr is a terminal: piped or redirected output stays clean."""

    WIDTH = 24

    def __init__(self, total: int, stream=None, enabled: bool | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._shown_at = float("-inf")

    def update(self, step: int, text: str = "") -> None:
        """Show ``step`` of ``total`` (the last step always, others when 0.1 s have passed)."""
        now = time.monotonic()
        if not self.enabled or (step < self.total and now - self._shown_at < 0.1):
            return
        self._shown_at = now
        filled = self.WIDTH * step // self.total
        bar = "█" * filled + "·" * (self.WIDTH - filled)
        self.stream.write(f"\r{step:>{len(str(self.total))}}/{self.total} {bar} {text}\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        """Erase the line, before other output and at the end."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown_at = float("-inf")


def accuracy(net: MLP, X: np.ndarray, y: np.ndarray) -> float:
    """The share of points whose score has the sign of their label."""
    right = sum(1 for x, t in zip(X, y) if (net(x)[0].data > 0) == (t > 0))
    return right / len(y)


def train(net: MLP, X: np.ndarray, y: np.ndarray, steps: int, lr: float, report_every: int = 10,
          log=print, progress: Progress | None = None) -> list[tuple[int, float, float]]:
    """Full-batch training with the mean logistic loss log(1 + exp(−y·f)) and Adam.

    Returns:
        The history as (step, loss, training accuracy) for each reported step.
    """
    opt = Adam(net, lr=lr)
    history = []
    for step in range(1, steps + 1):
        scores = [net(x)[0] for x in X]
        loss = losses.mean([losses.logistic(f, t) for f, t in zip(scores, y)], label="L")
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % report_every == 0 or step == steps or step == 1:
            acc = sum(1 for f, t in zip(scores, y) if (f.data > 0) == (t > 0)) / len(y)
            history.append((step, loss.data, acc))
            _report(progress, log, f"step {step:4d}   loss {loss.data:.4f}   accuracy {acc:.0%}")
        if progress:
            progress.update(step, f"loss {loss.data:.4f}")
    return history


def train_replay(net: MLP, X: np.ndarray, y: np.ndarray, steps: int, lr: float, report_every: int = 10,
                 log=print, progress: Progress | None = None) -> list[tuple[int, float, float]]:
    """The same training as `train`, with the graph recorded once and replayed on the whole batch.

    One sample's loss softplus(−t·f(x)) is built with the point (x₁, x₂) and its label t as input
    leaves; `Replay` evaluates it for every point, and its backward with weights 1/n gives the
    gradient of the mean loss, which Adam applies to the parameters exactly as in `train`.
    """
    target = Value(1.0, label="t")
    score = net([0.0, 0.0])[0]
    sample_loss = (-(target * score)).softplus()
    replay = Replay(sample_loss, inputs=net.last_inputs + [target])
    batch = np.column_stack([X, y])
    weights = np.full(len(y), 1.0 / len(y))
    opt = Adam(net, lr=lr)
    history = []
    for step in range(1, steps + 1):
        per_sample = replay.forward(batch)
        opt.zero_grad()
        replay.backward(weights=weights, accumulate=True)
        opt.step()
        if step % report_every == 0 or step == steps or step == 1:
            scores = replay.values_of(score)
            acc = float(np.mean((scores > 0) == (y > 0)))
            history.append((step, float(per_sample.mean()), acc))
            _report(progress, log, f"step {step:4d}   loss {per_sample.mean():.4f}   accuracy {acc:.0%}")
        if progress:
            progress.update(step, f"loss {per_sample.mean():.4f}")
    return history


def _report(progress: Progress | None, log, line: str) -> None:
    if progress:
        progress.clear()
    log(line)


def save_boundary(net: MLP, X: np.ndarray, y: np.ndarray, path: str, resolution: int = 60) -> bool:
    """Draw the decision boundary with matplotlib, if it is installed; return whether a file was saved."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, resolution)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, resolution)
    scores = np.array([[net([a, b])[0].data for a in xs] for b in ys])
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.contourf(xs, ys, scores > 0, alpha=0.3, levels=1, colors=["#d95f02", "#1b9e77"])
    ax.contour(xs, ys, scores, levels=[0.0], colors="k", linewidths=1)
    ax.scatter(X[:, 0], X[:, 1], c=np.where(y > 0, "#1b9e77", "#d95f02"), edgecolors="k", s=20)
    ax.set_title("two moons: decision boundary")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> dict:
    """Run the example; returns the final loss, training accuracy, seconds taken and the history."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100, help="number of training points (default 100)")
    parser.add_argument("--steps", type=int, default=60, help="training steps, full batch (default 60)")
    parser.add_argument("--hidden", type=int, default=16, help="units in each of the two hidden layers (default 16)")
    parser.add_argument("--lr", type=float, default=0.05, help="Adam's learning rate (default 0.05)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the data and the initial weights")
    parser.add_argument("--engine", choices=("replay", "scalar"), default="replay",
                        help="replay: one recorded graph run on the whole batch (default); scalar: one graph per point")
    parser.add_argument("--plot", default="moons.png", help="where to save the decision boundary (needs matplotlib)")
    parser.add_argument("--no-plot", action="store_true", help="do not draw the decision boundary")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only the result: no progress line, no loss every few steps")
    args = parser.parse_args(argv)
    say = (lambda *_: None) if args.quiet else print
    if args.steps < 1 or args.hidden < 1:
        parser.error("--steps and --hidden must be at least 1")

    X, y = make_moons(args.points, seed=args.seed)
    net = MLP([2, args.hidden, args.hidden, 1], activations=["relu", "relu", "identity"], seed=args.seed)
    say(f"{net}: {net.num_parameters()} parameters, {args.points} points, {args.steps} steps")
    start = time.perf_counter()
    run = train_replay if args.engine == "replay" else train
    progress = Progress(args.steps, enabled=False if args.quiet else None)
    history = run(net, X, y, args.steps, args.lr, report_every=max(1, args.steps // 10), log=say, progress=progress)
    progress.clear()
    seconds = time.perf_counter() - start
    acc = accuracy(net, X, y)
    print(f"training accuracy {acc:.0%} after {args.steps} steps ({seconds:.2f} s, {args.engine} engine)")
    if not args.no_plot:
        if save_boundary(net, X, y, args.plot):
            say(f"decision boundary saved to {args.plot}")
        else:
            say("matplotlib is not installed: no picture of the decision boundary (pip install matplotlib)")
    return {"accuracy": acc, "loss": history[-1][1], "seconds": seconds, "history": history}


if __name__ == "__main__":
    main()
