"""Functions that communicate between processes."""

from kusari.mn.functions.batch_normalization import multi_node_batch_normalization

__all__ = ["multi_node_batch_normalization"]
