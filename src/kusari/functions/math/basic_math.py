"""Arithmetic on Variables: ``+ - * / ** @``, negation and absolute value.

Binary operations broadcast like NumPy; the gradient is summed back to each input's
shape in one place, :func:`kusari.functions.sum_to`. A Python or NumPy scalar operand
is a constant (no gradient); an array operand is a constant input cast to the
Variable's dtype.

Example:
    >>> import numpy
    >>> from kusari import Variable
    >>> x = Variable(numpy.array([1.0, 2.0], numpy.float32))
    >>> (2 * x + 1).array.tolist()
    [3.0, 5.0]
"""

from __future__ import annotations

from typing import Any

import numpy

from kusari import variable
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import force_array, type_check
from kusari.utils import sum_to as _sum_to_array

Variable = variable.Variable
_ndarray = numpy.ndarray


def _array_types() -> tuple:
    return variable._array_types()


def _check_float_binary(in_types: Any) -> None:
    type_check.expect(in_types.size() == 2)
    type_check.argname(in_types, ("lhs", "rhs"))
    type_check.expect(
        in_types[0].dtype.kind == "f",
        in_types[0].dtype == in_types[1].dtype,
    )
    type_check.expect_broadcast_shapes(in_types[0].shape, in_types[1].shape)


def _check_float_unary(in_types: Any) -> None:
    type_check.argname(in_types, ("x",))
    type_check.expect(in_types[0].dtype.kind == "f")


def _unbroadcast(gx: Any, shape: tuple) -> Any:
    """Sum a gradient Variable back to ``shape`` (the one un-broadcasting point)."""
    if gx.shape == shape:
        return gx
    from kusari.functions.math.sum import sum_to as f_sum_to

    return f_sum_to(gx, shape)


def _const(x: Any, value: Any) -> Any:
    """A constant as the Variable's dtype (NumPy scalars would promote under NEP 50)."""
    if isinstance(value, _ndarray) or not numpy.isscalar(value):
        return value
    return x.dtype.type(value)


class Add(FunctionNode):
    _fast_check = staticmethod(_fast_check.float_inputs)

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_binary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        x0, x1 = inputs
        self._shapes = (x0.shape, x1.shape)
        return force_array(x0 + x1),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        return tuple(_unbroadcast(gy, self._shapes[i]) for i in indexes)


class MultiAdd(FunctionNode):
    _fast_check = staticmethod(_fast_check.float_inputs)

    def check_type_forward(self, in_types: Any) -> None:
        for t in in_types:
            type_check.expect(t.dtype == in_types[0].dtype)
        type_check.expect_broadcast_shapes(*[t.shape for t in in_types])

    def forward(self, inputs: tuple) -> tuple:
        self._shapes = [x.shape for x in inputs]
        y = inputs[0] + inputs[1]
        for x in inputs[2:]:
            if x.shape == y.shape:
                y += x
            else:
                y = y + x
        return force_array(y),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        return tuple(_unbroadcast(gy, self._shapes[i]) for i in indexes)


