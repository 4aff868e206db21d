"""`Replay`: the user-facing side of batched replay (see the package docstring).

It resolves the inputs, compiles the graph once, checks each batch, runs it in one piece or in
chunks (with a progress line on a terminal) and hands back the root's values and the gradients.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from autograd.graph import topological_order
from autograd.replay.leaves import leaf_name, resolve_input
from autograd.replay.program import compile_graph
from autograd.replay.progress import Progress
from autograd.replay.rows import PARAMETERS
from autograd.replay.steps import all_finite
from autograd.chain_rule import walk_lock
from autograd.value import Value

CHUNK_BYTES = 32 * 2 ** 20  # the memory one chunk's values and partials may take, roughly


class Replay:
    """A recorded graph that evaluates a batch of samples at once, forward and backward.

    Args:
        root: the output Value of a graph built once, e.g. one sample's loss.
        inputs: the leaves that hold a sample's inputs (Values, or the labels of leaves of the graph),
            in the order of a batch's columns. Every other leaf is a parameter.

    Attributes:
        root (Value): the recorded output.
        inputs (tuple[Value, ...]): the input leaves, in column order.
        parameters (tuple[Value, ...]): the other leaves, in topological order; gradients are
            returned in this order.
        batch_size (int): the number of samples of the last `forward` (0 before it).

    Raises:
        TypeError: ``root`` is not a Value.
        ValueError: an input is not a leaf, is given twice, or a label names no leaf of the graph or
            several. (A leaf the root does not depend on is accepted: its column is ignored and its
            gradient is 0.)

    The recorded structure is fixed: a later change to the graph's shape needs a new Replay. Values
    of parameters are read again at every `forward`.
    """

    def __init__(self, root: Value, inputs: Sequence) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"Replay records the graph of a Value, got {type(root).__name__}")
        order = topological_order(root)
        index = {id(v): i for i, v in enumerate(order)}
        leaves = [v for v in order if not v.parents]
        leaf_ids = {id(v) for v in leaves}
        resolved = tuple(resolve_input(x, leaves, leaf_ids) for x in inputs)
        seen = set()
        for x in resolved:
            if id(x) in seen:
                raise ValueError(f"input {leaf_name(x)} is given twice; list each input leaf once")
            seen.add(id(x))
        self.root = root
        self.inputs = resolved
        self.parameters = tuple(v for v in leaves if id(v) not in seen)
        self.batch_size = 0
        self._nodes = order
        self._index = index
        self._program = compile_graph(order, index, resolved, self.parameters)
        self._params_laid_out = [self.parameters[i] for i in self._program.param_layout]
        self._run: _Run | None = None  # what the last forward computed
        self._grads: list | None = None
        self._input_grads: np.ndarray | None = None

    # -----------------------------------------------------------------------------------------
    def forward(self, batch, *, chunk_size: int | None = None, progress: bool | None = None) -> np.ndarray:
        """Evaluate the graph on every sample of ``batch``; remember what backward needs.

        Args:
            batch: a 2-D array-like of shape (samples, inputs), columns in the order of ``inputs``;
                a 1-D array-like when there is one input; or a mapping from each input (Value or
                label) to a 1-D array-like of the samples' values.
            chunk_size: run at most this many samples at a time (default: as many as fit in about
                32 MB of intermediate arrays). A batch run in chunks keeps only the root's values;
                `backward` and `values_of` run the chunks again.
            progress: show a progress line on standard error while chunks run (default: only when
                standard error is a terminal and there is more than one chunk).

        Returns:
            The root's value for each sample, shape (samples,).

        Raises:
            DomainError: an operation is undefined or not finite for some sample; the message
                names the operation, the sample's index in the batch and its argument values.
            ValueError / TypeError: the batch has the wrong shape or is not numeric, or
                ``chunk_size`` is not a positive integer.
        """
        data = self._batch(batch)
        n = self.batch_size
        chunk = self._chunk_size(chunk_size)
        program = self._program
        params = np.fromiter((p.data for p in self._params_laid_out), float, len(self.parameters)).reshape(-1, 1)
        self._grads = self._input_grads = None
        if n <= chunk:
            self._run = None
            values, store = program.forward(data, params, 0)
            self._run = _Run(data, params, chunk, progress, values, store)
            return _broadcast(values[program.root_block][program.root_row], n).copy()
        self._run = None
        out = np.empty(n)
        with Progress("Replay forward", n, progress) as shown:
            for a in range(0, n, chunk):
                b = min(a + chunk, n)
                values, _ = program.forward(data[a:b], params, a)
                out[a:b] = _broadcast(values[program.root_block][program.root_row], b - a)
                shown.update(b)
        self._run = _Run(data, params, chunk, progress, None, None)
        return out

    def backward(self, weights=None, per_sample: bool = False, accumulate: bool = False) -> np.ndarray:
        """Gradients of the root with respect to the parameters, for the batch of the last `forward`.

        Args:
            weights: one factor per sample multiplying that sample's root (default 1 each); e.g.
                ``np.full(n, 1 / n)`` gives the gradient of the batch mean.
            per_sample: return one row of gradients per sample instead of their sum.
            accumulate: add the summed gradients into each parameter's ``.grad``, as
                ``Value.backward`` does for leaves (so an optimizer can step as usual).

        Returns:
            Summed over samples: shape (len(parameters),), in the order of ``parameters``.
            Per sample: shape (samples, len(parameters)).

        Raises:
            RuntimeError: `forward` has not been run.
            ValueError: ``weights`` does not have one entry per sample.
        """
        run = self._run
        if run is None:
            raise RuntimeError("call forward(batch) before backward(): the gradients are of that batch")
        n = self.batch_size
        if weights is None:
            seed = np.ones(n)
        else:
            seed = np.asarray(weights, dtype=float)
            if seed.shape != (n,):
                raise ValueError(f"weights needs one number per sample, shape ({n},), got shape {seed.shape}")
        program, summed = self._program, not per_sample
        k_par = len(self.parameters)
        if run.values is not None:  # one chunk: the forward's arrays are still here
            grads = program.backward(run.values, run.store, seed, summed)
            result = _parameter_grads(grads[PARAMETERS], program.param_rows, k_par, n, summed)
            self._input_grads = grads  # laid out as a (samples, inputs) array when asked for
        else:
            input_grads = np.zeros((n, len(self.inputs)))
            result = np.zeros(k_par) if summed else np.zeros((n, k_par))
            with Progress("Replay backward", n, run.progress) as shown:
                for a in range(0, n, run.chunk):
                    b = min(a + run.chunk, n)
                    values, store = program.forward(run.data[a:b], run.params, a)
                    grads = program.backward(values, store, seed[a:b], summed)
                    if summed:
                        result += _parameter_grads(grads[PARAMETERS], program.param_rows, k_par, b - a, True)
                    else:
                        result[a:b] = _parameter_grads(grads[PARAMETERS], program.param_rows, k_par, b - a, False)
                    program.input_grads(grads, input_grads, a)
                    shown.update(b)
            self._input_grads = input_grads
        if accumulate:
            totals = (result if summed else result.sum(axis=0)).tolist()
            with walk_lock:  # the same lock as Value.backward: threads add in turn
                for p, g in zip(self.parameters, totals):
                    p.grad += g
        return result

    def input_gradients(self) -> np.ndarray:
        """∂(weighted root)/∂input for each sample of the last `backward`: shape (samples, inputs).

        Each sample's inputs are its own, so these are per sample whatever ``per_sample`` was.
        """
        found = self._input_grads
        if found is None:
            raise RuntimeError("call backward() first")
        if isinstance(found, list):  # the block gradients of a batch run in one piece
            out = np.zeros((self.batch_size, len(self.inputs)))
            self._program.input_grads(found, out, 0)
            self._input_grads = found = out
        return found.copy()

    def values_of(self, node: Value) -> np.ndarray:
        """The per-sample values of any node of the recorded graph, from the last `forward`."""
        i = self._index.get(id(node))
        if i is None or self._nodes[i] is not node:
            raise ValueError(f"{leaf_name(node)} is not a node of the recorded graph")
        run = self._run
        if run is None:
            raise RuntimeError("call forward(batch) first")
        block, row = self._program.where(i)
        n = self.batch_size
        if run.values is not None:
            return _broadcast(run.values[block][row], n).copy()
        out = np.empty(n)
        for a in range(0, n, run.chunk):  # a chunked batch: run the chunks again
            b = min(a + run.chunk, n)
            values, _ = self._program.forward(run.data[a:b], run.params, a)
            out[a:b] = _broadcast(values[block][row], b - a)
        return out

    def __repr__(self) -> str:
        names = ", ".join(leaf_name(x) for x in self.inputs)
        inner = sum(1 for v in self._nodes if v.parents)
        return (f"Replay({inner} operations in {len(self._program.steps)} steps, inputs=[{names}], "
                f"{len(self.parameters)} parameters)")

    # -----------------------------------------------------------------------------------------
    def _chunk_size(self, chunk_size) -> int:
        if chunk_size is None:
            return max(1024, CHUNK_BYTES // (16 * max(self._program.varying_rows, 1)))
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive number of samples, got {chunk_size!r}")
        return chunk_size

    def _batch(self, batch) -> np.ndarray:
        """The batch as a float array of shape (samples, inputs), checked."""
        k = len(self.inputs)
        if batch.__class__ is not np.ndarray and isinstance(batch, Mapping):
            lookup = {}
            known = {id(x) for x in self.inputs}
            for key, col in batch.items():
                lookup[id(resolve_input(key, self.inputs, known))] = col
            missing = [leaf_name(x) for x in self.inputs if id(x) not in lookup]
            if missing:
                raise ValueError(f"the batch gives no values for input(s) {', '.join(missing)}")
            cols = [np.asarray(lookup[id(x)], dtype=float) for x in self.inputs]
            n = None
            for x, col in zip(self.inputs, cols):
                if col.ndim != 1:
                    raise ValueError(f"the values of input {leaf_name(x)} must be 1-D (one per sample), got shape {col.shape}")
                if n is not None and col.shape[0] != n:
                    raise ValueError(f"every input needs the same number of samples; {leaf_name(x)} has {col.shape[0]}, "
                                     f"not {n}")
                n = col.shape[0]
            arr = np.stack(cols, axis=1) if cols else np.zeros((0, 0))
        else:
            try:
                arr = np.asarray(batch, dtype=float)
            except (TypeError, ValueError) as e:
                raise TypeError(f"a batch must be numeric, shape (samples, {k}): {e}") from None
            if arr.ndim == 1 and k == 1:
                arr = arr[:, None]
            if arr.ndim != 2 or arr.shape[1] != k:
                raise ValueError(f"a batch needs shape (samples, {k}) — one column per input "
                                 f"({', '.join(leaf_name(x) for x in self.inputs)}) — got shape {arr.shape}")
        if not k or not arr.shape[0]:
            raise ValueError("a batch needs at least one sample")
        if not all_finite(arr):
            for j, x in enumerate(self.inputs):
                bad = np.flatnonzero(~np.isfinite(arr[:, j]))
                if bad.size:
                    raise ValueError(f"input {leaf_name(x)} is {arr[bad[0], j]!r} at sample {bad[0]}: inputs must be finite")
        self.batch_size = arr.shape[0]
        return arr


class _Run:
    """What one `Replay.forward` leaves for backward: the batch, the parameters' values, and (for a
    batch run in one piece) every block's values and every step's partials."""

    __slots__ = ("data", "params", "chunk", "progress", "values", "store")

    def __init__(self, data, params, chunk, progress, values, store):
        self.data, self.params, self.chunk, self.progress = data, params, chunk, progress
        self.values, self.store = values, store


def _broadcast(row, n: int) -> np.ndarray:
    return row if row.shape[0] == n else np.broadcast_to(row, (n,))


def _parameter_grads(g, rows, k: int, n: int, summed: bool) -> np.ndarray:
    """The parameters' gradients in their order, from the parameter block's (rows in layout order)."""
    if g is None:
        return np.zeros(k) if summed else np.zeros((n, k))
    return g[rows, 0] if summed else np.ascontiguousarray(np.broadcast_to(g[rows], (k, n)).T)
