"""Griffe extension: adapt kusari's docstrings to Markdown rendering.

- Griffe's Google-style parser knows the plural ``Examples:``; the singular, which
  kusari's docstrings use, would be rendered as an admonition of plain Markdown,
  where doctest output such as ``['/', '/l1']`` reads as a reference link. Renaming
  the section title makes the doctests render as code.
- Sphinx roles (``:class:`Link```, ``:math:`f(x)```) would show literally; they
  become inline code.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)
_ROLE = re.compile(
    r":(?:py:)?(?:func|class|meth|mod|attr|data|obj|exc|const|math|ref|doc)"
    r":`~?([^`]+)`"
)


class ExampleSections(griffe.Extension):
    """Rewrite ``Example:`` section titles and Sphinx roles on every object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            value = _EXAMPLE.sub(r"\1Examples:", obj.docstring.value)
            obj.docstring.value = _ROLE.sub(r"`\1`", value)
