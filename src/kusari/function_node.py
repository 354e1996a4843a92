"""Function nodes: the operations of the computational graph.

A :class:`FunctionNode` takes raw arrays in ``forward`` and returns a tuple of arrays,
keeping alive only what its backward needs (:meth:`~FunctionNode.retain_inputs`,
:meth:`~FunctionNode.retain_outputs`). Its ``backward`` returns gradients as Variables
computed with differentiable functions, so the same code gives double backprop.

Example:
    >>> import numpy
    >>> from kusari import FunctionNode, Variable
    >>> class Square(FunctionNode):
    ...     def forward(self, inputs):
    ...         self.retain_inputs((0,))
    ...         return inputs[0] ** 2,
    ...     def backward(self, indexes, grad_outputs):
    ...         x, = self.get_retained_inputs()
    ...         return 2 * x * grad_outputs[0],
    >>> x = Variable(numpy.array([3.0]))
    >>> y, = Square().apply((x,))
    >>> y.backward()
    >>> x.grad.tolist()
    [6.0]
"""

from __future__ import annotations

import collections
import sys
import warnings
import weakref
from collections.abc import Sequence
from typing import Any

import numpy

from kusari import _backprop, function_hook
from kusari.configuration import config, global_config, using_config
from kusari.utils import type_check
from kusari.variable import Variable, VariableNode

_ndarray = numpy.ndarray
_local = config._local
_new = Variable._new
_new_node = _new_var = object.__new__
_ref = weakref.ref
_hooks_registered = function_hook._registered


def _as_input(x: Any, node: FunctionNode, i: int) -> Variable:
    if isinstance(x, Variable):
        return x
    if isinstance(x, _ndarray):
        return _new(x, False)
    cupy = sys.modules.get("cupy")
    if cupy is not None and isinstance(x, cupy.ndarray):
        return _new(x, False)
    raise TypeError(
        f"{node.label}: input {i} must be a Variable, numpy.ndarray or cupy.ndarray, "
        f"got {type(x).__name__}"
    )


