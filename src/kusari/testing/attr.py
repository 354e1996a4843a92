"""Test marks with ``chainer.testing.attr``'s names: ``gpu``, ``cudnn``, ``slow``,
``multi_gpu(n)``, ``chainerx`` and ``ideep``.

Each is a pytest mark (select with ``pytest -m 'not slow'``). Tests that need hardware or
libraries this process lacks are also skipped with a reason: ``gpu`` and ``multi_gpu``
without enough CUDA devices (``CHAINER_TEST_GPU_LIMIT`` / ``KUSARI_TEST_GPU_LIMIT`` caps
the count), ``cudnn`` without cuDNN, ``chainerx`` and ``ideep`` always (kusari has
neither).

Example:
    >>> from kusari.testing import attr
    >>> @attr.slow
    ... def test_long():
    ...     pass
"""

from __future__ import annotations

import os
import unittest
from collections.abc import Callable
from typing import Any

try:
    import pytest
except ImportError:  # the marks become no-ops; the skips still work
    pytest = None


def is_available() -> bool:
    """Whether the marks can be applied (pytest is importable)."""
    return pytest is not None


def check_available() -> None:
    """Raise ``RuntimeError`` when pytest is missing."""
    if pytest is None:
        raise RuntimeError("kusari.testing.attr is not available: pytest is not installed")


def get_error() -> Exception | None:
    return None if pytest is not None else ImportError("No module named 'pytest'")


class _Marks:
    """``pytest.mark`` when pytest is installed, else marks that change nothing."""

    def __getattr__(self, name: str) -> Any:
        if pytest is not None:
            return getattr(pytest.mark, name)

        def mark(*args: Any, **kwargs: Any) -> Any:
            if len(args) == 1 and callable(args[0]) and not kwargs:
                return args[0]
            return lambda obj: obj

        return mark


_mark = _Marks()


def _gpu_limit() -> int:
    value = os.environ.get("KUSARI_TEST_GPU_LIMIT", os.environ.get("CHAINER_TEST_GPU_LIMIT"))
    return int(value) if value not in (None, "") else -1


def _gpu_count() -> int:
    from kusari.backends import cuda

    if not cuda.available:
        return 0
    return int(cuda.cupy.cuda.runtime.getDeviceCount())


def _mark_and_skip(mark: Any, reason: Callable[[], str | None]) -> Callable[[Any], Any]:
    def deco(obj: Any) -> Any:
        why = reason()
        obj = mark(obj)
        if why is not None:
            obj = _mark.skip(reason=why)(obj)
            if not isinstance(obj, type) or issubclass(obj, unittest.TestCase):
                obj = unittest.skip(why)(obj)  # for plain unittest runners too
        return obj

    return deco


def chainerx(*args: Any, **kwargs: Any) -> Any:
    """Mark a ChainerX test; kusari has no ChainerX, so it is skipped."""
    return _mark_and_skip(_mark.chainerx, lambda: "ChainerX is not available in kusari")(
        *args, **kwargs)


def ideep(*args: Any, **kwargs: Any) -> Any:
    """Mark an iDeep test; kusari has no iDeep, so it is skipped."""
    return _mark_and_skip(_mark.ideep, lambda: "iDeep is not available in kusari")(
        *args, **kwargs)


def cudnn(*args: Any, **kwargs: Any) -> Any:
    """Mark a test that needs cuDNN; skipped without it."""
    def reason() -> str | None:
        from kusari.backends import cuda

        return None if cuda.cudnn_enabled else "cuDNN is not available"

    return _mark_and_skip(_mark.cudnn, reason)(*args, **kwargs)


def slow(*args: Any, **kwargs: Any) -> Any:
    """Mark a long-running test (deselect with ``-m 'not slow'``)."""
    return _mark.slow(*args, **kwargs)


def multi_gpu(gpu_num: int) -> Callable[[Any], Any]:
    """Mark a test that needs ``gpu_num`` GPUs (``gpu`` mark); skipped with fewer.

    Args:
        gpu_num: Number of GPUs the test uses.
    """
    def reason() -> str | None:
        limit = _gpu_limit()
        if 0 <= limit < gpu_num:
            return f"{gpu_num} GPUs required (GPU limit is {limit})"
        count = _gpu_count()
        if count < gpu_num:
            return ("CUDA is not available" if count == 0
                    else f"{gpu_num} GPUs required, {count} available")
        return None

    def deco(obj: Any) -> Any:
        # only the ``gpu`` mark, as in Chainer: Chainer projects register no other
        return _mark_and_skip(_mark.gpu, reason)(obj)

    return deco


def gpu(f: Any) -> Any:
    """Mark a test that needs one GPU; skipped without CUDA."""
    return multi_gpu(1)(f)
