"""The backward traversal: iterative, in decreasing rank, freeing gradients as it goes.

Functions wait in a heap keyed by rank, so a function runs only after every function
that consumes its outputs has run and the output gradients are complete. Gradients
live in a table keyed by graph node and are popped the moment their function consumes
them. Where several gradients meet at one node they are summed, in place when the
accumulator is an array this traversal allocated (never one a backward returned, which
may be shared).
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy

from kusari import function_hook
from kusari.configuration import config as _config
from kusari.configuration import global_config as _global

_local = _config._local
_hooks_registered = function_hook._registered

_Variable: Any = None  # set by kusari.variable once the class exists (no import cycle)


def _new_var(data: Any) -> Any:
    return _Variable._new(data, False)


def _is_var(x: Any) -> bool:
    return isinstance(x, _Variable)


def _check_nan(func: Any, arrays: Any, where: str) -> None:
    for a in arrays:
        if a is None:
            continue
        a = getattr(a, "_data", a)
        xp = numpy if isinstance(a, numpy.ndarray) else __import__("cupy")
        if a.dtype.kind == "f" and bool(xp.isnan(a).any()):
            raise RuntimeError(f"NaN is detected in {where} of {func.label}")


def _add(a: Any, b: Any, double: bool) -> Any:
    """A new gradient Variable ``a + b`` (through the graph when ``double``)."""
    if double:
        from kusari.functions.math.basic_math import add

        return add(a, b)
    return _new_var(a._data + b._data)


_FIRST = (0,)
# the target input indexes of two- and three-input functions, by their requires_grad flags
_INDEXES2 = {(a, b): tuple(i for i, r in enumerate((a, b)) if r)
             for a in (False, True) for b in (False, True)}
_INDEXES3 = {(a, b, c): tuple(i for i, r in enumerate((a, b, c)) if r)
             for a in (False, True) for b in (False, True) for c in (False, True)}


def backward_from(
    roots: list,
    retain_grad: bool,
    loss_scale: float | None,
    double: bool,
    targets: dict | None = None,
) -> None:
    """Run backward from ``roots``, a list of ``(node, grad Variable)`` pairs.

    Leaf gradients are accumulated into their variables, unless ``targets`` (a dict
    from node to None) is given: then the gradients of those nodes are stored in it
    and no variable's gradient is touched.
    """
    debug = _local.__dict__.get("debug", _global.debug)
    grads: dict = {}
    owned: set = set()
    heap: list = []
    seen: set = set()
    counter = 0
    heappush = heapq.heappush
    heappop = heapq.heappop

    for node, g in roots:
        if node in grads:
            grads[node] = _add(grads[node], g, double)
            owned.add(node)
        else:
            grads[node] = g
        func = node.creator_node
        if func is not None and func not in seen:
            seen.add(func)
            counter += 1
            heappush(heap, (-func.rank, counter, func))

    # ``nxt`` holds the only pending function while the heap is empty (a chain of
    # single-consumer nodes, the common case): no heap push and pop for it. A second
    # pending function sends it to the heap first, so the order is the heap's.
    nxt = None
    record = targets is not None or retain_grad
    while True:
        if nxt is not None:
            func = nxt
            nxt = None
        elif heap:
            func = heappop(heap)[2]
        else:
            break
        outs = func.outputs
        if len(outs) == 1:  # most functions: no list, no loop
            y = outs[0]()
            g = None if y is None else grads.pop(y, None)
            if g is None:
                continue
            if owned:
                owned.discard(y)
            if record:
                _record(y, g, targets, retain_grad)
            gys = (g,)
        else:
            gys = []
            any_grad = False
            for ref in outs:
                y = ref()
                if y is None:
                    gys.append(None)
                    continue
                g = grads.pop(y, None)
                if g is not None:
                    any_grad = True
                    if owned:
                        owned.discard(y)
                    if record:
                        _record(y, g, targets, retain_grad)
                gys.append(g)
            if not any_grad:
                continue
            gys = tuple(gys)
        in_nodes = func.inputs
        n_in = len(in_nodes)
        if n_in == 1:
            if not in_nodes[0].requires_grad:
                continue
            indexes = _FIRST
        elif n_in == 2:
            indexes = _INDEXES2[in_nodes[0].requires_grad, in_nodes[1].requires_grad]
            if not indexes:
                continue
        elif n_in == 3:
            a, b, c = in_nodes
            indexes = _INDEXES3[a.requires_grad, b.requires_grad, c.requires_grad]
            if not indexes:
                continue
        else:
            indexes = tuple([i for i, x in enumerate(in_nodes) if x.requires_grad])
            if not indexes:
                continue
        hooks = function_hook._hooks_of(func) if _hooks_registered[0] else None
        if hooks:
            gxs = _backward_with_hooks(func, hooks, indexes, gys)
        else:
            gxs = func.backward(indexes, gys)
        del gys
        if type(gxs) is not tuple:
            gxs = tuple(gxs) if isinstance(gxs, list) else (gxs,)
        if len(gxs) != len(indexes):
            if len(gxs) == len(in_nodes):
                gxs = tuple(gxs[i] for i in indexes)
            else:
                raise ValueError(
                    f"{func.label}.backward returned {len(gxs)} gradients; expected "
                    f"{len(indexes)} (one per target input) or {len(in_nodes)} (one per input)"
                )
        if debug:
            _check_nan(func, gxs, "backward")
        for i, gx in zip(indexes, gxs):
            if gx is None:
                continue
            if type(gx) is not _Variable and not isinstance(gx, _Variable):
                gx = _new_var(gx)
            x = in_nodes[i]
            gd = gx._data
            if gd.shape != x.shape or (gd.dtype is not x.dtype and gd.dtype != x.dtype):
                if gd.shape == x.shape == () and gd.dtype.kind == x.dtype.kind == "f":
                    # NumPy 1.x's value-based casting promotes 0-d float16/32 arithmetic
                    # with Python floats; the gradient of a 0-d input keeps its dtype
                    gx = _new_var(gd.astype(x.dtype))
                    gd = gx._data
                if gd.shape != x.shape or gd.dtype != x.dtype:
                    raise ValueError(
                        f"{func.label}.backward: gradient of input {i} has shape {gd.shape} and "
                        f"dtype {gd.dtype}; expected shape {x.shape} and dtype {x.dtype}"
                    )
            creator = x.creator_node
            if creator is None and targets is None:
                _accumulate_leaf(x, gx, double, loss_scale)
                continue
            prev = grads.get(x)
            if prev is None:
                grads[x] = gx
            elif double:
                grads[x] = _add(prev, gx, True)
            elif x in owned:
                prev._data += gd
            else:
                grads[x] = _add(prev, gx, False)
                owned.add(x)
            if creator is not None and creator not in seen:
                seen.add(creator)
                if nxt is None and not heap:
                    nxt = creator
                    continue
                if nxt is not None:
                    counter += 1
                    heappush(heap, (-nxt.rank, counter, nxt))
                    nxt = None
                counter += 1
                heappush(heap, (-creator.rank, counter, creator))
        del gxs

    if targets is not None:
        # leaves (and roots without a creator) keep their final gradient in the table;
        # intermediate targets were recorded when their creator consumed them
        for node in targets:
            if node in grads:
                targets[node] = grads[node]


def _backward_with_hooks(func: Any, hooks: list, indexes: tuple, gys: tuple) -> Any:
    """``func.backward`` between its hooks' ``backward_preprocess`` and ``_postprocess``."""
    in_data = tuple([x.data for x in func.inputs])
    out_grad = tuple([None if g is None else g._data for g in gys])
    for hook in hooks:
        hook.backward_preprocess(func, in_data, out_grad)
    gxs = func.backward(indexes, gys)
    for hook in hooks:
        hook.backward_postprocess(func, in_data, out_grad)
    return gxs


def _record(y: Any, g: Any, targets: dict | None, retain_grad: bool) -> None:
    """Keep the complete gradient ``g`` of the output node ``y`` where it was asked for."""
    if targets is not None and y in targets:
        targets[y] = g
    if retain_grad:
        v = y._variable()
        if v is not None:
            v._grad_var = g
            v._grad_owned = False


def _accumulate_leaf(x: Any, gx: Any, double: bool, loss_scale: float | None) -> None:
    v = x._variable()
    if v is None:
        return
    if loss_scale is not None and type(v) is not _Variable:
        v._loss_scale = loss_scale
    prev = v._grad_var
    if prev is None:
        d = gx._data
        if isinstance(d, numpy.ndarray) and not d.flags.writeable:  # a broadcast view
            v._grad_var = _new_var(d.copy())
            v._grad_owned = True
        else:
            v._grad_var = gx
            v._grad_owned = False
    elif double:
        v._grad_var = _add(prev, gx, True)
        v._grad_owned = False
    elif v._grad_owned:
        prev._data += gx._data
    else:
        v._grad_var = _add(prev, gx, False)
        v._grad_owned = True
