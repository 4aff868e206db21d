"""chainrule's networks: neurons, layers and MLPs made of `autograd.Value`s, named in a sheet's notation.

Public surface: `Module`, `Neuron`, `Layer` (nn.layers), `MLP` (nn.mlp), the two conventions of
writing W (nn.conventions), `Notation` and its presets (nn.naming), `Activation` (nn.activations),
the losses (nn.losses) and the optimizers `SGD`, `Adam` (nn.optim). Because everything is made of Values, every printout and drawing works on a network.
`MLP(nin, nouts)`, `Layer(nin, nout, nonlin=True)` and `Neuron(nin)` build them micrograd's way.
"""

from nn.engine_check import require_chainrule_engine

require_chainrule_engine()  # first: HIPS autograd's __init__.py may have replaced the engine's

from autograd import __version__  # noqa: E402
from nn import activations, losses, naming, optim
from nn.activations import Activation
from nn.conventions import CONVENTIONS, WT_X, WX_B
from nn.layers import Layer, Neuron
from nn.mlp import MLP
from nn.module import Module
from nn.naming import ALPHA_BETA, DEFAULT, MATRIX_SUBSCRIPT, PAREN_LAYER, Notation
from nn.optim import SGD, Adam

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "CONVENTIONS", "WX_B", "WT_X",
    "Notation", "DEFAULT", "ALPHA_BETA", "MATRIX_SUBSCRIPT", "PAREN_LAYER",
    "Activation", "SGD", "Adam",
    "activations", "losses", "naming", "optim",
]
