"""Optimizers: how parameters learn from their gradients.

An :class:`Optimizer` is set up on a link; :class:`GradientMethod` gives each parameter
an :class:`UpdateRule` that holds the parameter's own state (momentum, moments) and a
:class:`Hyperparameter` that falls back to the optimizer's, so ``optimizer.lr = 0.1``
reaches every rule while ``param.update_rule.hyperparam.lr = 0.01`` overrides one.

Example:
    >>> import numpy, kusari, kusari.links as L, kusari.functions as F
    >>> from kusari import optimizers
    >>> model = L.Linear(2, 1)
    >>> opt = optimizers.SGD(lr=0.1).setup(model)
    >>> x = numpy.ones((4, 2), numpy.float32)
    >>> opt.update(lambda: F.sum(model(x)))
    >>> opt.t
    1
"""

from __future__ import annotations

import collections
import copy
import threading
from typing import Any

import numpy

from kusari import backend
from kusari.variable import Variable

_thread = threading.local()
_ndarray = numpy.ndarray


def _scratch(grad: Any, slot: int = 0) -> Any:
    """A reusable buffer shaped like ``grad`` (no allocation on the hot path).

    Rules that need several temporaries at once ask for distinct ``slot`` numbers.

    Small arrays get a fresh buffer: NumPy's small-block cache makes that cheaper than
    the bookkeeping; large ones reuse a per-thread pool, avoiding page faults.
    """
    if not isinstance(grad, numpy.ndarray):
        return grad.__class__(grad.shape, grad.dtype)
    if grad.size < 16384:
        return numpy.empty_like(grad)
    key = (grad.dtype.str, slot)
    pool = _thread.__dict__.setdefault("pool", {})
    buf = pool.get(key)
    n = grad.size
    if buf is None or buf.size < n:
        buf = pool[key] = numpy.empty(max(n, 1024), grad.dtype)
    return buf[:n].reshape(grad.shape)


_getattribute = object.__getattribute__


class Hyperparameter:
    """A namespace of hyperparameters that falls back to a parent's values.

    Args:
        parent: The hyperparameter object consulted for names not set here.

    Example:
        >>> h = Hyperparameter(); h.lr = 0.1
        >>> Hyperparameter(h).lr
        0.1
    """

    def __init__(self, parent: Hyperparameter | None = None) -> None:
        self._parent = parent

    def __getattribute__(self, name: str) -> Any:
        # every update reads its hyperparameters through a rule's child object; a miss in
        # the normal lookup costs ~0.5 µs (the AttributeError machinery), so values are
        # read from the instance and parent dicts first (~0.1 µs)
        d = _getattribute(self, "__dict__")
        if name in d:
            return d[name]
        if name[0] != "_":
            parent = d.get("_parent")
            while parent is not None:
                pd = _getattribute(parent, "__dict__")
                if name in pd:
                    return pd[name]
                parent = pd.get("_parent")
        return _getattribute(self, name)  # methods, properties; else __getattr__

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError(f"hyperparameter {name!r} is not set")

    def __repr__(self) -> str:
        d = self.get_dict()
        keys = ", ".join(f"{k}={d[k]}" for k in sorted(d))
        return f"Hyperparameter({keys})"

    @property
    def parent(self) -> Hyperparameter | None:
        return self._parent

    def get_dict(self) -> dict:
        """All values visible here, the parent's overridden by this object's."""
        d = {} if self._parent is None else self._parent.get_dict()
        d.update((k, v) for k, v in self.__dict__.items() if k != "_parent")
        return d

    def __deepcopy__(self, memo: dict) -> Hyperparameter:
        h = Hyperparameter.__new__(Hyperparameter)
        h.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return h


class HyperparameterProxy:
    """A property of an optimizer forwarding to ``optimizer.hyperparam.<name>``."""

    def __init__(self, attr_name: str) -> None:
        self._attr_name = attr_name
        self.__doc__ = f"Alias to ``self.hyperparam.{attr_name}``"

    def __get__(self, obj: Any, type: Any = None) -> Any:
        if obj is None:
            return self
        return getattr(obj.hyperparam, self._attr_name)

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(obj.hyperparam, self._attr_name, value)


def make_deprecation_message(name: str) -> str:
    return f"{name} is deprecated"


