"""The ``pure_nccl`` communicator: gradients averaged on the GPUs with NCCL (via CuPy).

.. warning::
    Written against CuPy's ``cupy.cuda.nccl`` API, but not run in kusari's test suite
    (its machines have no GPU). Array and object collectives go through MPI as in the
    other communicators; only :meth:`~PureNcclCommunicator.bcast_data` and
    :meth:`~PureNcclCommunicator.multi_node_mean_grad` use NCCL.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy

from kusari import configuration
from kusari.mn.communicators import _memory_utility
from kusari.mn.communicators.mpi_communicator_base import MpiCommunicatorBase

_NCCL_DTYPES = {"float16": "NCCL_FLOAT16", "float32": "NCCL_FLOAT32",
                "float64": "NCCL_FLOAT64"}


class PureNcclCommunicator(MpiCommunicatorBase):
    """Averages CuPy gradients with one NCCL allreduce over a packed device buffer.

    Each process must use its own GPU (by convention ``comm.intra_rank``) before the
    first call; the NCCL communicator is created then, on the current device.

    Args:
        mpi_comm: The mpi4py communicator (used to share NCCL's unique id).

    Raises:
        RuntimeError: CuPy (with NCCL) is not available.
    """

    def __init__(self, mpi_comm: Any) -> None:
        super().__init__(mpi_comm)
        from kusari.backends import cuda

        if not cuda.available:
            raise RuntimeError("the pure_nccl communicator needs CuPy and a CUDA GPU; "
                               "use 'naive' or 'flat' on CPUs")
        try:
            from cupy.cuda import nccl
        except ImportError as e:
            raise RuntimeError(f"the pure_nccl communicator needs CuPy built with NCCL ({e})"
                               ) from e
        if not getattr(nccl, "available", True):
            raise RuntimeError("the pure_nccl communicator needs NCCL, which CuPy cannot load")
        self._nccl = nccl
        self.nccl_comm: Any = None
        self._buf = _memory_utility.PackBuffer()
        self._configs["allreduce_grad_dtype"] = None

    def set_config(self, name: str, value: Any = True, **kwargs: Any) -> None:
        if name == "allreduce_grad_dtype":
            if value is not None:
                value = numpy.dtype(value)
                if value not in (numpy.float16, numpy.float32):
                    raise ValueError("allreduce_grad_dtype must be numpy.float16, "
                                     f"numpy.float32 or None, got {value}")
            self._configs[name] = value
            return
        super().set_config(name, value, **kwargs)

    @property
    def allreduce_grad_dtype(self) -> Any:
        return self._configs["allreduce_grad_dtype"]

    def _init_comms(self) -> None:
        if self.nccl_comm is not None:
            return
        uid = self._nccl.get_unique_id() if self.rank == 0 else None
        uid = self.mpi_comm.bcast(uid, root=0)
        self.nccl_comm = self._nccl.NcclCommunicator(self.size, uid, self.rank)

    def finalize(self) -> None:
        if self.nccl_comm is not None:
            self.nccl_comm.destroy()
            self.nccl_comm = None
        self._buf.release()

    def _stream_ptr(self, stream: Any) -> int:
        from kusari.backends import cuda

        s = cuda.cupy.cuda.get_current_stream() if stream is None else stream
        return s.ptr

    def bcast_data(self, model: Any) -> None:
        """Overwrite every initialized parameter with rank 0's, with NCCL broadcasts.

        NumPy parameters (a model not on the GPU) fall back to MPI.
        """
        params = self._initialized_params(model)
        if not params or isinstance(params[0][1].array, numpy.ndarray):
            super().bcast_data(model)
            return
        self._init_comms()
        stream = self._stream_ptr(None)
        for _, p in params:
            a = p.array
            target = a if a.flags.c_contiguous else a.copy()
            self.nccl_comm.bcast(target.data.ptr, target.nbytes, self._nccl.NCCL_UINT8, 0,
                                 stream)
            if target is not a:
                a[...] = target

    def _grad_dtype(self, params: list) -> numpy.dtype:
        if self.allreduce_grad_dtype is not None:
            return self.allreduce_grad_dtype
        dtypes = {p.array.dtype for p in params}
        if dtypes == {numpy.dtype(numpy.float16)}:
            return numpy.dtype(numpy.float16)
        if configuration.config.dtype == numpy.float16:
            return numpy.dtype(numpy.float16)
        return _memory_utility.comm_dtype(params)

    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False,
                             stream: Any = None) -> None:
        params = self._grad_params(model, zero_fill)
        if not params:
            return
        if isinstance(params[0].array, numpy.ndarray):
            raise TypeError("the pure_nccl communicator averages GPU (CuPy) gradients; "
                            "send the model to the GPU or use the 'flat' communicator")
        if configuration.config.debug:
            self._check_ready_to_allreduce(params)
        self._init_comms()
        from kusari.backends import cuda

        cupy = cuda.cupy
        dtype = self._grad_dtype(params)
        n = sum(p.array.size for p in params)
        buf = self._buf.get(n, dtype, cupy)
        ptr = self._stream_ptr(stream)
        with stream if stream is not None else contextlib.nullcontext():
            _memory_utility.pack_grads(params, buf)
            nccl_dtype = getattr(self._nccl, _NCCL_DTYPES[dtype.name])
            self.nccl_comm.allReduce(buf.data.ptr, buf.data.ptr, n, nccl_dtype,
                                     self._nccl.NCCL_SUM, ptr)
            buf *= dtype.type(1.0 / self.size)
            _memory_utility.unpack_grads(params, buf)

    def _multi_node_mean_grad_async(self, model: Any, zero_fill: bool, stream: Any) -> None:
        """:meth:`multi_node_mean_grad` enqueued on ``stream`` (for double buffering)."""
        self.multi_node_mean_grad(model, zero_fill, stream=stream)

