"""Links: building blocks that own parameters. ``Chain`` and ``ChainList`` compose them.

Parameters and child links are registered by assignment inside ``init_scope()``;
traversal (``params``, ``namedparams``, ``links``) visits names in sorted order, as
Chainer does, so serialized keys match.

Example:
    >>> import kusari, kusari.links as L
    >>> class MLP(kusari.Chain):
    ...     def __init__(self):
    ...         super().__init__()
    ...         with self.init_scope():
    ...             self.l1 = L.Linear(3, 4)
    ...             self.l2 = L.Linear(4, 2)
    ...     def forward(self, x):
    ...         return self.l2(kusari.functions.relu(self.l1(x)))
    >>> [name for name, _ in MLP().namedparams()]
    ['/l1/W', '/l1/b', '/l2/W', '/l2/b']
"""

from __future__ import annotations

import collections
import contextlib
import copy as _copy
import warnings
from collections.abc import Iterator
from typing import Any

import numpy

from kusari import backend, initializers, link_hook
from kusari.backend import DeviceResident
from kusari.variable import Parameter

_CPU = backend.CpuDevice()
_link_hooks_registered = link_hook._registered


# Replaced (never mutated) whenever any link gains, loses or swaps a parameter or a child
# link. A link's cached parameter tuple is valid while it holds the token it was built
# under, so a change anywhere in a tree (or between trees sharing links) invalidates it.
_structure_token = object()


def _structure_changed() -> None:
    global _structure_token
    _structure_token = object()


def _is_array(x: Any) -> bool:
    return isinstance(x, backend.get_array_types())


