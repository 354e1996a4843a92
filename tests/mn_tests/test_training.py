"""scatter_dataset, the multi-node evaluator, MultiNodeBatchNormalization and extensions."""

from __future__ import annotations

import os
import types

import numpy
import pytest

from tests.mn_tests import _util

_util.require_mpi()

import kusari  # noqa: E402
import kusari.functions as F  # noqa: E402
import kusari.links as L  # noqa: E402
import kusari.mn  # noqa: E402
from kusari import datasets, iterators, training  # noqa: E402
from kusari.mn.links import MultiNodeBatchNormalization  # noqa: E402
from kusari.training import extensions  # noqa: E402

pytestmark = pytest.mark.mpi


@pytest.fixture(scope="module")
def comm():  # noqa: ANN201
    return kusari.mn.create_communicator("flat")


# -- scatter_dataset ---------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 7, 10])
@pytest.mark.parametrize("equal", [True, False])
def test_scatter_dataset_covers_everything(comm, n, equal) -> None:  # noqa: ANN001
    data = list(range(n)) if comm.rank == 0 else None
    mine = kusari.mn.scatter_dataset(data, comm, force_equal_length=equal)
    parts = comm.gather_obj(list(mine))
    lengths = comm.allgather(numpy.array([len(mine)]))
    if equal:
        assert len({int(v[0]) for v in lengths}) == 1  # same length everywhere
    if comm.rank == 0:
        seen = [x for part in parts for x in part]
        assert set(seen) == set(range(n))
        if not equal:
            assert sorted(seen) == list(range(n))  # disjoint shards


def test_scatter_dataset_shuffle_is_shared_and_seeded(comm) -> None:  # noqa: ANN001
    data = numpy.arange(20) if comm.rank == 0 else None
    a = kusari.mn.scatter_dataset(data, comm, shuffle=True, seed=3, force_equal_length=False)
    b = kusari.mn.scatter_dataset(data, comm, shuffle=True, seed=3, force_equal_length=False)
    assert [int(x) for x in a] == [int(x) for x in b]
    everything = comm.gather_obj([int(x) for x in a])
    if comm.rank == 0:
        flat = [x for part in everything for x in part]
        assert sorted(flat) == list(range(20)) and flat != list(range(20))


def test_scatter_index(comm) -> None:  # noqa: ANN001
    b, e = kusari.mn.scatter_index(10, comm, force_equal_length=False)
    spans = comm.gather_obj((b, e))
    if comm.rank == 0:
        assert spans[0][0] == 0 and spans[-1][1] == 10
        assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


# -- evaluator -------------------------------------------------------------------------------
class Regressor(kusari.Chain):
    def __init__(self) -> None:
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(3, 2)

    def forward(self, x: numpy.ndarray, t: numpy.ndarray) -> kusari.Variable:
        loss = F.mean_squared_error(self.l(x), t)
        kusari.report({"loss": loss, "abs": F.mean(abs(self.l(x) - t))}, self)
        return loss


def _eval_data() -> datasets.TupleDataset:
    rng = numpy.random.RandomState(0)
    # 23 examples: with 2 processes the disjoint shards are 12 and 11 examples, whose
    # batches of 4 are exactly the batches one process evaluating everything makes
    return datasets.TupleDataset(rng.randn(23, 3).astype(numpy.float32),
                                 rng.randn(23, 2).astype(numpy.float32))


def test_multi_node_evaluator_equals_single_process(comm) -> None:  # noqa: ANN001
    if 23 % comm.size and comm.size > 2:
        pytest.skip("the shard/batch alignment below is for 1 or 2 processes")
    numpy.random.seed(0)
    model = Regressor()
    data = _eval_data()
    ref = extensions.Evaluator(iterators.SerialIterator(data, 4, repeat=False, shuffle=False),
                               model)()
    shard = kusari.mn.scatter_dataset(data if comm.rank == 0 else None, comm,
                                      force_equal_length=False)
    ev = kusari.mn.create_multi_node_evaluator(
        extensions.Evaluator(iterators.SerialIterator(shard, 4, repeat=False, shuffle=False),
                             model), comm)
    got = ev()
    assert sorted(got) == sorted(ref) == ["main/abs", "main/loss"]
    for key in ref:
        numpy.testing.assert_allclose(float(got[key]), float(ref[key]), rtol=1e-6, err_msg=key)
    # the same on every process
    values = comm.gather_obj({k: float(v) for k, v in got.items()})
    if comm.rank == 0:
        assert all(v == values[0] for v in values)


def test_multi_node_evaluator_falls_back_when_evaluate_is_custom(comm) -> None:  # noqa: ANN001
    class Custom:
        eval_func = None

        def get_target(self, name: str) -> object:
            return lambda *a: None

        def evaluate(self) -> dict:
            return {"v": float(comm.rank)}

    ev = kusari.mn.create_multi_node_evaluator(Custom(), comm)
    assert ev.evaluate() == {"v": (comm.size - 1) / 2}


