"""Slow loop references for pooling (tests only)."""

import itertools

import numpy


def outsize(size, k, s, p, cover_all):
    if cover_all:
        return (size + 2 * p - k + s - 1) // s + 1
    return (size + 2 * p - k) // s + 1


def windows(x, ksize, stride, pad, cover_all, pval):
    """Yield (out_index, window array (n, c, *k), valid mask) for each output position."""
    nd = x.ndim - 2
    outs = [outsize(x.shape[2 + i], ksize[i], stride[i], pad[i], cover_all) for i in range(nd)]
    big_shape = tuple(x.shape[2 + i] + 2 * pad[i] + stride[i] + ksize[i] for i in range(nd))
    big = numpy.full(x.shape[:2] + big_shape, pval, numpy.float64)
    valid = numpy.zeros(big_shape, bool)
    inner = tuple(slice(pad[i], pad[i] + x.shape[2 + i]) for i in range(nd))
    big[(slice(None), slice(None)) + inner] = x
    valid[inner] = True
    for idx in itertools.product(*[range(o) for o in outs]):
        sl = tuple(slice(idx[i] * stride[i], idx[i] * stride[i] + ksize[i]) for i in range(nd))
        yield idx, big[(slice(None), slice(None)) + sl], valid[sl], outs


def max_pool(x, ksize, stride, pad, cover_all=True):
    y = idxs = None
    for idx, w, _, outs in windows(x, ksize, stride, pad, cover_all, -numpy.inf):
        if y is None:
            y = numpy.zeros(x.shape[:2] + tuple(outs))
            idxs = numpy.zeros(x.shape[:2] + tuple(outs), numpy.int64)
        flat = w.reshape(w.shape[0], w.shape[1], -1)
        y[(slice(None), slice(None)) + idx] = flat.max(axis=2)
        idxs[(slice(None), slice(None)) + idx] = flat.argmax(axis=2)
    return y, idxs


def avg_pool(x, ksize, stride, pad, pad_value=0):
    y = None
    for idx, w, valid, outs in windows(x, ksize, stride, pad, False, 0.0):
        if y is None:
            y = numpy.zeros(x.shape[:2] + tuple(outs))
        flat = w.reshape(w.shape[0], w.shape[1], -1)
        div = valid.sum() if pad_value is None else valid.size
        y[(slice(None), slice(None)) + idx] = flat.sum(axis=2) / div
    return y
