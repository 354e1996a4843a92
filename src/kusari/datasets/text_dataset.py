"""TextDataset: the lines of text files, read lazily.

Example:
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / 'a.txt'
    >>> _ = p.write_text('hello\\nworld\\n')
    >>> ds = TextDataset(str(p))
    >>> len(ds), ds[1]
    (2, 'world\\n')
    >>> ds.close()
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from kusari.dataset import dataset_mixin


class TextDataset(dataset_mixin.DatasetMixin):
    """Dataset of the lines of one file, or of parallel lines of several files.

    Only the line offsets are kept in memory; each access seeks and reads one
    line. Files are reopened after a fork, so the dataset works with
    :class:`~kusari.iterators.MultiprocessIterator`.

    Args:
        paths: A path, or a list of paths with the same number of lines (then each
            example is a tuple with one line per file).
        encoding: Text encoding (as :func:`open`); one per file or shared.
        errors: Decoding error handling (as :func:`open`); one per file or shared.
        newline: Newline handling (as :func:`open`); one per file or shared.
        filter_func: If given, only examples where ``filter_func(*lines)`` is true
            are kept.

    Raises:
        ValueError: The files have different numbers of lines.

    Example:
        >>> ds = TextDataset(['en.txt', 'ja.txt'])  # doctest: +SKIP
        >>> ds[0]  # doctest: +SKIP
        ('Hello\\n', 'こんにちは\\n')
    """

    def __init__(
        self,
        paths: str | os.PathLike | Sequence[str | os.PathLike],
        encoding: str | Sequence[str] | None = None,
        errors: str | Sequence[str] | None = None,
        newline: str | Sequence[str] | None = None,
        filter_func: Callable[..., bool] | None = None,
    ) -> None:
        self._single = isinstance(paths, (str, os.PathLike))
        self._paths = [os.fspath(paths)] if self._single else [os.fspath(p) for p in paths]
        n = len(self._paths)
        self._options = [
            {
                "encoding": _per_file(encoding, n, k),
                "errors": _per_file(errors, n, k),
                "newline": _per_file(newline, n, k),
            }
            for k in range(n)
        ]
        self._files: list[Any] = []
        self._pid: int | None = None
        offsets = [self._line_offsets(k) for k in range(n)]
        for k in range(1, n):
            if len(offsets[k]) != len(offsets[0]):
                raise ValueError(
                    f"TextDataset: {self._paths[k]} has {len(offsets[k])} lines, but "
                    f"{self._paths[0]} has {len(offsets[0])}"
                )
        rows = list(zip(*offsets))
        if filter_func is not None:
            rows = [row for row in rows if filter_func(*self._read_row(row))]
        self._rows = rows

    def _line_offsets(self, k: int) -> list[int]:
        offsets = []
        with open(self._paths[k], **self._options[k]) as f:
            while True:
                pos = f.tell()
                if not f.readline():
                    break
                offsets.append(pos)
        return offsets

    def _open(self) -> list[Any]:
        if self._pid != os.getpid():
            self._files = [
                open(p, **opt)  # kept open across accesses
                for p, opt in zip(self._paths, self._options)
            ]
            self._pid = os.getpid()
        return self._files

    def _read_row(self, row: Sequence[int]) -> tuple[str, ...]:
        lines = []
        for f, pos in zip(self._open(), row):
            f.seek(pos)
            lines.append(f.readline())
        return tuple(lines)

    def __len__(self) -> int:
        return len(self._rows)

    def get_example(self, i: int) -> str | tuple[str, ...]:
        """The ``i``-th line, or tuple of lines for several files."""
        lines = self._read_row(self._rows[i])
        return lines[0] if self._single else lines

    def close(self) -> None:
        """Close the files opened by this process (they reopen on the next access)."""
        for f in self._files:
            f.close()
        self._files = []
        self._pid = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_files"] = []
        state["_pid"] = None
        return state

    def __del__(self) -> None:
        if getattr(self, "_pid", None) == os.getpid():
            self.close()


def _per_file(value: Any, n: int, k: int) -> Any:
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"TextDataset: expected {n} options, one per file, got {len(value)}")
        return value[k]
    return value
