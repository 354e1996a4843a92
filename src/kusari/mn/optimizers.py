"""create_multi_node_optimizer: data-parallel updates with any kusari optimizer."""

from __future__ import annotations

import copy
from typing import Any

from kusari import configuration


def _param_layout(target: Any) -> list:
    return [(name, p.array is not None) for name, p in sorted(target.namedparams())]


class _MultiNodeOptimizer:
    """Wraps an optimizer: same parameters everywhere, mean gradients before each update.

    Attribute reads and writes other than the wrapper's own go to the actual optimizer,
    so ``opt.lr``, ``opt.t``, ``opt.serialize`` and ``opt.add_hook`` work as before.
    """

    def __init__(self, actual_optimizer: Any, communicator: Any, zero_fill: bool) -> None:
        object.__setattr__(self, "actual_optimizer", actual_optimizer)
        object.__setattr__(self, "communicator", communicator)
        object.__setattr__(self, "zero_fill", zero_fill)
        object.__setattr__(self, "target_params", None)

    def setup(self, link: Any) -> _MultiNodeOptimizer:
        """Set up the actual optimizer on ``link``; returns this wrapper."""
        self.actual_optimizer.setup(link)
        object.__setattr__(self, "target_params", None)
        return self

    def _is_changed(self, target: Any) -> bool:
        """Whether the set of (initialized) parameters changed since the last broadcast."""
        return _param_layout(target) != self.target_params

    def _bcast(self, target: Any) -> None:
        self.communicator.bcast_data(target)
        object.__setattr__(self, "target_params", _param_layout(target))

    def update(self, lossfun: Any = None, *args: Any, **kwds: Any) -> None:
        """Update the parameters with the gradient averaged over all processes.

        With ``lossfun``, the first call makes every parameter equal to rank 0's before
        computing the loss (lazily initialized parameters are first created by a forward
        pass in test mode without graph), so no iteration is lost. Without ``lossfun``
        (gradients computed by the caller), a call that finds new parameters only
        broadcasts them and skips the update, as in ChainerMN, since the gradients were
        computed from parameters that differed between processes.
        """
        actual = self.actual_optimizer
        target = actual.target
        if lossfun is not None:
            if self._is_changed(target):
                if any(p.array is None for p in target.params()):
                    with configuration.using_config("train", False), \
                            configuration.no_backprop_mode():
                        lossfun(*args, **kwds)
                self._bcast(target)
            loss = lossfun(*args, **kwds)
            if getattr(actual, "_use_cleargrads", True):
                target.cleargrads()
            else:
                target.zerograds()
            loss.backward(loss_scale=actual._loss_scale)
            del loss
        if self._is_changed(target):
            self._bcast(target)
            return
        self.communicator.multi_node_mean_grad(target, self.zero_fill)
        actual.update(None, *args, **kwds)

    def __getattr__(self, name: str) -> Any:
        if name == "actual_optimizer":  # not set yet (copy, unpickling): avoid recursion
            raise AttributeError(name)
        return getattr(self.actual_optimizer, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.actual_optimizer, name, value)


class _DoubleBufferingOptimizer(_MultiNodeOptimizer):
    """Overlaps the gradient allreduce with the next iteration's forward and backward.

    Each update applies the mean of the *previous* iteration's gradients while this
    iteration's are reduced on a separate CUDA stream. Needs the ``pure_nccl``
    communicator. Not run in kusari's tests (no GPU there).
    """

    def __init__(self, actual_optimizer: Any, communicator: Any, zero_fill: bool) -> None:
        super().__init__(actual_optimizer, communicator, zero_fill)
        from kusari.backends import cuda

        object.__setattr__(self, "stream", cuda.cupy.cuda.Stream(non_blocking=True))
        object.__setattr__(self, "communicated_target", None)
        object.__setattr__(self, "needs_update", False)

    def _wait(self) -> None:
        from kusari.backends import cuda

        self.stream.synchronize()
        cuda.cupy.cuda.get_current_stream().synchronize()

    def update(self, lossfun: Any = None, *args: Any, **kwds: Any) -> None:
        actual = self.actual_optimizer
        target = actual.target
        if lossfun is not None:
            if self._is_changed(target) and any(p.array is None for p in target.params()):
                with configuration.using_config("train", False), \
                        configuration.no_backprop_mode():
                    lossfun(*args, **kwds)
            loss = lossfun(*args, **kwds)
            if getattr(actual, "_use_cleargrads", True):
                target.cleargrads()
            else:
                target.zerograds()
            loss.backward(loss_scale=actual._loss_scale)
            del loss
        self._wait()
        if self._is_changed(target):
            self._bcast(target)
            object.__setattr__(self, "communicated_target", copy.deepcopy(target))
            object.__setattr__(self, "needs_update", False)
            return
        mine = [p for _, p in sorted(target.namedparams())]
        theirs = [p for _, p in sorted(self.communicated_target.namedparams())]
        for a, b in zip(mine, theirs):  # this step's gradients go out, last step's come in
            a.grad, b.grad = b.grad, a.grad
        self.communicator._multi_node_mean_grad_async(self.communicated_target,
                                                      self.zero_fill, self.stream)
        if self.needs_update:
            actual.update(None, *args, **kwds)
        else:
            object.__setattr__(self, "needs_update", True)


def create_multi_node_optimizer(actual_optimizer: Any, communicator: Any,
                                double_buffering: bool = False,
                                zero_fill: bool = True) -> Any:
    """Make ``actual_optimizer`` data-parallel over ``communicator``.

    The returned optimizer broadcasts rank 0's parameters on the first update (and
    whenever new parameters appear), then before every update replaces each gradient by
    its mean over all processes. With the usual mean-reduced loss, ``N`` processes with
    batches of ``B`` examples take the same steps as one process with batches of ``N*B``.

    Args:
        actual_optimizer: A kusari optimizer (e.g. ``optimizers.Adam()``), set up or not.
        communicator: A kusari.mn communicator.
        double_buffering: Overlap communication with computation, applying each
            iteration's mean gradient one iteration late (``pure_nccl`` only).
        zero_fill: Treat initialized parameters that got no gradient (unused in this
            process's forward pass) as having zero gradient, so all processes reduce the
            same arrays. If False they are skipped, which hangs or fails when processes
            disagree about them.

    Returns:
        The multi-node optimizer; other attributes are the actual optimizer's.

    Raises:
        ValueError: ``double_buffering`` with a communicator other than ``pure_nccl``.

    Example:
        >>> import kusari.mn, kusari.links as L
        >>> from kusari import optimizers
        >>> comm = kusari.mn.create_communicator('naive')  # doctest: +SKIP
        >>> opt = kusari.mn.create_multi_node_optimizer(
        ...     optimizers.SGD(0.1), comm).setup(L.Linear(3, 2))  # doctest: +SKIP
    """
    if double_buffering:
        from kusari.mn.communicators.pure_nccl_communicator import PureNcclCommunicator

        if not isinstance(communicator, PureNcclCommunicator):
            raise ValueError("double buffering needs the 'pure_nccl' communicator")
        return _DoubleBufferingOptimizer(actual_optimizer, communicator, zero_fill)
    return _MultiNodeOptimizer(actual_optimizer, communicator, zero_fill)
