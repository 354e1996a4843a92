"""create_multi_node_optimizer: N processes with batch B take the steps of one with N*B."""

from __future__ import annotations

import numpy
import pytest

from tests.mn_tests import _util

_util.require_mpi()

import kusari  # noqa: E402
import kusari.functions as F  # noqa: E402
import kusari.links as L  # noqa: E402
import kusari.mn  # noqa: E402
from kusari import optimizers  # noqa: E402
from kusari.serializers import DictionarySerializer, NpzDeserializer  # noqa: E402

pytestmark = pytest.mark.mpi


class MLP(kusari.Chain):
    def __init__(self, n_in: int | None = 5) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(n_in, 8)
            self.l2 = L.Linear(8, 3)

    def forward(self, x: numpy.ndarray, t: numpy.ndarray) -> kusari.Variable:
        y = self.l2(F.relu(self.l1(x)))
        loss = F.mean_squared_error(y, t)
        kusari.report({"loss": loss}, self)
        return loss


def _data(n_iter: int, batch: int) -> list[tuple[numpy.ndarray, numpy.ndarray]]:
    rng = numpy.random.RandomState(42)
    return [(rng.randn(batch, 5).astype(numpy.float32), rng.randn(batch, 3).astype(numpy.float32))
            for _ in range(n_iter)]


def _seeded(seed: int, n_in: int | None = 5) -> MLP:
    numpy.random.seed(seed)
    return MLP(n_in)


@pytest.fixture(scope="module", params=["naive", "flat"])
def comm(request):  # noqa: ANN001, ANN201
    return kusari.mn.create_communicator(request.param)


@pytest.mark.parametrize("make_opt", [lambda: optimizers.SGD(lr=0.1),
                                      lambda: optimizers.SGD(lr=0.05)])
def test_same_steps_as_one_process_with_the_global_batch(comm, make_opt) -> None:  # noqa: ANN001
    local_batch = 4
    data = _data(5, local_batch * comm.size)
    # every process starts from different weights: the first update broadcasts rank 0's
    model = _seeded(comm.rank)
    opt = kusari.mn.create_multi_node_optimizer(make_opt(), comm).setup(model)
    ref = _seeded(0)
    ref_opt = make_opt().setup(ref)
    lo, hi = comm.rank * local_batch, (comm.rank + 1) * local_batch
    for x, t in data:
        opt.update(model, x[lo:hi], t[lo:hi])
        ref_opt.update(ref, x, t)
    assert opt.t == ref_opt.t == len(data)
    for (name, p), (_, q) in zip(sorted(model.namedparams()), sorted(ref.namedparams())):
        numpy.testing.assert_allclose(p.array, q.array, rtol=1e-5, atol=1e-6, err_msg=name)
    # and every process holds the same parameters, bit for bit
    for name, p in sorted(model.namedparams()):
        everyone = comm.allgather(p.array)
        for other in everyone:
            numpy.testing.assert_array_equal(other, p.array, err_msg=name)


def test_lazily_initialized_parameters_are_broadcast(comm) -> None:  # noqa: ANN001
    model = _seeded(100 + comm.rank, n_in=None)
    opt = kusari.mn.create_multi_node_optimizer(optimizers.SGD(lr=0.1), comm).setup(model)
    x, t = _data(1, 4)[0]
    opt.update(model, x, t)
    assert model.l1.W.array is not None
    for name, p in sorted(model.namedparams()):
        for other in comm.allgather(p.array):
            numpy.testing.assert_array_equal(other, p.array, err_msg=name)
    assert opt.t == 1


def test_update_without_lossfun_skips_first_update_like_chainermn(comm) -> None:  # noqa: ANN001
    model = _seeded(comm.rank)
    opt = kusari.mn.create_multi_node_optimizer(optimizers.SGD(lr=0.1), comm).setup(model)
    x, t = _data(1, 4)[0]
    model.cleargrads()
    model(x, t).backward()
    opt.update()  # first call: broadcast only
    assert opt.t == 0
    ref = _seeded(0)
    for (n, p), (_, q) in zip(sorted(model.namedparams()), sorted(ref.namedparams())):
        numpy.testing.assert_array_equal(p.array, q.array, err_msg=n)
    model.cleargrads()
    model(x, t).backward()
    opt.update()
    assert opt.t == 1


def test_attributes_and_serialization_delegate(comm) -> None:  # noqa: ANN001
    model = _seeded(0)
    actual = optimizers.SGD(lr=0.1)
    opt = kusari.mn.create_multi_node_optimizer(actual, comm).setup(model)
    opt.lr = 0.25
    assert actual.lr == 0.25 and opt.lr == 0.25
    assert opt.target is model
    x, t = _data(1, 2)[0]
    opt.update(model, x, t)
    s = DictionarySerializer()
    opt.serialize(s)
    assert int(s.target["t"]) == 1
    fresh = kusari.mn.create_multi_node_optimizer(optimizers.SGD(lr=0.1), comm)
    fresh.setup(_seeded(0))
    import io

    buf = io.BytesIO()
    numpy.savez(buf, **s.target)
    buf.seek(0)
    with numpy.load(buf) as npz:
        fresh.serialize(NpzDeserializer(npz))
    assert fresh.t == 1


def test_unused_parameter_gets_zero_gradient(comm) -> None:  # noqa: ANN001
    class TwoHeads(kusari.Chain):
        def __init__(self) -> None:
            super().__init__()
            with self.init_scope():
                self.a = L.Linear(2, 1)
                self.b = L.Linear(2, 1)

        def forward(self, x: numpy.ndarray) -> kusari.Variable:
            # rank 0 uses head a, the others head b: zero_fill keeps the reductions aligned
            head = self.a if comm.rank == 0 else self.b
            return F.sum(head(x))

    numpy.random.seed(0)
    model = TwoHeads()
    opt = kusari.mn.create_multi_node_optimizer(optimizers.SGD(lr=1.0), comm).setup(model)
    w_a, w_b = model.a.W.array.copy(), model.b.W.array.copy()
    x = numpy.ones((1, 2), numpy.float32)
    opt.update(model, x)
    n = comm.size
    numpy.testing.assert_allclose(model.a.W.array, w_a - 1.0 / n)
    if n > 1:
        numpy.testing.assert_allclose(model.b.W.array, w_b - (n - 1.0) / n)


def test_double_buffering_needs_pure_nccl(comm) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="pure_nccl"):
        kusari.mn.create_multi_node_optimizer(optimizers.SGD(), comm, double_buffering=True)
