"""Build the computational graph behind some Variables and dump it in Graphviz DOT.

Example:
    >>> import numpy, kusari
    >>> x = kusari.Variable(numpy.ones(2, numpy.float32), name='x')
    >>> y = x * 2
    >>> g = build_computational_graph([y])
    >>> g.dump().startswith('digraph graphname {')
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kusari import function_node, variable

__all__ = ["ComputationalGraph", "DotNode", "build_computational_graph"]

_DEFAULT_VARIABLE_STYLE = {"shape": "octagon", "fillcolor": "#E0E0E0", "style": "filled"}
_DEFAULT_FUNCTION_STYLE = {"shape": "record", "fillcolor": "#6495ED", "style": "filled"}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attrs(label: str, style: dict[str, str] | None) -> str:
    style = style or {}
    label = _quote(label)
    if style.get("shape") == "record":  # these characters structure record labels
        label = re.sub(r"([{}<>|])", r"\\\1", label)
    items = [f"label={label}"] + [f"{k}={_quote(str(v))}" for k, v in style.items()]
    return ", ".join(items)


class DotNode:
    """One node of the graph as a Graphviz statement.

    Args:
        node: A VariableNode or FunctionNode.
        attribute: DOT attributes (``shape``, ``fillcolor``...).
        show_name: Prefix a variable's label with its name.

    Example:
        >>> import numpy, kusari
        >>> v = kusari.Variable(numpy.zeros(2, numpy.float32), name='v')
        >>> DotNode(v.node, {'shape': 'box'}).label.split(' ', 1)[1]
        '[label="v: (2), float32", shape="box"];'
    """

    def __init__(
        self, node: Any, attribute: dict[str, str] | None = None, show_name: bool = True
    ) -> None:
        self.node = node
        self.id_ = id(node)
        self.attribute = dict(attribute or {})
        label = node.label
        if show_name and isinstance(node, variable.VariableNode) and node.name is not None:
            label = f"{node.name}: {label}"
        self._label = label

    @property
    def label(self) -> str:
        """The DOT statement defining this node."""
        return f'"{self.id_}" [{_attrs(self._label, self.attribute)}];'


class ComputationalGraph:
    """Nodes (VariableNodes and FunctionNodes) and the edges between them.

    Args:
        nodes: The nodes.
        edges: Pairs ``(parent, child)``: data flows from parent to child.
        variable_style: DOT attributes of variable nodes.
        function_style: DOT attributes of function nodes.
        rankdir: Graphviz layout direction: ``'TB'``, ``'BT'``, ``'LR'`` or ``'RL'``.
        remove_variable: Drop the variable nodes, linking functions directly.
        show_name: Show variable names in their labels.

    Raises:
        ValueError: If ``rankdir`` is not one of the four directions.
    """

    def __init__(
        self,
        nodes: list[Any],
        edges: list[tuple[Any, Any]],
        variable_style: dict[str, str] | None = None,
        function_style: dict[str, str] | None = None,
        rankdir: str = "TB",
        remove_variable: bool = False,
        show_name: bool = True,
    ) -> None:
        if rankdir not in ("TB", "BT", "LR", "RL"):
            raise ValueError(
                f"ComputationalGraph: rankdir must be 'TB', 'BT', 'LR' or 'RL', got {rankdir!r}"
            )
        self.nodes = nodes
        self.edges = edges
        self.variable_style = variable_style
        self.function_style = function_style
        self.rankdir = rankdir
        self.remove_variable = remove_variable
        self.show_name = show_name

    def _to_dot(self) -> str:
        lines = ["digraph graphname {", f"  rankdir={self.rankdir};"]
        for node in self.nodes:
            is_var = isinstance(node, variable.VariableNode)
            if is_var and self.remove_variable:
                continue
            style = self.variable_style if is_var else self.function_style
            lines.append("  " + DotNode(node, style, self.show_name).label)
        for parent, child in self.edges:
            lines.append(f'  "{id(parent)}" -> "{id(child)}";')
        lines.append("}")
        return "\n".join(lines) + "\n"

    def dump(self, format: str = "dot") -> str:
        """The graph as text.

        Args:
            format: Only ``'dot'`` (Graphviz) is supported.

        Returns:
            The DOT source; render it with ``dot -Tpng cg.dot -o cg.png``.

        Raises:
            NotImplementedError: For another format.
        """
        if format != "dot":
            raise NotImplementedError(
                f"ComputationalGraph.dump: format {format!r} is not supported; use 'dot'"
            )
        return self._to_dot()


def _style(style: Any, default: dict[str, str]) -> dict[str, str] | None:
    return dict(default) if style == "default" else style


def build_computational_graph(
    outputs: Iterable[Any] | Any,
    remove_split: bool = True,
    variable_style: Any = "default",
    function_style: Any = "default",
    rankdir: str = "TB",
    remove_variable: bool = False,
    show_name: bool = True,
) -> ComputationalGraph:
    """Collect the graph that produced ``outputs``, walking back to the leaves.

    Args:
        outputs: A Variable, VariableNode or FunctionNode, or a list of them.
        remove_split: Accepted for compatibility (kusari has no split nodes).
        variable_style: DOT attributes of variables; ``'default'`` for grey octagons.
        function_style: DOT attributes of functions; ``'default'`` for blue records.
        rankdir: Graphviz layout direction.
        remove_variable: Link functions directly, without variable nodes.
        show_name: Show variable names.

    Returns:
        The :class:`ComputationalGraph`.

    Example:
        >>> import numpy, kusari
        >>> y = kusari.Variable(numpy.ones(1, numpy.float32)) * 3
        >>> len(build_computational_graph(y).nodes)
        3
    """
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    stack: list[Any] = []
    for out in outputs:
        stack.append(out.node if isinstance(out, variable.Variable) else out)
    seen: set[int] = set()
    nodes: list[Any] = []
    edges: list[tuple[Any, Any]] = []
    edge_ids: set[tuple[int, int]] = set()

    def add_edge(parent: Any, child: Any) -> None:
        key = (id(parent), id(child))
        if key not in edge_ids:
            edge_ids.add(key)
            edges.append((parent, child))

    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        if isinstance(node, variable.VariableNode):
            creator = node.creator_node
            if creator is not None:
                add_edge(creator, node)
                stack.append(creator)
        elif isinstance(node, function_node.FunctionNode):
            for input_node in node.inputs or ():
                add_edge(input_node, node)
                stack.append(input_node)
    if remove_variable:
        edges = _function_edges(nodes)
    return ComputationalGraph(
        nodes,
        edges,
        _style(variable_style, _DEFAULT_VARIABLE_STYLE),
        _style(function_style, _DEFAULT_FUNCTION_STYLE),
        rankdir,
        remove_variable,
        show_name,
    )


def _function_edges(nodes: list[Any]) -> list[tuple[Any, Any]]:
    """Edges from each function to the functions consuming its outputs."""
    edges = []
    for node in nodes:
        if isinstance(node, function_node.FunctionNode):
            for input_node in node.inputs or ():
                creator = input_node.creator_node
                if creator is not None:
                    edges.append((creator, node))
    return edges
