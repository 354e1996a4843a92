"""DumpGraph: write the computational graph of a reported Variable in DOT format."""

from __future__ import annotations

import os
from typing import Any

from kusari import computational_graph, configuration, variable
from kusari.training import extension
from kusari.training.extensions._util import atomic_write

__all__ = ["DumpGraph", "dump_graph"]


class DumpGraph(extension.Extension):
    """Dump the graph behind ``observation[root_name]`` after the first iteration.

    During the first iteration, reported Variables keep their graph
    (``config.keep_graph_on_report`` is set, then restored).

    Args:
        root_name: Observation key of the Variable, e.g. ``'main/loss'``.
        filename: File name in the trainer's ``out`` (default ``'cg.dot'``; ``out_name`` is
            accepted as an alias).
        variable_style: DOT attributes of variables (see ``build_computational_graph``).
        function_style: DOT attributes of functions.

    Example:
        >>> # trainer.extend(dump_graph('main/loss'))
        >>> DumpGraph('main/loss').default_name
        'dump_graph'
    """

    default_name = "dump_graph"

    def __init__(
        self,
        root_name: str,
        filename: str | None = None,
        variable_style: Any = None,
        function_style: Any = None,
        **kwargs: Any,
    ) -> None:
        out_name = kwargs.pop("out_name", "cg.dot")
        if kwargs:
            raise TypeError(f"DumpGraph: unexpected keyword arguments {sorted(kwargs)}")
        self._root_name = root_name
        self._filename = out_name if filename is None else filename
        self._variable_style = "default" if variable_style is None else variable_style
        self._function_style = "default" if function_style is None else function_style
        self._original_flag: bool | None = None
        self._flag_called = False

    def initialize(self, trainer: Any) -> None:
        """Keep graphs of reported Variables until the dump."""
        if not self._flag_called:
            self._original_flag = configuration.config.keep_graph_on_report
            configuration.config.keep_graph_on_report = True

    def trigger(self, trainer: Any) -> bool:
        """Fire once, at the first iteration."""
        if self._flag_called:
            return False
        self._flag_called = True
        return True

    def __call__(self, trainer: Any) -> None:
        """Write the DOT file.

        Raises:
            TypeError: If the observed value is not a Variable.
        """
        try:
            var = trainer.observation[self._root_name]
            if not isinstance(var, variable.Variable):
                raise TypeError(
                    f"DumpGraph: observation[{self._root_name!r}] must be a "
                    f"Variable, got {type(var).__name__}"
                )
            graph = computational_graph.build_computational_graph(
                [var], variable_style=self._variable_style, function_style=self._function_style
            )
            path = os.path.join(trainer.out, self._filename)
            atomic_write(path, lambda f: f.write(graph.dump()))
        finally:
            if self._original_flag is not None:
                configuration.config.keep_graph_on_report = self._original_flag

    def serialize(self, serializer: Any) -> None:
        """Save or load whether the graph was dumped."""
        self._flag_called = bool(serializer("_flag_called", self._flag_called))


dump_graph = DumpGraph
