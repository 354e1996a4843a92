"""Link hooks with Chainer's names (``kusari.link_hooks``).

A link hook runs around a link's ``forward``: registered with ``link.add_hook(hook)``
it applies to that link only, and :class:`TimerHook` may also be registered for every
link called in a ``with hook:`` block (in the current thread).
:class:`SpectralNormalization` and :class:`WeightStandardization` replace the link's
weight by a normalized one during ``forward`` and put the original parameter back
afterwards.

Example:
    >>> import numpy, kusari.links as L
    >>> from kusari import link_hooks
    >>> layer = L.Linear(3, 2).add_hook(link_hooks.SpectralNormalization())
    >>> with link_hooks.TimerHook() as timer:
    ...     y = layer(numpy.ones((1, 3), numpy.float32))
    >>> list(timer.summary())
    ['Linear']
    >>> layer.delete_hook('SpectralNormalization')
"""

from kusari.link_hooks.spectral_normalization import SpectralNormalization
from kusari.link_hooks.timer import TimerHook
from kusari.link_hooks.weight_standardization import WeightStandardization

__all__ = ["SpectralNormalization", "TimerHook", "WeightStandardization"]
