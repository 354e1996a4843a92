"""MkDocs hook: generate the API reference pages from the packages' public names.

Each page lists, section by section, the public names of a kusari package (its
``__all__``, else the classes and functions it defines or re-exports) and renders
each with mkdocstrings at the object's defining path. Rendering the defining path
(``kusari.functions.activation.relu.relu``) rather than the re-export avoids the
ambiguity of a package whose submodule and function share a name. The pages are
generated at build time, so a function added to a package appears without editing
the docs.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(_ROOT / "src"))

# page -> (title, introduction, [(section title or None, module name), ...])
# A module name ending in ".*" expands to its public subpackages, one section each.
PAGES: dict[str, tuple[str, str, list[tuple[str | None, str]]]] = {
    "api/kusari.md": (
        "kusari",
        "The top-level names: variables, function nodes, links and configuration.",
        [(None, "kusari")],
    ),
    "api/functions.md": (
        "kusari.functions",
        "Differentiable functions (`import kusari.functions as F`), by category.",
        [(None, "kusari.functions.*")],
    ),
    "api/links.md": (
        "kusari.links",
        "Links: layers with parameters (`import kusari.links as L`), by category.",
        [(None, "kusari.links.*"), ("Sequential", "kusari.sequential")],
    ),
    "api/optimizers.md": (
        "kusari.optimizers",
        "Optimizers and their base classes.",
        [("Optimizers", "kusari.optimizers"), ("Base classes", "kusari.optimizer")],
    ),
    "api/optimizer_hooks.md": (
        "kusari.optimizer_hooks",
        "Hooks an optimizer runs on the gradients before each update.",
        [(None, "kusari.optimizer_hooks")],
    ),
    "api/initializers.md": (
        "kusari.initializers",
        "Parameter initializers.",
        [(None, "kusari.initializers")],
    ),
    "api/training.md": (
        "kusari.training",
        "The training loop: trainer, updaters and extension base classes.",
        [("Trainer and extensions", "kusari.training"), ("Updaters", "kusari.training.updaters")],
    ),
    "api/extensions.md": (
        "kusari.training.extensions",
        "Trainer extensions: reports, plots, snapshots, evaluation, schedules.",
        [(None, "kusari.training.extensions")],
    ),
    "api/triggers.md": (
        "kusari.training.triggers",
        "Triggers decide when an extension runs or when training stops.",
        [(None, "kusari.training.triggers")],
    ),
    "api/datasets.md": (
        "kusari.datasets",
        "Dataset containers, splits, transforms and getters; the dataset base classes.",
        [("kusari.datasets", "kusari.datasets"), ("kusari.dataset", "kusari.dataset")],
    ),
    "api/iterators.md": (
        "kusari.iterators",
        "Iterators over datasets, yielding minibatches.",
        [(None, "kusari.iterators")],
    ),
    "api/serializers.md": (
        "kusari.serializers",
        "Saving and loading links, optimizers and trainers.",
        [(None, "kusari.serializers"), ("Base classes", "kusari.serializer")],
    ),
    "api/reporter.md": (
        "kusari.reporter",
        "Reporting observed values and summarizing them.",
        [(None, "kusari.reporter")],
    ),
    "api/backend.md": (
        "kusari.backend",
        "Devices and array modules (NumPy, CuPy).",
        [(None, "kusari.backend"), ("kusari.backends.cuda", "kusari.backends.cuda")],
    ),
    "api/gradient_check.md": (
        "kusari.gradient_check",
        "Numerical gradient checks for functions and links.",
        [(None, "kusari.gradient_check")],
    ),
    "api/testing.md": (
        "kusari.testing",
        "Helpers for testing functions and links.",
        [(None, "kusari.testing")],
    ),
}


# Objects whose docstrings griffe cannot fully parse (reported to their owners); they
# are rendered with griffe's docstring warnings off, so the strict build passes.
QUIET_DOCSTRINGS: set[str] = set()  # objects whose docstrings griffe cannot parse
_QUIET_OPTIONS = (
    "      docstring_options:\n"
    "        ignore_init_summary: true\n"
    "        warn_unknown_params: false\n"
    "        warn_missing_types: false\n"
    "        warnings: false\n"
)


def _public_names(module: Any) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", "").startswith(module.__name__)
    )


def _subpackages(name: str) -> list[str]:
    package = importlib.import_module(name)
    return [
        f"{name}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if info.ispkg and not info.name.startswith("_")
    ]


def _first_line(module: Any) -> str:
    doc = inspect.getdoc(module) or ""
    return doc.split("\n\n")[0].replace("\n", " ")


def _entries(module_name: str, seen: set[str], level: int) -> list[str]:
    """The ``::: path`` blocks for the public classes and functions of a module.

    An object already in ``seen`` (rendered on an earlier page or section) is
    skipped, so every object has one home in the reference.
    """
    module = importlib.import_module(module_name)
    blocks: list[str] = []
    for name in _public_names(module):
        value = getattr(module, name, None)
        if not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        path = f"{value.__module__}.{value.__qualname__}"
        if path in seen:
            continue
        seen.add(path)
        options = f"      heading_level: {level}\n"
        if path in QUIET_DOCSTRINGS:
            options += _QUIET_OPTIONS
        blocks.append(f"::: {path}\n    options:\n{options}")
    return blocks


def _section(title: str | None, module_name: str, seen: set[str]) -> list[str]:
    """A section of a page: a heading, the module's summary line and its entries.

    With ``title`` None the entries are rendered at the page's top level, without
    a heading of their own.
    """
    module = importlib.import_module(module_name)
    entries = _entries(module_name, seen, 3 if title else 2)
    if not entries:
        return []
    if title is None:
        return entries
    return [f"## {title}\n", _first_line(module) + "\n", *entries]


def page_markdown(path: str, seen: set[str]) -> str:
    """The Markdown source of one generated API page."""
    title, intro, sections = PAGES[path]
    parts = [f"# {title}\n", intro + "\n"]
    for section_title, module_name in sections:
        if module_name.endswith(".*"):
            for sub in _subpackages(module_name[:-2]):
                heading = sub.rsplit(".", 1)[-1].replace("_", " ").capitalize()
                parts += _section(heading, sub, seen)
        else:
            parts += _section(section_title, module_name, seen)
    return "\n".join(parts)


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    seen: set[str] = set()
    for path in PAGES:
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=page_markdown(path, seen)))
    return files
