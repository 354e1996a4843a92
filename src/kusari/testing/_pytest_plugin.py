"""pytest plugin: the ``--device`` option and kusari's test marks.

Load it with ``-p kusari.testing._pytest_plugin`` or ``pytest_plugins`` in a conftest.

``pytest --device=@cupy:0`` (or ``KUSARI_TEST_DEVICE=@cupy:0``) runs the
device-parameterized tests (``FunctionTestCase`` / ``LinkTestCase`` without their own
backend configurations, and :func:`kusari.testing.test_device`) on that device. The
marks ``gpu``, ``cudnn``, ``slow``, ``chainerx`` and ``ideep`` are
registered, so ``-m 'not slow'`` works with warnings as errors.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

MARKERS = (
    "gpu: needs a CUDA GPU and CuPy (skipped without one)",
    "cudnn: needs cuDNN (skipped without it)",
    "slow: long-running",
    "chainerx: needs ChainerX (always skipped: kusari has none)",
    "ideep: needs iDeep (always skipped: kusari has none)",
)


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("kusari")
    group.addoption(
        "--device", action="store", default=None, metavar="SPEC",
        help="device for device-parameterized kusari tests, e.g. @numpy or @cupy:0 "
             "(default: $KUSARI_TEST_DEVICE or @numpy)")


def pytest_configure(config: Any) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    spec = config.getoption("--device", default=None)
    if spec is None:
        return
    from kusari import backend
    from kusari.backends import cuda

    try:
        device = backend.get_device(spec)
    except Exception as e:
        raise pytest.UsageError(f"--device={spec}: {e}") from None
    if device.xp.__name__ != "numpy" and not cuda.available:
        raise pytest.UsageError(f"--device={spec}: CUDA is not available")
    os.environ["KUSARI_TEST_DEVICE"] = spec


def pytest_report_header(config: Any) -> str | None:
    spec = os.environ.get("KUSARI_TEST_DEVICE")
    return f"kusari test device: {spec}" if spec else None
