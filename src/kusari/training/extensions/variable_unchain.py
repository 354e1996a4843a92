"""unchain_variables: free the graphs of reported Variables after each iteration."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.training import extension

__all__ = ["unchain_variables"]


class unchain_variables(extension.Extension):
    """Cut the computational graph of every Variable in the observation.

    Useful with ``config.keep_graph_on_report = True``, once the readers are done.

    Example:
        >>> # trainer.extend(unchain_variables())
        >>> unchain_variables().priority
        0
    """

    priority = 0

    def __call__(self, trainer: Any) -> None:
        """Unchain each reported Variable backward."""
        for value in trainer.observation.values():
            if isinstance(value, variable.Variable):
                value.unchain_backward()
