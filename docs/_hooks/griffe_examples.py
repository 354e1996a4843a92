"""Griffe extension: read kusari's ``Example:`` docstring sections as examples.

Griffe's Google-style parser knows the plural ``Examples:``; the singular, which
kusari's docstrings use, would be rendered as an admonition of plain Markdown, where
doctest output such as ``['/', '/l1']`` reads as a reference link. Renaming the
section title makes the doctests render as code.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Rewrite ``Example:`` section titles to ``Examples:`` on every object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _EXAMPLE.sub(r"\1Examples:", obj.docstring.value)
