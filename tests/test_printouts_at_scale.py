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
