"""Test helpers with ``chainer.testing``'s names.

Parameterized test classes (:func:`parameterize`, :func:`product`), backend
configurations (:func:`inject_backend_tests`), function and link test bases
(:class:`FunctionTestCase`, :class:`LinkTestCase`, :class:`LinkInitializersTestCase`),
marks (:mod:`~kusari.testing.attr`), repeated trials (:mod:`~kusari.testing.condition`),
fixed random states (:func:`fix_random`) and serializer round trips.

Example:
    >>> from kusari import testing
    >>> testing.product({'dtype': ['f', 'd'], 'n': [1]})
    [{'dtype': 'f', 'n': 1}, {'dtype': 'd', 'n': 1}]
"""

from __future__ import annotations

from kusari.testing import attr, condition
from kusari.testing.array import assert_allclose
from kusari.testing.backend import BackendConfig, inject_backend_tests
from kusari.testing.function_link import (
    FunctionTestCase,
    FunctionTestError,
    InitializerArgument,
    LinkInitializersTestCase,
    LinkTestCase,
    LinkTestError,
    test_device,
)
from kusari.testing.helper import assert_warns, patch, with_requires, without_requires
from kusari.testing.matrix import generate_matrix
from kusari.testing.parameterized import (
    from_pytest_parameterize,
    parameterize,
    parameterize_pytest,
    product,
    product_dict,
)
from kusari.testing.random import fix_random, generate_seed
from kusari.testing.serializer import save_and_load, save_and_load_hdf5, save_and_load_npz
from kusari.testing.training import get_trainer_with_mock_updater


def run_module(name: str, file: str) -> None:
    """Run the tests of ``file`` with pytest when it is executed as a script.

    Put ``testing.run_module(__name__, __file__)`` at the end of a test module.

    Args:
        name: The module's ``__name__``.
        file: The module's ``__file__``.
    """
    if name == "__main__":
        import pytest

        pytest.main([file, "-vvs", "-x", "--pdb"])


__all__ = [
    "BackendConfig", "FunctionTestCase", "FunctionTestError", "InitializerArgument",
    "LinkInitializersTestCase", "LinkTestCase", "LinkTestError", "assert_allclose",
    "assert_warns", "attr", "condition", "fix_random", "from_pytest_parameterize",
    "generate_matrix", "generate_seed", "get_trainer_with_mock_updater", "inject_backend_tests",
    "parameterize", "parameterize_pytest", "patch", "product", "product_dict", "run_module",
    "save_and_load", "save_and_load_hdf5", "save_and_load_npz", "test_device",
    "with_requires", "without_requires",
]
