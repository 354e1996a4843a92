"""Weight standardization (Qiao et al., 2019) as a link hook."""

from __future__ import annotations

from kusari import backend, link_hook
from kusari.link_hooks._weight_hook import WeightReplacingHook, initialize_lazy_weight


class WeightStandardization(WeightReplacingHook):
    """Weight standardization link hook: before every forward, each output unit's
    weights (each slice along axis 0) are standardized to zero mean and unit variance.

    .. math::

        \\hat{W}_{i} = \\frac{W_{i} - \\mathrm{mean}(W_{i})}
                             {\\sqrt{\\mathrm{var}(W_{i}) + \\epsilon}}

    The statistics are computed over every axis but the first (the biased variance),
    differentiably, as group normalization with one group treats a sample; the
    gradient flows to the original weight. Meant for convolutions followed by group
    (or batch) normalization; it also applies to linear and embedding links, without
    a guarantee that it helps. The link's attribute is the standardized Variable
    during ``forward`` only. The hook cannot be used with ``with``.

    See: S. Qiao et al., `Weight Standardization <https://arxiv.org/abs/1903.10520>`_

    Args:
        eps: Added to the variances.
        weight_name: Name of the link's weight.
        name: Name of the hook (default ``'WeightStandardization'``).

    Example:
        >>> import numpy, kusari.links as L
        >>> from kusari.link_hooks import WeightStandardization
        >>> conv = L.Convolution2D(2, 4, 3).add_hook(WeightStandardization())
        >>> conv(numpy.ones((1, 2, 5, 5), numpy.float32)).shape
        (1, 4, 3, 3)
        >>> conv.delete_hook('WeightStandardization')
    """

    name = "WeightStandardization"

    def __init__(self, *, eps: float = 1e-5, weight_name: str = "W",
                 name: str | None = None) -> None:
        super().__init__(weight_name, name)
        self.eps = eps

    def forward_preprocess(self, cb_args: link_hook._ForwardPreprocessCallbackArgs) -> None:
        """Replace the link's weight with the standardized one for this call."""
        from kusari.functions import group_normalization

        link = cb_args.link
        weight = self._weight(link)
        if weight.array is None:
            initialize_lazy_weight(link, cb_args)
        with backend.using_device(link.device):
            gamma = link.xp.ones((weight.shape[1],), dtype=weight.dtype)
            beta = link.xp.zeros((weight.shape[1],), dtype=weight.dtype)
        self._replace(link, weight,
                      group_normalization(weight, 1, gamma, beta, eps=self.eps))
