"""Gate slicing shared by the LSTM-family cells, on arrays and on Variables alike."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check


def _stacked_shape(shape: tuple, n: int, thick: bool) -> tuple:
    # thin (interleaved, LSTM): column n j + k is unit j of gate k;
    # thick (tree LSTM): columns [k H, (k + 1) H) are gate k.
    if thick:
        return (shape[0], n, shape[1] // n) + shape[2:]
    return (shape[0], shape[1] // n, n) + shape[2:]


def split_gates(x: Any, n: int, thick: bool) -> list:
    """The ``n`` gates of ``x`` (array or Variable)."""
    if isinstance(x, variable.Variable):
        from kusari.functions.array.reshape import reshape

        r = reshape(x, _stacked_shape(x.shape, n, thick))
    else:
        r = x.reshape(_stacked_shape(x.shape, n, thick))
    if isinstance(r, variable.Variable):
        from kusari.functions.activation._scale import basic_slice as take
    else:
        def take(a: Any, s: tuple) -> Any:
            return a[s]
    if thick:
        return [take(r, (slice(None), k)) for k in range(n)]
    return [take(r, (slice(None), slice(None), k)) for k in range(n)]


class JoinGates(FunctionNode):
    """The inverse of :func:`split_gates`: gates back into one array of ``shape``."""

    _fast_check = staticmethod(_fast_check.always)

    def __init__(self, shape: tuple, thick: bool) -> None:
        self.shape = shape
        self.thick = thick

    def forward(self, inputs: tuple) -> tuple:
        xp = get_array_module(*inputs)
        return xp.stack(inputs, axis=1 if self.thick else 2).reshape(self.shape),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gs = split_gates(grad_outputs[0], len(self.inputs), self.thick)
        return tuple(gs[k] for k in indexes)


def join_gates(gates: tuple, shape: tuple, thick: bool) -> Any:
    """Gates (arrays or Variables) joined into ``shape``."""
    if isinstance(gates[0], variable.Variable):
        return JoinGates(shape, thick).apply(gates)[0]
    xp = get_array_module(*gates)
    return xp.stack(gates, axis=1 if thick else 2).reshape(shape)


class ArrayOps:
    """Elementwise nonlinearities on raw arrays."""

    @staticmethod
    def tanh(x: Any) -> Any:
        return get_array_module(x).tanh(x)

    @staticmethod
    def sigmoid(x: Any) -> Any:
        from kusari.functions.activation.sigmoid import _sigmoid_array

        return _sigmoid_array(x)


class VariableOps:
    """The same nonlinearities as differentiable functions."""

    @staticmethod
    def tanh(x: Any) -> Any:
        from kusari.functions.activation.tanh import tanh

        return tanh(x)

    @staticmethod
    def sigmoid(x: Any) -> Any:
        from kusari.functions.activation.sigmoid import sigmoid

        return sigmoid(x)
