"""Type checking of function inputs, producing Chainer-style messages.

A check is written as comparisons of symbolic expressions; a failed one raises
:class:`InvalidType` showing both the expectation and the actual values::

    Invalid operation is performed in: MatMul (Forward)

    Expect: a.shape[-1] == b.shape[-2]
    Actual: 1000 != 100

Example:
    >>> import numpy
    >>> from kusari.utils import type_check
    >>> t = type_check.get_types((numpy.zeros((2, 3), numpy.float32),), 'in_types', False)
    >>> type_check.expect(t[0].ndim == 2, t[0].dtype.kind == 'f')
"""

from __future__ import annotations

import contextlib
import operator
import threading
from collections.abc import Iterator
from typing import Any

import numpy

_thread_local = threading.local()


class InvalidType(Exception):
    """Raised when the types of a function's inputs are wrong.

    Args:
        expect: The expectation, as text.
        actual: The actual values, as text.
        msg: The full message; built from ``expect`` and ``actual`` when omitted.
    """

    def __init__(self, expect: str, actual: str, msg: str | None = None) -> None:
        if msg is None:
            msg = f"Expect: {expect}\nActual: {actual}"
        super().__init__(msg)
        self.expect = expect
        self.actual = actual

    def __reduce__(self) -> tuple:
        return type(self), (self.expect, self.actual, str(self))


@contextlib.contextmanager
def light_mode() -> Iterator[None]:
    """Evaluate checks directly on values, without building expression objects."""
    old = getattr(_thread_local, "light_mode", False)
    _thread_local.light_mode = True
    try:
        yield
    finally:
        _thread_local.light_mode = old


def in_light_mode() -> bool:
    """True inside :func:`light_mode`."""
    return getattr(_thread_local, "light_mode", False)


def _repr(v: Any) -> str:
    if isinstance(v, Expr):
        return str(v)
    if isinstance(v, numpy.dtype):
        return v.name
    if isinstance(v, type) and issubclass(v, numpy.generic):
        return f"<class 'numpy.{v.__name__}'>"
    return str(v)


def _eval(v: Any) -> Any:
    return v.eval() if isinstance(v, Expr) else v


class Expr:
    """A symbolic expression over input types; comparing two gives a testable expression."""

    priority = 0

    def eval(self) -> Any:
        raise NotImplementedError

    def __bool__(self) -> bool:
        raise RuntimeError(
            "a type_check expression has no truth value; use type_check.expect() or eval()"
        )

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, name: str) -> Expr:
        if name.startswith("__"):
            raise AttributeError(name)
        return Member(self, name)

    def __getitem__(self, key: Any) -> Expr:
        return GetItem(self, key)

    def __call__(self, *args: Any) -> Expr:
        return Call(self, args)

    def _bin(self, other: Any, op: str, f: Any, priority: int, reflect: bool = False) -> Expr:
        if reflect:
            return BinaryOperator(priority, other, self, op, f)
        return BinaryOperator(priority, self, other, op, f)

    def _cmp(self, other: Any, op: str, f: Any, inv: str) -> Testable:
        return Testable(self, other, op, f, inv)

    def __eq__(self, other: Any) -> Testable:  # type: ignore[override]
        return self._cmp(other, "==", operator.eq, "!=")

    def __ne__(self, other: Any) -> Testable:  # type: ignore[override]
        return self._cmp(other, "!=", operator.ne, "==")

    def __lt__(self, other: Any) -> Testable:
        return self._cmp(other, "<", operator.lt, ">=")

    def __le__(self, other: Any) -> Testable:
        return self._cmp(other, "<=", operator.le, ">")

    def __gt__(self, other: Any) -> Testable:
        return self._cmp(other, ">", operator.gt, "<=")

    def __ge__(self, other: Any) -> Testable:
        return self._cmp(other, ">=", operator.ge, "<")

    def __add__(self, o: Any) -> Expr:
        return self._bin(o, "+", operator.add, 4)

    def __radd__(self, o: Any) -> Expr:
        return self._bin(o, "+", operator.add, 4, True)

    def __sub__(self, o: Any) -> Expr:
        return self._bin(o, "-", operator.sub, 4)

    def __rsub__(self, o: Any) -> Expr:
        return self._bin(o, "-", operator.sub, 4, True)

    def __mul__(self, o: Any) -> Expr:
        return self._bin(o, "*", operator.mul, 5)

    def __rmul__(self, o: Any) -> Expr:
        return self._bin(o, "*", operator.mul, 5, True)

    def __floordiv__(self, o: Any) -> Expr:
        return self._bin(o, "//", operator.floordiv, 5)

    def __truediv__(self, o: Any) -> Expr:
        return self._bin(o, "/", operator.truediv, 5)

    def __mod__(self, o: Any) -> Expr:
        return self._bin(o, "%", operator.mod, 5)

    def __neg__(self) -> Expr:
        return UnaryOperator(self, "-", operator.neg)


