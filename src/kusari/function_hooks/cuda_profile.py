"""CUDAProfileHook: an NVTX range around each forward and backward (needs CuPy)."""

from __future__ import annotations

from typing import Any

from kusari import function_hook
from kusari.function_hooks import _util


def _nvtx_module(what: str) -> Any:
    """``cupy.cuda.nvtx``; RuntimeError naming ``what`` without CuPy, a GPU or NVTX."""
    nvtx = _util.require_cupy(what).cuda.nvtx
    if not getattr(nvtx, "available", False):
        raise RuntimeError(f"{what} needs NVTX, which this CuPy build lacks")
    return nvtx


class CUDAProfileHook(function_hook.FunctionHook):
    """Function hook marking each forward and backward as an NVTX range.

    A profiler such as Nsight Systems then shows ``<label>.forward`` and
    ``<label>.backward`` ranges on the CPU timeline, nested as the calls are.

    Raises:
        RuntimeError: On construction, when CuPy, a CUDA GPU or NVTX is missing.

    Example:
        >>> from kusari.function_hooks import CUDAProfileHook
        >>> try:
        ...     hook = CUDAProfileHook()
        ... except RuntimeError as e:  # it needs CuPy, a CUDA GPU and NVTX
        ...     hook = None
        >>> hook is None or hook.name == 'CUDAProfileHook'
        True
    """

    name = "CUDAProfileHook"

    def __init__(self) -> None:
        self._nvtx = _nvtx_module("CUDAProfileHook")

    def forward_preprocess(self, function: Any, in_data: tuple) -> None:
        self._nvtx.RangePush(function.label + ".forward")

    def forward_postprocess(self, function: Any, in_data: tuple) -> None:
        self._nvtx.RangePop()

    def backward_preprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        self._nvtx.RangePush(function.label + ".backward")

    def backward_postprocess(self, function: Any, in_data: tuple, out_grad: tuple) -> None:
        self._nvtx.RangePop()
