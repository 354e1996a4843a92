"""Test-suite options: ``--device=@cupy:0`` runs the device-parameterized tests on a GPU.

Without CuPy or a GPU those tests (and tests marked ``gpu``) are skipped cleanly.
The device can also be given as ``KUSARI_TEST_DEVICE``.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--device", default=None,
                     help="device for device-parameterized tests, e.g. @numpy or @cupy:0")


def pytest_configure(config: pytest.Config) -> None:
    dev = config.getoption("--device")
    if dev:
        os.environ["KUSARI_TEST_DEVICE"] = dev


def _gpu_available() -> bool:
    from kusari.backends import cuda

    return bool(cuda.available)


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    dev = os.environ.get("KUSARI_TEST_DEVICE", "@numpy")
    wants_gpu = dev.startswith("@cupy")
    has_gpu = _gpu_available() if (wants_gpu or any("gpu" in i.keywords for i in items)) \
        else False
    skip_gpu = pytest.mark.skip(reason="needs CuPy and a CUDA GPU")
    from kusari.testing import FunctionTestCase

    for item in items:
        if "gpu" in item.keywords and not has_gpu:
            item.add_marker(skip_gpu)
        cls = getattr(item, "cls", None)
        if wants_gpu and not has_gpu and cls is not None and issubclass(cls, FunctionTestCase):
            item.add_marker(skip_gpu)