class Constant(Expr):
    priority = 10

    def __init__(self, value: Any) -> None:
        object.__setattr__(self, "value", value)

    def __str__(self) -> str:
        return _repr(self.value)

    def eval(self) -> Any:
        return self.value


class Variable(Expr):
    """A named value: ``in_types``, ``x`` or an argument name."""

    priority = 10

    def __init__(self, value: Any, name: str) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "name", name)

    def __str__(self) -> str:
        return self.name

    def eval(self) -> Any:
        return self.value


class Member(Expr):
    priority = 8

    def __init__(self, obj: Any, name: str) -> None:
        object.__setattr__(self, "obj", obj)
        object.__setattr__(self, "name", name)

    def __str__(self) -> str:
        return f"{self.obj}.{self.name}"

    def eval(self) -> Any:
        return getattr(_eval(self.obj), self.name)


class GetItem(Expr):
    priority = 8

    def __init__(self, obj: Any, key: Any) -> None:
        object.__setattr__(self, "obj", obj)
        object.__setattr__(self, "key", key)

    def __str__(self) -> str:
        key = self.key
        if isinstance(key, slice):
            parts = ["" if p is None else str(p) for p in (key.start, key.stop)]
            text = ":".join(parts) + ("" if key.step is None else f":{key.step}")
        else:
            text = _repr(key)
        return f"{self.obj}[{text}]"

    def eval(self) -> Any:
        return _eval(self.obj)[_eval(self.key)]


class Call(Expr):
    priority = 8

    def __init__(self, obj: Any, args: tuple) -> None:
        object.__setattr__(self, "obj", obj)
        object.__setattr__(self, "args", args)

    def __str__(self) -> str:
        return f"{self.obj}({', '.join(_repr(a) for a in self.args)})"

    def eval(self) -> Any:
        return _eval(self.obj)(*[_eval(a) for a in self.args])


class UnaryOperator(Expr):
    priority = 6

    def __init__(self, term: Any, op: str, func: Any) -> None:
        object.__setattr__(self, "term", term)
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "func", func)

    def __str__(self) -> str:
        return f"{self.op}{self.term}"

    def eval(self) -> Any:
        return self.func(_eval(self.term))


class BinaryOperator(Expr):
    def __init__(self, priority: int, lhs: Any, rhs: Any, op: str, func: Any) -> None:
        object.__setattr__(self, "priority", priority)
        object.__setattr__(self, "lhs", lhs)
        object.__setattr__(self, "rhs", rhs)
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "func", func)

    def _side(self, v: Any, right: bool) -> str:
        text = _repr(v)
        p = getattr(v, "priority", 10)
        if p < self.priority or (right and p == self.priority):
            return f"({text})"
        return text

    def __str__(self) -> str:
        return f"{self._side(self.lhs, False)} {self.op} {self._side(self.rhs, True)}"

    def eval(self) -> Any:
        return self.func(_eval(self.lhs), _eval(self.rhs))


class Testable(BinaryOperator):
    """A comparison whose failure raises :class:`InvalidType`."""

    def __init__(self, lhs: Any, rhs: Any, op: str, func: Any, inv: str) -> None:
        super().__init__(-1, lhs, rhs, op, func)
        object.__setattr__(self, "inv", inv)

    def expect(self) -> None:
        left, right = _eval(self.lhs), _eval(self.rhs)
        if not self.func(left, right):
            raise InvalidType(str(self), f"{_repr(left)} {self.inv} {_repr(right)}")


