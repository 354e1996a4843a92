"""Variables: the user's handle on an array and its place in the computational graph.

Two objects stand for each value. :class:`Variable` owns the array and its gradient;
its :class:`VariableNode` is the vertex of the graph and holds the array only when a
function retained it for backward. Forward arrays are thus freed as soon as the user
drops them, while the graph survives.

Example:
    >>> import numpy
    >>> from kusari import Variable
    >>> x = Variable(numpy.array([1.0, 2.0], numpy.float32))
    >>> y = (x * x).array
    >>> y.tolist()
    [1.0, 4.0]
"""

from __future__ import annotations

import sys
import weakref
from typing import Any

import numpy

from kusari import _backprop
from kusari.configuration import config

_ndarray = numpy.ndarray


def _array_types() -> tuple:
    cupy = sys.modules.get("cupy")
    return (_ndarray,) if cupy is None else (_ndarray, cupy.ndarray)


def _check_array(data: Any, what: str = "Variable") -> None:
    if type(data) is _ndarray or data is None:
        return
    if not isinstance(data, _array_types()):
        raise TypeError(
            f"{what}: numpy.ndarray or cupy.ndarray is expected, got {type(data).__name__}"
        )


def _check_grad(var: Variable, g: Any) -> None:
    if g is None or var._data is None:
        return
    _check_array(g, "gradient")
    if g.dtype != var._data.dtype:
        raise TypeError(
            f"gradient of {var.label}: dtype mismatch, expected {var._data.dtype}, got {g.dtype}"
        )
    if g.shape != var._data.shape:
        raise ValueError(
            f"gradient of {var.label}: shape mismatch, expected {var._data.shape}, got {g.shape}"
        )


class VariableNode:
    """The graph vertex of a :class:`Variable`.

    It knows its creator function, its rank (distance from the leaves) and the
    variable's shape and dtype; it holds the array only when retained.

    Args:
        variable: The owning variable.
        name: Its name.
    """

    __slots__ = (
        "_variable", "data", "name", "creator_node", "rank", "requires_grad", "dtype",
        "shape", "__weakref__",
    )

    def __init__(self, variable: Variable, name: str | None = None) -> None:
        self._variable = weakref.ref(variable)
        self.data = None
        self.name = name
        self.creator_node = None
        self.rank = 0
        self.requires_grad = variable._requires_grad
        d = variable._data
        self.dtype = None if d is None else d.dtype
        self.shape = None if d is None else d.shape

    @property
    def creator(self) -> Any:
        """The function that made this node (the legacy ``Function`` when one did)."""
        node = self.creator_node
        if node is None:
            return None
        return getattr(node, "_function", node)

    @creator.setter
    def creator(self, func: Any) -> None:
        self.set_creator(func)

    @property
    def grad(self) -> Any:
        v = self._variable()
        return None if v is None else v.grad

    @property
    def grad_var(self) -> Variable | None:
        v = self._variable()
        return None if v is None else v.grad_var

    @property
    def label(self) -> str:
        """A short text: shape and dtype."""
        if self.shape == ():
            return str(self.dtype)
        return f"({', '.join(map(str, self.shape or ()))}), {self.dtype}"

    def get_variable(self) -> Variable:
        """The owning variable, or a new one wrapping the retained array if it was freed."""
        v = self._variable()
        if v is not None:
            return v
        v = Variable._new(self.data, self.requires_grad)
        v._node = self
        self._variable = weakref.ref(v)
        return v

    def get_variable_or_none(self) -> Variable | None:
        """The owning variable, or None if it was freed."""
        return self._variable()

    def set_creator(self, creator: Any) -> None:
        self.set_creator_node(getattr(creator, "node", creator))

    def set_creator_node(self, creator_node: Any) -> None:
        self.creator_node = creator_node
        self.rank = creator_node.rank + 1

    def unchain(self) -> None:
        """Forget the creator: this node becomes a leaf."""
        self.creator_node = None

    def retain_data(self) -> None:
        """Keep the owning variable's array in this node."""
        v = self._variable()
        if v is None:
            raise RuntimeError("cannot retain the data of a freed variable")
        self.data = v._data

    def _set_data_type(self, d: Any) -> None:
        if d is None:
            self.dtype = self.shape = None
        else:
            self.dtype = d.dtype
            self.shape = d.shape


