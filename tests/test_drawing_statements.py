"""The DOT statements a drawing writes itself (autograd.drawing.scene.DotStatements) are the ones
``graphviz.Digraph.node`` and ``.edge`` write, byte for byte, whatever the ids, labels and
attribute values: plain names, numbers, keywords, quotes, backslashes, HTML-like labels, ports."""

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd.drawing.scene import DotStatements

graphviz = pytest.importorskip("graphviz")

TRICKY = ["n0", "e12", "_x", "node", "Graph", "strict", "0.5", "-4.2", ".42", "1.", "2.6", "0", "", "a b",
          "#fff4d6", "rounded,filled", "0.03,0.01", 'say "hi"', '\\"', "back\\\\slash", "<<B>x</B>>", "<>",
          "<not html", "html>", "<a>\n", "ŷ", "W¹₂₁", "x:y", "—"]
values = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
ends = st.one_of(st.sampled_from(["n1", "e3:w", "e3:e", "a b:c d", "x:y:s", "node:p"]), st.text(max_size=8))
attributes = st.dictionaries(st.sampled_from(["shape", "color", "penwidth", "label2", "style", "node", "a b"]),
                             st.one_of(values, st.none()), max_size=4)


def both(write):
    """The body lines graphviz writes and the ones DotStatements writes for the same calls."""
    theirs = graphviz.Digraph()
    ours = graphviz.Digraph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a value ending in one backslash warns, in both
        write(theirs, DotStatements(ours))
    return theirs.body, ours.body


@settings(max_examples=300, deadline=None)
@given(values, st.one_of(values, st.none()), attributes)
def test_a_node_statement_is_the_one_graphviz_writes(name, label, attrs):
    theirs, ours = both(lambda g, s: (g.node(name, label, **attrs), s.node(name, label, s.attributes(attrs))))
    assert ours == theirs


@settings(max_examples=300, deadline=None)
@given(ends, ends, attributes)
def test_an_edge_statement_is_the_one_graphviz_writes(tail, head, attrs):
    theirs, ours = both(lambda g, s: (g.edge(tail, head, **attrs), s.edge(tail, head, s.attributes(attrs))))
    assert ours == theirs


def test_the_same_attributes_in_another_order_are_written_sorted_as_graphviz_sorts_them():
    theirs, ours = both(lambda g, s: [(g.node("n1", "<x>", **a), s.node("n1", "<x>", s.attributes(a)))
                                      for a in ({"shape": "box", "color": "red"}, {"color": "red", "shape": "box"})])
    assert ours == theirs and ours[0] == ours[1]


@settings(max_examples=200, deadline=None)
@given(ends, st.sampled_from(["e0", "e17", "node", "a b"]), values, ends,
       *(attributes.filter(lambda a: any(v is not None for v in a.values())) for _ in range(3)))
def test_a_link_through_its_label_is_the_node_and_two_edges_graphviz_writes(tail, label_id, label, head, node,
                                                                             into, out):
    theirs, ours = both(lambda g, s: (
        g.node(label_id, label, **node), g.edge(tail, f"{label_id}:w", **into), g.edge(f"{label_id}:e", head, **out),
        s.through_label(tail, label_id, label, head, s.attributes(node), s.attributes(into), s.attributes(out))))
    assert ours == theirs
