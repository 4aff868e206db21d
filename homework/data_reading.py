"""Reading a problem file's numbers, its samples and its loss options: `number` and `numbers` check
what TOML gave; `samples` reads one sample (x a list of numbers) or several (x a list of lists, one
target each); `loss_options` reads how several samples' losses combine and an L2 term. Every
message names the file, the key and the fix."""

from __future__ import annotations

import math

from homework.errors import ProblemError
from homework.input_checks import class_target, shown


def number(source: str, where: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ProblemError(f"{source}: {where}: expected a number, got {shown(x)}; write numbers without quotes")
    try:
        value = float(x)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise ProblemError(f"{source}: {where}: {shown(x)} is not a finite number (within ±1.8e308)")
    return value


def numbers(source: str, where: str, xs: object) -> list[float]:
    if isinstance(xs, (int, float)) and not isinstance(xs, bool):
        return [number(source, where, xs)]
    if not isinstance(xs, list) or not xs:
        raise ProblemError(f"{source}: {where}: expected a list of numbers such as [2, 5], got {shown(xs)}")
    return [number(source, f"{where}[{k}]", x) for k, x in enumerate(xs)]


def samples(source: str, data: dict, kind: str, outputs: int) -> list[tuple[list, list]]:
    """[(x, y), …]: one sample when x is a list of numbers; several when x is a list of lists, and
    then y (or class) holds one target per sample."""
    xs = data["x"]
    if not (isinstance(xs, list) and xs and all(isinstance(row, list) for row in xs)):
        y = numbers(source, "[data] y", data["y"]) if "y" in data else None
        return [(numbers(source, "[data] x", xs), class_target(source, data, kind, outputs, y))]
    key = "class" if "class" in data else "y"
    targets = data.get(key)
    if not isinstance(targets, list) or len(targets) != len(xs):
        count = len(targets) if isinstance(targets, list) else "not a list"
        raise ProblemError(f"{source}: [data] {key}: x holds {len(xs)} samples (a list of lists), so {key} needs one "
                           f"target per sample, in the same order, e.g. {key} = [[1], [0]]; got {count}")
    samples = []
    for i, (row, target) in enumerate(zip(xs, targets), start=1):
        x = numbers(source, f"[data] x, sample {i}", row)
        if key == "class":
            y = class_target(source, {"class": target}, kind, outputs, None)
        else:
            y = class_target(source, {"y": target}, kind, outputs, numbers(source, f"[data] y, sample {i}", target))
        samples.append((x, y))
    return samples


def loss_options(source: str, table: dict, n_samples: int) -> dict:
    """reduction (required with several samples: a sum and a mean differ by the factor N), and an L2
    term: l2 = λ, l2_form = "half" for (λ/2)·ΣW² or "full" for λ·ΣW², l2_biases (default false)."""
    reduction = table.get("reduction")
    if reduction is None:
        if n_samples > 1:
            raise ProblemError(f"{source}: [loss] reduction: the file has {n_samples} samples; say how their losses "
                               f"combine: reduction = \"sum\" (C = Σᵢ ℓᵢ) or \"mean\" (C = (1/N) Σᵢ ℓᵢ), as the sheet "
                               f"writes its loss")
        reduction = "sum"
    if reduction not in ("sum", "mean"):
        raise ProblemError(f"{source}: [loss] reduction: expected \"sum\" or \"mean\", got {reduction!r}")
    l2 = number(source, "[loss] l2", table.get("l2", 0.0))
    if l2 < 0:
        raise ProblemError(f"{source}: [loss] l2: λ must be ≥ 0, got {l2!r}")
    form = table.get("l2_form", "half")
    if form not in ("half", "full"):
        raise ProblemError(f"{source}: [loss] l2_form: expected \"half\" ((λ/2)·ΣW², gradient λW) or \"full\" "
                           f"(λ·ΣW², gradient 2λW), got {form!r}")
    biases = table.get("l2_biases", False)
    if not isinstance(biases, bool):
        raise ProblemError(f"{source}: [loss] l2_biases: expected true or false, got {biases!r}")
    if not l2 and ("l2_form" in table or "l2_biases" in table):
        raise ProblemError(f"{source}: [loss]: l2_form and l2_biases describe an L2 term; add l2 = λ")
    return {"reduction": reduction, "l2": l2, "l2_half": form == "half", "l2_biases": biases}
