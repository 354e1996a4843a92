"""Shared plumbing of per-parameter optimizer hooks."""

from __future__ import annotations

from typing import Any


class _ParamHook:
    """A hook applied to each parameter: ``hook(update_rule, param)``.

    Called with an optimizer alone (``hook(optimizer)``, as an optimizer that does not
    know ``call_for_each_param`` would), it visits ``optimizer.target.params()`` itself.
    Subclasses implement ``_apply(rule, param)``.
    """

    name = "ParamHook"
    call_for_each_param = True
    timing = "pre"

    def __call__(self, rule: Any, param: Any = None) -> None:
        if param is None and hasattr(rule, "target"):
            for p in rule.target.params():
                self._apply(p.update_rule, p)
            return
        self._apply(rule, param)

    def _apply(self, rule: Any, param: Any) -> None:
        raise NotImplementedError
