"""Order samplers: decide the order in which an iterator visits a dataset each epoch.

Example:
    >>> import numpy
    >>> sampler = ShuffleOrderSampler(numpy.random.RandomState(0))
    >>> sampler(numpy.arange(4), 0)
    array([2, 3, 1, 0])
"""

from __future__ import annotations

from typing import Any

import numpy


class OrderSampler:
    """Base class of order samplers.

    An order sampler is called at the start of every epoch (and on reset) as
    ``sampler(current_order, current_position)`` and returns the indices of the
    dataset to visit in the next epoch, an integer array of the same length.
    """

    def __call__(self, current_order: numpy.ndarray, current_position: int) -> numpy.ndarray:
        """The order of the next epoch.

        Args:
            current_order: The order of the epoch that ends.
            current_position: The position in ``current_order`` where the batch that
                crosses the epoch boundary started.

        Returns:
            An integer array of the same length as ``current_order``.
        """
        raise NotImplementedError(f"{type(self).__name__}.__call__ must be implemented")


class ShuffleOrderSampler(OrderSampler):
    """Order sampler that draws a fresh random permutation every epoch.

    It calls ``random_state.permutation(len(current_order))``; with the default
    ``random_state=None`` that is NumPy's global random state, so ``numpy.random.seed``
    fixes the orders exactly as in Chainer.

    Args:
        random_state: A :class:`numpy.random.RandomState`, or None for the global one.

    Raises:
        TypeError: ``random_state`` has no ``permutation`` method.

    Example:
        >>> import numpy
        >>> numpy.random.seed(0)
        >>> ShuffleOrderSampler()(numpy.arange(3), 0)
        array([2, 1, 0])
    """

    def __init__(self, random_state: numpy.random.RandomState | None = None) -> None:
        if random_state is None:
            random_state = numpy.random.mtrand._rand
        if not hasattr(random_state, "permutation"):
            raise TypeError(
                "ShuffleOrderSampler: random_state must be a numpy.random.RandomState or "
                f"None, got {type(random_state).__name__}"
            )
        self._random = random_state

    def __call__(self, current_order: numpy.ndarray, current_position: int) -> numpy.ndarray:
        return self._random.permutation(len(current_order))

    def serialize(self, serializer: Any) -> None:
        """Save or restore the state of the random generator (a no-op for others).

        Restoring the state makes the permutations drawn after a resume identical to
        those of an uninterrupted run.

        Args:
            serializer: A serializer or deserializer (scoped, e.g. ``s['_rng_state']``).

        Raises:
            KeyError: Loading strictly and the state is missing from the snapshot.
        """
        get_state = getattr(self._random, "get_state", None)
        if get_state is None:
            return
        state = get_state()
        if not (isinstance(state, tuple) and len(state) == 5):
            return
        name, keys, pos, has_gauss, cached = state
        keys = serializer("keys", keys)
        pos = serializer("pos", int(pos))
        has_gauss = serializer("has_gauss", int(has_gauss))
        cached = serializer("cached_gaussian", float(cached))
        self._random.set_state((name, keys, int(pos), int(has_gauss), float(cached)))
