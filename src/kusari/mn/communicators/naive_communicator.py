"""The ``naive`` communicator: one MPI allreduce per parameter."""

from __future__ import annotations

from typing import Any

from kusari import configuration
from kusari.mn.communicators.mpi_communicator_base import MpiCommunicatorBase


class NaiveCommunicator(MpiCommunicatorBase):
    """Averages gradients with one allreduce per parameter (CPU or GPU; simple, slowest).

    Args:
        mpi_comm: The mpi4py communicator.
    """

    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False) -> None:
        params = self._grad_params(model, zero_fill)
        if configuration.config.debug:
            self._check_ready_to_allreduce(params)
        for p in params:
            if p.grad is None:
                p.grad = p.xp.zeros_like(p.array)
            self._multi_node_mean(None, p.grad)
