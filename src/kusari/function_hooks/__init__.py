"""Function hooks, as ``chainer.function_hooks``: profiling and debugging callbacks.

Register one with ``with hook:`` (every function in the block, in this thread) or
:meth:`kusari.FunctionNode.add_hook` (one node):

* :class:`TimerHook` times each forward and backward;
* :class:`PrintHook` prints the inputs (and, before backward, output gradients);
* :class:`CupyMemoryProfileHook` measures CuPy memory-pool use (needs CuPy and a GPU);
* :class:`CUDAProfileHook` marks NVTX ranges for a CUDA profiler (needs CuPy and a GPU).

Example:
    >>> import numpy, kusari.functions as F
    >>> from kusari import function_hooks
    >>> with function_hooks.TimerHook() as timer:
    ...     y = F.exp(F.relu(numpy.ones(3, numpy.float32)))
    >>> [name for name, _ in timer.call_history]
    ['ReLU', 'Exp']
"""

from kusari.function_hooks.cuda_profile import CUDAProfileHook
from kusari.function_hooks.cupy_memory_profile import CupyMemoryProfileHook
from kusari.function_hooks.debug_print import PrintHook
from kusari.function_hooks.timer import TimerHook

__all__ = ["CUDAProfileHook", "CupyMemoryProfileHook", "PrintHook", "TimerHook"]
