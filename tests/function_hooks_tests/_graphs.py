"""Small graphs and fakes shared by the function-hook tests."""

import itertools

import kusari
import kusari.functions as F


class Outer(kusari.FunctionNode):
    """A node whose forward and backward each apply ReLU: nested hook calls."""

    def forward(self, inputs):
        return F.relu(inputs[0]).array,

    def backward(self, indexes, grad_outputs):
        return F.relu(grad_outputs[0]),


def fake_node(class_name, label=None):
    """Stands in for a function node: an instance of a class ``class_name`` with a label."""
    return type(class_name, (), {"label": class_name if label is None else label})()


def step_clock(step=1.0):
    """A clock answering 0, step, 2 * step, ... on successive calls."""
    counter = itertools.count()
    return lambda: next(counter) * step
