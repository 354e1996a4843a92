"""Call a function without keeping its intermediate results; recompute them in backward."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kusari import _backprop, configuration, variable
from kusari.configuration import config
from kusari.function_node import FunctionNode


def _outputs_of(func: Callable, xs: tuple) -> tuple:
    """``func(*xs)`` as a tuple of Variables (Chainer's ``RuntimeError`` otherwise)."""
    outs = func(*xs)
    if isinstance(outs, variable.Variable):
        return (outs,)
    if not isinstance(outs, tuple):
        raise RuntimeError("A tuple of Variables or a Variable are expected, but "
                           f"{type(outs)} is returned.")
    for i, out in enumerate(outs):
        if not isinstance(out, variable.Variable):
            n = i + 1
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
            raise RuntimeError(f"{n}{suffix} element of a returned tuple is not Variable, "
                               f"but is {type(out)}")
    return outs


class Forget(FunctionNode):
    """Runs ``func`` without a graph; backward runs it again with one and backprops through."""

    def __init__(self, func: Callable) -> None:
        if not callable(func):
            raise TypeError("func must be callable")
        self.func = func

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs(tuple(range(len(inputs))))
        with configuration.no_backprop_mode(), \
                configuration.using_config("_will_recompute", True):
            outs = _outputs_of(self.func, tuple(variable.Variable(x) for x in inputs))
        return tuple(out.array for out in outs)

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        if config.enable_backprop:
            raise RuntimeError("double backpropagation in functions.forget is not allowed.")
        xs = tuple(variable.Variable(x.array) for x in self.get_retained_inputs())
        with configuration.force_backprop_mode(), \
                configuration.using_config("in_recomputing", True):
            outs = _outputs_of(self.func, xs)
        if len(outs) != len(grad_outputs):
            raise RuntimeError(f"forget: func returned {len(outs)} outputs on recomputation "
                               f"but {len(grad_outputs)} on the first call")
        roots = []
        for out, gy in zip(outs, grad_outputs):
            if gy is None:
                continue
            node = out.node
            if node.creator_node is None:
                # an input (or a parameter) returned as is: its gradient is gy itself
                _backprop._accumulate_leaf(node, gy, False, None)
            else:
                roots.append((node, gy))
        if roots:
            _backprop.backward_from(roots, False, None, False)
        # parameters used inside func got their gradients accumulated above
        return tuple(xs[i].grad_var for i in indexes)


def forget(func: Callable, *xs: Any) -> Any:
    """Call ``func(*xs)`` without storing its intermediate results.

    The forward pass runs ``func`` with backprop disabled, so nothing inside it is kept
    alive; the backward pass runs ``func`` again (with ``config.in_recomputing`` set) to
    rebuild the graph and backpropagates through it. Memory is traded for a second
    forward computation. Gradients of links' parameters used inside ``func`` are
    accumulated as usual.

    ``func`` must be deterministic (no :func:`dropout`), and links that update state on
    every call should do so only once (``config._will_recompute`` is set during the first
    call, ``config.in_recomputing`` during the second). Double backprop is not supported.

    Args:
        func: A callable taking Variables and returning a Variable or a tuple of Variables.
        xs: Its arguments; arrays are wrapped in Variables that require gradients.

    Returns:
        What ``func`` returns: a Variable, or a tuple of Variables.

    Raises:
        TypeError: ``func`` is not callable.
        RuntimeError: ``func`` returns something else than Variables, or a double backward
            reaches this function.

    Example:
        >>> import numpy
        >>> import kusari
        >>> x = kusari.Variable(numpy.array([1.0, 2.0]))
        >>> y = forget(lambda a: (a + 1) * a, x)
        >>> y.grad = numpy.ones(2)
        >>> y.backward()
        >>> x.grad.tolist()
        [3.0, 5.0]
    """
    xs = tuple(x if isinstance(x, variable.Variable) else variable.Variable(x, requires_grad=True)
               for x in xs)
    ys = Forget(func).apply(xs)
    if len(ys) == 1:
        return ys[0]
    return ys
