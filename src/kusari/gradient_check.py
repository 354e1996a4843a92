"""Numerical gradient checks: the oracle every differentiable function is tested against.

:func:`check_backward` compares the gradient computed by backward with a central
finite difference along a random direction, in float64 when asked, and
:func:`check_double_backward` does the same for the gradient of the gradient.

Example:
    >>> import numpy
    >>> import kusari.functions as F
    >>> x = numpy.random.uniform(0.5, 1, (3,))
    >>> check_backward(F.exp, x, numpy.ones(3), dtype=numpy.float64)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy

from kusari import backend
from kusari.function_node import grad as _grad
from kusari.variable import Variable


class NondifferentiableError(Exception):
    """The function is not differentiable at the inputs (left and right slopes differ)."""


def _as_tuple(x: Any) -> tuple:
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _host(a: Any) -> Any:
    return backend.CpuDevice().send(a)


def numerical_grad(
    f: Callable[[], Any],
    inputs: Sequence[Any],
    grad_outputs: Sequence[Any],
    eps: float = 1e-3,
    detect_nondifferentiable: bool = False,
    diff_atol: float = 0,
    diff_rtol: float = 1e-2,
    center_outputs: Any = None,
) -> tuple:
    """Elementwise central-difference gradients of ``f`` with respect to ``inputs``.

    ``f`` takes no arguments and reads the arrays in ``inputs``, which are perturbed in
    place (and restored).

    Args:
        f: Returns a tuple of output arrays.
        inputs: Arrays to differentiate with respect to (modified in place temporarily).
        grad_outputs: Gradients of the outputs (None entries count as zero).
        eps: Step size.
        detect_nondifferentiable: Raise :class:`NondifferentiableError` when the one-sided
            slopes disagree.
        diff_atol: Absolute tolerance of that check.
        diff_rtol: Relative tolerance of that check.
        center_outputs: Ignored (the centre is evaluated when needed).

    Returns:
        A tuple of gradient arrays, one per input.

    Raises:
        ValueError: ``eps`` is not positive.
        NondifferentiableError: See ``detect_nondifferentiable``.
    """
    if eps <= 0:
        raise ValueError(f"numerical_grad: eps must be positive, got {eps}")
    grads = []

    def evaluate() -> float:
        ys = _as_tuple(f())
        total = 0.0
        for y, gy in zip(ys, grad_outputs):
            if gy is None or y is None:
                continue
            y = getattr(y, "array", y)
            total += float((_host(y).astype(numpy.float64) * _host(gy)).sum())
        return total

    for x in inputs:
        gx = numpy.zeros(x.shape, numpy.float64)
        flat = x.reshape(-1) if x.flags.c_contiguous else None
        if flat is None:
            raise ValueError("numerical_grad: inputs must be C-contiguous")
        for i in range(flat.size):
            orig = flat[i].copy()
            flat[i] = orig + eps
            yp = evaluate()
            flat[i] = orig - eps
            ym = evaluate()
            if detect_nondifferentiable:
                flat[i] = orig
                y0 = evaluate()
                right, left = (yp - y0) / eps, (y0 - ym) / eps
                if abs(right - left) > diff_atol + diff_rtol * max(abs(right), abs(left)):
                    flat[i] = orig
                    raise NondifferentiableError(
                        f"nondifferentiable at element {i}: left slope {left}, right {right}"
                    )
            flat[i] = orig
            gx.reshape(-1)[i] = (yp - ym) / (2 * eps)
        grads.append(gx.astype(x.dtype) if x.dtype.kind == "f" else gx)
    return tuple(grads)


def _is_float(a: Any) -> bool:
    return a.dtype.kind == "f"


def check_backward(
    func: Callable,
    x_data: Any,
    y_grad: Any,
    params: Sequence[Variable] = (),
    eps: float = 1e-3,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    no_grads: Sequence[bool] | None = None,
    dtype: Any = None,
    detect_nondifferentiable: bool = False,
) -> None:
    """Check backward against a numerical directional derivative.

    A random unit direction ``d`` over all inputs (and ``params``) is drawn; the
    analytic ``sum_i <grad_i, d_i>`` must match ``(L(x + eps d) - L(x - eps d)) / 2eps``
    where ``L(x) = sum_j <y_j(x), y_grad_j>``.

    Args:
        func: Takes Variables, returns a Variable or a tuple of them.
        x_data: An input array or a tuple of them.
        y_grad: Gradient(s) of the output(s); None for a scalar output (ones).
        params: Extra Variables (e.g. link parameters) to differentiate too.
        eps: Finite-difference step.
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        no_grads: Per input, True if it must get no gradient (integer inputs default True).
        dtype: Compute the numerical side in this dtype (``numpy.float64`` recommended).
        detect_nondifferentiable: Raise :class:`NondifferentiableError` at kinks.

    Raises:
        AssertionError: The gradients disagree, or an input flagged ``no_grads`` got one.
        NondifferentiableError: See ``detect_nondifferentiable``.
    """
    x_data = _as_tuple(x_data)
    params = tuple(params)
    if no_grads is None:
        no_grads = [not _is_float(x) for x in x_data]
    elif len(no_grads) != len(x_data):
        raise ValueError(f"check_backward: no_grads has {len(no_grads)} entries for "
                         f"{len(x_data)} inputs")
    xs = [Variable(x, requires_grad=not ng) for x, ng in zip(x_data, no_grads)]
    ys = _as_tuple(func(*xs))
    ys = tuple(y if isinstance(y, Variable) else Variable(y) for y in ys)
    if y_grad is None:
        for y in ys:
            if y.size != 1:
                raise ValueError("check_backward: y_grad is None but an output is not scalar")
        gys = [y.xp.ones_like(y.array) for y in ys]
    else:
        gys = list(_as_tuple(y_grad))
        if len(gys) != len(ys):
            raise ValueError(f"check_backward: {len(gys)} output gradients for {len(ys)} "
                             "outputs")
    targets = [x for x, ng in zip(xs, no_grads) if not ng] + list(params)
    if not targets:
        return
    grads = _grad(list(ys), targets,
                  grad_outputs=[None if g is None else Variable(g) for g in gys]
                  if all(g is not None for g in gys) else _fill_none(ys, gys))
    for x, ng in zip(xs, no_grads):
        if ng and x.grad is not None:
            raise AssertionError("check_backward: an input in no_grads received a gradient")

    # random unit direction over all differentiated arrays
    rng = numpy.random
    dirs = [rng.normal(size=t.shape) for t in targets]
    norm = numpy.sqrt(sum(float((d * d).sum()) for d in dirs)) or 1.0
    dirs = [d / norm for d in dirs]
    analytic = 0.0
    for g, d in zip(grads, dirs):
        if g is not None:
            analytic += float((_host(g.array).astype(numpy.float64) * d).sum())

    calc_dtype = numpy.dtype(dtype) if dtype is not None else None
    base_x = [numpy.array(_host(x), dtype=calc_dtype or x.dtype) if _is_float(x) and not ng
              else _host(x) for x, ng in zip(x_data, no_grads)]
    base_p = [numpy.array(_host(p.array), dtype=calc_dtype or p.dtype) for p in params]
    host_gys = [None if g is None else numpy.asarray(_host(g), dtype=numpy.float64)
                for g in gys]
    device = backend.get_device_from_array(x_data[0]) if x_data else backend.CpuDevice()
    orig_params = [p.array for p in params]

    def loss_at(t: float) -> float:
        xs_t = []
        k = 0
        for x, ng in zip(base_x, no_grads):
            if ng:
                xs_t.append(device.send(x))
            else:
                xs_t.append(device.send((x + t * dirs[k]).astype(x.dtype)))
                k += 1
        for p, base in zip(params, base_p):
            p.array = device.send((base + t * dirs[k]).astype(base.dtype))
            k += 1
        outs = _as_tuple(func(*[Variable(x, requires_grad=not ng)
                                for x, ng in zip(xs_t, no_grads)]))
        total = 0.0
        for y, gy in zip(outs, host_gys):
            if gy is None:
                continue
            total += float((_host(getattr(y, "array", y)).astype(numpy.float64) * gy).sum())
        return total

    try:
        lp, lm = loss_at(eps), loss_at(-eps)
        if detect_nondifferentiable:
            l0 = loss_at(0.0)
            right, left = (lp - l0) / eps, (l0 - lm) / eps
            if abs(right - left) > 1e-2 * max(abs(right), abs(left)) + atol:
                raise NondifferentiableError(
                    f"check_backward: nondifferentiable point (left {left}, right {right})"
                )
    finally:
        for p, a in zip(params, orig_params):
            p.array = a
    numerical = (lp - lm) / (2 * eps)
    if not abs(analytic - numerical) <= atol + rtol * abs(numerical):
        raise AssertionError(
            "check_backward failed: the directional derivative from backward "
            f"({analytic!r}) differs from the numerical one ({numerical!r}); "
            f"atol={atol}, rtol={rtol}, eps={eps}"
        )


def _fill_none(ys: tuple, gys: list) -> list:
    return [Variable(y.xp.zeros_like(y.array)) if g is None else Variable(g)
            for y, g in zip(ys, gys)]


def check_double_backward(
    func: Callable,
    x_data: Any,
    y_grad: Any,
    x_grad_grad: Any,
    params: Sequence[Variable] = (),
    params_grad_grad: Sequence[Any] = (),
    eps: float = 1e-3,
    atol: float = 1e-4,
    rtol: float = 1e-3,
    no_grads: Sequence[bool] | None = None,
    dtype: Any = None,
    detect_nondifferentiable: bool = False,
) -> None:
    """Check the gradient of the gradient numerically.

    The first-order gradient (computed with ``enable_double_backprop=True``) is treated
    as a function of the inputs and of ``y_grad``, and checked by :func:`check_backward`
    with ``x_grad_grad`` as its output gradient.

    Args:
        func: As in :func:`check_backward`.
        x_data: Input array(s).
        y_grad: Output gradient(s).
        x_grad_grad: Gradient(s) for the first-order input gradients.
        params: Extra Variables.
        params_grad_grad: Gradients for the first-order parameter gradients.
        eps: Finite-difference step.
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        no_grads: As in :func:`check_backward`.
        dtype: Numerical dtype.
        detect_nondifferentiable: As in :func:`check_backward`.

    Raises:
        AssertionError: The second-order gradients disagree.
    """
    x_data = _as_tuple(x_data)
    params = tuple(params)
    y_grad = _as_tuple(y_grad)
    x_grad_grad = _as_tuple(x_grad_grad)
    params_grad_grad = _as_tuple(params_grad_grad) if params_grad_grad else ()
    n_x = len(x_data)
    if no_grads is None:
        no_grads = [not _is_float(x) for x in x_data]
    diff_idx = [i for i in range(n_x) if not no_grads[i]]

    def first_order(*inputs: Variable) -> tuple:
        xs = inputs[:n_x]
        gys = inputs[n_x:]
        ys = _as_tuple(func(*xs))
        targets = [xs[i] for i in diff_idx] + list(params)
        gxs = _grad(list(ys), targets, grad_outputs=list(gys), enable_double_backprop=True)
        out = []
        for g, t in zip(gxs, targets):
            out.append(g if g is not None else Variable(t.xp.zeros_like(t.array)))
        return tuple(out)

    ggs = tuple(x_grad_grad[i] if len(x_grad_grad) == n_x else x_grad_grad[k]
                for k, i in enumerate(diff_idx)) + tuple(params_grad_grad)
    check_backward(
        first_order, x_data + y_grad, ggs, params=params, eps=eps, atol=atol, rtol=rtol,
        no_grads=list(no_grads) + [False] * len(y_grad), dtype=dtype,
        detect_nondifferentiable=detect_nondifferentiable,
    )
