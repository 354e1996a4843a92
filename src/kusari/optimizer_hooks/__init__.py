"""Optimizer hooks with Chainer's names (``kusari.optimizer_hooks``).

A hook is registered with ``optimizer.add_hook(hook)`` (or on one parameter's update
rule with ``param.update_rule.add_hook(hook)``). Its ``timing`` (``'pre'`` by default)
says whether it runs before or after the parameters are updated. Per-parameter hooks
(``call_for_each_param = True``) are called as ``hook(update_rule, param)`` for each
parameter, in ``target.params()`` order; global hooks (``GradientClipping``) as
``hook(optimizer)``.

Example:
    >>> from kusari import optimizers, optimizer_hooks, links
    >>> opt = optimizers.SGD().setup(links.Linear(2, 2))
    >>> opt.add_hook(optimizer_hooks.WeightDecay(1e-4))
"""

from kusari.optimizer_hooks.gradient_clipping import GradientClipping
from kusari.optimizer_hooks.gradient_hard_clipping import GradientHardClipping
from kusari.optimizer_hooks.gradient_lars import GradientLARS
from kusari.optimizer_hooks.gradient_noise import GradientNoise, exponential_decay_noise
from kusari.optimizer_hooks.lasso import Lasso
from kusari.optimizer_hooks.weight_decay import WeightDecay

__all__ = [
    "GradientClipping", "GradientHardClipping", "GradientLARS", "GradientNoise", "Lasso",
    "WeightDecay", "exponential_decay_noise",
]
