"""Hierarchical softmax over a binary tree: :class:`BinaryHierarchicalSoftmax`."""

from __future__ import annotations

import heapq
from typing import Any

import numpy

import kusari
from kusari import functions as F
from kusari import initializers, variable
from kusari.link import Link
from kusari.utils import type_check


class TreeParser:
    """Numbers the internal nodes of a binary tree and records each leaf's path.

    Internal nodes (2-tuples) are numbered in pre-order from 0; the code of a step is
    ``+1`` into the left child and ``-1`` into the right one.

    Args:
        dtype: Dtype of the codes.
    """

    def __init__(self, dtype: Any) -> None:
        self.dtype = dtype
        self.next_id = 0
        self.paths: dict = {}
        self.codes: dict = {}

    def size(self) -> int:
        """The number of internal nodes found by the last :meth:`parse`."""
        return self.next_id

    def get_paths(self) -> dict:
        """``{leaf: int32 array of the internal nodes from the root}``."""
        return self.paths

    def get_codes(self) -> dict:
        """``{leaf: array of the +1 / -1 directions taken}``."""
        return self.codes

    def parse(self, tree: Any) -> None:
        """Parse ``tree`` (nested 2-tuples, leaves are word ids).

        Raises:
            ValueError: An internal node does not have exactly two children.
        """
        self.next_id = 0
        self.paths, self.codes = {}, {}
        # iterative pre-order walk (deep, unbalanced Huffman trees do not recurse)
        stack = [(tree, (), ())]
        while stack:
            node, path, code = stack.pop()
            if isinstance(node, tuple):
                if len(node) != 2:
                    raise ValueError("All internal nodes must have two child nodes")
                nid = self.next_id
                self.next_id += 1
                stack.append((node[1], path + (nid,), code + (-1.0,)))
                stack.append((node[0], path + (nid,), code + (1.0,)))
            else:
                self.paths[node] = numpy.array(path, dtype=numpy.int32)
                self.codes[node] = numpy.array(code, dtype=self.dtype)


class BinaryHierarchicalSoftmaxFunction:
    """The loss of :class:`BinaryHierarchicalSoftmax` for a fixed tree.

    Holds the leaves' paths concatenated (``paths``, ``codes``; word ``w`` owns the
    slice ``begins[w]:begins[w + 1]``). Calling it with ``(x, t, W)`` returns
    :math:`\\sum_b \\sum_{(e, d) \\in path(t_b)} \\log(1 + \\exp(-d\\, W_e \\cdot x_b))`,
    built from differentiable kusari functions (so it runs on any array module and
    supports double backprop).

    Args:
        tree: A binary tree of 2-tuples with integer leaves, like ``((1, 2), 3)``.
        dtype: Dtype of the codes.
    """

    def __init__(self, tree: Any, dtype: Any) -> None:
        parser = TreeParser(dtype)
        parser.parse(tree)
        paths, codes = parser.get_paths(), parser.get_codes()
        n_vocab = max(paths.keys()) + 1
        words = [w for w in range(n_vocab) if w in paths]
        self.paths = numpy.concatenate([paths[w] for w in words])
        self.codes = numpy.concatenate([codes[w] for w in words])
        lengths = numpy.array([len(paths[w]) if w in paths else 0 for w in range(n_vocab)])
        self.begins = numpy.concatenate(([0], numpy.cumsum(lengths))).astype(numpy.int32)
        self.parser_size = parser.size()

    def to_device(self, device: Any) -> None:
        """Move the tree tables to ``device``."""
        self.paths = device.send(self.paths)
        self.codes = device.send(self.codes)
        self.begins = device.send(self.begins)

    def _check(self, x: Any, t: Any, W: Any) -> None:
        ok = (x.dtype.kind == "f" and x.ndim == 2 and t.dtype == numpy.int32 and t.ndim == 1
              and x.shape[0] == t.shape[0] and W.dtype == x.dtype and W.ndim == 2
              and W.shape[0] == self.parser_size and W.shape[1] == x.shape[1])
        if not ok:
            raise type_check.InvalidType(
                "x: float (B, D); t: int32 (B,); W: x.dtype "
                f"({self.parser_size}, D)",
                f"x: {x.dtype} {x.shape}; t: {t.dtype} {t.shape}; W: {W.dtype} {W.shape}")

    def __call__(self, x: Any, t: Any, W: Any) -> variable.Variable:
        """The summed loss (a 0-dim Variable of ``x``'s dtype).

        Raises:
            kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.
        """
        t_arr = t.array if isinstance(t, variable.Variable) else t
        self._check(x, t_arr, W)
        xp = kusari.backend.get_array_module(t_arr)
        begin = self.begins[t_arr]
        length = self.begins[t_arr + 1] - begin
        max_len = int(length.max()) if length.size else 0
        step = xp.arange(max_len, dtype=numpy.int32)
        valid = step[None, :] < length[:, None]
        pos = xp.minimum(begin[:, None] + step[None, :], max(len(self.paths) - 1, 0))
        ids = xp.where(valid, self.paths[pos], -1).astype(numpy.int32)
        codes = xp.where(valid, self.codes[pos], 0).astype(x.dtype)
        w = F.embed_id(ids, W, ignore_label=-1)  # (B, L, D), padding rows zero
        margin = F.einsum("bld,bd->bl", w, x) * codes
        return F.sum(F.softplus(-margin) * valid.astype(x.dtype))


