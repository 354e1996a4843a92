"""Multi-layer (bidirectional) RNN links over variable-length sequences."""

from __future__ import annotations

from typing import Any

import numpy

from kusari import functions as F
from kusari import initializers, variable
from kusari.link import ChainList, Link


def argsort_list_descent(lst: Any) -> numpy.ndarray:
    """Indices sorting ``lst`` by decreasing length (stable)."""
    return numpy.argsort([-len(x) for x in lst], kind="stable").astype(numpy.int32)


def permutate_list(lst: Any, indices: Any, inv: bool) -> list:
    """``lst`` reordered by ``indices`` (or by their inverse)."""
    ret: list = [None] * len(lst)
    for i, ind in enumerate(indices):
        if inv:
            ret[ind] = lst[i]
        else:
            ret[i] = lst[ind]
    return ret


def _check_kwargs(kwargs: dict) -> None:
    removed = {"use_cudnn": "use_cudnn argument is not supported anymore. Use "
                            "chainer.using_config",
               "use_bi_direction": "use_bi_direction is not supported anymore",
               "activation": "activation is not supported anymore",
               "train": "train argument is not supported anymore. Use chainer.using_config"}
    for k in kwargs:
        if k in removed:
            raise ValueError(removed[k])
    if kwargs:
        raise TypeError(f"got unexpected keyword argument(s) {', '.join(kwargs)}")


class NStepRNNBase(ChainList):
    """Base of the n-step RNN links: one child per layer and direction.

    Child ``k`` (layer ``k // direction``) holds ``w0 ... w{n-1}`` and ``b0 ...``;
    the first half of the weights take the layer input, the second half the state.

    Args:
        n_layers: Number of layers.
        in_size: Input size.
        out_size: State size.
        dropout: Dropout ratio on the inputs of each layer.
        initialW: Weight initializer (keyword only).
        initial_bias: Bias initializer (keyword only; zeros).

    Raises:
        ValueError: Removed arguments (``use_cudnn``, ``use_bi_direction``,
            ``activation``).
    """

    n_weights = 2
    use_bi_direction = False

    def __init__(self, n_layers: int, in_size: int, out_size: int, dropout: float, *,
                 initialW: Any = None, initial_bias: Any = None, **kwargs: Any) -> None:
        _check_kwargs(kwargs)
        direction = 2 if self.use_bi_direction else 1
        w_init = initializers._get_initializer(initialW)
        b_init = initializers._get_initializer(0 if initial_bias is None else initial_bias)
        half = self.n_weights // 2
        weights = []
        for i in range(n_layers):
            for _ in range(direction):
                layer = Link()
                with layer.init_scope():
                    for j in range(self.n_weights):
                        if j >= half:
                            w_in = out_size
                        elif i == 0:
                            w_in = in_size
                        else:
                            w_in = out_size * direction
                        setattr(layer, f"w{j}", variable.Parameter(w_init, (out_size, w_in)))
                        setattr(layer, f"b{j}", variable.Parameter(b_init, out_size))
                weights.append(layer)
        super().__init__(*weights)
        self._collect()
        self.n_layers = n_layers
        self.dropout = dropout
        self.out_size = out_size
        self.direction = direction

    def _collect(self) -> None:
        self.ws = [[getattr(layer, f"w{i}") for i in range(self.n_weights)] for layer in self]
        self.bs = [[getattr(layer, f"b{i}") for i in range(self.n_weights)] for layer in self]

    def copy(self, mode: str = "share") -> NStepRNNBase:
        ret = super().copy(mode)
        ret._collect()
        return ret

    def init_hx(self, xs: Any) -> variable.Variable:
        """Zero initial states ``(n_layers * direction, len(xs), out_size)``."""
        shape = (self.n_layers * self.direction, len(xs), self.out_size)
        return variable.Variable(self.device.xp.zeros(shape, dtype=xs[0].dtype))

    def rnn(self, *args: Any) -> Any:
        raise NotImplementedError

    @property
    def n_cells(self) -> int:
        """Number of state tensors (2 for LSTMs, 1 otherwise)."""
        raise NotImplementedError

    def forward(self, hx: Any, xs: Any, **kwargs: Any) -> tuple:
        """Run over the list of sequences ``xs``; returns ``(hy, ys)``.

        Args:
            hx: Initial states ``(n_layers * direction, batch, out_size)`` or None.
            xs: List of arrays ``(length_i, in_size)``, any order of lengths.
        """
        (hy,), ys = self._call([hx], xs, **kwargs)
        return hy, ys

    def _call(self, hs: list, xs: Any, **kwargs: Any) -> tuple:
        _check_kwargs(kwargs)
        if not isinstance(xs, (list, tuple)):
            raise AssertionError("xs must be a list or tuple of sequences")
        indices = argsort_list_descent(xs)
        xs = permutate_list(xs, indices, inv=False)
        hxs = []
        for hx in hs:
            if hx is None:
                hx = self.init_hx(xs)
            else:
                hx = F.permutate(hx, indices, axis=1, inv=False)
            hxs.append(hx)
        trans_x = F.transpose_sequence(xs)
        result = self.rnn(self.n_layers, self.dropout, *hxs, self.ws, self.bs, trans_x)
        hys = [F.permutate(h, indices, axis=1, inv=True) for h in result[:-1]]
        ys = F.transpose_sequence(result[-1])
        return hys, permutate_list(ys, indices, inv=True)


class NStepRNNTanh(NStepRNNBase):
    """Stacked uni-directional tanh RNN for sequences of different lengths.

    Example:
        >>> import numpy
        >>> rnn = NStepRNNTanh(1, 3, 4, 0.0)
        >>> hy, ys = rnn(None, [numpy.ones((2, 3), numpy.float32)])
        >>> hy.shape, ys[0].shape
        ((1, 1, 4), (2, 4))
    """

    n_weights = 2
    use_bi_direction = False

    def rnn(self, *args: Any) -> Any:
        return F.n_step_rnn(*args, activation="tanh")

    @property
    def n_cells(self) -> int:
        return 1


class NStepRNNReLU(NStepRNNTanh):
    """Stacked uni-directional ReLU RNN."""

    def rnn(self, *args: Any) -> Any:
        return F.n_step_rnn(*args, activation="relu")


class NStepBiRNNTanh(NStepRNNBase):
    """Stacked bi-directional tanh RNN."""

    n_weights = 2
    use_bi_direction = True

    def rnn(self, *args: Any) -> Any:
        return F.n_step_birnn(*args, activation="tanh")

    @property
    def n_cells(self) -> int:
        return 1


class NStepBiRNNReLU(NStepBiRNNTanh):
    """Stacked bi-directional ReLU RNN."""

    def rnn(self, *args: Any) -> Any:
        return F.n_step_birnn(*args, activation="relu")
