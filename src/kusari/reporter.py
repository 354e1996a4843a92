"""Collect values observed during training and summarize them.

A :class:`Reporter` maps observer objects (links) to names and writes values reported by
them into its current *observation* dictionary, prefixing keys with the observer's name:
``report({'loss': loss}, model)`` stores ``observation['main/loss']`` when ``model`` was
registered as ``'main'``. :class:`Summary` and :class:`DictSummary` accumulate reported
values and compute means lazily: a value on a GPU stays there until a mean is asked for, so
reporting costs no host synchronization per iteration.

Example:
    >>> import kusari
    >>> reporter = kusari.Reporter()
    >>> observer = object()
    >>> reporter.add_observer('main', observer)
    >>> observation = {}
    >>> with reporter.scope(observation):
    ...     kusari.report({'x': 1.0}, observer)
    >>> observation
    {'main/x': 1.0}
"""

from __future__ import annotations

import contextlib
import json
import numbers
import threading
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import numpy

from kusari import backend, configuration, variable
from kusari import serializer as serializer_module

__all__ = [
    "Reporter",
    "get_current_reporter",
    "report",
    "report_scope",
    "Summary",
    "DictSummary",
]

_local = threading.local()


def _reporters() -> list[Reporter]:
    stack = getattr(_local, "reporters", None)
    if stack is None:
        stack = _local.reporters = []
    return stack


def _copy_without_graph(value: Any) -> Any:
    """A Variable sharing ``value``'s array but cut from its graph; other values as is."""
    if isinstance(value, variable.Variable):
        return variable.Variable(value.array, requires_grad=value.requires_grad)
    return value


class Reporter:
    """Object to which observed values are reported.

    The reporter holds a current ``observation`` dictionary (set by :meth:`scope`) and a
    table of observers. Used as a context manager it becomes the *current* reporter of this
    thread, the one :func:`report` writes to.

    Example:
        >>> r = Reporter()
        >>> obs = {}
        >>> with r.scope(obs):
        ...     r.report({'accuracy': 0.5})
        >>> obs
        {'accuracy': 0.5}
    """

    def __init__(self) -> None:
        self._observer_names: dict[int, str] = {}
        self.observation: dict[str, Any] = {}

    def __enter__(self) -> Reporter:
        _reporters().append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _reporters().pop()

    @contextlib.contextmanager
    def scope(self, observation: dict[str, Any]) -> Iterator[None]:
        """Make this reporter current and collect reports into ``observation``.

        Args:
            observation: Dictionary that receives the reported values.

        Example:
            >>> r, obs = Reporter(), {}
            >>> with r.scope(obs):
            ...     report({'a': 1})
            >>> obs
            {'a': 1}
        """
        old = self.observation
        self.observation = observation
        self.__enter__()
        try:
            yield
        finally:
            self.__exit__(None, None, None)
            self.observation = old

    def add_observer(self, name: str, observer: Any) -> None:
        """Register ``observer`` so that its reports are prefixed by ``name + '/'``.

        Args:
            name: Name of the observer.
            observer: Any object (usually a link); identified by ``id``.
        """
        self._observer_names[id(observer)] = name

    def add_observers(self, prefix: str, observers: Iterable[tuple[str, Any]]) -> None:
        """Register several observers, each named ``prefix + name``.

        Args:
            prefix: Prefix of every name.
            observers: Pairs ``(name, observer)``, e.g. ``link.namedlinks(skipself=True)``.
        """
        for name, observer in observers:
            self._observer_names[id(observer)] = prefix + name

    def report(self, values: dict[str, Any], observer: Any = None) -> None:
        """Write ``values`` into the current observation.

        Unless ``config.keep_graph_on_report`` is True, reported Variables are replaced by
        Variables sharing their arrays but no computational graph, so the graph is freed.

        Args:
            values: Mapping from names to values (scalars, arrays or Variables).
            observer: The reporting object; its registered name prefixes each key.

        Raises:
            KeyError: If ``observer`` is given but was never registered.
        """
        if not configuration.config.keep_graph_on_report:
            values = {k: _copy_without_graph(v) for k, v in values.items()}
        if observer is None:
            self.observation.update(values)
            return
        name = self._observer_names.get(id(observer))
        if name is None:
            raise KeyError(
                f"Reporter.report: observer {type(observer).__name__} at {id(observer):#x} "
                "is not registered to the reporter; call add_observer first"
            )
        prefix = name + "/"
        observation = self.observation
        for key, value in values.items():
            observation[prefix + key] = value


def get_current_reporter() -> Reporter:
    """The reporter current in this thread (innermost ``with reporter`` block).

    Raises:
        RuntimeError: If no reporter is active.
    """
    stack = _reporters()
    if not stack:
        raise RuntimeError("get_current_reporter: no reporter is active in this thread")
    return stack[-1]


def report(values: dict[str, Any], observer: Any = None) -> None:
    """Report ``values`` to the current reporter; do nothing when none is active.

    Args:
        values: Mapping from names to values.
        observer: The reporting object (see :meth:`Reporter.report`).

    Example:
        >>> report({'loss': 1.0})  # no reporter active: ignored
    """
    stack = _reporters()
    if stack:
        stack[-1].report(values, observer)


@contextlib.contextmanager
def report_scope(observation: dict[str, Any]) -> Iterator[None]:
    """Redirect the current reporter's reports into ``observation`` inside the block.

    Args:
        observation: Dictionary that receives the reported values.

    Example:
        >>> r = Reporter()
        >>> with r:
        ...     obs = {}
        ...     with report_scope(obs):
        ...         report({'a': 2})
        >>> obs
        {'a': 2}
    """
    current = get_current_reporter()
    old = current.observation
    current.observation = observation
    try:
        yield
    finally:
        current.observation = old


