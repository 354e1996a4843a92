"""The ``flat`` communicator: every gradient packed in one buffer, one allreduce."""

from __future__ import annotations

from typing import Any

from kusari import configuration
from kusari.mn import _mpi
from kusari.mn.communicators import _memory_utility
from kusari.mn.communicators.mpi_communicator_base import MpiCommunicatorBase


class FlatCommunicator(MpiCommunicatorBase):
    """Packs all gradients into one contiguous buffer and averages it with one allreduce.

    The buffer is float32 (float64 when a gradient is float64) and reused across calls.
    GPU gradients are packed on the device and the buffer is staged through host memory.

    Args:
        mpi_comm: The mpi4py communicator.
    """

    def __init__(self, mpi_comm: Any) -> None:
        super().__init__(mpi_comm)
        self._device_buf = _memory_utility.PackBuffer()
        self._host_buf = _memory_utility.PackBuffer()

    def finalize(self) -> None:
        self._device_buf.release()
        self._host_buf.release()

    def _pack(self, model: Any, zero_fill: bool) -> tuple[list, Any]:
        params = self._grad_params(model, zero_fill)
        if configuration.config.debug:
            self._check_ready_to_allreduce(params)
        if not params:
            return params, None
        n = sum(p.array.size for p in params)
        xp = params[0].xp
        buf = self._device_buf.get(n, _memory_utility.comm_dtype(params), xp)
        _memory_utility.pack_grads(params, buf)
        return params, buf

    def _reduce(self, buf: Any) -> None:
        import numpy

        MPI = _mpi.get_mpi()
        if isinstance(buf, numpy.ndarray):
            host = buf
        else:
            host = self._host_buf.get(buf.size, buf.dtype, numpy)
            buf.get(out=host)
        self.mpi_comm.Allreduce(MPI.IN_PLACE, host)
        host *= host.dtype.type(1.0 / self.size)
        if host is not buf:
            buf.set(host)

    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False) -> None:
        params, buf = self._pack(model, zero_fill)
        if buf is None:
            return
        self._reduce(buf)
        _memory_utility.unpack_grads(params, buf)
