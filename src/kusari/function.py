"""The legacy ``Function`` interface of Chainer v1, adapted onto :class:`FunctionNode`.

A ``Function`` works on arrays in both directions: ``forward(inputs)`` and
``backward(inputs, grad_outputs)`` take and return tuples of arrays. It does not
support double backprop.

Example:
    >>> import numpy
    >>> from kusari import Function, Variable
    >>> class Twice(Function):
    ...     def forward(self, inputs):
    ...         return inputs[0] * 2,
    ...     def backward(self, inputs, grad_outputs):
    ...         return grad_outputs[0] * 2,
    >>> x = Variable(numpy.array([1.0]))
    >>> y = Twice()(x)
    >>> y.backward()
    >>> x.grad.tolist()
    [2.0]
"""

from __future__ import annotations

import collections
from typing import Any

import numpy

from kusari import function_hook
from kusari.function_node import FunctionNode
from kusari.utils import type_check
from kusari.variable import Variable


class FunctionAdapter(FunctionNode):
    """Runs a legacy :class:`Function` as a node of the graph."""

    def __init__(self, function: Function) -> None:
        self._function = function

    @property
    def function(self) -> Function:
        return self._function

    @property
    def label(self) -> str:
        return self._function.label

    def check_type_forward(self, in_types: type_check.TypeInfoTuple) -> None:
        self._function.check_type_forward(in_types)

    def forward(self, inputs: tuple) -> tuple:
        f = self._function
        self.retain_inputs(tuple(range(len(inputs))))
        outputs = f.forward(inputs)
        if not isinstance(outputs, tuple):
            raise TypeError(f"{f.label}.forward must return a tuple of arrays")
        self.retain_outputs(tuple(range(len(outputs))))
        f._output_shapes = [(y.shape, y.dtype) for y in outputs]
        return outputs

    def backward(self, target_input_indexes: tuple, grad_outputs: tuple) -> tuple:
        f = self._function
        in_data = tuple(x.data for x in self.inputs)
        f.output_data = self._retained_output_data
        gys = []
        for g, (shape, dtype) in zip(grad_outputs, f._output_shapes):
            if g is None:
                xp = numpy if in_data and isinstance(in_data[0], numpy.ndarray) else \
                    __import__("cupy")
                gys.append(xp.zeros(shape, dtype))
            else:
                gys.append(g.array)
        gxs = f.backward(in_data, tuple(gys))
        if not isinstance(gxs, tuple):
            raise TypeError(f"{f.label}.backward must return a tuple of arrays")
        if len(gxs) != len(in_data):
            raise ValueError(
                f"{f.label}.backward returned {len(gxs)} gradients for {len(in_data)} inputs"
            )
        ret = []
        for i in target_input_indexes:
            g = gxs[i]
            if g is None:
                ret.append(None)
                continue
            x = in_data[i]
            if numpy.isscalar(g) or isinstance(g, numpy.generic):
                g = numpy.asarray(g, dtype=x.dtype)
            ret.append(Variable(g, requires_grad=False))
        return tuple(ret)


class Function:
    """Base of legacy (Chainer v1 style) functions working on arrays.

    Subclasses implement ``forward`` (or ``forward_cpu``/``forward_gpu``) and
    ``backward`` (or ``backward_cpu``/``backward_gpu``). Call the instance on
    Variables or arrays.
    """

    output_data: tuple | None = None

    @property
    def label(self) -> str:
        return type(self).__name__

    @property
    def node(self) -> FunctionAdapter | None:
        return getattr(self, "_node", None)

    @property
    def inputs(self) -> Any:
        return self.node.inputs

    @property
    def outputs(self) -> Any:
        return self.node.outputs

    @property
    def rank(self) -> int:
        return self.node.rank

    @property
    def local_function_hooks(self) -> collections.OrderedDict:
        """The hooks registered to this function only, by name (shared by its nodes)."""
        hooks = self.__dict__.get("_local_function_hooks")
        if hooks is None:
            hooks = self._local_function_hooks = collections.OrderedDict()
        return hooks

    def add_hook(self, hook: Any, name: str | None = None) -> None:
        """Register ``hook`` for this function only (see ``FunctionNode.add_hook``)."""
        function_hook._add_local(self.local_function_hooks, hook, name, self)

    def delete_hook(self, name: str) -> None:
        """Unregister this function's hook ``name``."""
        function_hook._delete_local(self.local_function_hooks, name, self)

    def __call__(self, *inputs: Any) -> Any:
        node = FunctionAdapter(self)
        self._node = node
        hooks = self.__dict__.get("_local_function_hooks")
        if hooks:
            node._local_function_hooks = hooks
        ret = node.apply(inputs)
        return ret[0] if len(ret) == 1 else ret

    def check_type_forward(self, in_types: type_check.TypeInfoTuple) -> None:
        """Check the input types."""

    def forward(self, inputs: tuple) -> tuple:
        if isinstance(inputs[0], numpy.ndarray):
            return self.forward_cpu(inputs)
        return self.forward_gpu(inputs)

    def forward_cpu(self, inputs: tuple) -> tuple:
        raise NotImplementedError

    def forward_gpu(self, inputs: tuple) -> tuple:
        raise NotImplementedError

    def backward(self, inputs: tuple, grad_outputs: tuple) -> tuple:
        if isinstance(inputs[0], numpy.ndarray):
            return self.backward_cpu(inputs, grad_outputs)
        return self.backward_gpu(inputs, grad_outputs)

    def backward_cpu(self, inputs: tuple, grad_outputs: tuple) -> tuple:
        return (None,) * len(inputs)

    def backward_gpu(self, inputs: tuple, grad_outputs: tuple) -> tuple:
        return (None,) * len(inputs)

    def unchain(self) -> None:
        if self.node is not None:
            self.node.unchain()

    def retain_inputs(self, indexes: Any) -> None:
        """Kept for compatibility; legacy functions always keep their inputs."""

    def retain_outputs(self, indexes: Any, retain_after_backward: bool = False) -> None:
        """Kept for compatibility; legacy functions always keep their outputs."""
