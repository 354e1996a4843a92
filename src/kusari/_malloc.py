"""Keep freed array memory in the process for reuse (glibc on Linux).

NumPy takes every array from ``malloc``. glibc serves large blocks with ``mmap`` and
returns them to the system on ``free``, and it trims the top of the heap when much of it
is free; either way the next array of that size starts on fresh pages, and each of its
pages costs a fault on first touch. A training step frees and reallocates the same
activation-sized arrays every iteration, so with the defaults a convolutional network can
spend a fifth of its step in the kernel (thousands of faults per step). Raising the two
thresholds keeps those blocks in the heap, as CuPy's memory pool does on the GPU.

The tuning is skipped when ``KUSARI_MALLOC_TUNING=0`` or when the user has set glibc's own
``MALLOC_MMAP_THRESHOLD_`` / ``MALLOC_TRIM_THRESHOLD_``, and on other C libraries.
"""

from __future__ import annotations

import os
import sys

#: Blocks below this size come from the heap (glibc's own dynamic limit is 32 MiB).
MMAP_THRESHOLD = 32 << 20
#: Free memory at the top of the heap kept rather than returned to the system.
TRIM_THRESHOLD = 64 << 20

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

tuned = False


def tune() -> bool:
    """Set glibc's mmap and trim thresholds once; returns whether they were set.

    Example:
        >>> from kusari import _malloc
        >>> isinstance(_malloc.tune(), bool)
        True
    """
    global tuned
    if tuned:
        return True
    env = os.environ
    if (not sys.platform.startswith("linux") or env.get("KUSARI_MALLOC_TUNING", "1") == "0"
            or "MALLOC_MMAP_THRESHOLD_" in env or "MALLOC_TRIM_THRESHOLD_" in env):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # only glibc has both  # noqa: B018
    except (OSError, AttributeError):
        return False
    tuned = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    return tuned
