"""Special functions on NumPy/CuPy arrays: SciPy's when installed, else pure NumPy.

SciPy stays optional. On the GPU ``cupyx.scipy.special`` is used. The NumPy fallbacks
compute in float64 and are accurate to about 1e-12 relative for the arguments the tests
use (finite, and ``x > 0`` for the polygamma family).
"""

from __future__ import annotations

import math
from typing import Any

import numpy

_scipy: list = []  # SciPy's special module (or None), imported on first use


def _scipy_special() -> Any:
    if not _scipy:
        try:
            import scipy.special as sp
        except ImportError:  # pragma: no cover - depends on the environment
            sp = None
        _scipy.append(sp)
    return _scipy[0]


def _module(x: Any) -> Any:
    """The special-function module for ``x``'s array type, or None for the fallbacks."""
    if isinstance(x, numpy.ndarray):
        return _scipy_special()
    import cupyx.scipy.special as csp

    return csp


def _f64(x: Any) -> Any:
    return numpy.asarray(x, dtype=numpy.float64)


def _ufunc(f: Any, x: Any) -> Any:
    return numpy.frompyfunc(f, 1, 1)(_f64(x)).astype(numpy.float64)


def _np_erfinv(y: Any) -> Any:
    y = _f64(y)
    # Giles' single-precision approximation, then Newton steps on erf
    w = -numpy.log((1.0 - y) * (1.0 + y))
    small = w < 5.0
    ws = w - 2.5
    p_small = 2.81022636e-08
    for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
              -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
        p_small = c + p_small * ws
    wl = numpy.sqrt(numpy.where(small, 5.0, w)) - 3.0
    p_large = -0.000200214257
    for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
              -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
        p_large = c + p_large * wl
    x = numpy.where(small, p_small, p_large) * y
    erf = numpy.frompyfunc(math.erf, 1, 1)
    for _ in range(3):
        fin = numpy.isfinite(x)
        xs = numpy.where(fin, x, 0.0)
        err = erf(xs).astype(numpy.float64) - y
        x = numpy.where(fin, xs - err / (2.0 / math.sqrt(math.pi) * numpy.exp(-xs * xs)), x)
    x = numpy.where(y == 1.0, numpy.inf, x)
    x = numpy.where(y == -1.0, -numpy.inf, x)
    return numpy.where(numpy.abs(y) > 1.0, numpy.nan, x)


def _np_digamma(x: Any) -> Any:
    x = _f64(x)
    reflect = x < 0.5
    z = numpy.where(reflect, 1.0 - x, x)
    acc = numpy.zeros_like(z)
    while True:
        m = z < 8.0
        if not m.any():
            break
        acc -= numpy.where(m, 1.0 / z, 0.0)
        z = numpy.where(m, z + 1.0, z)
    f = 1.0 / (z * z)
    res = acc + numpy.log(z) - 0.5 / z - f * (
        1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))
    return numpy.where(reflect, res - math.pi / numpy.tan(math.pi * x), res)


# B_2j / (2j)! for the Euler-Maclaurin tail of the Hurwitz zeta function
_EM = [1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160,
       -691 / 1307674368000, 1 / 74724249600]


def _np_zeta(s: Any, q: Any) -> Any:
    s, q = numpy.broadcast_arrays(_f64(s), _f64(q))
    n = 12
    total = numpy.zeros(s.shape)
    for k in range(n):
        total += (q + k) ** -s
    a = q + n
    total += a ** (1.0 - s) / (s - 1.0) + 0.5 * a ** -s
    fact = s.copy()
    term = a ** (-s - 1.0)
    for j, c in enumerate(_EM):
        total += c * fact * term
        fact = fact * (s + 2 * j + 1) * (s + 2 * j + 2)
        term = term / (a * a)
    return numpy.where(s == 1.0, numpy.inf, total)


def _np_polygamma(n: Any, x: Any) -> Any:
    n, x = numpy.broadcast_arrays(numpy.asarray(n), _f64(x))
    out = numpy.empty(x.shape)
    zero = n == 0
    out[zero] = _np_digamma(x[zero])
    nz = ~zero
    if nz.any():
        k = n[nz].astype(numpy.float64)
        sign = numpy.where(n[nz] % 2 == 1, 1.0, -1.0)
        fact = numpy.exp(_ufunc(math.lgamma, k + 1.0))
        out[nz] = sign * fact * _np_zeta(k + 1.0, x[nz])
    return out


def _np_erfcx(x: Any) -> Any:
    x = _f64(x)
    big = x > 26.0
    xs = numpy.where(big, 0.0, x)
    direct = numpy.exp(xs * xs) * _ufunc(math.erfc, xs)
    xb = numpy.where(big, x, 1.0)
    inv2 = 1.0 / (2.0 * xb * xb)
    series = (1.0 - inv2 * (1.0 - 3.0 * inv2 * (1.0 - 5.0 * inv2))) / (xb * math.sqrt(math.pi))
    return numpy.where(big, series, direct)


def _call(name: str, x: Any, fallback: Any, *args: Any) -> Any:
    mod = _module(x)
    if mod is not None:
        return getattr(mod, name)(*args, x) if args else getattr(mod, name)(x)
    return fallback(*args, x) if args else fallback(x)


def erf(x: Any) -> Any:
    return _call("erf", x, lambda v: _ufunc(math.erf, v))


def erfc(x: Any) -> Any:
    return _call("erfc", x, lambda v: _ufunc(math.erfc, v))


def erfcx(x: Any) -> Any:
    return _call("erfcx", x, _np_erfcx)


def erfinv(x: Any) -> Any:
    return _call("erfinv", x, _np_erfinv)


def erfcinv(x: Any) -> Any:
    return _call("erfcinv", x, lambda v: _np_erfinv(1.0 - _f64(v)))


def lgamma(x: Any) -> Any:
    return _call("gammaln", x, lambda v: _ufunc(math.lgamma, v))


def digamma(x: Any) -> Any:
    return _call("digamma", x, _np_digamma)


def polygamma(n: Any, x: Any) -> Any:
    mod = _module(x)
    if mod is not None:
        return mod.polygamma(n, x)
    return _np_polygamma(n, x)


def zeta(s: Any, q: Any) -> Any:
    mod = _module(q)
    if mod is not None:
        return mod.zeta(s, q)
    return _np_zeta(s, q)


def ndtr(x: Any) -> Any:
    return _call("ndtr", x, lambda v: 0.5 * _ufunc(math.erfc, -_f64(v) / math.sqrt(2.0)))


def log_ndtr(x: Any) -> Any:
    def fallback(v: Any) -> Any:
        v = _f64(v)
        # log(ndtr(x)) = log(erfcx(-x / sqrt 2) / 2) - x^2 / 2 for negative x
        vn, vp = numpy.minimum(v, 0.0), numpy.maximum(v, 0.0)
        neg = numpy.log(0.5 * _np_erfcx(-vn / math.sqrt(2.0))) - 0.5 * vn * vn
        pos = numpy.log1p(-0.5 * _ufunc(math.erfc, vp / math.sqrt(2.0)))
        return numpy.where(v < 0, neg, pos)

    return _call("log_ndtr", x, fallback)


def ndtri(x: Any) -> Any:
    return _call("ndtri", x, lambda v: math.sqrt(2.0) * _np_erfinv(2.0 * _f64(v) - 1.0))
