"""Neurons, layers and MLPs: construction in both conventions, shape and name errors, deterministic
names, notation templates, activations, the identity-activation rule, read-out and graph groups."""

import numpy as np
import pytest

from autograd import Value, topological_order
from nn import ALPHA_BETA, MLP, Activation, Layer, Neuron, Notation, activations, losses, naming

SEED002 = dict(activations="sigmoid", convention="W^T x", notation="alpha-beta")


# Shapes --------------------------------------------------------------------------------------------

def test_consecutive_layers_that_do_not_fit_show_expected_and_received_shapes():
    with pytest.raises(ValueError, match=r"W² has shape \(2, 1\), expected \(3, 1\).*1 inputs plus the bias row"):
        MLP.from_matrices([[[-1, 2], [-2, 1], [1, 4]], [[1], [2]]], **SEED002)
    with pytest.raises(ValueError, match=r"W² has shape \(2, 4\), expected \(2, 3\)"):
        MLP.from_matrices([np.ones((3, 4)), np.ones((2, 4))], activations="relu")


def test_bias_vector_shape_error_names_the_vector_and_the_expected_shape():
    with pytest.raises(ValueError, match=r"b¹ has shape \(2,\), expected \(3,\): one bias per unit"):
        MLP.from_matrices([np.ones((3, 4)), np.ones((2, 3))], [np.ones(2), np.ones(2)], activations="relu")


def test_malformed_matrices_get_clear_errors():
    with pytest.raises(ValueError, match="2-D matrix.*column as"):
        MLP.from_matrices([[1, 2, 3]], activations="relu")
    with pytest.raises(ValueError, match="rectangular"):
        MLP.from_matrices([[[1, 2], [3]]], activations="relu")
    with pytest.raises(ValueError, match="finite"):
        MLP.from_matrices([[[1.0, float("nan")]]], activations="relu")
    with pytest.raises(ValueError, match="biases are the first row of each W"):
        MLP.from_matrices([[[1.0], [2.0]]], [[0.0]], activations="relu", convention="W^T x")
    with pytest.raises(ValueError, match="at least 2 rows"):
        MLP.from_matrices([[[1.0]]], activations="relu", convention="W^T x")
    with pytest.raises(ValueError, match="2 weight matrices but 1 bias"):
        MLP.from_matrices([np.ones((1, 1)), np.ones((1, 1))], [np.ones(1)], activations="relu")
    with pytest.raises(ValueError, match="unknown convention 'Wx-b'"):
        MLP.from_matrices([np.ones((1, 1))], activations="relu", convention="Wx-b")


def test_wrong_input_length_names_the_expected_inputs():
    net = MLP.from_matrices([[[-1, 2], [-2, 1], [1, 4]], [[1], [2], [-4]]], **SEED002)
    with pytest.raises(ValueError, match=r"has 3 entries, expected 2 \(x₁, x₂\)"):
        net([1, 2, 3])
    with pytest.raises(TypeError, match="bool"):
        net([True, 2])


