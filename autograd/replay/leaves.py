"""Which leaves a Replay's batch columns feed: resolving an input given as a Value or a label, and
naming a leaf in an error message."""

from __future__ import annotations

from typing import Sequence

from autograd.value import Value


def leaf_name(v) -> str:
    if isinstance(v, Value):
        return repr(v.label) if v.label else f"an unnamed leaf (data {v.data!r})"
    return repr(v)


def resolve_input(x, leaves: Sequence[Value], leaf_ids: set) -> Value:
    if isinstance(x, str):
        found = [v for v in leaves if v.label == x]
        if len(found) != 1:
            labels = sorted({v.label for v in leaves if v.label})
            raise ValueError(f"the label {x!r} names {len(found)} leaves of the graph, not one; "
                             f"leaf labels are {labels}; pass the Value itself instead")
        return found[0]
    if not isinstance(x, Value):
        raise TypeError(f"an input is a leaf Value of the graph (or its label), got {type(x).__name__}")
    if id(x) not in leaf_ids and x.parents:
        raise ValueError(f"input {leaf_name(x)} is the output of {x.op}, not a leaf; inputs must be leaves")
    return x  # a leaf the root does not depend on: its column is read and ignored, its gradient is 0
