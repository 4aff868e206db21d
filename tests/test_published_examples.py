"""Well-known published walk-throughs, checked to the digits they print. (micrograd's README example
runs verbatim, imports changed, in test_micrograd.py.)"""

import pytest

from nn import MLP, SGD, losses


def test_mazur_step_by_step_backpropagation_example():
    # Matt Mazur, "A Step by Step Backpropagation Example" (2015): a 2-2-2 sigmoid network, squared
    # error ½Σ(target − out)², learning rate 0.5; his printed values to his printed digits.
    net = MLP.from_matrices([[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
                            [[0.35, 0.35], [0.60, 0.60]], activations="sigmoid")
    out = net([0.05, 0.10])
    hidden = net.layers[0].last_post
    assert f"{hidden[0].data:.9f}" == "0.593269992"
    assert f"{hidden[1].data:.9f}" == "0.596884378"
    assert f"{out[0].data:.8f}" == "0.75136507"
    assert f"{out[1].data:.9f}" == "0.772928465"
    loss = losses.squared_error(out, [0.01, 0.99])
    assert f"{loss.data:.9f}" == "0.298371109"
    loss.backward()
    w5 = net.parameter("W^2_{11}")
    assert f"{w5.grad:.9f}" == "0.082167041"
    SGD(net, lr=0.5).step()
    printed = {"W^2_{11}": 0.35891648, "W^2_{12}": 0.408666186, "W^2_{21}": 0.511301270, "W^2_{22}": 0.561370121,
               "W^1_{11}": 0.149780716, "W^1_{12}": 0.19956143, "W^1_{21}": 0.24975114, "W^1_{22}": 0.29950229}
    for name, value in printed.items():
        # to his last printed digit; he rounds intermediates, so w4+ = 0.2995022834 prints as …229
        assert net.parameter(name).data == pytest.approx(value, abs=1e-8), name
