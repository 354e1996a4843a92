"""Slow loop references for convolution and deconvolution (tests only)."""

import itertools

import numpy


def outsize(size, k, s, p, cover_all=False, d=1):
    dk = (k - 1) * d + 1
    if cover_all:
        return (size + 2 * p - dk + s - 1) // s + 1
    return (size + 2 * p - dk) // s + 1


def conv(x, W, b=None, stride=1, pad=0, dilate=1, groups=1, cover_all=False):
    x = x.astype(numpy.float64)
    W = W.astype(numpy.float64)
    nd = x.ndim - 2
    s = (stride,) * nd if isinstance(stride, int) else stride
    p = (pad,) * nd if isinstance(pad, int) else pad
    d = (dilate,) * nd if isinstance(dilate, int) else dilate
    n, c = x.shape[:2]
    o = W.shape[0]
    ks = W.shape[2:]
    outs = [outsize(x.shape[2 + i], ks[i], s[i], p[i], cover_all, d[i]) for i in range(nd)]
    big = numpy.zeros((n, c) + tuple(x.shape[2 + i] + 2 * p[i] + s[i] + ks[i] * d[i]
                                     for i in range(nd)))
    big[(slice(None), slice(None)) + tuple(slice(p[i], p[i] + x.shape[2 + i])
                                           for i in range(nd))] = x
    y = numpy.zeros((n, o) + tuple(outs))
    cg, og = c // groups, o // groups
    for idx in itertools.product(*[range(v) for v in outs]):
        for g in range(groups):
            for kk in itertools.product(*[range(v) for v in ks]):
                pos = tuple(idx[i] * s[i] + kk[i] * d[i] for i in range(nd))
                patch = big[(slice(None), slice(g * cg, (g + 1) * cg)) + pos]
                w = W[(slice(g * og, (g + 1) * og), slice(None)) + kk]
                y[(slice(None), slice(g * og, (g + 1) * og)) + idx] += patch @ w.T
    if b is not None:
        y += b.reshape((1, -1) + (1,) * nd)
    return y


def deconv(x, W, b=None, stride=1, pad=0, dilate=1, groups=1, outsize=None):
    x = x.astype(numpy.float64)
    W = W.astype(numpy.float64)
    nd = x.ndim - 2
    s = (stride,) * nd if isinstance(stride, int) else stride
    p = (pad,) * nd if isinstance(pad, int) else pad
    d = (dilate,) * nd if isinstance(dilate, int) else dilate
    n, ci = x.shape[:2]
    cog = W.shape[1]
    ks = W.shape[2:]
    if outsize is None:
        outsize = tuple(s[i] * (x.shape[2 + i] - 1) + (ks[i] - 1) * d[i] + 1 - 2 * p[i]
                        for i in range(nd))
    big = numpy.zeros((n, cog * groups) + tuple(outsize[i] + 2 * p[i] + s[i] + ks[i] * d[i]
                                                 for i in range(nd)))
    cig = ci // groups
    for idx in itertools.product(*[range(v) for v in x.shape[2:]]):
        for g in range(groups):
            for kk in itertools.product(*[range(v) for v in ks]):
                pos = tuple(idx[i] * s[i] + kk[i] * d[i] for i in range(nd))
                v = x[(slice(None), slice(g * cig, (g + 1) * cig)) + idx]
                w = W[(slice(g * cig, (g + 1) * cig), slice(None)) + kk]
                big[(slice(None), slice(g * cog, (g + 1) * cog)) + pos] += v @ w
    y = big[(slice(None), slice(None)) + tuple(slice(p[i], p[i] + outsize[i])
                                               for i in range(nd))]
    if b is not None:
        y = y + b.reshape((1, -1) + (1,) * nd)
    return y