class Variable:
    """An array with a gradient and a place in the computational graph.

    Args:
        data: The array (NumPy or CuPy), or None for an uninitialized variable.
        name: Optional name, shown in ``repr`` and graph dumps.
        grad: Initial gradient array.
        requires_grad: Whether gradients flow to this variable.

    Example:
        >>> import numpy
        >>> x = Variable(numpy.array([3.0], numpy.float32))
        >>> y = x ** 2
        >>> y.backward()
        >>> x.grad.tolist()
        [6.0]
    """

    __slots__ = ("_data", "_grad_var", "_grad_owned", "_node", "_requires_grad", "_name",
                 "__weakref__")
    __array_priority__ = 200
    __array_ufunc__ = None

    def __init__(
        self,
        data: Any = None,
        *,
        name: str | None = None,
        grad: Any = None,
        requires_grad: bool = True,
    ) -> None:
        if type(data) is not _ndarray:
            _check_array(data)
        self._data = data
        self._node = None
        self._requires_grad = bool(requires_grad)
        self._name = name
        self._grad_owned = False
        if grad is None:
            self._grad_var = None
        else:
            _check_grad(self, grad)
            self._grad_var = Variable._new(grad, False)

    @classmethod
    def _new(cls, data: Any, requires_grad: bool) -> Variable:
        """Fast constructor for internal use: no checks."""
        v = object.__new__(Variable)
        v._data = data
        v._grad_var = None
        v._grad_owned = False
        v._node = None
        v._requires_grad = requires_grad
        v._name = None
        return v

    # -- state for copy and pickle: the graph node is not carried over ---------------
    def __getstate__(self) -> dict:
        state = {k: getattr(self, k) for k in ("_data", "_grad_var", "_requires_grad", "_name")}
        d = getattr(self, "__dict__", None)
        if d:
            state["__dict__"] = dict(d)
        return state

    def __setstate__(self, state: dict) -> None:
        self._data = state["_data"]
        self._grad_var = state["_grad_var"]
        self._grad_owned = False
        self._requires_grad = state["_requires_grad"]
        self._name = state["_name"]
        self._node = None
        if "__dict__" in state:
            self.__dict__.update(state["__dict__"])

    # -- the node ----------------------------------------------------------------
    @property
    def node(self) -> VariableNode:
        """The graph node of this variable (made on first use)."""
        n = self._node
        if n is None:
            n = self._node = VariableNode(self, self._name)
        return n

    @property
    def creator_node(self) -> Any:
        """The :class:`~kusari.FunctionNode` that made this variable, or None."""
        n = self._node
        return None if n is None else n.creator_node

    @creator_node.setter
    def creator_node(self, func: Any) -> None:
        if func is None:
            if self._node is not None:
                self._node.creator_node = None
        else:
            self.node.set_creator_node(func)

    @property
    def creator(self) -> Any:
        """The function that made this variable (legacy ``Function`` or a node), or None."""
        n = self._node
        return None if n is None else n.creator

    @creator.setter
    def creator(self, func: Any) -> None:
        self.node.set_creator(func)

    def set_creator(self, gen_func: Any) -> None:
        self.node.set_creator(gen_func)

    def set_creator_node(self, fnode: Any) -> None:
        self.node.set_creator_node(fnode)

    @property
    def rank(self) -> int:
        n = self._node
        return 0 if n is None else n.rank

    # -- the array ---------------------------------------------------------------
    @property
    def array(self) -> Any:
        """The underlying array."""
        return self._data

    @array.setter
    def array(self, d: Any) -> None:
        if type(d) is not _ndarray:
            _check_array(d)
        self._data = d
        n = self._node
        if n is not None:
            n._set_data_type(d)

    data = array

    @property
    def raw_array(self) -> Any:
        return self._data

    @property
    def shape(self) -> tuple:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def size(self) -> int:
        return self._data.size

    @property
    def dtype(self) -> numpy.dtype:
        return self._data.dtype

    @property
    def name(self) -> str | None:
        return self._name

    @name.setter
    def name(self, n: str | None) -> None:
        self._name = n
        if self._node is not None:
            self._node.name = n

    @property
    def label(self) -> str:
        """A short text: shape and dtype."""
        d = self._data
        if d is None:
            return "None"
        if d.shape == ():
            return str(d.dtype)
        return f"({', '.join(map(str, d.shape))}), {d.dtype}"

    @property
    def requires_grad(self) -> bool:
        """Whether gradients are computed for this variable."""
        return self._requires_grad

    @property
    def xp(self) -> Any:
        from kusari import backend

        return backend.get_array_module(self._data)

    @property
    def device(self) -> Any:
        from kusari import backend

        return backend.get_device_from_array(self._data)

    def item(self) -> Any:
        """The single element as a Python scalar."""
        return self._data.item()

    # -- the gradient --------------------------------------------------------------
    @property
    def grad(self) -> Any:
        """The gradient array, or None."""
        g = self._grad_var
        return None if g is None else g._data

    @grad.setter
    def grad(self, g: Any) -> None:
        if g is None:
            self._grad_var = None
        else:
            _check_grad(self, g)
            self._grad_var = Variable._new(g, False)
        self._grad_owned = False

    @property
    def grad_var(self) -> Variable | None:
        """The gradient as a Variable (with a graph after double backprop), or None."""
        return self._grad_var

    @grad_var.setter
    def grad_var(self, g: Variable | None) -> None:
        if g is not None:
            _check_grad(self, g._data)
        self._grad_var = g
        self._grad_owned = False

    def cleargrad(self) -> None:
        """Set the gradient to None (the next backward assigns a fresh one)."""
        self._grad_var = None
        self._grad_owned = False

    def zerograd(self) -> None:
        """Set the gradient to zeros (reusing the gradient array when it is ours)."""
        d = self._data
        if d is None:
            return
        g = self._grad_var
        if g is not None and self._grad_owned and g._data.shape == d.shape:
            g._data.fill(0)
            g._node = None
        else:
            self._grad_var = Variable._new(self.xp.zeros_like(d), False)
            self._grad_owned = True

    def addgrad(self, var: Variable) -> None:
        """Add ``var``'s gradient to this variable's (across devices)."""
        src = var.grad
        if src is None:
            return
        from kusari import backend

        dev = backend.get_device_from_array(self._data)
        src = dev.send(src)
        if self._grad_var is None:
            self._grad_var = Variable._new(src.copy(), False)
        else:
            self._grad_var = Variable._new(self._grad_var._data + src, False)
        self._grad_owned = True

    def copydata(self, var: Variable) -> None:
        """Copy ``var``'s array into this variable's array (across devices)."""
        from kusari import backend

        if var._data is None:
            if self._data is None:
                return  # both uninitialized: nothing to copy (as Chainer)
            var.initialize(self.shape)
        if self._data is None:
            self.array = backend.get_device_from_array(var._data).send(var._data).copy()
            return
        backend.copyto(self._data, var._data)

    # -- graph operations -------------------------------------------------------------
    def backward(
        self,
        retain_grad: bool = False,
        enable_double_backprop: bool = False,
        loss_scale: float | None = None,
    ) -> None:
        """Compute gradients of this variable with respect to the graph's leaves.

        The gradient of this variable defaults to one when it has a single element.

        Args:
            retain_grad: Keep the gradients of intermediate variables.
            enable_double_backprop: Build a graph of the backward computation too,
                so gradients can be differentiated again.
            loss_scale: Multiply the initial gradient by this (for mixed precision);
                update rules divide it out again.

        Raises:
            TypeError: The variable has more than one element and no gradient set.
        """
        n = self._node
        if n is None or n.creator_node is None:
            return
        if self._grad_var is None:
            d = self._data
            if d.size != 1:
                raise TypeError(
                    f"Variable.backward: the gradient of a variable of shape {d.shape} must "
                    "be set (x.grad = ...) before backward; only one-element variables "
                    "default to a gradient of one"
                )
            if type(d) is _ndarray:
                g = numpy.array(1, d.dtype)  # numpy.ones is a Python-level wrapper
                if d.ndim:
                    g = g.reshape(d.shape)
            else:
                g = self.xp.ones(d.shape, d.dtype)
            if loss_scale is not None:
                g *= loss_scale
            self._grad_var = Variable._new(g, False)
        # using_config() inlined: a generator context manager costs ~1 µs per backward
        local = config._local.__dict__
        had = "enable_backprop" in local
        old = local.get("enable_backprop")
        local["enable_backprop"] = enable_double_backprop
        try:
            _backprop.backward_from(
                [(n, self._grad_var)], retain_grad, loss_scale, enable_double_backprop
            )
        finally:
            if had:
                local["enable_backprop"] = old
            else:
                del local["enable_backprop"]

    def unchain(self) -> None:
        """Cut the link to the creator: this variable becomes a leaf."""
        if self._node is not None:
            self._node.creator_node = None

    def unchain_backward(self) -> None:
        """Cut every link in the graph behind this variable."""
        n = self._node
        if n is None or n.creator_node is None:
            return
        stack = [n.creator_node]
        seen = {id(n.creator_node)}
        while stack:
            func = stack.pop()
            for x in func.inputs or ():
                c = x.creator_node
                if c is not None and id(c) not in seen:
                    seen.add(id(c))
                    stack.append(c)
            func.unchain()

    def retain_data(self) -> None:
        """Keep this variable's array in its graph node."""
        self.node.data = self._data

    # -- devices -------------------------------------------------------------------------
    def to_device(self, device: Any) -> Variable:
        """Move the array and gradient to ``device`` in place; returns ``self``."""
        from kusari import backend

        dev = backend.get_device(device)
        if self._data is not None:
            self._data = dev.send(self._data)
        if self._grad_var is not None:
            self._grad_var._data = dev.send(self._grad_var._data)
        n = self._node
        if n is not None and n.data is not None:
            n.data = self._data
        return self

    def to_cpu(self) -> Variable:
        """Move the array and gradient to the host in place."""
        return self.to_device("@numpy")

    def to_gpu(self, device: Any = None) -> Variable:
        """Move the array and gradient to a GPU in place."""
        from kusari.backends import cuda

        cuda.check_cuda_available()
        dev = device if device is not None else cuda.cupy.cuda.Device().id
        return self.to_device(f"@cupy:{dev}" if isinstance(dev, int) else dev)

    def __dlpack__(self, *args: Any, **kwargs: Any) -> Any:
        return self._data.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self) -> Any:
        return self._data.__dlpack_device__()

    # -- shape helpers -------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Variable:
        """Reshape (see :func:`kusari.functions.reshape`)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        from kusari.functions.array.reshape import reshape

        return reshape(self, shape)

    def transpose(self, *axes: Any) -> Variable:
        """Permute axes (see :func:`kusari.functions.transpose`)."""
        if len(axes) == 0:
            axes = None
        elif len(axes) == 1 and (isinstance(axes[0], (tuple, list)) or axes[0] is None):
            axes = axes[0]
        from kusari.functions.array.transpose import transpose

        return transpose(self, axes)

    @property
    def T(self) -> Variable:
        """The transpose."""
        return self.transpose()

    def __getitem__(self, slices: Any) -> Variable:
        from kusari.functions.array.get_item import get_item

        return get_item(self, slices)

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d variable")
        return self._data.shape[0]

    # Variables are not ordered or compared elementwise, as in Chainer.
    def __lt__(self, other: Any) -> Any:
        raise NotImplementedError("Variables cannot be compared; compare their arrays")

    __le__ = __gt__ = __ge__ = __lt__

    def __eq__(self, other: Any) -> Any:
        raise NotImplementedError("Variables cannot be compared; compare their arrays")

    __ne__ = __eq__

    def __hash__(self) -> int:
        return object.__hash__(self)

    # -- printing --------------------------------------------------------------------------
    def __repr__(self) -> str:
        return _fmt(self, repr, ",")

    def __str__(self) -> str:
        return _fmt(self, str, "")

    def summary(self) -> str:
        """``<variable NAME>``, or ``<variable at 0x...>`` for an unnamed one (Chainer's).

        Example:
            >>> import numpy
            >>> Variable(numpy.zeros(2), name="h").summary()
            '<variable h>'
        """
        if self._name:
            return f"<variable {self._name}>"
        return f"<variable at 0x{id(self):x}>"

    def debug_print(self) -> str:
        """The summary, device, array type, shape, dtype and statistics of the array and
        of the gradient (``0`` when it is all zeros), in Chainer's layout.

        Example:
            >>> import numpy
            >>> print(Variable(numpy.array([1.0, 3.0]), name="x").debug_print())
            <variable x>
            - device: CPU
            - backend: <class 'numpy.ndarray'>
            - shape: (2,)
            - dtype: float64
            - statistics: mean=2.00000000, std=1.00000000
            - grad: None
        """
        d, g = self._data, self.grad
        lines = [self.summary()]
        if d is None:
            lines += [f"- {k}: None" for k in ("device", "backend", "shape", "dtype",
                                               "statistics")]
        else:
            # NumPy 2 arrays have a ``device`` ('cpu'); Chainer (on NumPy 1) printed CPU
            device = "CPU" if isinstance(d, _ndarray) else getattr(d, "device", "CPU")
            lines += [f"- device: {device}", f"- backend: {type(d)}",
                      f"- shape: {d.shape}", f"- dtype: {d.dtype}",
                      f"- statistics: {_stats(d)}"]
        if g is None:
            lines.append("- grad: None")
        elif not g.any():
            lines.append("- grad: 0")
        else:
            lines.append(f"- grad: {_stats(g)}")
        return "\n".join(lines)


def _stats(a: Any) -> str:
    """``mean=..., std=...`` of an array (nan, quietly, when it is empty)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f"mean={float(a.mean()):.8f}, std={float(a.std()):.8f}"


def _fmt(var: Variable, f: Any, sep: str) -> str:
    prefix = "variable" if var._name is None else f"variable {var._name}"
    d = var._data
    if d is None:
        return f"{prefix}(None)"
    if f is repr:
        body = numpy.array2string(numpy.asarray(_host(d)), separator=", ",
                                  prefix=prefix + "(")
    else:
        body = numpy.array2string(numpy.asarray(_host(d)), prefix=prefix + "(")
    return f"{prefix}({body})"


def _host(a: Any) -> Any:
    return a if isinstance(a, _ndarray) else a.get()


class Parameter(Variable):
    """A learnable :class:`Variable` owned by a link, initialized eagerly or lazily.

    Args:
        initializer: An initializer, a scalar, or an array used as the data itself.
            ``None`` fills with NaN.
        shape: The shape; when None (and ``initializer`` is not an array) the parameter
            stays uninitialized until :meth:`initialize` is called.
        name: Its name.

    Example:
        >>> from kusari import initializers
        >>> p = Parameter(initializers.Constant(1.0), (2,))
        >>> p.array.tolist()
        [1.0, 1.0]
    """

    def __init__(self, initializer: Any = None, shape: Any = None, name: str | None = None):
        from kusari import initializers

        if initializer is None:
            initializer = initializers.NaN()
        elif numpy.isscalar(initializer):
            initializer = initializers.Constant(initializer)
        self._grad_initializer = None
        self.update_rule = None
        self._loss_scale = None
        if shape is None:
            if isinstance(initializer, _array_types()):
                super().__init__(initializer, name=name)
                self.initializer = initializers.Constant(initializer)
            else:
                super().__init__(name=name)
                self.initializer = initializer
        else:
            xp = numpy
            if isinstance(initializer, _array_types()):
                # an initial array with a shape: copied through Constant, as Chainer does
                from kusari.backend import get_array_module

                xp = get_array_module(initializer)
                initializer = initializers.Constant(initializer)
            self.initializer = initializer
            data = initializers.generate_array(initializer, _tuple(shape), xp)
            super().__init__(data, name=name)

    @property
    def dtype(self) -> numpy.dtype:
        if self._data is not None:
            return self._data.dtype
        dt = getattr(self.initializer, "dtype", None)
        return numpy.dtype(dt if dt is not None else config.dtype)

    @property
    def is_initialized(self) -> bool:
        """Whether the array exists."""
        return self._data is not None

    def initialize(self, shape: Any) -> None:
        """Allocate the array with ``shape`` from the initializer (on this param's device).

        Args:
            shape: The shape.
        """
        from kusari import initializers

        dev = getattr(self, "_device_hint", None)
        xp = numpy if dev is None else dev.xp
        data = initializers.generate_array(self.initializer, _tuple(shape), xp)
        dev = getattr(self, "_device_hint", None)
        if dev is not None:
            data = dev.send(data)
        ginit = self._grad_initializer
        self.array = data
        self._grad_var = None
        if ginit is not None:
            g = initializers.generate_array(ginit, _tuple(shape), xp)
            if dev is not None:
                g = dev.send(g)
            self._grad_var = Variable._new(g, False)
            self._grad_owned = True

    def zerograd(self) -> None:
        if self._data is None:
            from kusari import initializers

            self._grad_initializer = initializers.Zero(self.dtype)
            return
        super().zerograd()

    def cleargrad(self) -> None:
        self._grad_var = None  # Variable.cleargrad inlined: this runs per parameter per step
        self._grad_owned = False
        if self._data is None:
            self._grad_initializer = None

    def update(self) -> None:
        """Apply this parameter's update rule."""
        rule = self.update_rule
        if rule is not None:
            rule.update(self)

    def to_device(self, device: Any) -> Parameter:
        from kusari import backend

        dev = backend.get_device(device)
        self._device_hint = dev
        super().to_device(dev)
        return self

    def __repr__(self) -> str:
        if self._data is None:
            return f"variable {self._name}(uninitialized)" if self._name else \
                "variable(uninitialized)"
        return super().__repr__()


def _tuple(shape: Any) -> tuple:
    if isinstance(shape, (int, numpy.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def as_variable(obj: Any) -> Variable:
    """``obj`` if it is a Variable, else a new Variable with ``requires_grad=False``.

    Example:
        >>> import numpy
        >>> as_variable(numpy.zeros(2)).requires_grad
        False
    """
    if isinstance(obj, Variable):
        return obj
    return Variable(obj, requires_grad=False)


def as_array(obj: Any) -> Any:
    """The array of a Variable, or ``obj`` itself if it is an array."""
    if isinstance(obj, Variable):
        return obj._data
    return obj


_backprop._Variable = Variable
