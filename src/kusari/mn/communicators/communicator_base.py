"""The interface every kusari.mn communicator implements (ChainerMN's CommunicatorBase)."""

from __future__ import annotations

import abc
import warnings
from typing import Any


class CommunicatorBase(abc.ABC):
    """Interface of the communicators that :func:`~kusari.mn.create_communicator` returns.

    A communicator knows the processes of one job: its own ``rank`` among ``size``, and
    the same split by host (``intra_rank``/``intra_size`` on this host,
    ``inter_rank``/``inter_size`` among hosts). It moves arrays (``bcast``, ``gather``,
    ``allgather``, ``allreduce``, ``scatter``, ``alltoall``, ``send``, ``recv``), picklable
    objects (the ``*_obj`` methods) and the parameters and gradients of models
    (:meth:`bcast_data`, :meth:`multi_node_mean_grad`). Every collective must be called by
    all processes of the communicator, in the same order.
    """

    def __init__(self) -> None:
        self._configs: dict[str, Any] = {}

    @property
    @abc.abstractmethod
    def rank(self) -> int:
        """This process's rank, ``0 <= rank < size``."""

    @property
    @abc.abstractmethod
    def size(self) -> int:
        """Number of processes."""

    @property
    @abc.abstractmethod
    def intra_rank(self) -> int:
        """Rank among the processes on this host (the GPU to use, by convention)."""

    @property
    @abc.abstractmethod
    def intra_size(self) -> int:
        """Number of processes on this host."""

    @property
    @abc.abstractmethod
    def inter_rank(self) -> int:
        """Index of this host."""

    @property
    @abc.abstractmethod
    def inter_size(self) -> int:
        """Number of hosts."""

    def set_config(self, name: str, value: Any = True, **kwargs: Any) -> None:
        """Set a communicator option.

        Raises:
            ValueError: This communicator has no option ``name``.
        """
        raise ValueError(f"{type(self).__name__}: unknown config {name!r}")

    def get_config(self, name: str | None = None) -> Any:
        """An option's value, or a dict of all options when ``name`` is None.

        Raises:
            ValueError: No option ``name``.
        """
        if name is None:
            return dict(self._configs)
        if name not in self._configs:
            raise ValueError(f"{type(self).__name__}: unknown config {name!r}")
        return self._configs[name]

    @abc.abstractmethod
    def split(self, color: int, key: int) -> CommunicatorBase:
        """A communicator of the processes that passed the same ``color``, ordered by ``key``."""

    @abc.abstractmethod
    def alltoall(self, xs: Any) -> tuple:
        """Send ``xs[i]`` to rank ``i``; return the arrays received, one per rank."""

    @abc.abstractmethod
    def send(self, data: Any, dest: int, tag: int) -> None:
        """Send an array or a tuple of arrays to ``dest``."""

    @abc.abstractmethod
    def recv(self, source: int, tag: int) -> Any:
        """Receive what :meth:`send` sent from ``source``."""

    @abc.abstractmethod
    def bcast(self, data: Any, max_buf_len: int | None = None, root: int = 0) -> Any:
        """Root's array, on every process."""

    @abc.abstractmethod
    def gather(self, data: Any, root: int = 0) -> Any:
        """Every process's array, as a tuple at ``root`` (None elsewhere)."""

    @abc.abstractmethod
    def allgather(self, x: Any) -> tuple:
        """Every process's array, as a tuple on every process."""

    @abc.abstractmethod
    def allreduce(self, data: Any) -> Any:
        """The elementwise sum over processes of same-shaped arrays."""

    @abc.abstractmethod
    def scatter(self, xs: Any, root: int = 0) -> Any:
        """Root's ``xs[i]`` on rank ``i``."""

    def finalize(self) -> None:  # noqa: B027 - optional hook, nothing to release here
        """Release what the communicator holds (buffers, NCCL communicators)."""

    @abc.abstractmethod
    def send_obj(self, obj: Any, dest: int, tag: int = 0) -> None:
        """Send a picklable object."""

    @abc.abstractmethod
    def recv_obj(self, source: int, status: Any = None, tag: Any = None) -> Any:
        """Receive an object sent by :meth:`send_obj`."""

    @abc.abstractmethod
    def bcast_obj(self, obj: Any, max_buf_len: int | None = None, root: int = 0) -> Any:
        """Root's object, on every process."""

    @abc.abstractmethod
    def gather_obj(self, obj: Any, root: int = 0) -> Any:
        """Every process's object, as a list at ``root`` (None elsewhere)."""

    @abc.abstractmethod
    def allreduce_obj(self, obj: Any) -> Any:
        """The sum (``+``) over processes of the objects."""

    @abc.abstractmethod
    def bcast_data(self, model: Any) -> None:
        """Overwrite every initialized parameter of ``model`` with rank 0's."""

    def broadcast_data(self, model: Any) -> None:
        """Old name of :meth:`bcast_data`."""
        self.bcast_data(model)

    @abc.abstractmethod
    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False) -> None:
        """Replace the gradient of every parameter by its mean over processes.

        Args:
            model: The link whose parameters' gradients are averaged.
            zero_fill: Treat an initialized parameter without gradient (unused in this
                process's forward pass) as having a zero gradient. When False such
                parameters are skipped, which is only safe if every process skips the
                same ones. Uninitialized parameters are always skipped.
        """

    def allreduce_grad(self, model: Any, zero_fill: bool = False) -> None:
        """Deprecated name of :meth:`multi_node_mean_grad`."""
        warnings.warn("allreduce_grad() is deprecated; use multi_node_mean_grad()",
                      DeprecationWarning, stacklevel=2)
        self.multi_node_mean_grad(model, zero_fill)
