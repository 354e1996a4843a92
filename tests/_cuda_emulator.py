"""Run the C++ bodies of kusari's CuPy ``ElementwiseKernel`` s on the CPU.

A kernel body is plain C++ plus a few CUDA names, so it can be compiled with the host
compiler and run over NumPy arrays with CuPy's calling convention: non-raw parameters
are broadcast and read or written at element ``i``, ``raw`` parameters are flat arrays,
scalars bind the type placeholders (``T``, ``P``, ...) of the arrays, missing outputs are
allocated. Tests patch ``kusari.backends.cuda.elementwise`` with :func:`elementwise` and
compare each GPU code path with the NumPy one, so the kernels' arithmetic and indexing are
checked on machines without a GPU. Launch configuration, float16 and CUDA-only
behaviour still need a real GPU.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
from typing import Any

import numpy

_CTYPES = {
    numpy.dtype(numpy.bool_): "bool",
    numpy.dtype(numpy.int8): "signed char",
    numpy.dtype(numpy.uint8): "unsigned char",
    numpy.dtype(numpy.int16): "short",
    numpy.dtype(numpy.int32): "int",
    numpy.dtype(numpy.int64): "long long",
    numpy.dtype(numpy.uint32): "unsigned int",
    numpy.dtype(numpy.uint64): "unsigned long long",
    numpy.dtype(numpy.float32): "float",
    numpy.dtype(numpy.float64): "double",
}
_NAMED = {"bool": numpy.bool_, "int8": numpy.int8, "uint8": numpy.uint8, "int16": numpy.int16,
          "int32": numpy.int32, "int64": numpy.int64, "uint32": numpy.uint32,
          "uint64": numpy.uint64, "float32": numpy.float32, "float64": numpy.float64}

_PRELUDE = r"""
#include <cmath>
#include <cstdint>
#include <cstddef>
#include <type_traits>
#define __device__
#define __host__
#define __forceinline__ inline
using std::isnan; using std::isinf; using std::isfinite;
using std::exp; using std::log; using std::sqrt; using std::tanh; using std::fabs;
using std::log1p; using std::expm1; using std::pow; using std::floor; using std::ceil;
template <class A, class B> inline typename std::common_type<A, B>::type min(A a, B b) {
  return a < b ? a : b; }
template <class A, class B> inline typename std::common_type<A, B>::type max(A a, B b) {
  return a < b ? b : a; }