class Link(DeviceResident):
    """A building block with parameters and persistent values.

    Args:
        **params: Deprecated Chainer style: ``name=shape`` (or ``(shape, dtype)``)
            adds an uninitialized-by-NaN parameter of that shape.
    """

    _device = _CPU

    def __init__(self, **params: Any) -> None:
        object.__setattr__(self, "_within_init_scope", False)
        self._params: set = set()
        self._persistent: set = set()
        self.name: str | None = None
        for name, value in params.items():
            if isinstance(value, tuple) and len(value) == 2 and not isinstance(value[0], int):
                shape, dtype = value
            else:
                shape, dtype = value, numpy.float32
            self.add_param(name, shape, dtype=dtype)

    # -- registration ---------------------------------------------------------------
    @property
    def within_init_scope(self) -> bool:
        """True inside :meth:`init_scope`."""
        return getattr(self, "_within_init_scope", False)

    @contextlib.contextmanager
    def init_scope(self) -> Iterator[None]:
        """Register Parameters (and, in a Chain, Links) assigned inside this block."""
        old = self.within_init_scope
        object.__setattr__(self, "_within_init_scope", True)
        try:
            yield
        finally:
            object.__setattr__(self, "_within_init_scope", old)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Parameter):
            value.name = name
            if self._device is not _CPU:
                value.to_device(self._device)
            self._params.add(name)
            self._persistent.discard(name)
            self.__dict__["_param_order"] = None
            _structure_changed()
        elif name in self.__dict__.get("_params", ()):  # a registered parameter swapped
            _structure_changed()
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._params.discard(name)
        self.__dict__["_param_order"] = None
        self._persistent.discard(name)
        _structure_changed()
        object.__delattr__(self, name)

    def add_param(
        self, name: str, shape: Any = None, dtype: Any = numpy.float32, initializer: Any = None
    ) -> None:
        """Register a new parameter.

        Args:
            name: Attribute name.
            shape: Shape, or None to initialize lazily.
            dtype: Dtype used when ``initializer`` is None (NaN-filled).
            initializer: An initializer, scalar or array.

        Raises:
            AttributeError: The name is already taken.
        """
        if name in self.__dict__:
            raise AttributeError(f"cannot register a new parameter {name}: attribute exists")
        if initializer is None:
            initializer = initializers.NaN(dtype)
        param = Parameter(initializer, shape)
        with self.init_scope():
            setattr(self, name, param)

    def add_persistent(self, name: str, value: Any) -> None:
        """Register a persistent value (array or scalar saved by ``serialize``).

        Raises:
            AttributeError: The name is already taken.
        """
        d = self.__dict__
        if name in d:
            raise AttributeError(f"cannot register a new persistent value {name}: "
                                 "attribute exists")
        self._persistent.add(name)
        self._params.discard(name)
        d["_param_order"] = None
        _structure_changed()
        d[name] = value

    def register_persistent(self, name: str) -> None:
        """Mark an existing attribute as persistent.

        Raises:
            AttributeError: There is no such attribute.
        """
        if not hasattr(self, name):
            raise AttributeError(f"cannot register non-existent attribute {name} as persistent")
        self._persistent.add(name)
        self._params.discard(name)
        self.__dict__["_param_order"] = None
        _structure_changed()

    # -- traversal -----------------------------------------------------------------------
    def _param_names(self) -> tuple:
        """The parameter names in order (sorted once per change, not per call)."""
        d = self.__dict__
        names = d.get("_param_order")
        if names is None:
            names = d["_param_order"] = tuple(sorted(self._params))
        return names

    def _all_params(self) -> tuple:
        """Every parameter, in :meth:`params` order; cached until any link's structure
        changes (not cached where a link in the tree overrides ``params``)."""
        d = self.__dict__
        c = d.get("_params_cache")
        if c is not None and c[0] is _structure_token:
            return c[1]
        token = _structure_token
        ps = tuple(self.params())
        if all(type(link).params in _OWN_PARAMS for link in self.links()):
            d["_params_cache"] = (token, ps)
        return ps

    def params(self, include_uninit: bool = True) -> Iterator[Parameter]:
        """Yield this link's parameters (and its children's, in a Chain)."""
        d = self.__dict__
        for name in self._param_names():
            p = d[name]
            if include_uninit or p._data is not None:
                yield p

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Yield ``('/path/name', parameter)`` pairs."""
        d = self.__dict__
        for name in self._param_names():
            p = d[name]
            if include_uninit or p._data is not None:
                yield "/" + name, p

    def links(self, skipself: bool = False) -> Iterator[Link]:
        """Yield this link and all its descendants."""
        if not skipself:
            yield self

    def namedlinks(self, skipself: bool = False) -> Iterator[tuple[str, Link]]:
        """Yield ``('/path', link)`` pairs for this link and its descendants."""
        if not skipself:
            yield "/", self

    def children(self) -> Iterator[Link]:
        """Yield the direct child links."""
        return iter(())

    def count_params(self) -> int:
        """The number of parameter elements (uninitialized ones are skipped with a warning)."""
        size = 0
        for name, p in self.namedparams():
            if p._data is None:
                warnings.warn(f"Parameter '{name}' has not been initialized, so the resulting "
                              "count will not include the number of parameters in it.",
                              stacklevel=2)
                continue
            size += p.size
        return size

    # -- gradients ------------------------------------------------------------------------
    def cleargrads(self) -> None:
        """Set every parameter's gradient to None."""
        for p in self._all_params():
            p.cleargrad()

    def zerograds(self) -> None:
        """Set every parameter's gradient to zeros."""
        for p in self.params():
            p.zerograd()

    def addgrads(self, link: Link) -> None:
        """Add the gradients of a link of the same structure to this one's."""
        src = dict(link.namedparams())
        for name, dst in self.namedparams():
            dst.addgrad(src[name])

    def copyparams(self, link: Link, copy_persistent: bool = True) -> None:
        """Copy parameter values (and persistents) from a link of the same structure."""
        src = dict(link.namedparams())
        for name, dst in self.namedparams():
            dst.copydata(src[name])
        if copy_persistent:
            src_links = dict(link.namedlinks())
            for path, dst_link in self.namedlinks():
                s = src_links[path]
                for pname in dst_link._persistent:
                    value = s.__dict__[pname]
                    cur = dst_link.__dict__[pname]
                    if _is_array(cur) and _is_array(value):
                        backend.copyto(cur, value)
                    else:
                        dst_link.__dict__[pname] = _copy.deepcopy(value)

    def enable_update(self) -> None:
        """Let optimizers update every parameter."""
        for p in self.params():
            rule = p.update_rule
            if rule is not None:
                rule.enabled = True

    def disable_update(self) -> None:
        """Freeze every parameter (optimizers skip them)."""
        for p in self.params():
            rule = p.update_rule
            if rule is not None:
                rule.enabled = False

    @property
    def update_enabled(self) -> bool:
        """True if any parameter is updated by its optimizer."""
        for p in self.params():
            rule = p.update_rule
            if rule is not None and rule.enabled:
                return True
        return False

    # -- copies ----------------------------------------------------------------------------
    def copy(self, mode: str = "share") -> Link:
        """Copy this link.

        Args:
            mode: ``'share'`` (new Parameter objects sharing the arrays), ``'copy'``
                (deep copy of the arrays) or ``'init'`` (deep copy, then re-initialized).

        Raises:
            ValueError: Unknown ``mode``.
        """
        if mode == "share":
            ret = _copy.copy(self)
            object.__setattr__(ret, "_params", set(self._params))
            object.__setattr__(ret, "_param_order", None)
            object.__setattr__(ret, "_persistent", set(self._persistent))
            object.__setattr__(ret, "name", None)
            d = ret.__dict__
            for name in ret._params:
                p = _copy.copy(d[name])
                p.cleargrad()
                d[name] = p
            _structure_changed()
            return ret
        if mode == "copy":
            return _copy.deepcopy(self)
        if mode == "init":
            ret = _copy.deepcopy(self)
            for p in ret.params(include_uninit=False):
                p.initialize(p.shape)
            return ret
        raise ValueError(f"copy: mode must be 'share', 'copy' or 'init', got {mode!r}")

    def repeat(self, n_repeat: int, mode: str = "init") -> Any:
        """A :class:`~kusari.Sequential` of ``n_repeat`` copies of this link."""
        from kusari.sequential import Sequential

        if n_repeat <= 0:
            return Sequential()
        return Sequential(*[self.copy(mode) for _ in range(n_repeat)])

    # -- devices -----------------------------------------------------------------------------
    def _device_residents(self) -> Iterator[Any]:
        return self.links()

    def _device_to(self, device: Any) -> None:
        d = self.__dict__
        for name in self._params:
            d[name].to_device(device)
        for name in self._persistent:
            v = d[name]
            if _is_array(v):
                d[name] = device.send(v)
        object.__setattr__(self, "_device", device)

    # -- serialization --------------------------------------------------------------------------
    def serialize(self, serializer: Any) -> None:
        """Save or load parameters and persistents through a serializer."""
        d = self.__dict__
        for name in self._param_names():
            param = d[name]
            data = serializer(name, param.array)
            if param.array is None and data is not None:
                param.initialize(data.shape)
                backend.copyto(param.array, data)
        for name in sorted(self._persistent):
            d[name] = serializer(name, d[name])

    # -- calling ---------------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _link_hooks_registered[0]:
            hooks = link_hook._hooks_of(self)
            if hooks:
                return self._call_with_hooks(hooks, args, kwargs)
        return self.forward(*args, **kwargs)

    def _call_with_hooks(self, hooks: list, args: tuple, kwargs: dict) -> Any:
        pre = link_hook._ForwardPreprocessCallbackArgs(self, "forward", args, kwargs)
        for hook in hooks:
            hook.forward_preprocess(pre)
        out = self.forward(*args, **kwargs)
        post = link_hook._ForwardPostprocessCallbackArgs(self, "forward", args, kwargs, out)
        for hook in hooks:
            hook.forward_postprocess(post)
        return out

    # -- hooks ------------------------------------------------------------------------------------
    @property
    def local_link_hooks(self) -> collections.OrderedDict:
        """The hooks registered to this link only (:meth:`add_hook`), by name."""
        d = self.__dict__
        hooks = d.get("_local_link_hooks")
        if hooks is None:
            hooks = d["_local_link_hooks"] = collections.OrderedDict()
        return hooks

    def add_hook(self, hook: Any, name: str | None = None) -> Link:
        """Register ``hook`` for this link only.

        Args:
            hook: A :class:`~kusari.LinkHook`.
            name: Its key; ``hook.name`` by default.

        Returns:
            This link.

        Raises:
            TypeError: ``hook`` is not a LinkHook.
            KeyError: A hook of that name is registered to this link.
        """
        link_hook._registry.add_local(self.local_link_hooks, hook, name, self,
                                      link_hook.LinkHook)
        return self

    def delete_hook(self, name: str) -> None:
        """Unregister this link's hook ``name``.

        Raises:
            KeyError: No hook of that name is registered to this link.
        """
        link_hook._registry.delete_local(self.local_link_hooks, name, self)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not implement forward")

    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        """Yield ``(name, value)`` pairs shown in ``repr``."""
        return iter(())

    def __repr__(self) -> str:
        specs = ", ".join(f"{k}={v}" for k, v in self.printable_specs())
        return f"{type(self).__name__}({specs})"


