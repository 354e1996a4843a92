"""Trainer extensions for data-parallel training."""

from kusari.mn.extensions._multi_node_snapshot import multi_node_snapshot
from kusari.mn.extensions.allreduce_persistent import AllreducePersistent
from kusari.mn.extensions.multi_node_early_stopping_trigger import (
    MultiNodeEarlyStoppingTrigger,
)
from kusari.mn.extensions.multi_node_evaluator import create_multi_node_evaluator
from kusari.mn.extensions.observation_aggregator import ObservationAggregator

__all__ = ["AllreducePersistent", "MultiNodeEarlyStoppingTrigger", "ObservationAggregator",
           "create_multi_node_evaluator", "multi_node_snapshot"]
