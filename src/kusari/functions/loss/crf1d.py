"""Linear-chain conditional random field: the negative log-likelihood and Viterbi decoding.

Sequences come time-major and sorted by decreasing length (as
:func:`~kusari.functions.transpose_sequence` gives them): ``xs[t]`` holds the scores of
the ``B_t`` sequences still running at time ``t``, with ``B_0 >= B_1 >= ...``. Both
functions loop over time only; every step works on the whole batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from kusari import variable


def crf1d(cost: Any, xs: Sequence[Any], ys: Sequence[Any],
          reduce: str = "mean") -> variable.Variable:
    """Negative log-likelihood of a linear-chain CRF.

    For a sequence with scores :math:`x_t` and labels :math:`y_t`, the path score is
    :math:`s(y) = \\sum_t x_{t, y_t} + \\sum_{t > 0} c_{y_{t-1}, y_t}` and the loss is
    :math:`\\log Z - s(y)` with :math:`Z = \\sum_{y'} \\exp s(y')`, computed by the
    forward algorithm in log space.

    Args:
        cost: Transition costs ``(K, K)`` (``cost[i, j]``: from label ``i`` to ``j``).
        xs: Per-step scores, each ``(B_t, K)``, ``B_t`` non-increasing.
        ys: Per-step labels, each int32 ``(B_t,)``.
        reduce: ``'mean'`` (the sum over sequences divided by ``B_0``) or ``'no'``
            (shape ``(B_0,)``).

    Returns:
        The loss Variable.

    Raises:
        ValueError: ``reduce`` is neither ``'mean'`` nor ``'no'``, or the number of
            labels of ``xs`` and ``cost`` differ.

    Example:
        >>> import numpy
        >>> cost = numpy.zeros((2, 2), numpy.float32)
        >>> xs = [numpy.zeros((1, 2), numpy.float32)] * 3
        >>> ys = [numpy.zeros(1, numpy.int32)] * 3
        >>> round(float(crf1d(cost, xs, ys).array), 4)  # log 8: all paths equally likely
        2.0794
    """
    from kusari.functions.array.broadcast import broadcast
    from kusari.functions.array.concat import concat
    from kusari.functions.array.expand_dims import expand_dims
    from kusari.functions.array.reshape import reshape
    from kusari.functions.array.select_item import select_item
    from kusari.functions.array.split_axis import split_axis
    from kusari.functions.connection.embed_id import embed_id
    from kusari.functions.math.logsumexp import logsumexp
    from kusari.functions.math.sum import sum as f_sum

    if reduce not in ("mean", "no"):
        raise ValueError(
            f"only 'mean' and 'no' are valid for 'reduce', but '{reduce}' is given")
    n_label = cost.shape[0]
    if xs[0].shape[1] != n_label:
        raise ValueError(f"crf1d: xs[0] has {xs[0].shape[1]} labels but cost has {n_label}")
    n_batch = xs[0].shape[0]

    # forward algorithm; rows of sequences that ended are set aside (longest first)
    alpha = xs[0]
    done = []
    for x in xs[1:]:
        batch = x.shape[0]
        if alpha.shape[0] > batch:
            alpha, rest = split_axis(alpha, [batch], axis=0)
            done.append(rest)
        a, c = broadcast(expand_dims(alpha, 2), cost)
        alpha = logsumexp(a + c, axis=1) + x
    if done:
        alpha = concat([alpha] + done[::-1], axis=0)
    logz = logsumexp(alpha, axis=1)

    # score of the given path
    flat_cost = reshape(cost, (n_label * n_label, 1))
    score = select_item(xs[0], ys[0])
    done = []
    for x, y, y_prev in zip(xs[1:], ys[1:], ys[:-1]):
        batch = x.shape[0]
        if score.shape[0] > batch:
            score, rest = split_axis(score, [batch], axis=0)
            done.append(rest)
            y_prev = y_prev[:batch]
        y_prev = getattr(y_prev, "array", y_prev)
        y_arr = getattr(y, "array", y)
        trans = reshape(embed_id(y_prev * n_label + y_arr, flat_cost), (batch,))
        score = score + select_item(x, y) + trans
    if done:
        score = concat([score] + done[::-1], axis=0)
    loss = logz - score
    if reduce == "mean":
        return f_sum(loss) / n_batch
    return loss


def argmax_crf1d(cost: Any, xs: Sequence[Any]) -> tuple:
    """The most likely label path of a linear-chain CRF (Viterbi).

    Args:
        cost: Transition costs ``(K, K)``.
        xs: Per-step scores, each ``(B_t, K)``, ``B_t`` non-increasing.

    Returns:
        ``(score, path)``: ``score`` is a Variable ``(B_0,)`` holding each sequence's best
        path score :math:`\\max_y s(y)`, ``path`` a list of int arrays, ``path[t]`` of shape
        ``(B_t,)`` (int32).

    Example:
        >>> import numpy
        >>> cost = numpy.array([[0, -5], [-5, 0]], numpy.float32)
        >>> xs = [numpy.array([[1, 0]], numpy.float32), numpy.array([[0, 2]], numpy.float32)]
        >>> score, path = argmax_crf1d(cost, xs)
        >>> float(score.array[0]), [int(p[0]) for p in path]
        (2.0, [1, 1])
    """
    from kusari.backend import get_array_module
    from kusari.functions.array.broadcast import broadcast
    from kusari.functions.array.concat import concat
    from kusari.functions.array.expand_dims import expand_dims
    from kusari.functions.array.split_axis import split_axis
    from kusari.functions.math.minmax import max as f_max

    alpha = xs[0]
    done = []         # per step: the rows that ended there (or None)
    back = []         # per step: the best previous label for each label
    for x in xs[1:]:
        batch = x.shape[0]
        if alpha.shape[0] > batch:
            alpha, rest = split_axis(alpha, [batch], axis=0)
            done.append(rest)
        else:
            done.append(None)
        a, c = broadcast(expand_dims(alpha, 2), cost)
        scores = a + c
        back.append(scores.array.argmax(axis=1).astype(numpy.int32))
        alpha = f_max(scores, axis=1) + x
    xp = get_array_module(alpha.array)
    inds = alpha.array.argmax(axis=1).astype(numpy.int32)
    path = [inds]
    for bp, rest in zip(back[::-1], done[::-1]):
        inds = bp[xp.arange(len(inds)), inds]
        if rest is not None:
            inds = xp.concatenate([inds, rest.array.argmax(axis=1).astype(numpy.int32)])
        path.append(inds)
    path.reverse()
    score = f_max(alpha, axis=1)
    for rest in done[::-1]:
        if rest is not None:
            score = concat([score, f_max(rest, axis=1)], axis=0)
    return score, path
