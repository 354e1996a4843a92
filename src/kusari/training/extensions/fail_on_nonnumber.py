"""FailOnNonNumber: stop training when a parameter becomes NaN or infinite."""

from __future__ import annotations

from typing import Any

from kusari import backend
from kusari.training import extension

__all__ = ["FailOnNonNumber"]


class FailOnNonNumber(extension.Extension):
    """Raise when a parameter (or, with ``check_grad``, a gradient) is not finite.

    Each optimizer's check costs one host synchronization, whatever the number of
    parameters.

    Args:
        check_grad: Also check the gradients.

    Example:
        >>> # trainer.extend(FailOnNonNumber())
        >>> FailOnNonNumber().trigger
        (1, 'iteration')
    """

    def __init__(self, *, check_grad: bool = False) -> None:
        self._check_grad = check_grad

    def __call__(self, trainer: Any) -> None:
        """Check every optimizer's target.

        Raises:
            RuntimeError: Naming the optimizer whose parameters diverged.
        """
        for name, optimizer in trainer.updater.get_all_optimizers().items():
            arrays = []
            for param in optimizer.target.params():
                if param.array is not None:
                    arrays.append(param.array)
                if self._check_grad and param.grad is not None:
                    arrays.append(param.grad)
            if not arrays:
                continue
            xp = backend.get_array_module(arrays[0])
            finite = xp.stack([xp.isfinite(a).all() for a in arrays]).all()
            if not bool(finite):
                raise RuntimeError(
                    f"FailOnNonNumber: parameters of optimizer {name!r} diverged (NaN or "
                    "infinity); stopping the training"
                )