class UpdateRule:
    """How one parameter is updated; holds that parameter's optimizer state.

    Subclasses implement ``init_state(param)`` and ``update_core_cpu(param)`` /
    ``update_core_gpu(param)``.

    Args:
        parent_hyperparam: The optimizer's hyperparameters, the fallback for this rule's.

    Attributes:
        enabled: Whether :meth:`update` does anything.
        t: Number of updates done by this rule.
        hyperparam: This rule's :class:`Hyperparameter`.
    """

    is_elementwise = False

    def __init__(self, parent_hyperparam: Hyperparameter | None = None) -> None:
        self._pre_update_hooks: collections.OrderedDict = collections.OrderedDict()
        self._post_update_hooks: collections.OrderedDict = collections.OrderedDict()
        self._state: dict | None = None
        self.enabled = True
        self.hyperparam = Hyperparameter(parent_hyperparam)
        self.t = 0
        self._use_fp32_update = False
        self._fp32_param: Variable | None = None

    @property
    def state(self) -> dict | None:
        """The per-parameter state arrays (None before the first update)."""
        return self._state

    def add_hook(self, hook: Any, name: str | None = None, timing: str = "pre") -> None:
        """Add a hook ``hook(rule, param)`` run before (``'pre'``) or after the update.

        Raises:
            TypeError: ``hook`` is not callable.
            ValueError: ``timing`` is invalid.
            KeyError: A hook of that name exists.
        """
        if not callable(hook):
            raise TypeError("hook function must be callable")
        if timing not in ("pre", "post"):
            raise ValueError(f"timing must be 'pre' or 'post', got {timing!r}")
        if name is None:
            name = getattr(hook, "name", getattr(hook, "__name__", None))
        if name is None:
            raise ValueError("the name of the hook function is not specified")
        hooks = self._pre_update_hooks if timing == "pre" else self._post_update_hooks
        if name in hooks:
            raise KeyError(f'hook "{name}" already exists')
        hooks[name] = hook

    def remove_hook(self, name: str) -> None:
        """Remove the hook of that name."""
        try:
            del self._pre_update_hooks[name]
        except KeyError:
            del self._post_update_hooks[name]

    def update(self, param: Variable) -> None:
        """Update ``param`` from its gradient (nothing when disabled or uninitialized)."""
        if not self.enabled:
            return
        self.t += 1
        data = param._data
        if data is None:
            return
        if self._use_fp32_update and data.dtype == numpy.float16:
            self._update_fp32(param)
            return
        state = self._state
        if state is None or state:  # a stateless rule past its first update: nothing to move
            self._prepare(param)
        scale = getattr(param, "_loss_scale", None)
        if scale is not None:
            param._loss_scale = None
            if param.grad is not None:
                param.grad = param.grad / param.grad.dtype.type(scale)
        if self._pre_update_hooks or self._post_update_hooks:
            self._run(param)
        elif type(data) is _ndarray or isinstance(data, _ndarray):
            self.update_core_cpu(param)
        else:
            self.update_core_gpu(param)

    def _update_fp32(self, param: Variable) -> None:
        fp32 = self._fp32_param
        if fp32 is None or fp32._data.shape != param._data.shape or \
                type(fp32._data) is not type(param._data):  # moved to another device
            fp32 = self._fp32_param = Variable(param._data.astype(numpy.float32),
                                               name=param.name)
        g = param.grad
        fp32.grad = None if g is None else g.astype(numpy.float32)
        scale = getattr(param, "_loss_scale", None)
        self._prepare(fp32)
        if scale is not None:
            param._loss_scale = None
            if fp32.grad is not None:
                fp32.grad = fp32.grad / scale
        self._run(fp32)
        param._data[...] = fp32._data.astype(param._data.dtype)

    def _run(self, param: Variable) -> None:
        for hook in self._pre_update_hooks.values():
            hook(self, param)
        self.update_core(param)
        for hook in self._post_update_hooks.values():
            hook(self, param)

    def update_core(self, param: Variable) -> None:
        """Dispatch to ``update_core_cpu`` or ``update_core_gpu`` by the array type."""
        if isinstance(param._data, numpy.ndarray):
            self.update_core_cpu(param)
        else:
            self.update_core_gpu(param)

    def update_core_cpu(self, param: Variable) -> None:
        raise NotImplementedError

    def update_core_gpu(self, param: Variable) -> None:
        raise NotImplementedError

    def init_state(self, param: Variable) -> None:
        """Create the state arrays for ``param`` (none by default)."""

    def _prepare(self, param: Variable) -> None:
        state = self._state
        if state is None:
            self._state = {}
            self.init_state(param)
            return
        if not state or type(param._data) is numpy.ndarray and all(
                type(v) is numpy.ndarray for v in state.values()):
            return
        device = backend.get_device_from_array(param._data)
        for k, v in state.items():
            if v is not None and hasattr(v, "shape") and not device.is_array_supported(v):
                state[k] = device.send(v)

    def serialize(self, serializer: Any) -> None:
        """Save or load ``t`` and the state arrays under Chainer's keys."""
        from kusari.serializer import Deserializer

        self.t = serializer("t", self.t)
        if self._state is None:
            if not isinstance(serializer, Deserializer):
                return
            # find the state's keys by initializing on a dummy parameter
            self._state = {}
            dummy = Variable(numpy.zeros(1, numpy.float32))
            dummy.grad = numpy.zeros(1, numpy.float32)
            self_copy = copy.copy(self)
            self_copy._state = self._state
            self_copy.init_state(dummy)
            for key in list(self._state):
                self._state[key] = serializer(key, None)
            if all(v is None for v in self._state.values()) and self._state:
                self._state = None
        else:
            for key in list(self._state):
                value = serializer(key, self._state[key])
                cur = self._state[key]
                if cur is not None and value is not cur and hasattr(cur, "shape"):
                    backend.copyto(cur, value)
                else:
                    self._state[key] = value

    def use_fp32_update(self, flag: bool = True) -> None:
        """Keep a float32 master copy of float16 parameters and update it instead."""
        self._use_fp32_update = flag