class FunctionNode:
    """A differentiable operation: a vertex of the graph between variable nodes.

    Subclasses implement ``forward`` (or ``forward_cpu``/``forward_gpu``) on tuples of
    arrays, and ``backward(target_input_indexes, grad_outputs)`` on Variables.
    Optionally ``check_type_forward(in_types)`` validates the inputs.

    Attributes:
        inputs: The input :class:`VariableNode` objects (after :meth:`apply`).
        outputs: Weak references to the output nodes.
        rank: The topological rank: one more than the largest input rank.
    """

    inputs: tuple | None = None
    outputs: tuple | None = None
    rank = 0
    _input_indexes_to_retain: Sequence[int] | None = None
    _output_indexes_to_retain: Sequence[int] | None = None
    _retained_output_data: tuple | None = None
    _local_function_hooks: collections.OrderedDict | None = None
    # A cheap predicate over the input arrays that returns True when they are surely
    # well-typed; the full ``check_type_forward`` then runs only when it returns False
    # or when ``forward`` fails. ``None`` (user-defined nodes) runs the full check.
    _fast_check: Any = None

    @property
    def label(self) -> str:
        """The name shown in messages and graph dumps: the class name."""
        return type(self).__name__

    @property
    def local_function_hooks(self) -> collections.OrderedDict:
        """The hooks registered to this node only (:meth:`add_hook`), by name."""
        if self._local_function_hooks is None:
            self._local_function_hooks = collections.OrderedDict()
        return self._local_function_hooks

    @property
    def node(self) -> FunctionNode:
        return self

    @property
    def output_data(self) -> tuple:
        """The retained output arrays, ``None`` where not retained."""
        if self._output_indexes_to_retain is None or self.outputs is None:
            raise RuntimeError(f"{self.label}: no output was retained")
        ret: list = [None] * len(self.outputs)
        for i, d in zip(self._output_indexes_to_retain, self._retained_output_data or ()):
            ret[i] = d
        return tuple(ret)

    def apply(self, inputs: Sequence[Any]) -> tuple:
        """Compute the outputs and, when gradients are needed, link them into the graph.

        Args:
            inputs: Variables or arrays.

        Returns:
            A tuple of output Variables.

        Raises:
            kusari.utils.type_check.InvalidType: The inputs' types are wrong.
        """
        input_vars = []
        datas = []
        requires_grad = False
        for x in inputs:
            if type(x) is _ndarray:  # a raw array: a constant input (_new, inlined)
                v = _new_var(Variable)
                v._data = x
                v._grad_var = v._node = v._name = None
                v._grad_owned = v._requires_grad = False
                x = v
            elif type(x) is not Variable and not isinstance(x, Variable):
                x = _as_input(x, self, len(input_vars))
            elif x._requires_grad:
                requires_grad = True
            input_vars.append(x)
            datas.append(x._data)
        in_data = tuple(datas)

        loc = _local.__dict__
        tc = loc.get("type_check", global_config.type_check)
        if tc:
            fc = self._fast_check
            if fc is None or not fc(in_data):
                self._check_data_type_forward(in_data)
        hooks = function_hook._hooks_of(self) if _hooks_registered[0] else None
        if hooks:
            for hook in hooks:
                hook.forward_preprocess(self, in_data)
        try:
            outputs = self.forward(in_data)
        except type_check.InvalidType:
            raise
        except Exception:
            if tc and self._fast_check is not None:
                self._check_data_type_forward(in_data)
            raise
        if type(outputs) is not tuple:
            raise TypeError(f"{self.label}.forward must return a tuple of arrays, "
                            f"got {type(outputs).__name__}")
        if hooks:
            for hook in hooks:
                hook.forward_postprocess(self, in_data)
        if loc.get("debug", global_config.debug):
            self._check_outputs(outputs)

        if requires_grad and loc.get("enable_backprop", global_config.enable_backprop):
            nodes = []
            rank = 0
            for x in input_vars:
                n = x._node
                if n is None:  # VariableNode(x, x._name), inlined
                    n = x._node = _new_node(VariableNode)
                    n._variable = _ref(x)
                    n.data = n.creator_node = None
                    n.name = x._name
                    n.rank = 0
                    n.requires_grad = x._requires_grad
                    n._set_data_type(x._data)
                elif n.rank > rank:
                    rank = n.rank
                nodes.append(n)
            self.inputs = tuple(nodes)
            self.rank = rank
            out_rank = rank + 1
            if len(outputs) == 1:
                # most functions: the loop below unrolled for one output, without the list
                # and the tuple (0.15 us a call, measured; the repetition is deliberate)
                y = outputs[0]
                v = _new(y, True)
                ret = (v,)
                n = v._node = _new_node(VariableNode)
                n._variable = _ref(v)
                n.data = n.name = None
                n.creator_node = self
                n.rank = out_rank
                n.requires_grad = True
                n.dtype = y.dtype
                n.shape = y.shape
                self.outputs = (_ref(n),)
            else:
                ret = tuple([_new(y, True) for y in outputs])
                refs = []
                for v in ret:
                    n = v._node = _new_node(VariableNode)
                    n._variable = _ref(v)
                    n.data = n.name = None
                    n.creator_node = self
                    n.rank = out_rank
                    n.requires_grad = True
                    d = v._data
                    n.dtype = d.dtype
                    n.shape = d.shape
                    refs.append(_ref(n))
                self.outputs = tuple(refs)
            idx = self._input_indexes_to_retain
            if idx is not None:
                for i in idx:
                    nodes[i].data = in_data[i]
            idx = self._output_indexes_to_retain
            if idx is not None:
                self._retained_output_data = (
                    (outputs[idx[0]],) if len(idx) == 1 else tuple([outputs[i] for i in idx]))
                for i in idx:
                    ret[i]._node.data = outputs[i]
            return ret
        return tuple([_new(y, requires_grad) for y in outputs])

    def _check_outputs(self, outputs: tuple) -> None:
        from kusari.backend import get_array_types

        types = get_array_types()
        for i, y in enumerate(outputs):
            if not isinstance(y, types):
                raise TypeError(f"{self.label}.forward: output {i} is a {type(y).__name__}, "
                                "not an array")
        _backprop._check_nan(self, outputs, "forward")

    def _check_data_type_forward(self, in_data: tuple) -> None:
        in_types = type_check.get_types(in_data, "in_types", False)
        try:
            self.check_type_forward(in_types)
        except type_check.InvalidType as e:
            msg = f"\nInvalid operation is performed in: {self.label} (Forward)\n\n{e}"
            raise type_check.InvalidType(e.expect, e.actual, msg=msg) from None

    def check_type_forward(self, in_types: type_check.TypeInfoTuple) -> None:
        """Check the input types; raise ``InvalidType`` via ``type_check.expect``."""

    def forward(self, inputs: tuple) -> tuple:
        """Compute outputs from input arrays; dispatches to ``forward_cpu``/``forward_gpu``."""
        if isinstance(inputs[0], _ndarray) if inputs else True:
            return self.forward_cpu(inputs)
        return self.forward_gpu(inputs)

    def forward_cpu(self, inputs: tuple) -> tuple:
        raise NotImplementedError(f"{self.label} has no forward on the CPU")

    def forward_gpu(self, inputs: tuple) -> tuple:
        raise NotImplementedError(f"{self.label} has no forward on the GPU")

    def retain_inputs(self, indexes: Sequence[int]) -> None:
        """Keep these inputs' arrays for backward (call inside ``forward``)."""
        self._input_indexes_to_retain = indexes

    def retain_outputs(self, indexes: Sequence[int]) -> None:
        """Keep these outputs' arrays for backward (call inside ``forward``)."""
        self._output_indexes_to_retain = indexes

    def get_retained_inputs(self) -> tuple:
        """The retained inputs as Variables in the graph."""
        idx = self._input_indexes_to_retain
        if idx is None or self.inputs is None:
            return ()
        inputs = self.inputs
        return tuple([inputs[i].get_variable() for i in idx])

    def get_retained_outputs(self) -> tuple:
        """The retained outputs as Variables in the graph."""
        idx = self._output_indexes_to_retain
        if idx is None or self.outputs is None:
            return ()
        ret = []
        outputs = list(self.outputs)
        changed = False
        for i, data in zip(idx, self._retained_output_data):
            node = outputs[i]()
            if node is None:
                v = Variable(data)
                v.node.set_creator_node(self)
                outputs[i] = weakref.ref(v._node)
                changed = True
            else:
                v = node.get_variable()
            ret.append(v)
        if changed:
            self.outputs = tuple(outputs)
        return tuple(ret)

    def backward(self, target_input_indexes: tuple, grad_outputs: tuple) -> tuple:
        """Gradients for the inputs in ``target_input_indexes``, as Variables (or None).

        Args:
            target_input_indexes: Indexes of the inputs that need a gradient.
            grad_outputs: Gradients of the outputs (None where there is none).
        """
        return (None,) * len(target_input_indexes)

    def backward_accumulate(
        self, target_input_indexes: tuple, grad_outputs: tuple, grad_inputs: tuple
    ) -> tuple:
        """Like ``backward`` but adds the given ``grad_inputs`` to the result."""
        gxs = self.backward(target_input_indexes, grad_outputs)
        return tuple(
            gx if g is None else (g if gx is None else gx + g)
            for gx, g in zip(gxs, grad_inputs)
        )

    def unchain(self) -> None:
        """Cut this node from its outputs, releasing its inputs."""
        for ref in self.outputs or ():
            y = ref()
            if y is not None:
                y.unchain()
        self.inputs = None

    def add_hook(self, hook: Any, name: str | None = None) -> None:
        """Register ``hook`` for this node only.

        Args:
            hook: A :class:`~kusari.FunctionHook`.
            name: Its key; ``hook.name`` by default.

        Raises:
            TypeError: ``hook`` is not a FunctionHook.
            KeyError: A hook of that name is registered to this node.
        """
        function_hook._add_local(self.local_function_hooks, hook, name, self)

    def delete_hook(self, name: str) -> None:
        """Unregister this node's hook ``name``.

        Raises:
            KeyError: No hook of that name is registered to this node.
        """
        function_hook._delete_local(self.local_function_hooks, name, self)


