"""A predictor wrapped with a loss and an accuracy."""

from __future__ import annotations

from typing import Any

from kusari import variable
from kusari.link import Chain, Link


class Classifier(Chain):
    """Compute the loss (and accuracy) of a predictor on ``(*inputs, label)``.

    ``forward(*args, **kwargs)`` takes the label from ``args[label_key]`` (int key) or
    ``kwargs[label_key]`` (str key), calls ``predictor`` on the rest, reports ``loss``
    and (when ``compute_accuracy``) ``accuracy`` through :func:`kusari.reporter.report`
    and returns the loss.

    Args:
        predictor: The link to train.
        lossfun: ``lossfun(y, t)`` (None: :func:`~kusari.functions.softmax_cross_entropy`).
        accfun: ``accfun(y, t)`` (None: :func:`~kusari.functions.accuracy`).
        label_key: Position or name of the label among the arguments.

    Attributes:
        y: The last prediction.
        loss: The last loss.
        accuracy: The last accuracy.
        compute_accuracy: Whether to compute and report the accuracy.

    Raises:
        TypeError: ``label_key`` is neither int nor str.

    Example:
        >>> import numpy, kusari.links as L
        >>> model = Classifier(L.Linear(3, 2))
        >>> x = numpy.ones((4, 3), numpy.float32); t = numpy.zeros(4, numpy.int32)
        >>> model(x, t).shape
        ()
    """

    compute_accuracy = True

    def __init__(self, predictor: Link, lossfun: Any = None, accfun: Any = None,
                 label_key: int | str = -1) -> None:
        if not isinstance(label_key, (int, str)):
            raise TypeError(f"label_key must be int or str, but is {type(label_key)}")
        super().__init__()
        if lossfun is None:
            from kusari.functions import softmax_cross_entropy as lossfun
        if accfun is None:
            from kusari.functions import accuracy as accfun
        self.lossfun = lossfun
        self.accfun = accfun
        self.y = None
        self.loss = None
        self.accuracy = None
        self.label_key = label_key
        with self.init_scope():
            self.predictor = predictor

    def forward(self, *args: Any, **kwargs: Any) -> variable.Variable:
        """The loss of ``predictor(*inputs)`` against the label.

        Raises:
            ValueError: The label key is out of range or missing.
        """
        from kusari import reporter

        key = self.label_key
        if isinstance(key, int):
            if not -len(args) <= key < len(args):
                raise ValueError(f"Label key {key} is out of bounds")
            t = args[key]
            if key == -1:
                args = args[:-1]
            else:
                args = args[:key] + args[key + 1:]
        else:
            if key not in kwargs:
                raise ValueError(f'Label key "{key}" is not found')
            kwargs = dict(kwargs)
            t = kwargs.pop(key)
        self.y = None
        self.loss = None
        self.accuracy = None
        self.y = self.predictor(*args, **kwargs)
        self.loss = self.lossfun(self.y, t)
        reporter.report({"loss": self.loss}, self)
        if self.compute_accuracy:
            self.accuracy = self.accfun(self.y, t)
            reporter.report({"accuracy": self.accuracy}, self)
        return self.loss
