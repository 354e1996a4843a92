"""The sampling grid of a 2-D affine spatial transformer."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _reject_kwargs(kwargs: dict) -> None:
    """Chainer's handling of the removed ``use_cudnn`` argument and of unknown ones."""
    if "use_cudnn" in kwargs:
        raise ValueError("The argument \"use_cudnn\" is not supported anymore. Use "
                         "chainer.using_config('use_cudnn', value) context where value can be "
                         "`always`, `never`, or `auto`.")
    if kwargs:
        names = ", ".join(repr(k) for k in kwargs)
        raise TypeError(f"got unexpected keyword argument(s) {names}")


def _coords(xp: Any, out_hw: tuple, dtype: Any) -> Any:
    """``(3, H * W)``: rows ``x_t``, ``y_t`` (each in ``[-1, 1]``) and ones."""
    h, w = out_hw
    c = xp.empty((3, h, w), dtype)
    c[0] = xp.linspace(-1, 1, w, dtype=dtype)[None, :]
    c[1] = xp.linspace(-1, 1, h, dtype=dtype)[:, None]
    c[2] = 1
    return c.reshape(3, h * w)


def _theta_ok(in_data: tuple) -> bool:
    t = in_data[0]
    return t.dtype.kind == "f" and t.shape[1:] == (2, 3)


class SpatialTransformerGrid(FunctionNode):
    """``grid[n] = theta[n] @ [x_t; y_t; 1]`` over the output pixels."""

    _fast_check = staticmethod(_theta_ok)

    def __init__(self, output_shape: tuple) -> None:
        self.output_shape = tuple(int(s) for s in output_shape)

    def check_type_forward(self, in_types: Any) -> None:
        type_check.argname(in_types, ("theta",))
        t = in_types[0]
        type_check.expect(t.dtype.kind == "f", t.ndim == 3, t.shape[1] == 2, t.shape[2] == 3)

    def forward(self, inputs: tuple) -> tuple:
        theta, = inputs
        xp = get_array_module(theta)
        h, w = self.output_shape
        grid = xp.matmul(theta, _coords(xp, self.output_shape, theta.dtype))
        return grid.reshape(theta.shape[0], 2, h, w),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return SpatialTransformerGridGrad(self.output_shape).apply(grad_outputs)


class SpatialTransformerGridGrad(FunctionNode):
    """``gtheta[n] = ggrid[n] @ coords^T`` (linear, so its gradient is the grid again)."""

    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, output_shape: tuple) -> None:
        self.output_shape = output_shape

    def forward(self, inputs: tuple) -> tuple:
        ggrid, = inputs
        xp = get_array_module(ggrid)
        h, w = self.output_shape
        coords = _coords(xp, self.output_shape, ggrid.dtype)
        return xp.matmul(ggrid.reshape(ggrid.shape[0], 2, h * w), coords.T),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return SpatialTransformerGrid(self.output_shape).apply(grad_outputs)


def spatial_transformer_grid(theta: Any, output_shape: tuple, **kwargs: Any) -> variable.Variable:
    """The source coordinates an affine spatial transformer samples.

    For each output pixel with normalized coordinates :math:`(x^t, y^t) \\in [-1, 1]^2`
    (``-1`` is the top-left corner) the source point is

    .. math:: (x^s, y^s)^T = \\theta \\, (x^t, y^t, 1)^T.

    See `Spatial Transformer Networks <https://arxiv.org/abs/1506.02025>`_.

    Args:
        theta: Variable or array of shape ``(n, 2, 3)``, float: one affine matrix per sample.
        output_shape: ``(h_O, w_O)``.

    Returns:
        A Variable of shape ``(n, 2, h_O, w_O)``; channel 0 holds :math:`x^s`, channel 1
        :math:`y^s`, both in the normalized ``[-1, 1]`` frame of the source image.

    Raises:
        kusari.utils.type_check.InvalidType: ``theta`` is not float or not ``(n, 2, 3)``.
        ValueError: ``use_cudnn`` is given (removed in Chainer 2).
        TypeError: Another keyword argument is given.

    Example:
        >>> import numpy
        >>> theta = numpy.array([[[1, 0, 0], [0, 1, 0]]], numpy.float32)
        >>> spatial_transformer_grid(theta, (2, 3)).array[0, 0].tolist()
        [[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]
    """
    if kwargs:
        _reject_kwargs(kwargs)
    return SpatialTransformerGrid(output_shape).apply((theta,))[0]
