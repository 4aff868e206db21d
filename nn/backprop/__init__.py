"""Layer-level derivations of a feed-forward network, as data: the output error, the δ recursion,
the parameter gradients, the unrolled closed forms and seed 000's identities, in the network's own
notation, every line evaluated and checked against the engine. `layer_derivation` makes one.

One module per job: names.py (vector names from the notation), run.py (the engine's numbers),
activations.py (each layer's f′), output_error.py (the (activation, loss) table), recursion.py (δ),
gradients.py (∂ℓ/∂W, ∂ℓ/∂b), closed_form.py, identities.py, numbers.py (formatting and checks),
derivation.py (the object).
"""

from nn.backprop.derivation import LayerDerivation, layer_derivation

__all__ = ["LayerDerivation", "layer_derivation"]
