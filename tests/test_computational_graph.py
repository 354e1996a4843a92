"""build_computational_graph and its DOT dump."""

from __future__ import annotations

import numpy
import pytest

import kusari
from kusari import computational_graph as c


def _graph():
    x = kusari.Variable(numpy.ones((2, 3), numpy.float32), name="x")
    y = x * 2
    z = y + x
    z.name = "z"
    return x, y, z


def test_nodes_and_edges():
    x, y, z = _graph()
    g = c.build_computational_graph([z])
    variables = [n for n in g.nodes if isinstance(n, kusari.VariableNode)]
    functions = [n for n in g.nodes if isinstance(n, kusari.FunctionNode)]
    assert len(variables) == 3 and len(functions) == 2
    ids = {(id(a), id(b)) for a, b in g.edges}
    assert (id(x.node), id(y.creator_node)) in ids
    assert (id(y.creator_node), id(y.node)) in ids
    assert (id(x.node), id(z.creator_node)) in ids
    assert len(g.edges) == 5


def test_dump_dot():
    _, _, z = _graph()
    dot = c.build_computational_graph(z, rankdir="LR").dump()
    assert dot.startswith("digraph graphname {\n  rankdir=LR;\n")
    assert dot.rstrip().endswith("}")
    assert 'label="x: (2, 3), float32"' in dot
    assert 'shape="octagon"' in dot and 'shape="record"' in dot
    assert dot.count(" -> ") == 5


def test_remove_variable_and_styles():
    _, _, z = _graph()
    g = c.build_computational_graph(
        [z], remove_variable=True, variable_style=None, function_style={"color": "red"}
    )
    dot = g.dump()
    assert dot.count(" -> ") == 1  # the product feeds the sum
    assert 'color="red"' in dot and "octagon" not in dot


def test_errors():
    _, _, z = _graph()
    with pytest.raises(ValueError, match="rankdir"):
        c.build_computational_graph([z], rankdir="UP")
    with pytest.raises(NotImplementedError, match="format"):
        c.build_computational_graph([z]).dump("svg")
