"""PrintHook: print what goes into each function's forward and backward."""

from __future__ import annotations

import warnings
from typing import Any, TextIO

from kusari import backend, function_hook
from kusari.function_hooks import _util
from kusari.variable import Variable


def _describe(data: Any, grad: Any = None) -> str:
    """Chainer's ``Variable.debug_print()`` text for a fresh variable of ``data`` (None
    for one without an array) and ``grad``."""
    v = Variable._new(data, True)
    if grad is not None:
        v._grad_var = Variable._new(grad, False)
    return v.debug_print()


class PrintHook(function_hook.FunctionHook):
    """Function hook printing the inputs of every forward and backward, before the call.

    For each call it prints ``function\\t<label>``, ``input data`` and a description of
    each input array (``(removed)`` for an input backward did not retain); before a
    backward also ``output gradient`` and a description of each output gradient, as a
    variable of zeros holding it as its gradient (all ``None`` where it is absent).

    Args:
        sep: *(deprecated)* Ignored; passing it warns.
        end: Written after each printed item.
        file: Where to write (the current ``sys.stdout`` when None).
        flush: Whether to flush ``file`` after each call's report.

    Example:
        >>> import numpy, kusari.functions as F
        >>> from kusari.function_hooks import PrintHook
        >>> with PrintHook():  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
        ...     y = F.relu(numpy.array([-1.0, 1.0], numpy.float32))
        function ReLU
        input data
        <variable at 0x...>
        - device: CPU
        - backend: <class 'numpy.ndarray'>
        - shape: (2,)
        - dtype: float32
        - statistics: mean=0.00000000, std=1.00000000
        - grad: None
    """

    name = "PrintHook"

    def __init__(self, sep: str | None = None, end: str = "\n",
                 file: TextIO | None = None, flush: bool = True) -> None:
        if sep is not None:
            warnings.warn("sep argument in kusari.function_hooks.PrintHook is deprecated.",
                          DeprecationWarning, stacklevel=2)
        self.sep = sep
        self.end = end
        self.file = file
        self.flush = flush

    def _print(self, out: TextIO, msg: str) -> None:
        out.write(msg + self.end)

    def _process(self, function: Any, in_data: tuple, out_grad: tuple | None = None) -> None:
        out = _util.output(self.file)
        self._print(out, f"function\t{function.label}")
        self._print(out, "input data")
        for d in in_data:
            self._print(out, "(removed)" if d is None else _describe(d))
        if out_grad is not None:
            self._print(out, "output gradient")
            for g in out_grad:
                zeros = None if g is None else backend.get_array_module(g).zeros_like(g)
                self._print(out, _describe(zeros, g))
        if self.flush and hasattr(out, "flush"):
            out.flush()

    def forward_preprocess(self, function: Any, in_data: tuple) -> None:
        self._process(function, in_data)

    def backward_preprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        self._process(function, in_data, out_grad)