class Chain(Link):
    """A link made of named child links.

    Args:
        **links: Child links (the old constructor style the tutorial uses).

    Example:
        >>> import kusari.links as L
        >>> c = Chain(l1=L.Linear(2, 3))
        >>> [n for n, _ in c.namedlinks()]
        ['/', '/l1']
    """

    def __init__(self, **links: Any) -> None:
        super().__init__()
        self._children: set = set()
        for name, link in links.items():
            self.add_link(name, link)

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Link):
            if hasattr(self, name) and name not in self._children:
                raise AttributeError(f"cannot register a new link {name}: attribute exists")
            value.name = name
            if self._device is not _CPU and value._device != self._device:
                value.to_device(self._device)
            self._children.add(name)
            _structure_changed()
        elif name in self.__dict__.get("_children", ()):  # a registered child swapped
            _structure_changed()
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._children.discard(name)
        super().__delattr__(name)

    def add_link(self, name: str, link: Link) -> None:
        """Register a child link.

        Raises:
            TypeError: ``link`` is not a Link.
            AttributeError: The name is already taken.
        """
        if name in self.__dict__:
            raise AttributeError(f"cannot register a new link {name}: attribute exists")
        if not isinstance(link, Link):
            raise TypeError(f"add_link: cannot register a non-link object {type(link).__name__}"
                            " as a child")
        with self.init_scope():
            setattr(self, name, link)

    def copy(self, mode: str = "share") -> Chain:
        ret = super().copy(mode)
        if mode != "share":
            return ret  # deep copies already copied the children
        object.__setattr__(ret, "_children", set(ret._children))
        d = ret.__dict__
        for name in ret._children:
            c = d[name].copy(mode)
            c.name = name
            d[name] = c
        _structure_changed()
        return ret

    def params(self, include_uninit: bool = True) -> Iterator[Parameter]:
        yield from super().params(include_uninit)
        d = self.__dict__
        for name in sorted(self._children):
            yield from d[name].params(include_uninit)

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        yield from super().namedparams(include_uninit)
        d = self.__dict__
        for name in sorted(self._children):
            prefix = "/" + name
            for path, p in d[name].namedparams(include_uninit):
                yield prefix + path, p

    def links(self, skipself: bool = False) -> Iterator[Link]:
        if not skipself:
            yield self
        d = self.__dict__
        for name in sorted(self._children):
            yield from d[name].links()

    def namedlinks(self, skipself: bool = False) -> Iterator[tuple[str, Link]]:
        if not skipself:
            yield "/", self
        d = self.__dict__
        for name in sorted(self._children):
            child = d[name]
            prefix = "/" + name
            yield prefix, child
            for path, link in child.namedlinks(True):
                yield prefix + path, link

    def children(self) -> Iterator[Link]:
        d = self.__dict__
        for name in sorted(self._children):
            yield d[name]

    def serialize(self, serializer: Any) -> None:
        super().serialize(serializer)
        d = self.__dict__
        for name in sorted(self._children):
            d[name].serialize(serializer[name])

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}("]
        for name in sorted(self._children):
            child = repr(self.__dict__[name]).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child},")
        lines.append(")")
        return "\n".join(lines) if self._children else f"{type(self).__name__}()"


