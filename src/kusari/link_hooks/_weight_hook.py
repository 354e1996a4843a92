"""The part shared by the link hooks that replace a link's weight during ``forward``."""

from __future__ import annotations

from typing import Any

from kusari import link_hook


def initialize_lazy_weight(link: Any, cb_args: Any) -> None:
    """Initialize a link's uninitialized weight from the first input of this call, as
    the link's own ``forward`` would.

    Raises:
        ValueError: The link was called without a positional input.
    """
    from kusari.links import Linear

    if not cb_args.args:
        raise ValueError(f"cannot initialize {type(link).__name__}'s weight: the link was "
                         "called without a positional input")
    x = cb_args.args[0]
    if isinstance(link, Linear):
        # Linear flattens every axis after the batch axes
        if "n_batch_axes" in cb_args.kwargs:
            n_batch_axes = cb_args.kwargs["n_batch_axes"]
        else:
            n_batch_axes = cb_args.args[1] if len(cb_args.args) > 1 else 1
        in_size = 1
        for s in x.shape[n_batch_axes:]:
            in_size *= s
        link._initialize_params(in_size)
    else:
        link._initialize_params(x.shape[1])


class WeightReplacingHook(link_hook.LinkHook):
    """A link hook whose ``forward_preprocess`` puts a Variable computed from the link's
    weight in its place, and whose ``forward_postprocess`` puts the Parameter back.

    One hook object serves one link; it cannot be used with ``with``.

    Args:
        weight_name: Name of the link's weight.
        name: Name of the hook (the class's ``name`` by default).
    """

    def __init__(self, weight_name: str = "W", name: str | None = None) -> None:
        self.weight_name = weight_name
        self.original_weight: Any = None
        self._replacement: Any = None
        if name is not None:
            self.name = name

    def __enter__(self) -> WeightReplacingHook:
        raise NotImplementedError(
            f"{type(self).__name__} is not supposed to be used as a context manager; "
            "use link.add_hook")

    def __exit__(self, *_: Any) -> None:
        raise NotImplementedError

    def added(self, link: Any) -> None:
        """Check that the link has the weight.

        Raises:
            ValueError: The link has no attribute ``weight_name``.
        """
        if not hasattr(link, self.weight_name):
            raise ValueError(f"Weight '{self.weight_name}' does not exist!")

    def deleted(self, link: Any) -> None:
        """Forget the weights of the last call."""
        self.original_weight = self._replacement = None

    def _weight(self, link: Any) -> Any:
        """The link's Parameter (put back first if the last forward raised before
        postprocessing left the replacement in its place)."""
        weight = getattr(link, self.weight_name)
        if self._replacement is not None and weight is self._replacement:
            setattr(link, self.weight_name, self.original_weight)
            weight = self.original_weight
        return weight

    def _replace(self, link: Any, weight: Any, replacement: Any) -> None:
        """Put ``replacement`` where the Parameter ``weight`` is, for this call."""
        self.original_weight = weight
        self._replacement = replacement
        setattr(link, self.weight_name, replacement)

    def forward_postprocess(self, cb_args: link_hook._ForwardPostprocessCallbackArgs) -> None:
        """Put the original :class:`~kusari.Parameter` back."""
        setattr(cb_args.link, self.weight_name, self.original_weight)
        self._replacement = None
