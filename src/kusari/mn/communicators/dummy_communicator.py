"""The ``dummy`` communicator: packs and unpacks gradients but sends nothing."""

from __future__ import annotations

from typing import Any

from kusari.mn.communicators import _memory_utility
from kusari.mn.communicators.flat_communicator import FlatCommunicator


class DummyCommunicator(FlatCommunicator):
    """Measures the packing overhead of :class:`FlatCommunicator` without communicating.

    Gradients are not averaged, so training with it is not data-parallel training: use it
    only for benchmarks. The other collectives work as usual.

    Args:
        mpi_comm: The mpi4py communicator.
    """

    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False) -> None:
        params, buf = self._pack(model, zero_fill)
        if buf is not None:
            _memory_utility.unpack_grads(params, buf)
