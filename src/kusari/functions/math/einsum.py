"""Einstein summation, like ``numpy.einsum``."""

from __future__ import annotations

import string
from typing import Any

from kusari import variable
from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions import _fast_check
from kusari.utils import type_check


def _parse(subscripts: str, ndims: list) -> tuple:
    """Explicit ``(input_subscripts, output_subscript)`` with ``...`` spelled out as letters."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        lhs, out = subscripts.split("->")
        explicit = True
    else:
        lhs, out, explicit = subscripts, "", False
    ins = lhs.split(",")
    if len(ins) != len(ndims):
        raise ValueError(f"einsum: {len(ins)} operand subscripts for {len(ndims)} operands")
    used = set(subscripts)
    spare = [c for c in string.ascii_letters if c not in used]
    n_ell = 0
    for s, nd in zip(ins, ndims):
        if "..." in s:
            n_ell = max(n_ell, nd - (len(s) - 3))
    ell = "".join(spare[:n_ell])
    parsed = []
    for s, nd in zip(ins, ndims):
        if "..." in s:
            k = nd - (len(s) - 3)
            s = s.replace("...", ell[n_ell - k:] if k else "")
        if len(s) != nd:
            raise ValueError(f"einsum: subscripts {s!r} do not match an operand of {nd} dims")
        parsed.append(s)
    if explicit:
        out = out.replace("...", ell)
    else:
        counts: dict = {}
        for s in parsed:
            for c in s:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    return parsed, out


class EinSum(FunctionNode):
    """``numpy.einsum(subscripts, *operands)``.

    The gradient of an operand is another einsum of the output gradient with the other
    operands; letters repeated in the operand (diagonals) are tied by identity matrices and
    letters summed away inside it alone are restored by vectors of ones.
    """

    _fast_check = staticmethod(_fast_check.float_inputs)

    def __init__(self, in_subs: list, out_sub: str) -> None:
        self.in_subs = in_subs
        self.out_sub = out_sub

    @property
    def label(self) -> str:
        return "EinSum"

    def check_type_forward(self, in_types: Any) -> None:
        n = type_check.eval(in_types.size())
        for i in range(n):
            type_check.argname((in_types[i],), (f"x{i}",))
            type_check.expect(in_types[i].dtype.kind == "f",
                              in_types[i].dtype == in_types[0].dtype)
        first: dict = {}
        for i, s in enumerate(self.in_subs):
            type_check.expect(in_types[i].ndim == len(s))
            for p, c in enumerate(s):
                if c in first:
                    j, q = first[c]
                    type_check.expect(in_types[j].shape[q] == in_types[i].shape[p])
                else:
                    first[c] = (i, p)

    def forward(self, inputs: tuple) -> tuple:
        self.retain_inputs(tuple(range(len(inputs))))
        sizes: dict = {}
        for s, x in zip(self.in_subs, inputs):
            for c, n in zip(s, x.shape):
                if sizes.setdefault(c, n) != n:
                    self._check_data_type_forward(inputs)
        self._sizes = sizes
        xp = get_array_module(*inputs)
        spec = ",".join(self.in_subs) + "->" + self.out_sub
        y = xp.einsum(spec, *inputs, optimize=len(inputs) > 1)
        return xp.asarray(y, dtype=inputs[0].dtype),

    def backward(self, indexes: tuple, grad_outputs: tuple) -> tuple:
        xs = self.get_retained_inputs()
        gy, = grad_outputs
        xp = get_array_module(gy.array)
        dtype = gy.dtype
        spare = [c for c in string.ascii_letters
                 if c not in self.out_sub and all(c not in s for s in self.in_subs)]
        ret = []
        for i in indexes:
            subs = [self.out_sub] + [s for j, s in enumerate(self.in_subs) if j != i]
            ops = [gy] + [x for j, x in enumerate(xs) if j != i]
            available = set("".join(subs))
            target, seen = [], set()
            k = 0
            for c in self.in_subs[i]:
                if c in seen:
                    fresh = spare[k]
                    k += 1
                    subs.append(c + fresh)
                    ops.append(xp.eye(self._sizes[c], dtype=dtype))
                    target.append(fresh)
                    continue
                seen.add(c)
                if c not in available:
                    subs.append(c)
                    ops.append(xp.ones(self._sizes[c], dtype=dtype))
                    available.add(c)
                target.append(c)
            ret.append(EinSum(subs, "".join(target)).apply(ops)[0])
        return tuple(ret)


def einsum(*operands: Any) -> variable.Variable:
    """Einstein summation: ``einsum('ij,jk->ik', a, b)`` is the matrix product.

    Subscripts may use ``...`` for broadcast leading axes and may omit ``->`` (the output
    is then the letters used once, in alphabetical order). A letter repeated inside one
    operand takes a diagonal.

    Args:
        *operands: The subscripts string followed by float Variables or arrays of one dtype.

    Returns:
        The result Variable.

    Raises:
        ValueError: The subscripts do not fit the operands.
        kusari.utils.type_check.InvalidType: Dtypes differ, or one letter labels axes of
            different lengths.

    Example:
        >>> import numpy
        >>> a = numpy.ones((2, 3), numpy.float32)
        >>> einsum('ij,kj->ik', a, a).array.tolist()
        [[3.0, 3.0], [3.0, 3.0]]
    """
    if not operands or not isinstance(operands[0], str):
        raise TypeError("einsum: the first argument must be the subscripts string")
    subscripts, xs = operands[0], operands[1:]
    in_subs, out_sub = _parse(subscripts, [x.ndim for x in xs])
    return EinSum(in_subs, out_sub).apply(xs)[0]