# -- MultiNodeBatchNormalization --------------------------------------------------------------
def _bn_case(shape: tuple) -> tuple:
    rng = numpy.random.RandomState(1)
    return (rng.randn(*shape).astype(numpy.float64) * 3 + 1,
            rng.randn(*shape).astype(numpy.float64))


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 2, 2)])
def test_multi_node_batch_normalization_equals_global_batch(comm, shape) -> None:  # noqa: ANN001
    local = shape[0]
    x_all, w_all = _bn_case((local * comm.size,) + shape[1:])
    ref = L.BatchNormalization(shape[1], dtype=numpy.float64)
    xr = kusari.Variable(x_all)
    yr = ref(xr)
    F.sum(yr * w_all).backward()

    bn = MultiNodeBatchNormalization(shape[1], comm, dtype=numpy.float64)
    assert not bn.avg_var.any()  # ChainerMN starts the running variance at 0, Chainer at 1
    bn.avg_var[...] = 1.0
    sl = slice(comm.rank * local, (comm.rank + 1) * local)
    x = kusari.Variable(x_all[sl].copy())
    y = bn(x)
    F.sum(y * w_all[sl]).backward()
    numpy.testing.assert_allclose(y.array, yr.array[sl], rtol=1e-10, atol=1e-10)
    numpy.testing.assert_allclose(x.grad, xr.grad[sl], rtol=1e-8, atol=1e-10)
    comm.multi_node_mean_grad(bn)  # as the multi-node optimizer does
    numpy.testing.assert_allclose(bn.gamma.grad * comm.size, ref.gamma.grad, rtol=1e-8)
    numpy.testing.assert_allclose(bn.beta.grad * comm.size, ref.beta.grad, rtol=1e-8)
    numpy.testing.assert_allclose(bn.avg_mean, ref.avg_mean, rtol=1e-10)
    numpy.testing.assert_allclose(bn.avg_var, ref.avg_var, rtol=1e-10)
    with kusari.using_config("train", False):
        numpy.testing.assert_allclose(bn(x_all[sl]).array, ref(x_all[sl]).array, rtol=1e-10)


# -- extensions -----------------------------------------------------------------------------
def test_allreduce_persistent(comm) -> None:  # noqa: ANN001
    bn = MultiNodeBatchNormalization(3, comm)
    bn.avg_mean[...] = comm.rank
    bn.N = comm.rank
    kusari.mn.extensions.AllreducePersistent(bn, comm)()
    numpy.testing.assert_allclose(bn.avg_mean, (comm.size - 1) / 2)
    assert bn.N == comm.rank  # integers are left alone


def _fake_trainer(iteration: int, observation: dict) -> types.SimpleNamespace:
    updater = types.SimpleNamespace(iteration=iteration, epoch=0, epoch_detail=iteration / 10,
                                    previous_epoch_detail=None)
    return types.SimpleNamespace(updater=updater, observation=observation)


def test_early_stopping_agrees_on_every_process(comm) -> None:  # noqa: ANN001
    trigger = kusari.mn.extensions.MultiNodeEarlyStoppingTrigger(
        comm, check_trigger=(1, "iteration"), monitor="main/loss", patience=2,
        max_trigger=(100, "iteration"))
    stopped_at = None
    for it in range(1, 30):
        # rank 0's loss keeps falling, the others' rise faster: the mean rises from it 5
        loss = 10.0 - it if comm.rank == 0 else 1.0 + (3.0 * it if it > 5 else 0.0)
        if comm.size == 1:
            loss = 10.0 - it if it <= 5 else float(it)
        if trigger(_fake_trainer(it, {"main/loss": loss})):
            stopped_at = it
            break
    assert stopped_at is not None
    assert all(s == stopped_at for s in comm.allgather(numpy.array(stopped_at)))
    assert stopped_at == 7  # best at 5, then two checks without improvement


def test_observation_aggregator(comm) -> None:  # noqa: ANN001
    agg = kusari.mn.extensions.ObservationAggregator(comm, "x", "x_mean")
    obs = {"x": float(comm.rank)}
    agg(_fake_trainer(1, obs))
    assert obs["x_mean"] == pytest.approx((comm.size - 1) / 2)


def test_multi_node_snapshot_only_master_writes_and_all_resume(comm, tmp_path_factory
                                                               ) -> None:  # noqa: ANN001
    out = comm.bcast_obj(str(tmp_path_factory.mktemp("mnsnap")) if comm.rank == 0 else None)

    def make_trainer(seed: int) -> training.Trainer:
        numpy.random.seed(seed)
        model = Regressor()
        opt = kusari.mn.create_multi_node_optimizer(kusari.optimizers.SGD(0.1), comm)
        opt.setup(model)
        data = kusari.mn.scatter_dataset(_eval_data() if comm.rank == 0 else None, comm)
        it = iterators.SerialIterator(data, 4, shuffle=False)
        upd = training.updaters.StandardUpdater(it, opt)
        trainer = training.Trainer(upd, (3, "iteration"), out=out)
        snap = kusari.mn.extensions.multi_node_snapshot(
            comm, extensions.snapshot(filename="snap_{.updater.iteration}", autoload=True))
        trainer.extend(snap, name="mnsnap", trigger=(3, "iteration"))
        return trainer

    trainer = make_trainer(comm.rank)
    trainer.run()
    comm.mpi_comm.Barrier()
    files = sorted(os.listdir(out))
    assert files == ["snap_3.0"]
    w = trainer.updater.get_optimizer("main").target.l.W.array.copy()
    resumed = make_trainer(50 + comm.rank)
    resumed.stop_trigger = training.triggers.IntervalTrigger(3, "iteration")
    resumed.get_extension("mnsnap").initialize(resumed)
    assert resumed.updater.iteration == 3
    numpy.testing.assert_array_equal(
        resumed.updater.get_optimizer("main").target.l.W.array, w)