def test_load_checks_shapes_and_keeps_the_values():
    net = MLP.from_matrices([np.ones((3, 2)), np.ones((1, 3))], [np.zeros(3), np.zeros(1)], activations="tanh")
    w = net.parameter("W^1_{11}")
    net.load([np.full((3, 2), 2.0), np.full((1, 3), 3.0)], [np.arange(3.0), [7.0]])
    assert w is net.parameter("W¹₁₁") and w.data == 2.0
    np.testing.assert_array_equal(net.biases()[0], [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match=r"W¹ has shape \(2, 3\), expected \(3, 2\)"):
        net.load([np.ones((2, 3)), np.ones((1, 3))], [np.zeros(3), np.zeros(1)])


def test_weights_read_back_in_the_convention_given():
    W1 = np.arange(6.0).reshape(3, 2)   # W^T x with a bias row: (1 + 2 inputs, 2 units)
    W2 = np.array([[1.0], [2.0], [3.0]])
    net = MLP.from_matrices([W1, W2], **SEED002)
    np.testing.assert_array_equal(net.weights()[0], W1)
    np.testing.assert_array_equal(net.weights()[1], W2)
    assert net.layers[0].weight_shape == (3, 2) and net.n_inputs == 2 and net.n_outputs == 1
    # neuron u reads column u, the bias (row 1) first
    assert [w.label for w in net.layers[0].neurons[1].weights] == ["W¹₁₂", "W¹₂₂", "W¹₃₂"]


# Names ---------------------------------------------------------------------------------------------

def test_names_are_deterministic_across_builds():
    def build():
        net = MLP([3, 12, 4, 2], seed=5)
        out = net([0.1, -0.2, 0.3])
        return [v.label for v in topological_order(losses.cross_entropy(out, 1))], net.weights()

    (a, wa), (b, wb) = build(), build()
    assert a == b
    for x, y in zip(wa, wb):
        np.testing.assert_array_equal(x, y)


def test_big_matrices_get_comma_separated_unique_names():
    net = MLP([12, 11, 1], seed=0)
    names = [name for name, _ in net.named_parameters()]
    assert len(names) == len(set(names)) == 12 * 11 + 11 + 11 + 1
    assert "W¹₁₁,₁₂" in names and "W¹₁,₁₁" in names and "W²₁,₁₁" in names


def test_clashing_names_are_refused():
    flat = Notation(weight="w")
    with pytest.raises(ValueError, match="same name.*<l>, <i>, <j> and <u>"):
        MLP([2, 2], notation=flat)


def test_notation_templates_and_index_order():
    swapped = Notation(weight="W^<l>_{<j><i>}")
    net = MLP.from_matrices([np.ones((2, 3))], activations="relu", notation=swapped)
    assert net.layers[0].W[0][2].label == "W¹₃₁"  # row 1, column 3, written column first
    with pytest.raises(ValueError, match="unknown placeholder <k>"):
        Notation(pre="z_<k>")
    with pytest.raises(ValueError, match="unknown notation preset"):
        MLP([1, 1], notation="nope")
    with pytest.raises(TypeError, match="no field 'letter'"):
        naming.DEFAULT.with_(letter="q")
    multi = MLP.from_matrices([np.ones((2, 2)), np.ones((2, 2))], activations="sigmoid", notation=ALPHA_BETA)
    out = multi([1.0, 2.0])
    assert [v.label for v in out] == ["ŷ₁", "ŷ₂"]
    assert [v.label for v in multi.layers[1].last_pre] == ["α²₁", "α²₂"]


def test_single_output_index_drop_is_configurable():
    keep = ALPHA_BETA.with_(drop_single_output_index=False)
    net = MLP.from_matrices([[[-1, 2], [-2, 1], [1, 4]], [[1], [2], [-4]]], activations="sigmoid",
                            convention="W^T x", notation=keep)
    y_hat, = net([2, 5])
    assert y_hat.label == "ŷ₁" and net.layers[1].last_pre[0].label == "α²₁"


def test_parameter_lookup_accepts_every_spelling_and_says_what_exists():
    net = MLP.from_matrices([[[-1, 2], [-2, 1], [1, 4]], [[1], [2], [-4]]], **SEED002)
    assert net.parameter("W^1_{21}") is net.parameter("W1_21") is net.parameter("W¹₂₁")
    with pytest.raises(KeyError, match="W⁹₁₁.*W¹₁₁, W¹₁₂"):
        net.parameter("W^9_{11}")


def test_inputs_given_as_values_are_used_untouched():
    net = MLP.from_matrices([[[-1, 2], [-2, 1], [1, 4]], [[1], [2], [-4]]], **SEED002)
    x = [Value(2.0, label="u"), Value(5.0)]
    net(x)
    assert net.last_inputs[0] is x[0] and x[0].label == "u" and x[1].label == ""


# Activations and the identity rule ---------------------------------------------------------------

def test_activation_by_name_formula_or_callable():
    assert activations.get("ReLU").name == "relu" and activations.get("logistic").name == "sigmoid"
    with pytest.raises(ValueError, match="did you mean 'relu'"):
        activations.get("rellu")
    with pytest.raises(TypeError, match="name such as 'relu'"):
        activations.get(3)
    f = activations.get("relu(z) + sin(z)")  # a formula: parsed with a whitelist
    g = activations.get(lambda z: z.relu() + z.sin())
    for t in (-0.7, 0.35, 1.35):
        assert f(Value(t)).data == g(Value(t)).data == max(t, 0) + np.sin(t)
    bad = activations.get(lambda z: 3.0)
    with pytest.raises(TypeError, match="not a Value"):
        bad(Value(1.0))


@pytest.mark.parametrize("name", ["identity", "relu", "leaky_relu", "sigmoid", "tanh", "sin", "cos", "softplus", "exp"])
def test_named_elementwise_activations_have_the_right_values(name):
    ref = {"identity": lambda t: t, "relu": lambda t: max(t, 0.0), "leaky_relu": lambda t: t if t > 0 else 0.01 * t,
           "sigmoid": lambda t: 1 / (1 + np.exp(-t)), "tanh": np.tanh, "sin": np.sin, "cos": np.cos,
           "softplus": lambda t: np.log1p(np.exp(t)), "exp": np.exp}[name]
    for t in (-1.3, 0.4, 2.2):
        assert activations.get(name)(Value(t)).data == pytest.approx(ref(t), rel=1e-14)


def test_identity_activation_keeps_one_node_named_once():
    net = MLP.from_matrices([np.ones((2, 2)), np.ones((1, 2))], activations=["relu", "identity"])
    out, = net([1.0, 1.0])
    layer = net.layers[1]
    assert out is layer.last_pre[0] and out.label == "z²"  # default: the pre-activation's name
    names = [n for n, _ in net.forward_values()]
    assert names.count("z²") == 1 and "ŷ" not in names
    post = MLP.from_matrices([np.ones((2, 2)), np.ones((1, 2))], activations=["relu", "identity"],
                             notation=Notation(identity_label="post"))
    out, = post([1.0, 1.0])
    assert out.label == "ŷ"


def test_an_activation_that_names_its_output_keeps_that_name():
    net = MLP.from_matrices([np.ones((1, 1))], activations=lambda z: z.tanh().named("t"))
    out, = net([0.5])
    assert out.label == "t" and net.layers[0].last_pre[0].label == "z¹"


def test_softmax_layer_and_layer_wide_activation_rules():
    net = MLP.from_matrices([np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])], activations="softmax")
    p = net([1000.0, -1000.0])
    assert [v.label for v in p] == ["ŷ₁", "ŷ₂", "ŷ₃"]
    assert sum(v.data for v in p) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="whole layer"):
        Neuron([1.0], activation="softmax")
    half = Activation("half", lambda vs: vs[:1], elementwise=False)
    with pytest.raises(TypeError, match="one Value per unit"):
        MLP.from_matrices([np.ones((2, 1))], activations=half)([1.0])


