"""create_multi_node_evaluator: one evaluation over the shards of all processes."""

from __future__ import annotations

import types
from typing import Any

import numpy

from kusari import reporter as reporter_module


class _SummaryTap:
    """Wraps an evaluation function and adds each batch's observation to a DictSummary."""

    def __init__(self, func: Any) -> None:
        self.func = func
        self.summary = reporter_module.DictSummary()
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        out = self.func(*args, **kwargs)
        self.calls += 1
        self.summary.add(reporter_module.get_current_reporter().observation)
        return out


def _sums(summary: reporter_module.DictSummary) -> dict[str, tuple[float, float, str]]:
    out = {}
    for name, s in summary._summaries.items():
        dtype = getattr(s._x, "dtype", numpy.dtype(numpy.float64))
        out[name] = (float(s._x), float(s._n), numpy.dtype(dtype).str)
    return out


def _global_means(comm: Any, local: dict[str, tuple[float, float, str]]) -> dict[str, Any]:
    """The mean of each observed value over every batch of every process."""
    everyone = comm.mpi_comm.allgather(local)
    names = sorted(set().union(*everyone))
    totals = numpy.zeros((len(names), 2), numpy.float64)
    dtypes = {}
    for part in everyone:
        for i, name in enumerate(names):
            if name in part:
                x, n, dtype = part[name]
                totals[i] += (x, n)
                dtypes[name] = dtype
    return {name: numpy.dtype(dtypes[name]).type(totals[i, 0] / totals[i, 1])
            for i, name in enumerate(names) if totals[i, 1] > 0}


def create_multi_node_evaluator(actual_evaluator: Any, communicator: Any) -> Any:
    """Make an evaluator report the mean over the test shards of all processes.

    Every process evaluates its own shard; the sums and counts behind each reported
    mean are then added up over the processes, so the result is the mean over all
    evaluated batches, exactly as one process evaluating every batch would report, even
    when the shards have different numbers of batches (``scatter_dataset(...,
    force_equal_length=False)``). The patched evaluator must run on every process.

    This works with evaluators whose ``evaluate`` calls ``eval_func`` (or the target)
    once per batch inside a report scope, as :class:`~kusari.training.extensions.Evaluator`
    does. For an ``evaluate`` that does not, each process's means are averaged with
    equal weights, as ChainerMN does.

    Args:
        actual_evaluator: The evaluator to patch (e.g. ``extensions.Evaluator(it, model)``).
        communicator: A kusari.mn communicator.

    Returns:
        ``actual_evaluator``, patched (its ``evaluate`` now communicates).
    """
    actual_evaluator._mn_original_evaluate = actual_evaluator.evaluate
    actual_evaluator._mn_communicator = communicator

    def evaluate(self: Any) -> dict[str, Any]:
        comm = self._mn_communicator
        old = getattr(self, "eval_func", None)
        func = old
        if func is None:
            func = self.get_target("main") if hasattr(self, "get_target") else None
        tap = _SummaryTap(func) if func is not None else None
        if tap is not None:
            self.eval_func = tap
        try:
            local_means = self._mn_original_evaluate()
        finally:
            if tap is not None:
                self.eval_func = old
        # the tap saw every batch unless evaluate() bypassed eval_func (then it saw none
        # although means were computed); every process must choose the same way
        tapped = tap is not None and (tap.calls > 0 or not local_means)
        if all(comm.mpi_comm.allgather(tapped)):
            return _global_means(comm, _sums(tap.summary))
        # evaluate() bypassed eval_func somewhere: average the local means (ChainerMN's way)
        return {name: comm.allreduce_obj(value) / comm.size
                for name, value in sorted(local_means.items())}

    actual_evaluator.evaluate = types.MethodType(evaluate, actual_evaluator)
    return actual_evaluator
