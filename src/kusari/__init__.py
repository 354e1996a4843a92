"""kusari (鎖, "chain"): a define-by-run deep-learning framework with Chainer 7's API.

``import kusari as chainer`` gives the same names: :class:`Variable`,
:class:`FunctionNode`, :class:`Link`, :class:`Chain`, ``functions``, ``links``,
``optimizers``, ``training`` and the rest.

Example:
    >>> import numpy, kusari
    >>> import kusari.functions as F
    >>> x = kusari.Variable(numpy.array([1.0, -2.0], numpy.float32))
    >>> y = F.sum(F.relu(x) * 3)
    >>> y.backward()
    >>> x.grad.tolist()
    [3.0, 0.0]
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from kusari import _malloc, backend, backends, configuration, utils
from kusari.backends import cuda
from kusari.configuration import (
    config,
    force_backprop_mode,
    global_config,
    no_backprop_mode,
    using_config,
)
from kusari.function import Function, FunctionAdapter
from kusari.function_node import FunctionNode, backward, grad
from kusari.link import Chain, ChainList, Link
from kusari.variable import Parameter, Variable, VariableNode, as_array, as_variable

__version__ = "0.1.0"

_malloc.tune()

from kusari.functions.math import basic_math as _basic_math  # noqa: E402

_basic_math.install_variable_arithmetics()

from kusari.backend import get_device, using_device  # noqa: E402
from kusari.sequential import Sequential  # noqa: E402

# Subpackages load on first use, so ``import kusari`` stays fast.
_LAZY = {
    "functions", "links", "optimizers", "optimizer", "initializers", "training", "dataset",
    "datasets", "iterators", "serializers", "serializer", "reporter", "gradient_check",
    "testing", "computational_graph", "optimizer_hooks", "mn", "compat", "function_node",
    "variable", "function_hook", "link_hook", "link_hooks", "warnings",
    "function_hooks", "distributions", "distribution",
}
_LAZY_ATTRS = {
    "Initializer": ("initializers", "Initializer"),
    "DeviceResident": ("backend", "DeviceResident"),
    "FunctionHook": ("function_hook", "FunctionHook"),
    "get_function_hooks": ("function_hook", "get_function_hooks"),
    "LinkHook": ("link_hook", "LinkHook"),
    "_get_link_hooks": ("link_hook", "get_link_hooks"),
    "Optimizer": ("optimizer", "Optimizer"),
    "GradientMethod": ("optimizer", "GradientMethod"),
    "UpdateRule": ("optimizer", "UpdateRule"),
    "Hyperparameter": ("optimizer", "Hyperparameter"),
    "Reporter": ("reporter", "Reporter"),
    "report": ("reporter", "report"),
    "report_scope": ("reporter", "report_scope"),
    "get_current_reporter": ("reporter", "get_current_reporter"),
    "Serializer": ("serializer", "Serializer"),
    "Deserializer": ("serializer", "Deserializer"),
    "AbstractSerializer": ("serializer", "AbstractSerializer"),
    "DictSummary": ("reporter", "DictSummary"),
    "Summary": ("reporter", "Summary"),
    "Distribution": ("distribution", "Distribution"),
    "kl_divergence": ("distribution", "kl_divergence"),
    "register_kl": ("distribution", "register_kl"),
    "cross_entropy": ("distribution", "cross_entropy"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"kusari.{name}")
    if name in _LAZY_ATTRS:
        mod, attr = _LAZY_ATTRS[name]
        return getattr(importlib.import_module(f"kusari.{mod}"), attr)
    raise AttributeError(f"module 'kusari' has no attribute {name!r}")


def get_dtype(dtype: Any = None, map_mixed16: Any = None) -> Any:
    """The default dtype (``config.dtype``) or ``dtype`` as a NumPy dtype."""
    import numpy

    if dtype is None:
        dtype = config.dtype
    return numpy.dtype(dtype)


def get_array_types() -> tuple:
    """The array types kusari accepts."""
    return backend.get_array_types()


def get_cpu_array_types() -> tuple:
    """The CPU array types kusari accepts: ``(numpy.ndarray,)``.

    Example:
        >>> get_cpu_array_types()
        (<class 'numpy.ndarray'>,)
    """
    import numpy

    return (numpy.ndarray,)


#: Chainer's switch for its experimental-feature warnings (kusari warns of none).
disable_experimental_feature_warning = False

_CUDNN_LEVELS = ("==always", ">=auto")


def should_use_cudnn(level: str, lowest_version: int = 0) -> bool:
    """Whether a function should call cuDNN: always False, as CuPy 14 no longer binds
    cuDNN (kusari's convolutions use GEMM kernels on the GPU; see docs/gpu.md).

    Args:
        level: ``'==always'`` or ``'>=auto'``.
        lowest_version: The lowest cuDNN version the caller needs.

    Raises:
        ValueError: ``level`` is neither of the two.

    Example:
        >>> should_use_cudnn('>=auto')
        False
    """
    if level not in _CUDNN_LEVELS:
        raise ValueError(f"invalid cuDNN use level: {level!r} "
                         '(must be either of "==always" or ">=auto")')
    return False


def should_use_cudnn_tensor_core(dtype: Any) -> bool:
    """Whether cuDNN should use Tensor Cores: ``config.use_cudnn_tensor_core`` says so
    only when it is ``'always'`` (with ``'auto'`` there is no cuDNN to ask).

    Raises:
        ValueError: The configuration is not ``'always'``, ``'auto'`` or ``'never'``.

    Example:
        >>> import numpy
        >>> should_use_cudnn_tensor_core(numpy.float16)
        False
    """
    flag = configuration.config.use_cudnn_tensor_core
    if flag not in ("always", "auto", "never"):
        raise ValueError(f"invalid use_cudnn_tensor_core configuration: {flag!r} "
                         '(must be either of "always", "auto", or "never")')
    return flag == "always"


def is_arrays_compatible(arrays: Any) -> bool:
    return backend.is_arrays_compatible(arrays)


def is_debug() -> bool:
    """Whether ``config.debug`` is on."""
    return bool(config.debug)


def set_debug(debug: bool) -> None:
    """Turn debug mode (NaN checks in forward and backward) on or off globally."""
    global_config.debug = debug


class DebugMode:
    """``with DebugMode(True):`` turns on debug mode in a block."""

    def __init__(self, debug: bool) -> None:
        self._cm = using_config("debug", debug)

    def __enter__(self) -> None:
        self._cm.__enter__()

    def __exit__(self, *args: Any) -> None:
        self._cm.__exit__(*args)


def print_runtime_info(out: Any = None) -> None:
    """Print the platform and the versions of kusari, NumPy and CuPy, in Chainer's layout.

    Example:
        >>> import io, kusari
        >>> buf = io.StringIO(); kusari.print_runtime_info(buf)
        >>> buf.getvalue().splitlines()[1].startswith('kusari:')
        True
    """
    import platform
    import sys

    import numpy

    out = sys.stdout if out is None else out
    out.write(f"Platform: {platform.platform()}\n")
    out.write(f"kusari: {__version__}\n")
    out.write("ChainerX: Not Available\n")
    out.write(f"NumPy: {numpy.__version__}\n")
    if cuda.available:
        cp = cuda.cupy
        out.write("CuPy:\n")
        out.write(f"  CuPy Version          : {cp.__version__}\n")
        try:
            out.write(f"  CUDA Runtime Version  : {cp.cuda.runtime.runtimeGetVersion()}\n")
            out.write(f"  CUDA Driver Version   : {cp.cuda.runtime.driverGetVersion()}\n")
        except Exception:  # pragma: no cover - depends on the driver
            pass
    else:
        out.write("CuPy: Not Available\n")
    out.write("iDeep: Not Available\n")


def from_dlpack(obj: Any, requires_grad: bool = True) -> Variable:
    """Wrap an array from another framework (PyTorch, CuPy, JAX) without copying.

    Args:
        obj: An object implementing ``__dlpack__`` and ``__dlpack_device__``.
        requires_grad: Whether the new Variable requires gradients.

    Returns:
        A Variable sharing memory with ``obj`` (NumPy on the host, CuPy on a GPU).

    Raises:
        TypeError: ``obj`` does not support DLPack.

    Example:
        >>> import numpy, kusari
        >>> a = numpy.arange(3.0)
        >>> v = kusari.from_dlpack(a)
        >>> numpy.shares_memory(v.array, a)
        True
    """
    import numpy

    if not hasattr(obj, "__dlpack__") or not hasattr(obj, "__dlpack_device__"):
        raise TypeError(f"from_dlpack: {type(obj).__name__} does not support DLPack")
    device_type, _ = obj.__dlpack_device__()
    if int(device_type) == 1:  # kDLCPU
        array = numpy.from_dlpack(obj)
    else:
        cuda.check_cuda_available()
        array = cuda.cupy.from_dlpack(obj)
    return Variable(array, requires_grad=requires_grad)


def mixed16() -> Any:
    import numpy

    return numpy.float16


_seed = os.environ.get("KUSARI_SEED", os.environ.get("CHAINER_SEED"))
if _seed is not None:
    import numpy as _np

    _np.random.seed(int(_seed))

__all__ = [
    "Chain", "ChainList", "DebugMode", "Function", "FunctionAdapter", "FunctionNode", "Link",
    "Parameter", "Sequential", "Variable", "VariableNode", "as_array", "as_variable", "backend",
    "backends", "config", "configuration", "cuda", "force_backprop_mode", "from_dlpack",
    "get_device",
    "backward", "get_cpu_array_types", "global_config", "grad", "no_backprop_mode",
    "print_runtime_info", "should_use_cudnn", "should_use_cudnn_tensor_core", "using_config",
    "using_device", "utils",
]
