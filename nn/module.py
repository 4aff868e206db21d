"""`Module`: the base of everything in nn that owns parameters (leaf Values a loss is minimised over).

A module lists its parameters in a fixed order (row by row through each weight matrix as given, then
the biases, layer after layer), names them by their labels, and resets their gradients.
"""

from __future__ import annotations

from autograd import Value
from autograd.notation import to_text


class Module:
    """Something with parameters. Subclasses implement `named_parameters`."""

    def named_parameters(self) -> list[tuple[str, Value]]:
        """(name, parameter) pairs in a fixed order; the name is the parameter's label (W¹₂₁, b¹₁)."""
        raise NotImplementedError(f"{type(self).__name__} must implement named_parameters()")

    def parameters(self) -> list[Value]:
        """The parameters, in the order of `named_parameters`."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0 (do this between training steps: leaves accumulate)."""
        for p in self.parameters():
            p.grad = 0.0

    def parameter(self, name: str) -> Value:
        """The parameter called ``name``, in any spelling `autograd.notation` reads.

        ``net.parameter("W^1_{21}")``, ``net.parameter("W1_21")`` and ``net.parameter("W¹₂₁")`` are the
        same parameter.

        Raises:
            KeyError: no parameter has that name; the message lists some that do.
        """
        if not isinstance(name, str):
            raise TypeError(f"a parameter name must be a str such as 'W^1_{{21}}', got {name!r}")
        wanted = to_text(name)
        for label, p in self.named_parameters():
            if label == wanted or label == name:
                return p
        names = [label for label, _ in self.named_parameters()]
        shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        raise KeyError(f"no parameter named {name!r} (read as {wanted!r}); the parameters are: {shown}")

    def num_parameters(self) -> int:
        """How many scalar parameters the module has."""
        return len(self.named_parameters())

def unique_named(params: list[Value]) -> list[tuple[str, Value]]:
    """(label, parameter) pairs, each parameter once (a Value shared by two places is one parameter)."""
    seen: set[int] = set()
    out = []
    for p in params:
        if id(p) not in seen:
            seen.add(id(p))
            out.append((p.label, p))
    return out
