"""Fixtures of the GPU tests (see ``_harness``)."""

from __future__ import annotations

import pytest

from tests.gpu_tests import _harness


@pytest.fixture
def device():
    """The device under test (a GPU, or the CPU with ``KUSARI_GPU_TESTS_ON_CPU=1``)."""
    return _harness.get_device()
