"""Communicators on MPI (mpi4py): array and object collectives and model broadcast.

Arrays travel as raw bytes (any dtype, float16 included); their shapes and dtypes go
first as small pickled messages. CuPy arrays are staged through host memory, so any MPI
works (a CUDA-aware MPI is not needed). Reductions are done in the arrays' own dtype,
float16 in float32 since MPI has no half type.
"""

from __future__ import annotations

import collections
import pickle
from typing import Any

import numpy

from kusari import backend, configuration
from kusari.mn import _mpi
from kusari.mn.communicators.communicator_base import CommunicatorBase

_DEFAULT_MAX_BUF_LEN = 256 * 1024 * 1024
_INT_MAX = 2 ** 31 - 1


def _is_numpy(x: Any) -> bool:
    return isinstance(x, numpy.ndarray)


def _check_array(x: Any, caller: str) -> None:
    if not hasattr(x, "dtype") or not hasattr(x, "shape"):
        raise TypeError(f"{caller}: expected a NumPy or CuPy array, got {type(x).__name__}")


def _meta(x: Any) -> tuple:
    """What a receiver needs to allocate ``x``: shape, dtype and whether it is on a GPU."""
    return tuple(x.shape), x.dtype.str, not _is_numpy(x)


def _host(x: Any) -> numpy.ndarray:
    """``x`` as a C-contiguous NumPy array (a copy only when needed)."""
    if _is_numpy(x):
        return numpy.ascontiguousarray(x)
    return x.get()


def _as_bytes(a: numpy.ndarray) -> numpy.ndarray:
    """A flat ``uint8`` view of a contiguous array (the MPI buffer)."""
    return a.reshape(-1).view(numpy.uint8)


def _nbytes(meta: tuple) -> int:
    shape, dtype, _ = meta
    return int(numpy.prod(shape, dtype=numpy.int64)) * numpy.dtype(dtype).itemsize


def _to_device(a: numpy.ndarray, on_gpu: bool) -> Any:
    """``a`` on the current GPU when ``on_gpu`` (the receiver's current device)."""
    if not on_gpu:
        return a
    from kusari.backends import cuda

    return cuda.cupy.asarray(a)


def _displs(counts: list[int]) -> list[int]:
    out, total = [], 0
    for c in counts:
        out.append(total)
        total += c
    return out


def _split(buf: numpy.ndarray, metas: list[tuple]) -> tuple:
    """Cut a byte buffer into the arrays ``metas`` describe."""
    out, offset = [], 0
    for meta in metas:
        n = _nbytes(meta)
        shape, dtype, on_gpu = meta
        a = buf[offset:offset + n].view(numpy.dtype(dtype)).reshape(shape)
        out.append(_to_device(a, on_gpu))
        offset += n
    return tuple(out)


def _check_same_dtype(metas: list[tuple], caller: str) -> None:
    dtypes = {m[1] for m in metas}
    if len(dtypes) > 1:
        raise TypeError(f"{caller}: all processes must pass the same dtype, got "
                        f"{sorted(numpy.dtype(d).name for d in dtypes)}")


def _reduction_dtype(dtype: numpy.dtype) -> numpy.dtype:
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else dtype


def init_ranks(mpi_comm: Any) -> tuple[int, int, int, int, int]:
    """``(rank, intra_rank, intra_size, inter_rank, inter_size)`` from the host names."""
    MPI = _mpi.get_mpi()
    names = mpi_comm.allgather(MPI.Get_processor_name())
    ranks_of: dict[str, list[int]] = collections.defaultdict(list)
    for r, name in enumerate(names):
        ranks_of[name].append(r)
    hosts = sorted(ranks_of, key=lambda n: ranks_of[n][0])  # ordered by their lowest rank
    me = mpi_comm.rank
    mine = ranks_of[names[me]]
    return me, mine.index(me), len(mine), hosts.index(names[me]), len(hosts)