class Optimizer:
    """Base of all optimizers.

    Attributes:
        target: The link being optimized.
        t: Number of updates done.
        epoch: Number of epochs done.
    """

    target: Any = None
    t = 0
    epoch = 0
    use_auto_new_epoch = False
    _loss_scale: float | None = None
    _loss_scaling_is_dynamic = False
    _pre_update_hooks: collections.OrderedDict
    _post_update_hooks: collections.OrderedDict

    def setup(self, link: Any) -> Optimizer:
        """Set the link to optimize.

        Returns:
            ``self``, so ``opt = SGD().setup(model)`` works.

        Raises:
            TypeError: ``link`` is not a Link.
        """
        from kusari.link import Link

        if not isinstance(link, Link):
            raise TypeError(f"optimization target must be a link, got {type(link).__name__}")
        self.target = link
        self.t = 0
        self.epoch = 0
        self._pre_update_hooks = collections.OrderedDict()
        self._post_update_hooks = collections.OrderedDict()
        return self

    def update(self, lossfun: Any = None, *args: Any, **kwds: Any) -> None:
        raise NotImplementedError

    def new_epoch(self, auto: bool = False) -> None:
        """Count an epoch (the standard updater calls this with ``auto=True``).

        Raises:
            RuntimeError: An automatic call where the updater does not manage epochs,
                or a manual one where it does.
        """
        if auto:
            if not self.use_auto_new_epoch:
                raise RuntimeError("invalid new_epoch call with auto=True; fix the updater "
                                   "to set optimizer.use_auto_new_epoch = True")
        elif self.use_auto_new_epoch:
            raise RuntimeError("duplicated new_epoch with the default updater; call "
                               "new_epoch only where the updater does not (auto_new_epoch)")
        self.epoch += 1

    def _hooks(self) -> tuple:
        if not hasattr(self, "_pre_update_hooks"):
            self._pre_update_hooks = collections.OrderedDict()
            self._post_update_hooks = collections.OrderedDict()
        return self._pre_update_hooks, self._post_update_hooks

    def add_hook(self, hook: Any, name: str | None = None, timing: str = "auto") -> None:
        """Register an optimizer hook ``hook(optimizer)``.

        Args:
            hook: A callable; its ``timing`` attribute decides when ``timing='auto'``.
            name: Its name (``hook.name`` by default).
            timing: ``'pre'``, ``'post'`` or ``'auto'``.

        Raises:
            TypeError: ``hook`` is not callable.
            ValueError: Invalid timing.
            KeyError: A hook of that name exists.
        """
        if not callable(hook):
            raise TypeError("hook function is not callable")
        if timing not in ("pre", "post", "auto"):
            raise ValueError(f"timing must be one of ('pre', 'post', 'auto'), got {timing!r}")
        if timing == "auto":
            timing = getattr(hook, "timing", "pre")
            if timing not in ("pre", "post"):
                raise ValueError(f"invalid timing of the hook: {timing!r}")
        if name is None:
            name = getattr(hook, "name", None) or getattr(hook, "__name__", None)
        if name is None:
            raise ValueError("the name of the hook function is not specified")
        pre, post = self._hooks()
        if name in pre or name in post:
            raise KeyError(f'hook "{name}" already exists')
        (pre if timing == "pre" else post)[name] = hook

    def remove_hook(self, name: str) -> None:
        """Remove the hook of that name."""
        pre, post = self._hooks()
        if name in pre:
            del pre[name]
        else:
            del post[name]

    def call_hooks(self, timing: str = "pre") -> None:
        """Run the hooks registered for ``timing``."""
        pre, post = self._hooks()
        for hook in list((pre if timing == "pre" else post).values()):
            hook(self)

    def serialize(self, serializer: Any) -> None:
        """Save or load ``t``, ``epoch`` and every update rule's state."""
        self.t = serializer("t", self.t)
        self.epoch = serializer("epoch", self.epoch)
        for name, param in self.target.namedparams():
            rule = getattr(param, "update_rule", None)
            if rule is not None:
                rule.serialize(serializer[name[1:]])

    # -- loss scaling (mixed precision) -----------------------------------------------
    def set_loss_scale(self, loss_scale: float | None) -> None:
        """Use a fixed loss scale."""
        self._loss_scale = loss_scale
        self._loss_scaling_is_dynamic = False

    def loss_scaling(self, interval: int = 1000, scale: float | None = None) -> None:
        """Enable dynamic loss scaling: halve on overflow, double after ``interval`` steps."""
        self._loss_scaling_is_dynamic = True
        self._loss_scale = 1.0 if scale is None else scale
        self._loss_scaling_interval = interval
        self._loss_scaling_multiplier = 2.0
        self._loss_scale_max = 65504.0
        self._n_good_steps = 0

    def is_safe_to_update(self) -> bool:
        """False when dynamic loss scaling found a non-finite gradient."""
        if not self._loss_scaling_is_dynamic:
            return True
        grads = [p.grad for p in self.target.params(False) if p.grad is not None]
        if not grads:
            return True
        xp = backend.get_array_module(grads[0])
        # one reduction and one host read for the whole model
        return bool(xp.stack([xp.isfinite(g).all() for g in grads]).all())

    def update_loss_scale(self, safe: bool) -> None:
        if not self._loss_scaling_is_dynamic:
            return
        if not safe:
            self._loss_scale = max(self._loss_scale / self._loss_scaling_multiplier, 1.0)
            self._n_good_steps = 0
            return
        self._n_good_steps += 1
        if self._n_good_steps % self._loss_scaling_interval == 0:
            self._loss_scale = min(self._loss_scale * self._loss_scaling_multiplier,
                                   self._loss_scale_max)


