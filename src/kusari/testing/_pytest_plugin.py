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

    if spec.startswith("@cupy") and not cuda.available:
        os.environ["KUSARI_TEST_DEVICE"] = spec
        return
    try:
        device = backend.get_device(spec)
    except Exception as e:
        raise pytest.UsageError(f"--device={spec}: {e}") from None
    os.environ["KUSARI_TEST_DEVICE"] = spec
    if device.xp.__name__ != "numpy" and not cuda.available:
        return  # device-parameterized tests are skipped at collection


def pytest_report_header(config: Any) -> str | None:
    spec = os.environ.get("KUSARI_TEST_DEVICE")
    return f"kusari test device: {spec}" if spec else None


def pytest_collection_modifyitems(config: Any, items: list) -> None:
    """Skip cleanly what needs a GPU where there is none.

    Tests marked ``gpu``, and device-parameterized tests asked to run on ``@cupy:N``
    (``--device`` or ``KUSARI_TEST_DEVICE``), are skipped without CuPy or a GPU.
    """
    spec = os.environ.get("KUSARI_TEST_DEVICE", "@numpy")
    wants_gpu = spec.startswith("@cupy")
    if not wants_gpu and not any("gpu" in item.keywords for item in items):
        return
    from kusari.backends import cuda

    if cuda.available:
        return
    from kusari.testing import FunctionTestCase, LinkTestCase

    skip = pytest.mark.skip(reason="needs CuPy and a CUDA GPU")
    for item in items:
        cls = getattr(item, "cls", None)
        if "gpu" in item.keywords or (
                wants_gpu and cls is not None
                and issubclass(cls, (FunctionTestCase, LinkTestCase))):
            item.add_marker(skip)