template <class A> inline A rsqrt(A a) { return A(1) / std::sqrt(a); }
struct _Ind { long long n; long long size() const { return n; } };
"""

compiler = shutil.which("g++") or shutil.which("c++")
_cache: dict = {}
_dir = tempfile.mkdtemp(prefix="kusari-kernels-")


def _parse(params: str) -> list:
    out = []
    for p in params.split(","):
        words = p.split()
        if not words:
            continue
        raw = words[0] == "raw"
        if raw:
            words = words[1:]
        out.append((raw, words[0], words[1]))
    return out


def _is_placeholder(t: str) -> bool:
    return t not in _NAMED


class CpuElementwiseKernel:
    """A stand-in for ``cupy.ElementwiseKernel`` that runs the body compiled for the CPU."""

    def __init__(self, in_params: str, out_params: str, operation: str, name: str,
                 preamble: str = "", **kwargs: Any) -> None:
        self.ins = _parse(in_params)
        self.outs = _parse(out_params)
        self.operation = operation
        self.name = name
        self.preamble = preamble

    def __call__(self, *args: Any, size: int | None = None) -> Any:
        params = self.ins + self.outs
        if len(args) < len(self.ins) or len(args) > len(params):
            raise TypeError(f"{self.name}: wrong number of arguments ({len(args)})")
        values = list(args) + [None] * (len(params) - len(args))
        types: dict = {}
        for (_, t, _), a in zip(params, values):
            if isinstance(a, (numpy.ndarray, numpy.generic)) and _is_placeholder(t):
                types.setdefault(t, a.dtype)
        for _, t, name in params:
            if _is_placeholder(t) and t not in types:
                raise TypeError(f"{self.name}: cannot bind type {t} of {name}")
        dtype_of = {t: numpy.dtype(types[t]) if _is_placeholder(t) else numpy.dtype(_NAMED[t])
                    for _, t, _ in params}
        shapes = [a.shape for (raw, _, _), a in zip(params, values)
                  if not raw and isinstance(a, numpy.ndarray)]
        shape = numpy.broadcast_shapes(*shapes) if shapes else (() if size is None else (size,))
        n = int(numpy.prod(shape)) if size is None else size
        buffers, writeback, results = [], [], []  # buffers also keep the scalars alive
        for k, ((raw, t, _), a) in enumerate(zip(params, values)):
            dt = dtype_of[t]
            if dt not in _CTYPES:
                raise NotImplementedError(f"{self.name}: dtype {dt} is not emulated")
            is_out = k >= len(self.ins)
            if is_out and a is None:
                a = numpy.empty(shape, dt)
            if is_out:
                results.append(a)
            if isinstance(a, numpy.ndarray):
                if raw:
                    buf = numpy.ascontiguousarray(a, dt)
                else:
                    buf = numpy.ascontiguousarray(numpy.broadcast_to(a, shape), dt)
                if is_out and (buf is not a):
                    writeback.append((a, buf))
            else:
                buf = numpy.array([a], dt)
            buffers.append(buf)
        fn = self._compile(params, dtype_of, [isinstance(v, numpy.ndarray) or k >= len(self.ins)
                                              for k, v in enumerate(values)])
        argv = (ctypes.c_void_p * len(buffers))(*[b.ctypes.data for b in buffers])
        fn(argv, ctypes.c_longlong(n))
        for a, buf in writeback:
            a[...] = buf.reshape(a.shape) if buf.shape != a.shape else buf
        return results[0] if len(results) == 1 else tuple(results)

    def _compile(self, params: list, dtype_of: dict, is_array: list) -> Any:
        lines = [_PRELUDE, self.preamble,
                 'extern "C" void kernel(void** _args__, long long _n__) {']
        for t, dt in sorted(dtype_of.items()):
            if _is_placeholder(t):
                lines.append(f"  typedef {_CTYPES[dt]} {t};")
        lines.append("  _Ind _ind{_n__};")
        body_refs = []
        for k, (raw, t, name) in enumerate(params):
            ct = _CTYPES[dtype_of[t]]
            is_out = k >= len(self.ins)
            const = "" if is_out else "const "
            if raw:
                lines.append(f"  {const}{ct}* {name} = ({const}{ct}*)_args__[{k}];")
            elif is_array[k]:
                lines.append(f"  {const}{ct}* {name}__p = ({const}{ct}*)_args__[{k}];")
                body_refs.append(f"    {const}{ct}& {name} = {name}__p[i];")
            else:
                lines.append(f"  const {ct} {name} = *(const {ct}*)_args__[{k}];")
        lines.append("  for (long long i = 0; i < _n__; ++i) {")
        lines += body_refs
        lines.append("    " + self.operation + ";")
        lines.append("  }")
        lines.append("}")
        src = "\n".join(lines)
        key = hashlib.sha1(src.encode()).hexdigest()
        fn = _cache.get(key)
        if fn is None:
            path = os.path.join(_dir, key)
            with open(path + ".cpp", "w") as f:
                f.write(src)
            r = subprocess.run([compiler, "-O1", "-shared", "-fPIC", "-std=c++14", "-w",
                                path + ".cpp", "-o", path + ".so"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"{self.name}: the kernel body does not compile:\n"
                                   f"{r.stderr}\n{src}")
            fn = ctypes.CDLL(path + ".so").kernel
            fn.restype = None
            _cache[key] = fn
        return fn


def elementwise(in_params: str, out_params: str, operation: str, name: str,
                **kwargs: Any) -> CpuElementwiseKernel:
    """Drop-in for ``kusari.backends.cuda.elementwise`` (patch it with this)."""
    return CpuElementwiseKernel(in_params, out_params, operation, name, **kwargs)


__all__ = ["CpuElementwiseKernel", "compiler", "elementwise"]
