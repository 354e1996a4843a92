"""Communicators: how the processes of a data-parallel job exchange arrays and gradients."""

from __future__ import annotations

from typing import Any

from kusari.mn.communicators.communicator_base import CommunicatorBase

_NAMES = ("naive", "flat", "non_cuda_aware", "pure_nccl", "dummy")


def create_communicator(communicator_name: str = "pure_nccl", mpi_comm: Any = None,
                        **kwargs: Any) -> CommunicatorBase:
    """Create a communicator over ``mpi_comm`` (``MPI.COMM_WORLD`` by default).

    ==================  ===  ===  ==================================================
    name                CPU  GPU  how gradients are averaged
    ==================  ===  ===  ==================================================
    ``pure_nccl``            OK   one NCCL allreduce on the GPU (default, as ChainerMN)
    ``flat``            OK   OK   all gradients packed, one MPI allreduce
    ``non_cuda_aware``  OK   OK   same as ``flat`` (GPU buffers always go via the host)
    ``naive``           OK   OK   one MPI allreduce per parameter
    ``dummy``           OK   OK   packing only, no communication (benchmarks)
    ==================  ===  ===  ==================================================

    On CPUs pass ``'naive'`` or ``'flat'``. When the communicator spans more than one
    process, an uncaught exception on any rank aborts the whole job (see
    :mod:`kusari.mn.global_except_hook`), and each rank limits its BLAS threads to its
    share of the host's cores (with threadpoolctl, when installed and no
    ``OMP_NUM_THREADS`` is set).

    Args:
        communicator_name: One of the names above.
        mpi_comm: An mpi4py communicator.
        allreduce_grad_dtype: (``pure_nccl`` only) ``numpy.float16`` or ``numpy.float32``,
            the dtype gradients are reduced in.

    Returns:
        The communicator.

    Raises:
        ImportError: mpi4py is missing (install the ``mpi`` extra).
        ValueError: Unknown name or option.

    Example:
        >>> import kusari.mn
        >>> comm = kusari.mn.create_communicator('naive')  # doctest: +SKIP
        >>> comm.rank, comm.size  # doctest: +SKIP
        (0, 1)
    """
    from kusari.mn import _mpi, global_except_hook

    if communicator_name not in _NAMES:
        raise ValueError(f"Unrecognized communicator: {communicator_name!r} "
                         f"(choose from {', '.join(_NAMES)})")
    allreduce_grad_dtype = kwargs.pop("allreduce_grad_dtype", None)
    batched_copy = kwargs.pop("batched_copy", True)
    if kwargs:
        raise TypeError(f"create_communicator: unexpected arguments {sorted(kwargs)}")
    if communicator_name != "pure_nccl" and allreduce_grad_dtype is not None:
        raise ValueError("allreduce_grad_dtype is only available with the 'pure_nccl' "
                         "communicator")
    MPI = _mpi.get_mpi()
    if mpi_comm is None:
        mpi_comm = MPI.COMM_WORLD
    if communicator_name == "naive":
        from kusari.mn.communicators.naive_communicator import NaiveCommunicator as cls
    elif communicator_name in ("flat", "non_cuda_aware"):
        from kusari.mn.communicators.flat_communicator import FlatCommunicator as cls
    elif communicator_name == "dummy":
        from kusari.mn.communicators.dummy_communicator import DummyCommunicator as cls
    else:
        from kusari.mn.communicators.pure_nccl_communicator import (
            PureNcclCommunicator as cls,
        )
    comm = cls(mpi_comm=mpi_comm)
    if communicator_name == "pure_nccl":
        comm.set_config("allreduce_grad_dtype", allreduce_grad_dtype)
    comm.set_config("batched_copy", batched_copy)
    if MPI.COMM_WORLD.size > 1:
        global_except_hook.add_hook()
        _mpi.limit_blas_threads(comm.intra_size)
    return comm


__all__ = ["CommunicatorBase", "create_communicator"]
