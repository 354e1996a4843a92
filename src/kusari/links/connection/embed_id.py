"""Word embedding layer."""

from __future__ import annotations

from typing import Any

from kusari import initializers, variable
from kusari.link import Link


class EmbedID(Link):
    """Map integer IDs to rows of a learnable matrix ``W`` ``(in_size, out_size)``.

    Args:
        in_size: Vocabulary size.
        out_size: Embedding dimension.
        initialW: Weight initializer (None: ``Normal(1.0)``), scalar or array.
        ignore_label: An ID mapped to a zero vector (and given no gradient).

    Example:
        >>> import numpy
        >>> emb = EmbedID(10, 3)
        >>> emb(numpy.array([1, 2], numpy.int32)).shape
        (2, 3)
    """

    ignore_label: int | None = None

    def __init__(self, in_size: int, out_size: int, initialW: Any = None,
                 ignore_label: int | None = None) -> None:
        super().__init__()
        self.ignore_label = ignore_label
        with self.init_scope():
            if initialW is None:
                initialW = initializers.Normal(1.0)
            self.W = variable.Parameter(initializers._get_initializer(initialW),
                                        (in_size, out_size))

    @classmethod
    def from_params(cls, W: Any, ignore_label: int | None = None) -> EmbedID:
        """An EmbedID whose weight is a copy of ``W`` (array or Variable)."""
        in_size, out_size = W.shape
        return cls(in_size, out_size, initialW=variable.as_array(W), ignore_label=ignore_label)

    def printable_specs(self) -> Any:
        yield "in_size", self.W.shape[0]
        yield "out_size", self.W.shape[1]
        yield "ignore_label", self.ignore_label

    def forward(self, x: Any) -> variable.Variable:
        """Embed the integer array ``x``; the result has shape ``x.shape + (out_size,)``."""
        from kusari.functions.connection.embed_id import embed_id

        return embed_id(x, self.W, ignore_label=self.ignore_label)