class TypeInfo:
    """Shape and dtype of one input, as the light-mode check sees it."""

    __slots__ = ("shape", "dtype", "ndim", "size")

    def __init__(self, shape: tuple, dtype: numpy.dtype) -> None:
        self.shape = shape
        self.dtype = dtype
        self.ndim = len(shape)
        self.size = int(numpy.prod(shape)) if shape else 1


class TypeInfoTuple(tuple):
    """The tuple of input types passed to ``check_type_forward``."""

    name: str | Variable = "in_types"

    def _get_size(self) -> Variable:
        return Variable(len(self), f"{self.name}.size")

    def size(self) -> Any:
        if in_light_mode():
            return len(self)
        return Variable(len(self), f"{self.name}.size()")


def _get_type(name: str, index: int, array: Any, accept_none: bool) -> Any:
    var = f"{name}[{index}]"
    if accept_none and array is None:
        return Variable(TypeInfo((), None), var)  # type: ignore[arg-type]
    if not hasattr(array, "shape") or not hasattr(array, "dtype"):
        raise TypeError(f"{var} has no shape/dtype: {type(array).__name__}")
    info = TypeInfo(tuple(array.shape), array.dtype)
    if in_light_mode():
        return info
    return Variable(info, var)


def get_types(data: tuple, name: str, accept_none: bool, shapes: Any = None) -> TypeInfoTuple:
    """Wrap arrays as symbolic type infos named ``name[i]``."""
    info = TypeInfoTuple(_get_type(name, i, x, accept_none) for i, x in enumerate(data))
    info.name = name
    return info


def make_variable(value: Any, name: str) -> Any:
    """A named constant for use in a check (returned unchanged in light mode)."""
    if in_light_mode():
        return value
    return Variable(value, name)


def eval(exp: Any) -> Any:  # noqa: A001
    """The value of an expression (or the value itself)."""
    return _eval(exp)


def expect(*bool_exprs: Any) -> None:
    """Check each expression; raise :class:`InvalidType` at the first that fails.

    Raises:
        InvalidType: An expectation does not hold.
    """
    for e in bool_exprs:
        if isinstance(e, Testable):
            e.expect()
        elif isinstance(e, Expr):
            raise TypeError(f"expect() got a non-comparison expression: {e}")
        elif not e:
            raise InvalidType("a boolean expression", "False")


def same_types(*arrays: Any) -> bool:
    """True when all arrays are of one array type (all NumPy or all CuPy)."""
    return len({type(a) for a in arrays if a is not None}) <= 1


def prod(xs: Any) -> Any:
    """Product of a sequence, symbolic when given an expression."""
    if isinstance(xs, Expr):
        return Call(Constant(_prod), (xs,))
    return _prod(xs)


def _prod(xs: Any) -> int:
    p = 1
    for x in xs:
        p *= x
    return p


def argname(in_types: TypeInfoTuple, names: tuple) -> None:
    """Rename the inputs in messages: ``in_types[0]`` becomes ``names[0]``."""
    if len(in_types) != len(names):
        raise InvalidType(
            f"{in_types.name}.size() == {len(names)}",
            f"{len(in_types)} != {len(names)}",
        )
    for t, n in zip(in_types, names):
        if isinstance(t, Variable):
            object.__setattr__(t, "name", n)


_argname = argname


def expect_broadcast_shapes(*shapes: Any, allow_none: bool = False) -> None:
    """Check that the shapes broadcast together.

    Raises:
        InvalidType: They do not.
    """
    values = [_eval(s) for s in shapes if not (allow_none and _eval(s) is None)]
    try:
        numpy.broadcast_shapes(*values)
    except ValueError:
        names = ", ".join(str(s) for s in shapes)
        raise InvalidType(
            f"{names} are broadcastable",
            ", ".join(str(v) for v in values) + " are not broadcastable",
        ) from None