class ChainList(Link):
    """A link made of an ordered list of child links, named ``'0'``, ``'1'``, ...

    Example:
        >>> import kusari.links as L
        >>> cl = ChainList(L.Linear(2, 2), L.Linear(2, 1))
        >>> [n for n, _ in cl.namedparams()]
        ['/0/W', '/0/b', '/1/W', '/1/b']
    """

    def __init__(self, *links: Link) -> None:
        super().__init__()
        self._children: list = []
        for link in links:
            self.add_link(link)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Link):
            raise TypeError("cannot register a new link within a \"with chainlist.init_scope():\""
                            " block; use ChainList.add_link")
        super().__setattr__(name, value)

    def __getitem__(self, index: Any) -> Any:
        return self._children[index]

    def __iter__(self) -> Iterator[Link]:
        return iter(self._children)

    def __len__(self) -> int:
        return len(self._children)

    def append(self, link: Link) -> None:
        """Add a child link at the end."""
        self.add_link(link)

    def add_link(self, link: Link) -> None:
        """Add a child link at the end.

        Raises:
            TypeError: ``link`` is not a Link.
        """
        if not isinstance(link, Link):
            raise TypeError(f"add_link: cannot register a non-link object {type(link).__name__}")
        link.name = str(len(self._children))
        if self._device is not _CPU:
            link.to_device(self._device)
        self._children.append(link)
        _structure_changed()

    def copy(self, mode: str = "share") -> ChainList:
        ret = super().copy(mode)
        if mode != "share":
            return ret
        object.__setattr__(ret, "_children", [c.copy(mode) for c in self._children])
        for i, c in enumerate(ret._children):
            c.name = str(i)
        _structure_changed()
        return ret

    def params(self, include_uninit: bool = True) -> Iterator[Parameter]:
        yield from super().params(include_uninit)
        for link in self._children:
            yield from link.params(include_uninit)

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        yield from super().namedparams(include_uninit)
        for i, link in enumerate(self._children):
            prefix = f"/{i}"
            for path, p in link.namedparams(include_uninit):
                yield prefix + path, p

    def links(self, skipself: bool = False) -> Iterator[Link]:
        if not skipself:
            yield self
        for child in self._children:
            yield from child.links()

    def namedlinks(self, skipself: bool = False) -> Iterator[tuple[str, Link]]:
        if not skipself:
            yield "/", self
        for i, child in enumerate(self._children):
            prefix = f"/{i}"
            yield prefix, child
            for path, link in child.namedlinks(True):
                yield prefix + path, link

    def children(self) -> Iterator[Link]:
        yield from self._children

    def serialize(self, serializer: Any) -> None:
        super().serialize(serializer)
        for i, child in enumerate(self._children):
            child.serialize(serializer[str(i)])

    def __repr__(self) -> str:
        if not self._children:
            return f"{type(self).__name__}()"
        lines = [f"{type(self).__name__}("]
        for i, c in enumerate(self._children):
            lines.append(f"  ({i}): " + repr(c).replace("\n", "\n  ") + ",")
        lines.append(")")
        return "\n".join(lines)


#: The ``params`` implementations whose result depends only on registered structure.
_OWN_PARAMS = (Link.params, Chain.params, ChainList.params)
