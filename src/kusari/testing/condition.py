"""Repeat flaky or statistical tests: ``repeat``, ``retry``, ``repeat_with_success_at_least``.

Each trial of a ``unittest.TestCase`` method runs on a fresh instance with its own
``setUp`` / ``tearDown``; plain test functions are simply called again. A skip in any
trial skips the test.

Example:
    >>> from kusari.testing import condition
    >>> @condition.retry(3)
    ... def test_sometimes():
    ...     pass
"""

from __future__ import annotations

import functools
import traceback
import unittest
from collections.abc import Callable
from typing import Any


def _trial(f: Callable, args: tuple, kwargs: dict) -> BaseException | None:
    """Run one trial; return its failure, ``None`` on success; re-raise skips."""
    instance = args[0] if args and isinstance(args[0], unittest.TestCase) else None
    try:
        if instance is None:
            f(*args, **kwargs)
            return None
        fresh = type(instance)(instance._testMethodName)
        fresh.setUp()
        try:
            f(fresh, *args[1:], **kwargs)
        finally:
            fresh.tearDown()
            fresh.doCleanups()
        return None
    except unittest.SkipTest:
        raise
    except Exception as e:
        if type(e).__name__ == "Skipped":  # pytest.skip() inside a trial
            raise unittest.SkipTest(str(e)) from None
        return e


def repeat_with_success_at_least(times: int, min_success: int) -> Callable[[Callable], Callable]:
    """Run a test up to ``times`` times; it passes once ``min_success`` trials pass.

    Args:
        times: Maximum number of trials.
        min_success: Trials that must pass.

    Raises:
        ValueError: ``min_success`` exceeds ``times``.
    """
    if times < min_success:
        raise ValueError(f"repeat_with_success_at_least: min_success ({min_success}) must "
                         f"not exceed times ({times})")

    def deco(f: Callable) -> Callable:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            successes = failures = 0
            first: BaseException | None = None
            for _ in range(times):
                error = _trial(f, args, kwargs)
                if error is None:
                    successes += 1
                    if successes >= min_success:
                        return
                else:
                    failures += 1
                    first = first or error
                    if failures > times - min_success:
                        break
            detail = "".join(traceback.format_exception(first)) if first is not None else ""
            raise AssertionError(f"\nFail: {failures}, Success: {successes}"
                                 + (f"\n\nThe first error message:\n{detail}" if detail else ""))

        return wrapper

    return deco


def repeat(times: int) -> Callable[[Callable], Callable]:
    """Pass only if the test passes ``times`` times in a row."""
    return repeat_with_success_at_least(times, times)


def retry(times: int) -> Callable[[Callable], Callable]:
    """Pass if the test passes at least once in ``times`` trials."""
    return repeat_with_success_at_least(times, 1)
