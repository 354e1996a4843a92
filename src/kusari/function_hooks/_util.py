"""Helpers shared by the function hooks: the report table and the CuPy requirement."""

from __future__ import annotations

from typing import Any

from kusari.backends import cuda
from kusari.utils import timer_report

# the table writer is the TimerHooks' (kusari.utils.timer_report)
output = timer_report.output  # the current sys.stdout when None
write_table = timer_report.write_table


def impl_name(function: Any) -> str:
    """The name a profiling hook reports for ``function``, as Chainer's ``_impl_name``.

    That is the implementing class's name (``'Exp'``, where the label is ``'exp'``); the
    wrapped function's for a legacy :class:`~kusari.Function`; and for a kusari node
    that implements several Chainer functions, the Chainer class name it carries.

    Example:
        >>> from kusari.functions.math.exponential import Exp
        >>> impl_name(Exp()), Exp().label
        ('Exp', 'exp')
    """
    from kusari.function import FunctionAdapter

    if isinstance(function, FunctionAdapter):
        return type(function.function).__name__
    return getattr(function, "_label", None) or type(function).__name__


def require_cupy(what: str) -> Any:
    """The ``cupy`` module, or RuntimeError saying that ``what`` needs CuPy and a GPU.

    Raises:
        RuntimeError: CuPy is not installed or no CUDA GPU is visible.
    """
    try:
        cuda.check_cuda_available()
    except RuntimeError as e:
        raise RuntimeError(f"{what} needs CuPy and a CUDA GPU. {e}") from e
    return cuda.cupy
