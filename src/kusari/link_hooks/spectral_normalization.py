"""Spectral normalization of a link's weight (Miyato et al., 2018) as a link hook."""

from __future__ import annotations

from typing import Any

from kusari import backend, configuration, link_hook
from kusari.link_hooks._weight_hook import WeightReplacingHook, initialize_lazy_weight
from kusari.variable import Parameter


def _l2normalize(xp: Any, v: Any, eps: float) -> Any:
    """``v / (||v||_2 + eps)``."""
    return v / (xp.linalg.norm(v) + eps)


def _power_iteration(weight_matrix: Any, u: Any, n_power_iteration: int,
                     eps: float) -> tuple[Any, Any]:
    """Refine the first left singular vector ``u`` of a 2-D array and return it with the
    first right singular vector ``v`` (both plain arrays, so no graph is built)."""
    xp = backend.get_array_module(weight_matrix)
    for _ in range(n_power_iteration):
        v = _l2normalize(xp, xp.dot(u, weight_matrix), eps)
        u = _l2normalize(xp, xp.dot(weight_matrix, v), eps)
    return u, v


class SpectralNormalization(WeightReplacingHook):
    """Spectral normalization link hook: the link's weight is divided by its largest
    singular value before every forward.

    .. math::

        \\bar{W} = \\frac{W}{\\sigma(W)}, \\quad
        \\sigma(W) = \\max_{\\|h\\|_2 \\le 1} \\|W h\\|_2

    The weight is seen as a matrix whose rows run along :attr:`axis` (the output
    channels). :math:`\\sigma` is estimated by power iteration from a vector ``u``
    kept in the link as the persistent value :attr:`vector_name` (``'W_u'``); ``u`` is
    refined in place only in training mode (``config.train``). The gradient flows to
    ``W`` through :math:`\\sigma = u^\\top W v`, with ``u`` and ``v`` held constant.
    The link's attribute is the normalized Variable during ``forward`` only: afterwards
    it is the original :class:`~kusari.Parameter` again, so optimizers update that.

    The hook handles :class:`~kusari.links.Linear`, :class:`~kusari.links.EmbedID`,
    the convolutions and the deconvolutions (for which :attr:`axis` is 1); other links
    through ``weight_name``. A weight initialized lazily gets its ``u`` at the first
    call. Add the hook before setting up the optimizer when ``use_gamma`` is True, or
    ``gamma`` is not trained. One hook object serves one link, and it cannot be used
    with ``with``.

    See: T. Miyato et al., `Spectral Normalization for Generative Adversarial Networks
    <https://arxiv.org/abs/1802.05957>`_

    Args:
        n_power_iteration: Power iterations per forward (at least 1).
        eps: Added to the norms when normalizing the singular vectors.
        use_gamma: If True, the link gets a scalar parameter ``gamma`` initialized with
            the weight's largest singular value, and the weight is
            :math:`\\gamma W / \\sigma(W)`.
        factor: If given, :math:`\\sigma` is divided by it (the weight is scaled to a
            spectral norm of ``factor``).
        weight_name: Name of the link's weight.
        name: Name of the hook (default ``'SpectralNormalization'``).

    Attributes:
        vector_name: Name of the persistent vector ``u`` in the link
            (``weight_name + '_u'``).
        axis: Axis of the weight along the output units (0, or 1 for deconvolutions).

    Raises:
        AssertionError: ``n_power_iteration`` is less than 1.

    Example:
        >>> import numpy, kusari, kusari.links as L
        >>> from kusari.link_hooks import SpectralNormalization
        >>> layer = L.Linear(3, 2).add_hook(SpectralNormalization())
        >>> layer.W_u.shape
        (2,)
        >>> y = layer(numpy.ones((1, 3), numpy.float32))
        >>> isinstance(layer.W, kusari.Parameter)
        True
        >>> layer.delete_hook('SpectralNormalization'); hasattr(layer, 'W_u')
        False
    """

    name = "SpectralNormalization"

    def __init__(self, n_power_iteration: int = 1, eps: float = 1e-6,
                 use_gamma: bool = False, factor: float | None = None,
                 weight_name: str = "W", name: str | None = None) -> None:
        assert n_power_iteration > 0, "n_power_iteration must be positive"
        super().__init__(weight_name, name)
        self.n_power_iteration = n_power_iteration
        self.eps = eps
        self.use_gamma = use_gamma
        self.factor = factor
        self.vector_name = weight_name + "_u"
        self.axis = 0
        self._initialized = False
        self.v: Any = None

    def added(self, link: Any) -> None:
        """Set :attr:`axis` and, if the weight is initialized, register ``u`` (and
        ``gamma``).

        Raises:
            ValueError: The link has no attribute ``weight_name``.
        """
        super().added(link)
        from kusari.links import Deconvolution2D, DeconvolutionND

        if isinstance(link, (Deconvolution2D, DeconvolutionND)):
            self.axis = 1
        if getattr(link, self.weight_name).array is not None:
            self._prepare_parameters(link)

    def deleted(self, link: Any) -> None:
        """Remove ``u`` (and ``gamma``) from the link."""
        if self._initialized:
            if self.vector_name in link.__dict__:
                delattr(link, self.vector_name)
            if self.use_gamma and "gamma" in link.__dict__:
                del link.gamma
        self._initialized = False
        self.v = None
        super().deleted(link)

    def forward_preprocess(self, cb_args: link_hook._ForwardPreprocessCallbackArgs) -> None:
        """Replace the link's weight with the normalized one for this call."""
        link = cb_args.link
        weight = self._weight(link)
        if not self._initialized:
            if weight.array is None:
                initialize_lazy_weight(link, cb_args)
            self._prepare_parameters(link)
        self._replace(link, weight, self.normalize_weight(link))

    def _prepare_parameters(self, link: Any) -> None:
        """Register ``u`` drawn from a standard normal distribution (and ``gamma``)."""
        weight = getattr(link, self.weight_name)
        n = weight.shape[self.axis]
        if n == 0:
            raise ValueError(f"Expect {self.weight_name}.shape[{self.axis}] > 0")
        xp = link.xp
        with backend.using_device(link.device):
            u = xp.random.normal(size=(n,)).astype(weight.dtype)
        if self.vector_name in link.__dict__:
            delattr(link, self.vector_name)
        link.add_persistent(self.vector_name, u)
        if self.use_gamma:
            s = xp.linalg.svd(self.reshape_W(weight.array), compute_uv=False)
            with link.init_scope():
                link.gamma = Parameter(xp.asarray(s[0], dtype=weight.dtype))
        self._initialized = True

    def normalize_weight(self, link: Any) -> Any:
        """The link's weight divided by its estimated spectral norm (refining ``u`` in
        training mode).

        Args:
            link: The link this hook is added to.

        Returns:
            The normalized weight, a Variable connected to the link's weight.
        """
        from kusari.functions import matmul

        config = configuration.config
        W = getattr(link, self.weight_name)
        u_persistent = getattr(link, self.vector_name)
        weight_matrix = self.reshape_W(W)
        recomputing = getattr(config, "in_recomputing", False)
        if recomputing:  # the second pass of F.forget: reuse the first pass's vectors
            u, v = u_persistent, self.v
        else:
            with backend.using_device(link.device):
                u, v = _power_iteration(weight_matrix.array, u_persistent,
                                        self.n_power_iteration, self.eps)
        sigma = matmul(matmul(u, weight_matrix), v)
        if self.factor is not None:
            sigma = sigma / self.factor
        if self.use_gamma:
            W = link.gamma * W / sigma
        else:
            W = W / sigma
        if not recomputing:
            self.v = v
            if config.train:
                backend.copyto(u_persistent, u)
        return W

    def reshape_W(self, W: Any) -> Any:
        """``W`` (array or Variable) as a matrix whose rows run along :attr:`axis`.

        Args:
            W: The weight.

        Returns:
            ``W`` transposed so that :attr:`axis` comes first, and reshaped to 2-D.
        """
        if self.axis != 0:
            W = W.transpose([self.axis] + [i for i in range(W.ndim) if i != self.axis])
        if W.ndim == 2:
            return W
        return W.reshape(W.shape[0], -1)