class MpiCommunicatorBase(CommunicatorBase):
    """Array and object collectives over an mpi4py communicator.

    Subclasses implement :meth:`multi_node_mean_grad`.

    Args:
        mpi_comm: The mpi4py communicator (``MPI.COMM_WORLD`` for the whole job).
    """

    def __init__(self, mpi_comm: Any) -> None:
        super().__init__()
        self.mpi_comm = mpi_comm
        (_, self._intra_rank, self._intra_size, self._inter_rank,
         self._inter_size) = init_ranks(mpi_comm)
        self._configs["batched_copy"] = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} rank={self.rank} size={self.size}>"

    # -- ranks ---------------------------------------------------------------------------
    @property
    def rank(self) -> int:
        return self.mpi_comm.rank

    @property
    def size(self) -> int:
        return self.mpi_comm.size

    @property
    def intra_rank(self) -> int:
        return self._intra_rank

    @property
    def intra_size(self) -> int:
        return self._intra_size

    @property
    def inter_rank(self) -> int:
        return self._inter_rank

    @property
    def inter_size(self) -> int:
        return self._inter_size

    def set_config(self, name: str, value: Any = True, **kwargs: Any) -> None:
        if name == "batched_copy":  # accepted for ChainerMN scripts; packing is always batched
            self._configs[name] = bool(value)
            return
        super().set_config(name, value, **kwargs)

    def split(self, color: int, key: int) -> MpiCommunicatorBase:
        """A communicator of the same class over ``mpi_comm.Split(color, key)``."""
        return type(self)(mpi_comm=self.mpi_comm.Split(color, key))

    def finalize(self) -> None:
        pass

    # -- arrays ----------------------------------------------------------------------------
    def bcast(self, x: Any, max_buf_len: int | None = None, root: int = 0) -> Any:
        """Root's array ``x`` on every process (root gets ``x`` itself back).

        Raises:
            TypeError: ``x`` at root is a tuple or not an array.
        """
        if self.rank == root:
            if isinstance(x, (tuple, list)):
                raise TypeError("bcast: tuple data cannot be broadcast")
            _check_array(x, "bcast")
            meta = self.mpi_comm.bcast(_meta(x), root=root)
            self.mpi_comm.Bcast(_as_bytes(_host(x)), root=root)
            return x
        meta = self.mpi_comm.bcast(None, root=root)
        buf = numpy.empty(_nbytes(meta), numpy.uint8)
        self.mpi_comm.Bcast(buf, root=root)
        return _split(buf, [meta])[0]

    def gather(self, x: Any, root: int = 0) -> tuple | None:
        """Every process's array (shapes may differ) as a tuple at root; None elsewhere.

        Raises:
            TypeError: ``x`` is a tuple, or the dtypes differ between processes.
        """
        if isinstance(x, (tuple, list)):
            raise TypeError("gather: tuple data cannot be gathered")
        _check_array(x, "gather")
        metas = self.mpi_comm.gather(_meta(x), root=root)
        send = _as_bytes(_host(x))
        if self.rank != root:
            self.mpi_comm.Gatherv(send, None, root=root)
            return None
        counts = [_nbytes(m) for m in metas]
        buf = numpy.empty(sum(counts), numpy.uint8)
        self.mpi_comm.Gatherv(send, [buf, (counts, _displs(counts))], root=root)
        _check_same_dtype(metas, "gather")
        return _split(buf, [(s, d, not _is_numpy(x)) for s, d, _ in metas])

    def allgather(self, x: Any) -> tuple:
        """Every process's array as a tuple, on every process.

        Raises:
            TypeError: ``x`` is a tuple, or the dtypes differ between processes.
        """
        if isinstance(x, (tuple, list)):
            raise TypeError("allgather: tuple data cannot be gathered")
        _check_array(x, "allgather")
        metas = self.mpi_comm.allgather(_meta(x))
        _check_same_dtype(metas, "allgather")
        counts = [_nbytes(m) for m in metas]
        buf = numpy.empty(sum(counts), numpy.uint8)
        self.mpi_comm.Allgatherv(_as_bytes(_host(x)), [buf, (counts, _displs(counts))])
        return _split(buf, [(s, d, not _is_numpy(x)) for s, d, _ in metas])

    def allreduce(self, x: Any) -> Any:
        """Elementwise sum over processes (a new array; shapes must agree).

        Raises:
            TypeError: ``x`` is a tuple or not an array.
        """
        if isinstance(x, (tuple, list)):
            raise TypeError("allreduce: tuple data cannot be reduced")
        _check_array(x, "allreduce")
        a = _host(x)
        work = a.astype(_reduction_dtype(a.dtype), copy=True)
        MPI = _mpi.get_mpi()
        self.mpi_comm.Allreduce(MPI.IN_PLACE, work.reshape(-1))
        return _to_device(work.astype(a.dtype, copy=False), not _is_numpy(x))

    def scatter(self, xs: Any, root: int = 0) -> Any:
        """Rank ``i`` receives root's ``xs[i]``.

        Args:
            xs: At root, a tuple of ``size`` arrays (shapes may differ) or an array whose
                first axis has length ``size``; ignored elsewhere.

        Raises:
            ValueError: The number of pieces is not ``size``.
        """
        if self.rank == root:
            if isinstance(xs, (tuple, list)):
                if len(xs) != self.size:
                    raise ValueError("scatter: the length of xs must be the communicator "
                                     f"size {self.size}, got {len(xs)}")
                pieces = list(xs)
            else:
                _check_array(xs, "scatter")
                if xs.ndim == 0 or xs.shape[0] != self.size:
                    raise ValueError("scatter: the first axis of xs must have the "
                                     f"communicator size {self.size}, got shape {xs.shape}")
                pieces = [xs[i] for i in range(self.size)]
            for p in pieces:
                _check_array(p, "scatter")
            metas = [_meta(p) for p in pieces]
            _check_same_dtype(metas, "scatter")
            meta = self.mpi_comm.scatter(metas, root=root)
            counts = [_nbytes(m) for m in metas]
            send = numpy.concatenate([_as_bytes(_host(p)) for p in pieces]) if pieces else \
                numpy.empty(0, numpy.uint8)
            buf = numpy.empty(_nbytes(meta), numpy.uint8)
            self.mpi_comm.Scatterv([send, (counts, _displs(counts))], buf, root=root)
        else:
            meta = self.mpi_comm.scatter(None, root=root)
            buf = numpy.empty(_nbytes(meta), numpy.uint8)
            self.mpi_comm.Scatterv(None, buf, root=root)
        return _split(buf, [meta])[0]

    def alltoall(self, xs: Any) -> tuple:
        """Send ``xs[i]`` to rank ``i``; returns what each rank sent here, in rank order.

        Raises:
            ValueError: ``len(xs)`` is not ``size``.
        """
        if len(xs) != self.size:
            raise ValueError(f"alltoall: the length of xs must be the communicator size "
                             f"{self.size}, got {len(xs)}")
        for x in xs:
            _check_array(x, "alltoall")
        metas = [_meta(x) for x in xs]
        _check_same_dtype(metas, "alltoall")
        rmetas = self.mpi_comm.alltoall(metas)
        scounts = [_nbytes(m) for m in metas]
        rcounts = [_nbytes(m) for m in rmetas]
        send = numpy.concatenate([_as_bytes(_host(x)) for x in xs])
        buf = numpy.empty(sum(rcounts), numpy.uint8)
        self.mpi_comm.Alltoallv([send, (scounts, _displs(scounts))],
                                [buf, (rcounts, _displs(rcounts))])
        on_gpu = not _is_numpy(xs[0]) if xs else False
        return _split(buf, [(s, d, on_gpu) for s, d, _ in rmetas])

    def send(self, data: Any, dest: int, tag: int = 0) -> None:
        """Send an array, or a tuple/list of arrays, to ``dest`` (received by :meth:`recv`)."""
        is_tuple = isinstance(data, (tuple, list))
        arrays = list(data) if is_tuple else [data]
        for a in arrays:
            _check_array(a, "send")
        self.mpi_comm.send((is_tuple, [_meta(a) for a in arrays]), dest=dest, tag=tag)
        for a in arrays:
            self.mpi_comm.Send(_as_bytes(_host(a)), dest=dest, tag=tag)

    def recv(self, source: int, tag: int = 0) -> Any:
        """Receive what :meth:`send` sent: an array, or a tuple if a tuple was sent."""
        is_tuple, metas = self.mpi_comm.recv(source=source, tag=tag)
        out = []
        for meta in metas:
            buf = numpy.empty(_nbytes(meta), numpy.uint8)
            self.mpi_comm.Recv(buf, source=source, tag=tag)
            out.append(_split(buf, [meta])[0])
        return tuple(out) if is_tuple else out[0]

    # -- objects ---------------------------------------------------------------------------
    def send_obj(self, obj: Any, dest: int, tag: int = 0) -> None:
        self.mpi_comm.send(obj, dest=dest, tag=tag)

    def recv_obj(self, source: int, status: Any = None, tag: Any = None) -> Any:
        MPI = _mpi.get_mpi()
        return self.mpi_comm.recv(source=source, status=status,
                                  tag=MPI.ANY_TAG if tag is None else tag)

    def bcast_obj(self, obj: Any, max_buf_len: int | None = _DEFAULT_MAX_BUF_LEN,
                  root: int = 0) -> Any:
        """Root's object on every process, pickled and sent in chunks of ``max_buf_len`` bytes.

        Raises:
            ValueError: ``max_buf_len`` is not in ``[1, 2**31 - 1]``.
        """
        max_buf_len = _DEFAULT_MAX_BUF_LEN if max_buf_len is None else max_buf_len
        if not 0 < max_buf_len <= _INT_MAX:
            raise ValueError(f"bcast_obj: max_buf_len must be in [1, {_INT_MAX}], "
                             f"got {max_buf_len}")
        if self.rank == root:
            raw = bytearray(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL))
            data = numpy.frombuffer(raw, numpy.uint8)
            n = self.mpi_comm.bcast(data.size, root=root)
        else:
            n = self.mpi_comm.bcast(None, root=root)
            data = numpy.empty(n, numpy.uint8)
        for start in range(0, n, max_buf_len):
            self.mpi_comm.Bcast(data[start:start + max_buf_len], root=root)
        return obj if self.rank == root else pickle.loads(data.tobytes())

    def gather_obj(self, obj: Any, root: int = 0) -> list | None:
        return self.mpi_comm.gather(obj, root=root)

    def allreduce_obj(self, obj: Any) -> Any:
        """The sum of the objects (numbers, NumPy arrays: anything with ``+``)."""
        return self.mpi_comm.allreduce(obj)

    # -- models ----------------------------------------------------------------------------
    def _initialized_params(self, model: Any) -> list:
        return [(n, p) for n, p in sorted(model.namedparams()) if p.array is not None]

    def bcast_data(self, model: Any) -> None:
        """Overwrite every initialized parameter of ``model`` with rank 0's, in name order.

        Raises:
            ValueError: (on every process) the processes' models have different
                initialized parameters, shapes or dtypes.
        """
        params = self._initialized_params(model)
        signature = [(n, tuple(p.array.shape), p.array.dtype.str) for n, p in params]
        signatures = self.mpi_comm.allgather(signature)
        for r, sig in enumerate(signatures):
            if sig != signatures[0]:
                diff = sorted(set(sig) ^ set(signatures[0]))[:3]
                raise ValueError(f"bcast_data: the model on rank {r} differs from rank 0's "
                                 f"(initialized parameters, shapes or dtypes), e.g. {diff}")
        self._bcast_params(params)

    def _bcast_params(self, params: list) -> None:
        for _, p in params:
            a = p.array
            if _is_numpy(a) and a.flags.c_contiguous:
                self.mpi_comm.Bcast(_as_bytes(a), root=0)
            else:
                h = _host(a).copy()
                self.mpi_comm.Bcast(_as_bytes(h), root=0)
                a[...] = h if _is_numpy(a) else _to_device(h, True)

    def _grad_params(self, model: Any, zero_fill: bool) -> list:
        """Parameters taking part in a gradient reduction, in name order."""
        return [p for _, p in sorted(model.namedparams())
                if p.array is not None and (zero_fill or p.grad is not None)]

    def _check_ready_to_allreduce(self, params: list) -> None:
        """(Debug mode) raise on every process if the processes' gradients differ in layout."""
        mine = [(tuple(p.array.shape), p.array.dtype.str, p.grad is None) for p in params]
        everyone = self.mpi_comm.allgather(mine)
        for r, theirs in enumerate(everyone):
            if theirs != everyone[0]:
                raise ValueError(f"multi_node_mean_grad: the gradients on rank {r} differ "
                                 "from rank 0's in number, shape, dtype or presence")

    def _multi_node_mean(self, sendbuf: Any, recvbuf: Any) -> None:
        """``recvbuf`` = mean over processes of ``sendbuf`` (of ``recvbuf`` when None)."""
        src = recvbuf if sendbuf is None else sendbuf
        a = _host(src)
        work = a.astype(_reduction_dtype(a.dtype), copy=True)
        MPI = _mpi.get_mpi()
        self.mpi_comm.Allreduce(MPI.IN_PLACE, work.reshape(-1))
        work *= work.dtype.type(1.0 / self.size)
        if _is_numpy(recvbuf):
            recvbuf[...] = work
        else:
            recvbuf[...] = _to_device(work, True).astype(recvbuf.dtype, copy=False)
        if configuration.config.debug:
            xp = backend.get_array_module(recvbuf)
            if not bool(xp.isfinite(recvbuf).all()):
                raise ValueError("multi_node_mean: non-finite values after allreduce")

    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False) -> None:
        raise NotImplementedError
