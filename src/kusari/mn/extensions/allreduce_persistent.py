"""AllreducePersistent: average persistent arrays (BatchNorm statistics) over processes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kusari.training import extension


def _namedpersistents(model: Any) -> Iterator[tuple[str, Any]]:
    for lname, link in model.namedlinks():
        for pname in sorted(link._persistent):
            yield f"{lname}/{pname}", link.__dict__[pname]


class AllreducePersistent(extension.Extension):
    """Replace every floating-point persistent array of a model by its mean over processes.

    Running means and variances of batch normalization then reflect all processes'
    batches. Integer and scalar persistents (counters) are left alone. Run it before
    evaluating or saving the model (by default once per epoch, before evaluators).

    Args:
        model: The link whose persistents are averaged.
        comm: A kusari.mn communicator.
    """

    trigger = 1, "epoch"
    priority = extension.PRIORITY_WRITER + 1

    def __init__(self, model: Any, comm: Any) -> None:
        self.model = model
        self.comm = comm

    def __call__(self, trainer: Any = None) -> None:
        for _, value in sorted(_namedpersistents(self.model), key=lambda t: t[0]):
            if getattr(value, "dtype", None) is not None and value.dtype.kind == "f" \
                    and getattr(value, "ndim", 0) > 0:
                self.comm._multi_node_mean(None, value)
