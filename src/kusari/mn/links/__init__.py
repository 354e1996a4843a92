"""Links that communicate between processes."""

from kusari.mn.links.batch_normalization import MultiNodeBatchNormalization

__all__ = ["MultiNodeBatchNormalization"]
