"""Save and restore the random number generators a training run depends on.

Snapshots carry NumPy's global generator (``numpy.random.get_state()``, stored as plain
arrays, no pickle) and Python's ``random`` module, so a run resumed from a snapshot draws
the same shuffles and dropout masks as an uninterrupted one. CuPy's generator cannot export
its state; when CuPy is in use, it is reseeded at every snapshot, both when saving and
when loading, from a value derived from the NumPy state, which makes resumed runs
reproduce uninterrupted ones as well.
"""

from __future__ import annotations

import random
import sys

import numpy

from kusari import serializer as serializer_module


def _cupy_reseed(keys: numpy.ndarray, pos: int) -> None:
    cupy = sys.modules.get("cupy")
    if cupy is None:
        return
    seed = int(keys.astype(numpy.uint64).sum()) ^ (int(pos) << 32)
    cupy.random.seed(seed % (2**63))


def serialize(serializer: serializer_module.AbstractSerializer) -> None:
    """Save (serializer) or restore (deserializer) the global random states.

    Missing keys (a snapshot written by Chainer or before this existed) leave the
    generators as they are.
    """
    np_s, py_s = serializer["numpy"], serializer["python"]
    if isinstance(serializer, serializer_module.Serializer):
        name, keys, pos, has_gauss, cached = numpy.random.get_state()
        np_s("keys", keys)
        np_s("pos", numpy.asarray(pos, numpy.int64))
        np_s("has_gauss", numpy.asarray(has_gauss, numpy.int64))
        np_s("cached_gaussian", numpy.asarray(cached, numpy.float64))
        version, internal, gauss_next = random.getstate()
        py_s("version", numpy.asarray(version, numpy.int64))
        py_s("internal", numpy.asarray(internal, numpy.uint64))
        py_s("gauss_next", numpy.asarray(numpy.nan if gauss_next is None else gauss_next))
        _cupy_reseed(keys, pos)
        return
    try:
        keys = numpy.asarray(np_s("keys", None), numpy.uint32)
        pos = int(np_s("pos", None))
        has_gauss = int(np_s("has_gauss", None))
        cached = float(np_s("cached_gaussian", None))
        version = int(py_s("version", None))
        internal = tuple(int(v) for v in py_s("internal", None))
        gauss_next = float(py_s("gauss_next", None))
    except KeyError:
        return
    numpy.random.set_state(("MT19937", keys, pos, has_gauss, cached))
    random.setstate((version, internal, None if gauss_next != gauss_next else gauss_next))
    _cupy_reseed(keys, pos)