def backward(outputs: Sequence[Variable], grad_outputs: Sequence[Any] | None = None,
             **kwargs: Any) -> None:
    """Backpropagate from several variables at once (Chainer's ``chainer.backward``).

    Gradients accumulate into the leaves' ``.grad`` as with :meth:`Variable.backward`;
    no output gets a default gradient of one.

    Args:
        outputs: The Variables to start from.
        grad_outputs: Their initial gradients; None takes each output's ``grad_var``
            (and clears it). Outputs whose gradient is None are skipped.
        enable_double_backprop: Record the backward computation as a graph too
            (keyword only; default False).

    Raises:
        TypeError: ``outputs`` or ``grad_outputs`` is not a tuple or a list, or an
            output is not a Variable; an unknown keyword argument.
        ValueError: ``grad_outputs`` differs in length from ``outputs``; ``retain_grad``
            or ``loss_scale`` given (not supported, as in Chainer).

    Example:
        >>> import numpy, kusari
        >>> x = kusari.Variable(numpy.array([1.0, 2.0]))
        >>> y, z = x * 2, x * x
        >>> kusari.backward([y, z], [numpy.ones(2), numpy.ones(2)])
        >>> x.grad.tolist()
        [4.0, 6.0]
    """
    for key, why in (("retain_grad", "semantics for retain_grad=True is under discussion"),
                     ("loss_scale", "kusari.backward does not support loss_scale option")):
        if key in kwargs:
            raise ValueError(f"backward: {key} is not supported: {why}")
    double = kwargs.pop("enable_double_backprop", False)
    if kwargs:
        raise TypeError(f"backward() got unexpected keyword argument(s) {sorted(kwargs)}")
    if not isinstance(outputs, (tuple, list)):
        raise TypeError(f"outputs must be a tuple or a list, not {type(outputs)}.")
    for v in outputs:
        if not isinstance(v, Variable):
            raise TypeError(f"each output must be a Variable, not {type(v)}")
    if grad_outputs is None:
        grad_outputs = []
        for y in outputs:
            if y.grad_var is None:
                warnings.warn("outputs contains a Variable without grad, or duplicate "
                              "outputs. Note that kusari.backward does not set default "
                              "grad.", RuntimeWarning, stacklevel=2)
            grad_outputs.append(y.grad_var)
            y.grad_var = None
    elif not isinstance(grad_outputs, (tuple, list)):
        raise TypeError("grad_outputs must be None, a tuple, or a list, "
                        f"not {type(grad_outputs)}.")
    elif len(outputs) != len(grad_outputs):
        raise ValueError("grad_outputs must be of the same length as outputs.\n"
                         f"len(outputs) = {len(outputs)}, "
                         f"len(grad_outputs) = {len(grad_outputs)}")
    roots = []
    for y, gy in zip(outputs, grad_outputs):
        if gy is None:
            continue
        if not isinstance(gy, Variable):
            gy = Variable._new(gy, False)
        node = y.node
        if node.creator_node is None:  # a leaf given as an output gets the gradient
            _backprop._accumulate_leaf(node, gy, double, None)
        else:
            roots.append((node, gy))
    if roots:
        with using_config("enable_backprop", double):
            _backprop.backward_from(roots, False, None, double)


