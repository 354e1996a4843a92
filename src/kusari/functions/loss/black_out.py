"""BlackOut loss: a softmax over the target and a few sampled negatives."""

from __future__ import annotations

from typing import Any

from kusari import variable


def black_out(x: Any, t: Any, W: Any, samples: Any, reduce: str = "mean") -> variable.Variable:
    """BlackOut loss function.

    With :math:`p(y) = \\exp(W_y^\\top x) / \\sum_{s \\in \\{t\\} \\cup S}
    \\exp(W_s^\\top x)` over the target ``t`` and the negatives ``S`` (``samples``),
    :math:`\\ell = -\\log p(t) - \\sum_{s \\in S} \\log(1 - p(s))`.

    Args:
        x: Input of shape ``(N, D)``.
        t: Target ids, int32, shape ``(N,)``.
        W: Weight matrix ``(V, D)``.
        samples: Negative ids, int32, shape ``(N, S)``.
        reduce: ``'mean'`` (a scalar) or ``'no'`` (shape ``(N,)``).

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is neither ``'mean'`` nor ``'no'``.
        kusari.utils.type_check.InvalidType: From the embedding lookup when ``t`` or
            ``samples`` is not integer or ``W`` not a float matrix.

    Example:
        >>> import numpy
        >>> x = numpy.zeros((1, 2), numpy.float32)
        >>> W = numpy.ones((4, 2), numpy.float32)
        >>> t = numpy.array([0], numpy.int32)
        >>> samples = numpy.array([[1, 2]], numpy.int32)
        >>> round(float(black_out(x, t, W, samples).array), 4)  # -log(1/3) - 2 log(2/3)
        1.9095
    """
    from kusari.functions.array.concat import concat
    from kusari.functions.array.expand_dims import expand_dims
    from kusari.functions.connection.embed_id import embed_id
    from kusari.functions.math.average import average
    from kusari.functions.math.einsum import einsum
    from kusari.functions.math.exponential import exp, log
    from kusari.functions.math.logsumexp import logsumexp
    from kusari.functions.math.sum import sum as f_sum

    if reduce not in ("mean", "no"):
        raise ValueError(
            f"only 'mean' and 'no' are valid for 'reduce', but '{reduce}' is given")
    neg_y = einsum("nsd,nd->ns", embed_id(samples, W), x)          # (N, S)
    pos_y = einsum("nd,nd->n", embed_id(t, W), x)                  # (N,)
    logz = logsumexp(concat([expand_dims(pos_y, 1), neg_y], axis=1), axis=1)
    log_not = log(1 - exp(neg_y - expand_dims(logz, 1)))           # log(1 - p(s))
    loss = -(pos_y - logz + f_sum(log_not, axis=1))
    if reduce == "mean":
        loss = average(loss)
    return loss
