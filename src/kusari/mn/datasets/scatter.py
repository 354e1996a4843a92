"""scatter_dataset / scatter_index: give each process its shard of a dataset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy

from kusari.datasets import SubDataset


class DataSizeError(RuntimeError):
    """A dataset's size does not fit the communicator (kept for ChainerMN scripts)."""


def _as_communicator(comm: Any) -> Any:
    """``comm``, or a kusari.mn communicator around it when it is a raw mpi4py one."""
    if hasattr(comm, "bcast_obj"):
        return comm
    from kusari.mn.communicators.naive_communicator import NaiveCommunicator

    return NaiveCommunicator(mpi_comm=comm)


def _scatter_index(n_total: int, size: int, force_equal_length: bool
                   ) -> Iterator[tuple[int, int, int]]:
    """``(rank, begin, end)`` of each shard."""
    if force_equal_length:
        # every shard has ceil(n / size) examples; neighbours overlap a little
        length = -(-n_total // size)
        for i in range(size):
            b = n_total * i // size
            yield i, b, b + length
        return
    base, extra = divmod(n_total, size)
    b = 0
    for i in range(size):
        e = b + base + (1 if i < extra else 0)
        yield i, b, e
        b = e


def scatter_index(n_total_samples: int, comm: Any, root: int = 0, *,
                  force_equal_length: bool = True) -> tuple[int, int]:
    """This process's ``(begin, end)`` offsets of a dataset of ``n_total_samples`` examples.

    Args:
        n_total_samples: Number of examples (root's value is used).
        comm: A kusari.mn communicator.
        root: The rank that decides.
        force_equal_length: Give every process ``ceil(n / size)`` examples (shards may
            overlap; needed by updaters and the multi-node evaluator, which expect equal
            numbers of iterations). If False, shards are disjoint and differ by at most one
            example (for exact evaluation).

    Returns:
        ``(begin, end)``, end exclusive.

    Example:
        >>> list(_scatter_index(10, 3, True))
        [(0, 0, 4), (1, 3, 7), (2, 6, 10)]
        >>> list(_scatter_index(10, 3, False))
        [(0, 0, 4), (1, 4, 7), (2, 7, 10)]
    """
    comm = _as_communicator(comm)
    if comm.rank == root:
        mine = (0, 0)
        for i, b, e in _scatter_index(n_total_samples, comm.size, force_equal_length):
            if i == root:
                mine = (b, e)
            else:
                comm.send_obj((b, e), dest=i)
        return mine
    return comm.recv_obj(source=root)


def scatter_dataset(dataset: Any, comm: Any, root: int = 0, shuffle: bool = False,
                    seed: int | None = None, max_buf_len: int = 256 * 1024 * 1024, *,
                    force_equal_length: bool = True) -> SubDataset:
    """Scatter root's dataset: each process gets a :class:`~kusari.datasets.SubDataset`.

    The dataset (and, with ``shuffle``, one permutation drawn at root) is broadcast from
    ``root``; the other processes' ``dataset`` arguments are ignored (pass None).

    Args:
        dataset: Root's dataset (list, array, TupleDataset, ...).
        comm: A kusari.mn communicator (or an mpi4py one).
        root: The rank holding the dataset.
        shuffle: Permute the examples before splitting.
        seed: Seed of the permutation (None: random).
        max_buf_len: Chunk size in bytes for broadcasting the pickled dataset.
        force_equal_length: See :func:`scatter_index`.

    Returns:
        This process's shard.

    Raises:
        ValueError: ``root`` is not a rank.
    """
    comm = _as_communicator(comm)
    if not 0 <= root < comm.size:
        raise ValueError(f"scatter_dataset: root must be in [0, {comm.size}), got {root}")
    if comm.rank == root:
        order = None
        if shuffle:
            order = numpy.random.RandomState(seed).permutation(len(dataset))
        data = (dataset, order)
    else:
        data = None
    dataset, order = comm.bcast_obj(data, max_buf_len=max_buf_len, root=root)
    b, e = scatter_index(len(dataset), comm, root, force_equal_length=force_equal_length)
    return SubDataset(dataset, b, e, order)


def get_n_iterations_for_one_epoch(dataset: Any, local_batch_size: int, comm: Any) -> int:
    """Root's number of iterations per epoch, shared with all (deprecated in ChainerMN)."""
    n = -(-len(dataset) // local_batch_size) if comm.rank == 0 else None
    return comm.bcast_obj(n)


def get_epoch_trigger(n_epochs: int, dataset: Any, local_batch_size: int,
                      comm: Any) -> tuple[int, str]:
    """An iteration trigger lasting ``n_epochs`` of root's shard (deprecated in ChainerMN)."""
    return n_epochs * get_n_iterations_for_one_epoch(dataset, local_batch_size, comm), \
        "iteration"
