"""Per-class precision, recall, F-beta score and support."""

from __future__ import annotations

from typing import Any

import numpy

from kusari.backend import get_array_module
from kusari.function_node import FunctionNode
from kusari.functions.evaluation.accuracy import check_label_types


def _fbeta_score(precision: Any, recall: Any, beta: float) -> Any:
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


class ClassificationSummary(FunctionNode):
    """Counts of true positives per class turned into the four summaries
    (not differentiable)."""

    def __init__(self, label_num: int | None, beta: float, ignore_label: int) -> None:
        self.label_num = label_num
        self.beta = beta
        self.ignore_label = ignore_label

    def check_type_forward(self, in_types: Any) -> None:
        check_label_types(in_types)

    def forward(self, inputs: tuple) -> tuple:
        y, t = inputs
        xp = get_array_module(y)
        t = t.astype(xp.int32, copy=False)
        label_num = int(t.max()) + 1 if self.label_num is None else self.label_num
        # ignored samples go to the extra bin ``label_num``, which is then dropped
        mask = (t == self.ignore_label).ravel()
        pred = xp.where(mask, label_num, y.argmax(axis=1).ravel())
        true = xp.where(mask, label_num, t.ravel())
        support = xp.bincount(true, minlength=label_num + 1)[:label_num]
        relevant = xp.bincount(pred, minlength=label_num + 1)[:label_num]
        tp = xp.bincount(xp.where(pred == true, true, label_num),
                         minlength=label_num + 1)[:label_num]
        # 0 / 0 gives nan for absent classes, as in Chainer, without a warning
        with numpy.errstate(divide="ignore", invalid="ignore"):
            precision = tp / relevant
            recall = tp / support
            fbeta = _fbeta_score(precision, recall, self.beta)
        return precision, recall, fbeta, support


def classification_summary(
    y: Any, t: Any, label_num: int | None = None, beta: float = 1.0, ignore_label: int = -1,
) -> tuple:
    """Precision, recall, F-beta score and support of each class.

    :math:`P = tp / (tp + fp)`, :math:`R = tp / (tp + fn)`,
    :math:`F_\\beta = (1 + \\beta^2) P R / (\\beta^2 P + R)`; support is the number of
    samples of each true class. Classes without predictions (or samples) give nan.

    Args:
        y: Scores of shape ``(N, C, ...)``, float; the prediction is the arg-max.
        t: Labels of shape ``(N, ...)``, signed integers.
        label_num: The number of classes; ``max(t) + 1`` when None.
        beta: :math:`\\beta`, the weight of precision.
        ignore_label: Samples with this label are skipped.

    Returns:
        ``(precision, recall, fbeta, support)``: Variables of shape ``(label_num,)``
        (float64, float64, float64, int64 on the CPU, as in Chainer).

    Raises:
        kusari.utils.type_check.InvalidType: Shapes or dtypes do not match.

    Example:
        >>> import numpy
        >>> y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], numpy.float32)
        >>> p, r, f, s = classification_summary(y, numpy.array([0, 1, 1], numpy.int32))
        >>> p.array.tolist(), r.array.tolist(), s.array.tolist()
        ([0.5, 1.0], [1.0, 0.5], [1, 2])
    """
    return ClassificationSummary(label_num, beta, ignore_label).apply((y, t))


def precision(y: Any, t: Any, label_num: int | None = None, ignore_label: int = -1) -> tuple:
    """``(precision, support)`` of :func:`classification_summary`."""
    ret = ClassificationSummary(label_num, 1.0, ignore_label).apply((y, t))
    return ret[0], ret[-1]


def recall(y: Any, t: Any, label_num: int | None = None, ignore_label: int = -1) -> tuple:
    """``(recall, support)`` of :func:`classification_summary`."""
    ret = ClassificationSummary(label_num, 1.0, ignore_label).apply((y, t))
    return ret[1], ret[-1]


def fbeta_score(y: Any, t: Any, label_num: int | None = None, beta: float = 1.0,
                ignore_label: int = -1) -> tuple:
    """``(fbeta, support)`` of :func:`classification_summary`."""
    ret = ClassificationSummary(label_num, beta, ignore_label).apply((y, t))
    return ret[2], ret[-1]


def f1_score(y: Any, t: Any, label_num: int | None = None, ignore_label: int = -1) -> tuple:
    """``(f1, support)`` of :func:`classification_summary`."""
    ret = ClassificationSummary(label_num, 1.0, ignore_label).apply((y, t))
    return ret[2], ret[-1]
