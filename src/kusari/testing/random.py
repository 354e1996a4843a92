"""``fix_random``: run tests with fixed NumPy (and CuPy) and Python random states.

Inside the decorated test (or each test of a decorated class, from ``setUp`` to
``tearDown``) ``numpy.random`` is seeded with 100 (``CHAINER_TEST_RANDOM_NONDETERMINISTIC=1``
or ``KUSARI_TEST_RANDOM_NONDETERMINISTIC=1`` seeds it randomly instead); the previous
states are restored afterwards. Nested uses set up only once.

Example:
    >>> import numpy
    >>> from kusari.testing import fix_random
    >>> @fix_random()
    ... def test_draw():
    ...     return numpy.random.rand()
    >>> test_draw() == test_draw()
    True
"""

from __future__ import annotations

import functools
import os
import random
import types
from collections.abc import Callable
from typing import Any

import numpy

from kusari.testing._generate import generated_classes

_saved: list = []
_nest_count = 0


def _nondeterministic() -> bool:
    value = os.environ.get("KUSARI_TEST_RANDOM_NONDETERMINISTIC",
                           os.environ.get("CHAINER_TEST_RANDOM_NONDETERMINISTIC", "0"))
    return bool(int(value or "0"))


def _cupy() -> Any:
    import sys

    cupy = sys.modules.get("cupy")
    if cupy is None:
        return None
    from kusari.backends import cuda

    return cuda.cupy if cuda.available else None


def _setup_random() -> None:
    global _nest_count
    if _nest_count == 0:
        cupy = _cupy()
        _saved[:] = [random.getstate(), numpy.random.get_state()]
        seed = None if _nondeterministic() else 100
        random.seed(seed)
        numpy.random.seed(seed)
        if cupy is not None:
            cupy.random.seed(seed)
    _nest_count += 1


def _teardown_random() -> None:
    global _nest_count
    if _nest_count <= 0:
        raise RuntimeError("fix_random: teardown without setup")
    _nest_count -= 1
    if _nest_count == 0:
        random.setstate(_saved[0])
        numpy.random.set_state(_saved[1])
        _saved.clear()


def generate_seed() -> int:
    """A seed drawn from the fixed random state (only inside a ``fix_random`` test)."""
    if _nest_count <= 0:
        raise RuntimeError("generate_seed: random is not set up (use fix_random)")
    return int(numpy.random.randint(0xFFFFFFFF))


def fix_random(*, setup_method: str = "setUp",
               teardown_method: str = "tearDown") -> Callable[[Any], Any]:
    """Fix random states in a test method, or in every test of a test class.

    Apply it outside ``condition.retry`` / ``condition.repeat`` (inside, every trial
    would draw the same numbers).

    Args:
        setup_method: Name of the class's set-up method to wrap.
        teardown_method: Name of the class's tear-down method to wrap.

    Returns:
        A decorator for a ``test_*`` function or a test class.
    """
    def deco(impl: Any) -> Any:
        if isinstance(impl, types.FunctionType):
            @functools.wraps(impl)
            def test_func(*args: Any, **kwargs: Any) -> Any:
                _setup_random()
                try:
                    return impl(*args, **kwargs)
                finally:
                    _teardown_random()

            return test_func

        for klass in generated_classes(impl):
            prev_setup = getattr(klass, setup_method, None)
            prev_teardown = getattr(klass, teardown_method, None)

            def new_setup(self: Any, _prev: Any = prev_setup) -> None:
                _setup_random()
                if _prev is not None:
                    _prev(self)

            def new_teardown(self: Any, _prev: Any = prev_teardown) -> None:
                try:
                    if _prev is not None:
                        _prev(self)
                finally:
                    _teardown_random()

            setattr(klass, setup_method, new_setup)
            setattr(klass, teardown_method, new_teardown)
        return impl

    return deco