# Neurons, random layers, shared parameters ----------------------------------------------------------

def test_neuron_with_a_bias_row_uses_a_constant_one():
    n = Neuron([0.5, 2.0, -1.0], activation="identity", bias_row=True, pre_label="s")
    out = n([3.0, 1.0])
    assert out.data == 0.5 + 6.0 - 1.0 and out.label == "s" and n.n_inputs == 2
    assert out.consts == (None, None, None, 1.0, None, None)
    with pytest.raises(ValueError, match="has 1 entries, expected 2"):
        n([1.0])


def test_random_mlp_shapes_in_both_conventions_and_seeding():
    a = MLP([2, 5, 1], convention="Wx+b", seed=1)
    b = MLP([2, 5, 1], convention="W^T x", seed=1)
    assert [W.shape for W in a.weights()] == [(5, 2), (1, 5)]
    assert [W.shape for W in b.weights()] == [(3, 5), (6, 1)]
    np.testing.assert_array_equal(a.weights()[0], b.weights()[0][1:].T)  # same draw, other layout
    assert np.all(b.weights()[0][0] == 0.0)  # biases start at 0
    assert a.num_parameters() == 5 * 2 + 5 + 5 + 1
    assert repr(a) == "MLP([2, 5, 1], activations=[relu, identity], convention='Wx+b')"
    nb = Layer(3, 2, "tanh", bias=False)
    assert nb.bias_vector() is None and len(nb.parameters()) == 6


def test_values_as_entries_are_the_parameters_themselves():
    shared = Value(0.5)
    net = MLP.from_matrices([[[shared, shared]]], activations="identity")
    assert net.parameters() == [shared] and shared.label == "W¹₁₁"
    out, = net([1.0, 2.0])
    out.backward()
    assert shared.grad == 3.0
    with pytest.raises(TypeError, match="numbers"):
        net.load([[[Value(1.0), 2.0]]])


def test_zero_grad_resets_every_parameter():
    net = MLP([2, 3, 1], seed=0)
    losses.squared_error(net([1.0, 2.0])[0], 1.0).backward()
    assert any(p.grad != 0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0 for p in net.parameters())


# Graph groups --------------------------------------------------------------------------------------

def test_graph_groups_partition_the_graph_by_layer():
    net = MLP.from_matrices([np.ones((3, 4)), np.ones((2, 3))], [np.zeros(3), np.zeros(2)],
                            activations=[lambda z: z.relu() + z.sin(), "softmax"], notation="matrix-subscript")
    net([1.0, 2.0, 3.0, 4.0])  # an earlier forward pass must not leak into the groups
    loss = losses.cross_entropy_from_probabilities(net([1.0, -1.0, 0.5, 2.0]), 1)
    groups = net.graph_groups(loss)
    assert list(groups) == ["input", "layer 1", "layer 2", "loss"]
    assert [v.label for v in groups["input"]] == ["x₁", "x₂", "x₃", "x₄"]
    l1 = groups["layer 1"]
    assert l1[:15] == net.layers[0].parameters()
    assert {v.op for v in l1[15:]} == {"linear", "relu", "sin", "add"}
    assert [v.label for v in l1 if v.label and v.op] == ["z⁽¹⁾₁", "h₁", "z⁽¹⁾₂", "h₂", "z⁽¹⁾₃", "h₃"]
    assert "softmax" in {v.op for v in groups["layer 2"]}
    assert groups["loss"][-1] is loss
    everything = [v for vs in groups.values() for v in vs]
    ids = [id(v) for v in everything]
    assert len(ids) == len(set(ids))                        # no node in two groups
    assert set(ids) == {id(v) for v in topological_order(loss)}  # and every node of the loss in one
    without = net.graph_groups()
    assert list(without) == ["input", "layer 1", "layer 2"]