class GradientMethod(Optimizer):
    """An optimizer that updates each parameter from its gradient with an UpdateRule.

    Subclasses implement :meth:`create_update_rule`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.hyperparam = Hyperparameter()
        self._use_fp32_update = False

    def setup(self, link: Any) -> GradientMethod:
        super().setup(link)
        for param in link.params():
            param.update_rule = self.create_update_rule()
            if self._use_fp32_update:
                param.update_rule.use_fp32_update()
        return self

    def reallocate_cleared_grads(self, params: list | None = None) -> None:
        """Give parameters whose gradient is None a zero gradient (as Chainer does)."""
        for param in self.target.params(False) if params is None else params:
            if param._grad_var is None:
                param.zerograd()

    def call_hooks(self, timing: str = "pre") -> None:
        pre, post = self._hooks()
        hooks = pre if timing == "pre" else post
        if not hooks:
            return
        for hook in list(hooks.values()):
            if getattr(hook, "call_for_each_param", False):
                for param in self.target.params():
                    hook(param.update_rule, param)
            else:
                hook(self)
            self.reallocate_cleared_grads()

    def update(self, lossfun: Any = None, *args: Any, **kwds: Any) -> None:
        """Update every parameter.

        Args:
            lossfun: When given, ``lossfun(*args, **kwds)`` is called to get a loss; the
                gradients are cleared, the loss backpropagated, then the update done.
        """
        if lossfun is not None:
            loss = lossfun(*args, **kwds)
            if getattr(self, "_use_cleargrads", True):
                self.target.cleargrads()
            else:
                self.target.zerograds()
            loss.backward(loss_scale=self._loss_scale)
            del loss
        params = [p for p in self.target._all_params() if p._data is not None]
        self.reallocate_cleared_grads(params)
        pre, post = self._hooks()
        if pre:
            self.call_hooks("pre")
        safe = self.is_safe_to_update()
        self.t += 1
        if safe:
            for param in params:
                rule = param.update_rule
                if rule is not None:
                    rule.update(param)
        if post:
            self.reallocate_cleared_grads(params)
            self.call_hooks("post")
        self.update_loss_scale(safe)

    def use_cleargrads(self, use: bool = True) -> None:
        """Clear gradients (rather than zero them) before backward in ``update``."""
        self._use_cleargrads = use

    def use_fp32_update(self, flag: bool = True) -> None:
        """Update float16 parameters through float32 master copies."""
        self._use_fp32_update = flag
        if self.target is not None:
            for p in self.target.params():
                if p.update_rule is not None:
                    p.update_rule.use_fp32_update(flag)

    def create_update_rule(self) -> UpdateRule:
        raise NotImplementedError


