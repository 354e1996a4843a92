"""Discriminative margin-based clustering loss for instance segmentation embeddings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

from kusari import variable
from kusari.backend import get_array_module


def _l1_norm(x: Any, axis: Any) -> Any:
    from kusari.functions.math.basic_math import absolute
    from kusari.functions.math.sum import sum as f_sum

    return f_sum(absolute(x), axis=axis)


def _l2_norm(x: Any, axis: Any) -> Any:
    """``sqrt(sum(x ** 2))`` whose gradient at 0 is 0 (a bare sqrt would give NaN there)."""
    from kusari.functions.array.where import where
    from kusari.functions.math.sqrt import sqrt
    from kusari.functions.math.sum import sum as f_sum

    sq = f_sum(x * x, axis=axis)
    xp = get_array_module(sq.array)
    nz = sq.array > 0
    one = xp.ones_like(sq.array)
    return sqrt(where(nz, sq, one)) * nz.astype(sq.dtype)


class DiscriminativeMarginBasedClusteringLoss:
    """The loss of `De Brabandere et al. <https://arxiv.org/abs/1708.02551>`_ as a callable.

    See :func:`discriminative_margin_based_clustering_loss` for the terms.
    """

    def __init__(self, delta_v: float = 0.5, delta_d: float = 1.5, max_embedding_dim: int = 10,
                 norm: int = 1, alpha: float = 1.0, beta: float = 1.0,
                 gamma: float = 0.001) -> None:
        self.delta_v = delta_v
        self.delta_d = delta_d
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.max_embedding_dim = max_embedding_dim
        if self.max_embedding_dim <= 0:
            raise ValueError("Max number of embeddings has to be positive!")
        norms: dict[int, Callable] = {1: _l1_norm, 2: _l2_norm}
        if norm not in norms:
            raise ValueError("For discriminative loss, norm can only be 1 or 2. "
                             f"Obtained the value : {norm}")
        self.norm = norms[norm]

    def __call__(self, embeddings: Any, labels: Any) -> tuple:
        from kusari.functions.activation.relu import relu
        from kusari.functions.array.reshape import reshape
        from kusari.functions.array.transpose import transpose
        from kusari.functions.math.matmul import matmul
        from kusari.functions.math.sum import sum as f_sum

        k = self.max_embedding_dim
        if embeddings.shape[1] != k:
            raise ValueError("discriminative_margin_based_clustering_loss: embeddings.shape[1] "
                             f"({embeddings.shape[1]}) must equal max_embedding_dim ({k})")
        embeddings = variable.as_variable(embeddings)
        xp = get_array_module(embeddings.array)
        labels = variable.as_array(labels)
        dtype = embeddings.dtype
        b, d, h, w = embeddings.shape
        # masks[c, n, p]: pixel p of image n belongs to instance c + 1
        ids = xp.arange(1, k + 1).reshape(k, 1, 1)
        masks = (labels.reshape(1, b, h * w) == ids).astype(dtype)
        counts = xp.maximum(masks.sum(axis=2), 1)  # (k, b)

        # cluster centres mns[c, n, :] = mean embedding of instance c + 1 in image n
        emb = reshape(embeddings, (b, d, h * w))
        sums = matmul(emb, masks.transpose(1, 2, 0))  # (b, d, k)
        mns = transpose(sums, (2, 0, 1)) / counts[:, :, None]  # (k, b, d)

        l_reg = f_sum(self.norm(mns, (1, 2))) / dtype.type(k * b)

        # pull: distances of the pixels to their centre beyond delta_v
        diff = (reshape(mns, (k, b, d, 1)) - reshape(emb, (1, b, d, h * w))) \
            * masks[:, :, None, :]
        l_var = relu(self.norm(diff, 2) - dtype.type(self.delta_v)) ** 2  # (k, b, hw)
        l_var = f_sum(l_var, axis=(1, 2)) / xp.maximum(masks.sum(axis=(1, 2)), 1)
        l_var = f_sum(l_var) / dtype.type(k)

        # push: pairs of centres (per image) closer than 2 delta_d
        pairs = numpy.triu(numpy.ones((k, k), dtype), 1)[:, :, None]
        if xp is not numpy:
            pairs = xp.asarray(pairs)
        dist = self.norm(reshape(mns, (k, 1, b, d)) - reshape(mns, (1, k, b, d)), 3)
        l_dist = f_sum(relu(dtype.type(2 * self.delta_d) - dist) ** 2 * pairs)
        l_dist = l_dist / dtype.type(max(k * (k - 1) // 2 * b, 1))
        return self.alpha * l_var, self.beta * l_dist, self.gamma * l_reg


def discriminative_margin_based_clustering_loss(
        embeddings: Any, labels: Any, delta_v: float, delta_d: float, max_embedding_dim: int,
        norm: int = 1, alpha: float = 1.0, beta: float = 1.0, gamma: float = 0.001) -> tuple:
    """Discriminative margin-based clustering loss (instance segmentation by embedding).

    With ``K = max_embedding_dim`` instances (label ``c + 1``; 0 is background),
    :math:`\\mu_{cn}` the mean embedding of instance ``c`` in image ``n``, :math:`N_c` its
    pixel count over the batch and :math:`\\|\\cdot\\|` the L1 or L2 norm over the embedding
    axis:

    - variance (pull): :math:`\\frac1K \\sum_c \\frac1{N_c} \\sum_{n, p \\in c}
      [\\|\\mu_{cn} - e_{np}\\| - \\delta_v]_+^2`
    - distance (push): :math:`\\frac{1}{B K(K-1)/2} \\sum_n \\sum_{c < c'}
      [2\\delta_d - \\|\\mu_{cn} - \\mu_{c'n}\\|]_+^2`
    - regularization: :math:`\\frac{1}{K B} \\sum_c \\|\\mu_{c\\cdot}\\|` (norm over images and
      embedding dimensions).

    Args:
        embeddings: Variable or array ``(B, K, H, W)``, float.
        labels: Integer array ``(B, H, W)``: instance ids ``1..K``, 0 for background.
        delta_v: Margin below which pixels are not pulled to their centre.
        delta_d: Centres further apart than ``2 delta_d`` are not pushed.
        max_embedding_dim: ``K``: the number of instances and embedding dimensions.
        norm: 1 or 2.
        alpha, beta, gamma: Weights of the three terms.

    Returns:
        ``(alpha * variance, beta * distance, gamma * regularization)``, 0-d Variables.

    Raises:
        ValueError: ``max_embedding_dim`` is not positive or differs from
            ``embeddings.shape[1]``, or ``norm`` is not 1 or 2.

    Example:
        >>> import numpy
        >>> emb = numpy.zeros((1, 2, 2, 2), numpy.float32)
        >>> labels = numpy.array([[[1, 1], [2, 0]]])
        >>> [float(t.array) for t in discriminative_margin_based_clustering_loss(
        ...     emb, labels, 0.5, 1.5, 2)]
        [0.0, 9.0, 0.0]
    """
    loss = DiscriminativeMarginBasedClusteringLoss(delta_v, delta_d, max_embedding_dim, norm,
                                                   alpha, beta, gamma)
    return loss(embeddings, labels)