def _is_scalar(value: Any) -> bool:
    return isinstance(value, numbers.Number) or getattr(value, "ndim", -1) == 0


class Summary:
    """Online weighted mean and standard deviation of scalars, accumulated in float64.

    Host values (numbers, NumPy scalars and 0-d arrays) are summed as Python floats. Device
    values (CuPy 0-d arrays) are summed on their device into float64 0-d arrays, so adding
    them never waits for the device; the host sees a value only when the caller converts a
    result (e.g. with ``float``).

    Example:
        >>> s = Summary()
        >>> s.add(1.0); s.add(3.0)
        >>> float(s.compute_mean())
        2.0
    """

    def __init__(self) -> None:
        self._x: Any = 0.0
        self._x2: Any = 0.0
        self._n: Any = 0

    def add(self, value: Any, weight: Any = 1) -> None:
        """Add a scalar ``value`` with ``weight``.

        Args:
            value: A number, 0-d array (NumPy or CuPy) or 0-d Variable.
            weight: Weight of the value (a number).
        """
        if isinstance(value, variable.Variable):
            value = value.array
        if isinstance(value, (numpy.ndarray, numpy.generic)) or not hasattr(value, "dtype"):
            value = float(value)
        elif isinstance(self._x, (int, float, numpy.generic, numpy.ndarray)):
            # the first device value (or the first after loading host sums): move the sums
            xp = backend.get_array_module(value)
            self._x = xp.asarray(self._x, dtype=xp.float64)
            self._x2 = xp.asarray(self._x2, dtype=xp.float64)
        if type(weight) is int and weight == 1:  # the common case: skip two products
            self._x += value
            self._x2 += value * value
            self._n += 1
        else:
            self._x += weight * value
            self._x2 += weight * value * value
            self._n += weight

    def compute_mean(self) -> Any:
        """The weighted mean: a ``numpy.float64`` (a ``float``), or a 0-d device array.

        Raises:
            ZeroDivisionError: If nothing was added.
        """
        return _host_float64(self._x / self._n)

    def make_statistics(self) -> tuple[Any, Any]:
        """The weighted mean and standard deviation.

        Returns:
            ``(mean, std)``, as :meth:`compute_mean` returns them.
        """
        mean = self._x / self._n
        var = self._x2 / self._n - mean * mean
        xp = backend.get_array_module(var)
        # Rounding can make the variance of equal values slightly negative: clip at 0.
        return _host_float64(mean), _host_float64(xp.sqrt(xp.maximum(var, 0.0)))

    def serialize(self, serializer: serializer_module.AbstractSerializer) -> None:
        """Save or load the running sums under the keys ``_x``, ``_x2`` and ``_n``."""
        try:
            self._x = serializer("_x", self._x)
            self._x2 = serializer("_x2", self._x2)
            self._n = serializer("_n", self._n)
        except KeyError:
            warnings.warn(
                "Summary.serialize: the previous statistics are not saved; "
                "starting from empty sums",
                stacklevel=2,
            )


def _host_float64(value: Any) -> Any:
    return numpy.float64(value) if isinstance(value, (float, int)) else value


class DictSummary:
    """Summaries of several named scalars, fed with dictionaries.

    Values that are not scalars (numbers, 0-d arrays or 0-d Variables) are ignored. A value
    may be a tuple ``(value, weight)``.

    Example:
        >>> d = DictSummary()
        >>> d.add({'a': 1.0, 'b': 2.0}); d.add({'a': 3.0})
        >>> {k: float(v) for k, v in d.compute_mean().items()}
        {'a': 2.0, 'b': 2.0}
    """

    def __init__(self) -> None:
        self._summaries: dict[str, Summary] = {}

    def add(self, d: dict[str, Any]) -> None:
        """Add the scalar values of ``d`` to their summaries.

        Args:
            d: Mapping from names to values or ``(value, weight)`` tuples.

        Raises:
            ValueError: If a weight is not a number.
        """
        summaries = self._summaries
        for key, value in d.items():
            weight = 1
            if isinstance(value, tuple):
                value, weight = value
                if not _is_scalar(weight):
                    raise ValueError(
                        f"DictSummary.add: weight of {key!r} must be a number, "
                        f"got {type(weight).__name__}"
                    )
            if isinstance(value, variable.Variable):
                value = value.array
            if _is_scalar(value):
                summary = summaries.get(key)
                if summary is None:
                    summary = summaries[key] = Summary()
                summary.add(value, weight)

    def compute_mean(self) -> dict[str, Any]:
        """The mean of every summary, by name."""
        return {name: s.compute_mean() for name, s in self._summaries.items()}

    def make_statistics(self) -> dict[str, Any]:
        """Means under each name and standard deviations under ``name + '.std'``."""
        stats = {}
        for name, summary in self._summaries.items():
            mean, std = summary.make_statistics()
            stats[name] = mean
            stats[name + ".std"] = std
        return stats

    def serialize(self, serializer: serializer_module.AbstractSerializer) -> None:
        """Save or load all summaries; the names are stored as JSON under ``_names``."""
        if isinstance(serializer, serializer_module.Serializer):
            names = list(self._summaries)
            serializer("_names", json.dumps(names))
        else:
            try:
                stored = serializer("_names", None)
            except KeyError:
                warnings.warn(
                    "DictSummary.serialize: the previous statistics are not saved; "
                    "starting from empty sums",
                    stacklevel=2,
                )
                return
            names = json.loads(str(stored.item() if hasattr(stored, "item") else stored))
            self._summaries = {name: Summary() for name in names}
        children = serializer["_summaries"]
        for name in names:
            self._summaries[name].serialize(children[name])