class AddConstant(FunctionNode):
    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def label(self) -> str:
        return "_ + constant"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_unary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        return force_array(x + _const(x, self.value), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return grad_outputs[0],


class Sub(FunctionNode):
    _fast_check = staticmethod(_fast_check.float_inputs)

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_binary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        x0, x1 = inputs
        self._shapes = (x0.shape, x1.shape)
        return force_array(x0 - x1),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        ret = []
        for i in indexes:
            g = gy if i == 0 else -gy
            ret.append(_unbroadcast(g, self._shapes[i]))
        return tuple(ret)


class SubFromConstant(FunctionNode):
    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def label(self) -> str:
        return "constant - _"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_unary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        return force_array(_const(x, self.value) - x, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return -grad_outputs[0],


class Mul(FunctionNode):
    _fast_check = staticmethod(_fast_check.float_inputs)

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_binary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        return force_array(x0 * x1),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy, = grad_outputs
        if not _fast_check.backprop_enabled():
            nodes = self.inputs
            ret = []
            for i in indexes:
                g = force_array(gy._data * nodes[1 - i].data)
                ret.append(Variable._new(_sum_to_array(g, nodes[i].shape), False))
            return tuple(ret)
        xs = self.get_retained_inputs()
        ret = []
        for i in indexes:
            g = gy * xs[1 - i]
            ret.append(_unbroadcast(g, xs[i].shape))
        return tuple(ret)


class MulConstant(FunctionNode):
    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def label(self) -> str:
        return "_ * constant"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_unary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        x, = inputs
        return force_array(x * _const(x, self.value), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        gy = grad_outputs[0]
        if not _fast_check.backprop_enabled():
            g = gy._data
            return Variable._new(force_array(g * _const(g, self.value), g.dtype), False),
        return self.value * gy,


class Div(FunctionNode):
    _fast_check = staticmethod(_fast_check.float_inputs)

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_binary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        return force_array(x0 / x1),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x0, x1 = self.get_retained_inputs()
        gy, = grad_outputs
        gx0 = gy / x1
        ret = []
        if 0 in indexes:
            ret.append(_unbroadcast(gx0, x0.shape))
        if 1 in indexes:
            ret.append(_unbroadcast(-gx0 * x0 / x1, x1.shape))
        return tuple(ret)


class DivFromConstant(FunctionNode):
    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def label(self) -> str:
        return "constant / _"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_unary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        return force_array(_const(x, self.value) / x, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x, = self.get_retained_inputs()
        # d(c / x) = -c / x^2
        return grad_outputs[0] * (-self.value) / (x * x),


class PowVarVar(FunctionNode):
    _fast_check = staticmethod(_fast_check.float_inputs)

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_binary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        return force_array(x0 ** x1),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        from kusari.functions.math.exponential import log

        x0, x1 = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        if 0 in indexes:
            ret.append(_unbroadcast(x1 * x0 ** (x1 - 1) * gy, x0.shape))
        if 1 in indexes:
            # d(a^b)/db = a^b log(a); defined for a > 0 only
            ret.append(_unbroadcast(x0 ** x1 * log(x0) * gy, x1.shape))
        return tuple(ret)


class PowVarConst(FunctionNode):
    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def label(self) -> str:
        return "_ ** constant"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_unary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        x, = inputs
        return force_array(x ** _const(x, self.value), x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        v = self.value
        if isinstance(v, _ndarray) or not numpy.isscalar(v):
            return v * x ** (v - 1) * gy,
        if v == 2:
            return 2.0 * x * gy,
        if v == 1:
            return gy,
        return v * x ** (v - 1) * gy,


class PowConstVar(FunctionNode):
    _fast_check = staticmethod(_fast_check.first_float)

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def label(self) -> str:
        return "constant ** _"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_unary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_outputs((0,))
        x, = inputs
        return force_array(_const(x, self.value) ** x, x.dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        y, = self.get_retained_outputs()
        v = self.value
        if numpy.isscalar(v):
            return float(numpy.log(v)) * y * grad_outputs[0],
        # an array constant (NumPy or CuPy): log on its own device
        return y.xp.log(v).astype(y.dtype) * y * grad_outputs[0],


class Neg(FunctionNode):
    _fast_check = staticmethod(_fast_check.first_float)

    @property
    def label(self) -> str:
        return "__neg__"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_unary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        return force_array(-inputs[0]),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        return -grad_outputs[0],


class Absolute(FunctionNode):
    _fast_check = staticmethod(_fast_check.first_float)

    @property
    def label(self) -> str:
        return "|_|"

    def check_type_forward(self, in_types: Any) -> None:
        _check_float_unary(in_types)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs((0,))
        return force_array(abs(inputs[0])),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        # the derivative at 0 is taken as 0 (sign(0) == 0)
        x, = self.get_retained_inputs()
        xp = x.xp
        return grad_outputs[0] * xp.sign(x.array).astype(x.dtype, copy=False),


def _check_operand(x: Any, value: Any, op: str) -> Any:
    """Normalize the right operand: Variable, scalar or array cast to ``x``'s dtype."""
    if isinstance(value, Variable):
        return value
    if isinstance(value, (str, bytes)):
        raise TypeError(f"unsupported operand type for {op}: Variable and "
                        f"{type(value).__name__}")
    if numpy.isscalar(value):
        return value
    if isinstance(value, _array_types()):
        if value.dtype != x.dtype:
            value = value.astype(x.dtype)
        return value
    raise TypeError(
        f"unsupported operand type for {op}: Variable and {type(value).__name__}; "
        "expected a scalar, numpy.ndarray, cupy.ndarray or Variable"
    )


def add(*xs: Any) -> Variable:
    """Elementwise sum of two or more Variables (broadcasting).

    Args:
        *xs: Variables or arrays.

    Returns:
        The sum.

    Example:
        >>> import numpy
        >>> add(numpy.ones(2, numpy.float32), numpy.ones(2, numpy.float32)).array.tolist()
        [2.0, 2.0]
    """
    if len(xs) == 2:
        lhs, rhs = xs
        if numpy.isscalar(rhs):
            return AddConstant(rhs).apply((lhs,))[0]
        rhs = _check_operand(lhs if isinstance(lhs, Variable) else Variable._new(lhs, False),
                             rhs, "+")
        return Add().apply((lhs, rhs))[0]
    if len(xs) == 1:
        return xs[0] if isinstance(xs[0], Variable) else Variable(xs[0])
    return MultiAdd().apply(xs)[0]


def _add(self: Variable, rhs: Any) -> Variable:
    rhs = _check_operand(self, rhs, "+")
    if isinstance(rhs, (Variable, _ndarray)) or not numpy.isscalar(rhs):
        return Add().apply((self, rhs))[0]
    return AddConstant(rhs).apply((self,))[0]


def _radd(self: Variable, lhs: Any) -> Variable:
    lhs = _check_operand(self, lhs, "+")
    if numpy.isscalar(lhs):
        return AddConstant(lhs).apply((self,))[0]
    return Add().apply((lhs, self))[0]


def _sub(self: Variable, rhs: Any) -> Variable:
    rhs = _check_operand(self, rhs, "-")
    if numpy.isscalar(rhs):
        return AddConstant(-rhs).apply((self,))[0]
    return Sub().apply((self, rhs))[0]


def _rsub(self: Variable, lhs: Any) -> Variable:
    lhs = _check_operand(self, lhs, "-")
    if numpy.isscalar(lhs):
        return SubFromConstant(lhs).apply((self,))[0]
    return Sub().apply((lhs, self))[0]


def _mul(self: Variable, rhs: Any) -> Variable:
    rhs = _check_operand(self, rhs, "*")
    if numpy.isscalar(rhs):
        return MulConstant(rhs).apply((self,))[0]
    return Mul().apply((self, rhs))[0]


def _rmul(self: Variable, lhs: Any) -> Variable:
    lhs = _check_operand(self, lhs, "*")
    if numpy.isscalar(lhs):
        return MulConstant(lhs).apply((self,))[0]
    return Mul().apply((lhs, self))[0]


def _div(self: Variable, rhs: Any) -> Variable:
    rhs = _check_operand(self, rhs, "/")
    if numpy.isscalar(rhs):
        return MulConstant(1.0 / rhs).apply((self,))[0]
    return Div().apply((self, rhs))[0]


def _rdiv(self: Variable, lhs: Any) -> Variable:
    lhs = _check_operand(self, lhs, "/")
    if numpy.isscalar(lhs):
        return DivFromConstant(lhs).apply((self,))[0]
    return Div().apply((lhs, self))[0]


def _pow(self: Variable, rhs: Any) -> Variable:
    rhs = _check_operand(self, rhs, "**")
    if isinstance(rhs, Variable):
        return PowVarVar().apply((self, rhs))[0]
    return PowVarConst(rhs).apply((self,))[0]


def _rpow(self: Variable, lhs: Any) -> Variable:
    lhs = _check_operand(self, lhs, "**")
    if isinstance(lhs, Variable):
        return PowVarVar().apply((lhs, self))[0]
    if numpy.isscalar(lhs):
        return PowConstVar(lhs).apply((self,))[0]
    return PowVarVar().apply((lhs, self))[0]


def _neg(self: Variable) -> Variable:
    return Neg().apply((self,))[0]


def _pos(self: Variable) -> Variable:
    return self


def absolute(self: Any) -> Variable:
    """Elementwise absolute value; the derivative at 0 is 0.

    Example:
        >>> import numpy
        >>> absolute(numpy.array([-1.0, 2.0])).array.tolist()
        [1.0, 2.0]
    """
    return Absolute().apply((self,))[0]


def _matmul(self: Variable, rhs: Any) -> Variable:
    from kusari.functions.math.matmul import matmul

    return matmul(self, _check_operand(self, rhs, "@"))


def _rmatmul(self: Variable, lhs: Any) -> Variable:
    from kusari.functions.math.matmul import matmul

    return matmul(_check_operand(self, lhs, "@"), self)


def install_variable_arithmetics() -> None:
    """Attach the arithmetic operators to :class:`~kusari.Variable`."""
    V = Variable
    V.__neg__ = _neg
    V.__abs__ = absolute
    V.__pos__ = _pos
    V.__add__ = _add
    V.__radd__ = _radd
    V.__sub__ = _sub
    V.__rsub__ = _rsub
    V.__mul__ = _mul
    V.__rmul__ = _rmul
    V.__truediv__ = _div
    V.__rtruediv__ = _rdiv
    V.__pow__ = _pow
    V.__rpow__ = _rpow
    V.__matmul__ = _matmul
    V.__rmatmul__ = _rmatmul