class BinaryHierarchicalSoftmax(Link):
    """Hierarchical softmax loss over a binary tree (Morin & Bengio, 2005).

    A word's probability is the product, along the path from the root to its leaf,
    of :math:`\\sigma(d_e\\, x^\\top W_e)` where ``W_e`` is the row of internal node
    ``e`` and ``d_e`` is ``+1`` (left) or ``-1`` (right); the loss is the negative log
    probability summed over the batch, at ``O(log n)`` per word.

    Args:
        in_size: Dimension of the input vectors.
        tree: A binary tree of 2-tuples whose leaves are word ids, like ``((1, 2), 3)``
            (see :meth:`create_huffman_tree`).
        dtype: Dtype of the weight and codes (None: ``config.dtype``).

    Raises:
        ValueError: An internal node of ``tree`` is not a pair.

    Attributes:
        W: Weight ``(number of internal nodes, in_size)``, initialized from
            ``Uniform(1)``.

    Example:
        >>> import numpy
        >>> tree = BinaryHierarchicalSoftmax.create_huffman_tree({0: 8, 1: 5, 2: 6, 3: 4})
        >>> tree
        ((3, 1), (2, 0))
        >>> hsm = BinaryHierarchicalSoftmax(3, tree)
        >>> hsm.W.shape
        (3, 3)
        >>> loss = hsm(numpy.ones((2, 3), numpy.float32), numpy.array([0, 3], numpy.int32))
        >>> loss.shape, bool(loss.array > 0)
        ((), True)
    """

    def __init__(self, in_size: int, tree: Any, dtype: Any = None) -> None:
        super().__init__()
        dtype = kusari.get_dtype(dtype)
        self._func = BinaryHierarchicalSoftmaxFunction(tree, dtype)
        with self.init_scope():
            self.W = variable.Parameter(initializers.Uniform(1, dtype=dtype),
                                        (self._func.parser_size, in_size))

    def _device_to(self, device: Any) -> None:
        super()._device_to(device)
        self._func.to_device(device)

    @staticmethod
    def create_huffman_tree(word_counts: dict) -> Any:
        """A binary Huffman tree from ``{word: count}``.

        The two lightest entries are merged repeatedly; ties are broken by insertion
        order (a merged node takes the earlier of its children's positions), so
        ``{0: 8, 1: 5, 2: 6, 3: 4}`` gives ``((3, 1), (2, 0))`` as in Chainer.

        Args:
            word_counts: Counts (int or float) of the words.

        Returns:
            The tree as nested 2-tuples of the keys.

        Raises:
            ValueError: ``word_counts`` is empty.
        """
        if not word_counts:
            raise ValueError("Empty vocabulary")
        heap = [(c, uid, w) for uid, (w, c) in enumerate(word_counts.items())]
        heapq.heapify(heap)
        while len(heap) > 1:
            c1, uid1, w1 = heapq.heappop(heap)
            c2, uid2, w2 = heapq.heappop(heap)
            heapq.heappush(heap, (c1 + c2, min(uid1, uid2), (w1, w2)))
        return heap[0][2]

    def forward(self, x: Any, t: Any) -> variable.Variable:
        """The loss summed over the batch.

        Args:
            x: Inputs ``(B, in_size)``.
            t: Word ids ``(B,)``, int32.

        Returns:
            A 0-dim Variable.

        Raises:
            kusari.utils.type_check.InvalidType: Wrong dtypes or shapes.
        """
        return self._func(x, t, self.W)
