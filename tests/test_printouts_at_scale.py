"""What the printouts and drawings do to be fast on big graphs must not show: the cycle collector,
paused while one is built, is back as it was afterwards (after an error too), and nothing computed
for one printout carries over to the next when the numbers have changed."""

import gc

import pytest

from autograd import Value, draw, explain, forward_table, gc_paused, trace


def small_graph():
    x, w = Value(2.0, label="x"), Value(-0.5, label="w")
    loss = ((w * x).tanh() - 1.0).named("ℓ") ** 2
    loss.backward()
    return loss, w


BUILDERS = {
    "trace": lambda loss, w: trace(loss),
    "explain": lambda loss, w: explain(loss, w),
    "forward_table": lambda loss, w: forward_table(loss),
    "draw": lambda loss, w: draw(loss).source,
}


@pytest.mark.parametrize("name", BUILDERS)
def test_the_collector_is_on_again_after_a_printout(name):
    loss, w = small_graph()
    assert gc.isenabled()
    BUILDERS[name](loss, w)
    assert gc.isenabled()


@pytest.mark.parametrize("name", BUILDERS)
def test_the_collector_stays_paused_when_the_caller_paused_it(name):
    loss, w = small_graph()
    with gc_paused():
        BUILDERS[name](loss, w)
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_a_printout_refuses_its_input():
    loss, w = small_graph()
    stranger = Value(1.0)
    for refused in (lambda: trace(loss, wrt=stranger), lambda: explain(loss, stranger),
                    lambda: forward_table(loss, digits=0), lambda: draw(loss, view="nope")):
        with pytest.raises(ValueError):
            refused()
        assert gc.isenabled()


def test_a_second_printout_shows_the_numbers_as_they_are_now():
    # every printout and drawing keeps its formatted numbers and names for itself only: after the
    # user changes a leaf's data and runs backward() again (grads add up), the next one shows that
    loss, w = small_graph()
    before = {name: str(build(loss, w)) for name, build in BUILDERS.items()}
    old_grad = w.grad
    w.data = 0.25
    loss.backward()  # accumulates: w.grad doubles
    assert w.grad == 2 * old_grad
    after = {name: str(build(loss, w)) for name, build in BUILDERS.items()}
    assert "0.25" in after["forward_table"] and "0.25" not in before["forward_table"]
    assert "differ ✗" in after["trace"] and "differ ✗" not in before["trace"]
    assert "w.grad = -5.919 ✗" in after["explain"] and "w.grad = -2.959 ✓" in before["explain"]
    assert f"grad {w.grad:.4g}".replace("-", "−") in after["draw"]
    assert f"grad {old_grad:.4g}".replace("-", "−") not in after["draw"]


def test_the_same_number_in_two_places_is_written_once_and_the_same_everywhere():
    # a drawing formats each distinct number once: a value met as a node's data and as an edge's
    # partial reads the same in both places
    x = Value(0.123456, label="x")
    w = Value(3.0, label="w")
    y = (w * x).named("y")
    y.backward()
    dot = draw(y).source
    assert dot.count("0.1235") == 3  # x's data, w's grad (dy/dw = x) and the partial ∂y/∂w = x on the edge