def grad(
    outputs: Sequence[Variable],
    inputs: Sequence[Variable],
    grad_outputs: Sequence[Variable | None] | None = None,
    grad_inputs: Sequence[Variable | None] | None = None,
    set_grad: bool = False,
    retain_grad: bool = False,
    enable_double_backprop: bool = False,
    loss_scale: float | None = None,
) -> list:
    """Gradients of ``outputs`` with respect to ``inputs``, leaving ``.grad`` untouched.

    Args:
        outputs: Variables to differentiate.
        inputs: Variables to differentiate with respect to.
        grad_outputs: Initial gradients of the outputs; None means ones (or the
            output's own ``grad_var`` when set).
        grad_inputs: Gradients added to the result, one per input.
        set_grad: Also store the results in the inputs' ``grad_var``.
        retain_grad: Keep intermediate gradients.
        enable_double_backprop: Make the results differentiable.
        loss_scale: Scale of the initial gradients.

    Returns:
        A list of gradient Variables (None where an input is unreachable).

    Example:
        >>> import numpy, kusari
        >>> x = kusari.Variable(numpy.array([2.0]))
        >>> gx, = kusari.grad([x * x], [x])
        >>> gx.array.tolist()
        [4.0]
    """
    if not isinstance(outputs, (tuple, list)):
        raise TypeError(f"grad: outputs must be a tuple or a list, got {type(outputs).__name__}")
    if not isinstance(inputs, (tuple, list)):
        raise TypeError(f"grad: inputs must be a tuple or a list, got {type(inputs).__name__}")
    for v in list(outputs) + list(inputs):
        if not isinstance(v, Variable):
            raise TypeError(f"grad: expected Variables, got {type(v).__name__}")
    if grad_outputs is not None and len(grad_outputs) != len(outputs):
        raise ValueError("grad: grad_outputs must have as many elements as outputs")
    if grad_inputs is not None and len(grad_inputs) != len(inputs):
        raise ValueError("grad: grad_inputs must have as many elements as inputs")
    roots = []
    for i, y in enumerate(outputs):
        gy = None if grad_outputs is None else grad_outputs[i]
        if gy is None:
            gy = y.grad_var
        if gy is None:
            g = y.xp.ones_like(y._data)
            if loss_scale is not None:
                g *= loss_scale
            gy = Variable._new(g, False)
        elif not isinstance(gy, Variable):
            gy = Variable._new(gy, False)
        roots.append((y.node, gy))
    targets = {x.node: None for x in inputs}
    with using_config("enable_backprop", enable_double_backprop):
        _backprop.backward_from(roots, retain_grad, loss_scale, enable_double_backprop, targets)
        result = []
        for i, x in enumerate(inputs):
            g = targets[x.node]
            if grad_inputs is not None and grad_inputs[i] is not None:
                extra = grad_inputs[i]
                if not isinstance(extra, Variable):
                    extra = Variable._new(extra, False)
                g = extra if g is None else _backprop._add(g, extra, enable_double_backprop)
            result.append(g)
    if set_grad:
        for x, g in zip(inputs, result):
            x.grad_var = g
    return result
