"""Array and object collectives, model broadcast and gradient averaging (under mpiexec)."""

from __future__ import annotations

import numpy
import pytest

from tests.mn_tests import _util

_util.require_mpi()

import kusari  # noqa: E402
import kusari.links as L  # noqa: E402
import kusari.mn  # noqa: E402

pytestmark = pytest.mark.mpi

NAMES = ["naive", "flat"]


@pytest.fixture(scope="module", params=NAMES)
def comm(request):  # noqa: ANN001, ANN201
    return kusari.mn.create_communicator(request.param)


def test_ranks(comm) -> None:  # noqa: ANN001
    assert 0 <= comm.rank < comm.size == _util.world_size()
    assert comm.intra_size * comm.inter_size >= comm.size
    assert 0 <= comm.intra_rank < comm.intra_size
    assert 0 <= comm.inter_rank < comm.inter_size
    assert comm.allreduce_obj(1) == comm.size


@pytest.mark.parametrize("dtype", [numpy.float16, numpy.float32, numpy.float64, numpy.int32])
def test_bcast(comm, dtype) -> None:  # noqa: ANN001
    x = numpy.arange(6, dtype=dtype).reshape(2, 3) if comm.rank == 0 else None
    y = comm.bcast(x, root=0)
    assert y.dtype == dtype and y.shape == (2, 3)
    numpy.testing.assert_array_equal(y, numpy.arange(6).reshape(2, 3))


def test_bcast_tuple_raises(comm) -> None:  # noqa: ANN001
    if comm.size == 1:
        with pytest.raises(TypeError):
            comm.bcast((numpy.ones(1),))


@pytest.mark.parametrize("dtype", [numpy.float16, numpy.float32, numpy.float64, numpy.int64])
def test_allreduce(comm, dtype) -> None:  # noqa: ANN001
    x = numpy.full((3, 2), comm.rank + 1, dtype)
    y = comm.allreduce(x)
    assert y.dtype == dtype and y.shape == (3, 2)
    numpy.testing.assert_array_equal(y, sum(range(1, comm.size + 1)))
    numpy.testing.assert_array_equal(x, comm.rank + 1)  # input untouched


def test_gather_and_allgather_different_shapes(comm) -> None:  # noqa: ANN001
    x = numpy.full((comm.rank + 1, 2), comm.rank, numpy.float32)
    gathered = comm.gather(x, root=0)
    everyone = comm.allgather(x)
    assert len(everyone) == comm.size
    for r, y in enumerate(everyone):
        assert y.shape == (r + 1, 2)
        numpy.testing.assert_array_equal(y, r)
    if comm.rank == 0:
        assert [g.shape for g in gathered] == [e.shape for e in everyone]
    else:
        assert gathered is None


def test_scatter_array_and_tuple(comm) -> None:  # noqa: ANN001
    xs = numpy.arange(comm.size * 3, dtype=numpy.float32).reshape(comm.size, 3)
    y = comm.scatter(xs if comm.rank == 0 else None)
    numpy.testing.assert_array_equal(y, xs[comm.rank])
    tup = tuple(numpy.full(r + 1, r, numpy.int32) for r in range(comm.size))
    y = comm.scatter(tup if comm.rank == 0 else None)
    numpy.testing.assert_array_equal(y, numpy.full(comm.rank + 1, comm.rank))


def test_scatter_wrong_length_raises(comm) -> None:  # noqa: ANN001
    if comm.size == 1:
        with pytest.raises(ValueError):
            comm.scatter(numpy.zeros((2, 3)))


def test_alltoall(comm) -> None:  # noqa: ANN001
    xs = [numpy.full((2,), 10 * comm.rank + r, numpy.float64) for r in range(comm.size)]
    ys = comm.alltoall(xs)
    assert len(ys) == comm.size
    for r, y in enumerate(ys):
        numpy.testing.assert_array_equal(y, 10 * r + comm.rank)
    with pytest.raises(ValueError):
        comm.alltoall(xs + [xs[0]])


def test_send_recv(comm) -> None:  # noqa: ANN001
    _util.needs_two(comm)
    if comm.rank == 0:
        comm.send(numpy.arange(4, dtype=numpy.float16), dest=1, tag=3)
        comm.send((numpy.ones(2), numpy.zeros((1, 2), numpy.int8)), dest=1, tag=4)
        comm.send_obj({"k": [1, 2]}, dest=1)
    elif comm.rank == 1:
        a = comm.recv(source=0, tag=3)
        assert a.dtype == numpy.float16
        numpy.testing.assert_array_equal(a, numpy.arange(4))
        b, c = comm.recv(source=0, tag=4)
        assert c.dtype == numpy.int8 and c.shape == (1, 2)
        assert comm.recv_obj(source=0) == {"k": [1, 2]}


def test_object_collectives(comm) -> None:  # noqa: ANN001
    obj = {"rank": comm.rank, "data": list(range(1000))} if comm.rank == 0 else None
    # a tiny max_buf_len forces the chunked path
    got = comm.bcast_obj(obj, max_buf_len=100)
    assert got["rank"] == 0 and got["data"][-1] == 999
    gathered = comm.gather_obj(comm.rank * 2)
    if comm.rank == 0:
        assert gathered == [2 * r for r in range(comm.size)]
    total = comm.allreduce_obj(numpy.full(2, comm.rank, numpy.float64))
    numpy.testing.assert_array_equal(total, sum(range(comm.size)))
    with pytest.raises(ValueError):
        comm.bcast_obj(1, max_buf_len=0)


def _model(seed: int) -> kusari.Chain:
    numpy.random.seed(seed)
    model = kusari.Sequential(L.Linear(3, 4), L.Linear(4, 2))
    return model


def test_bcast_data(comm) -> None:  # noqa: ANN001
    model = _model(comm.rank)
    comm.bcast_data(model)
    ref = _model(0)
    for (n, p), (_, q) in zip(sorted(model.namedparams()), sorted(ref.namedparams())):
        numpy.testing.assert_array_equal(p.array, q.array, err_msg=n)


def test_bcast_data_mismatch_raises(comm) -> None:  # noqa: ANN001
    _util.needs_two(comm)
    model = L.Linear(3, 2 + comm.rank)
    with pytest.raises(ValueError, match="differs"):
        comm.bcast_data(model)


def test_multi_node_mean_grad(comm) -> None:  # noqa: ANN001
    model = _model(0)
    for i, p in enumerate(sorted(model.params(), key=lambda p: p.name)):
        p.grad = numpy.full(p.shape, comm.rank + i, numpy.float32)
    unused = sorted(model.namedparams())[-1][1]
    unused.grad = None  # unused on every process: zero_fill gives zeros
    comm.multi_node_mean_grad(model, zero_fill=True)
    mean_rank = (comm.size - 1) / 2
    for i, p in enumerate(sorted(model.params(), key=lambda p: p.name)):
        if p is unused:
            numpy.testing.assert_array_equal(p.grad, 0)
        else:
            numpy.testing.assert_allclose(p.grad, mean_rank + i)


def test_allreduce_grad_is_deprecated(comm) -> None:  # noqa: ANN001
    model = _model(0)
    for p in model.params():
        p.grad = numpy.ones(p.shape, numpy.float32)
    with pytest.warns(DeprecationWarning):
        comm.allreduce_grad(model)
    for p in model.params():
        numpy.testing.assert_array_equal(p.grad, 1)


def test_dummy_communicator_does_not_communicate() -> None:
    comm = kusari.mn.create_communicator("dummy")
    model = _model(0)
    for p in model.params():
        p.grad = numpy.full(p.shape, comm.rank + 1, numpy.float32)
    comm.multi_node_mean_grad(model)
    for p in model.params():
        numpy.testing.assert_array_equal(p.grad, comm.rank + 1)


def test_split(comm) -> None:  # noqa: ANN001
    sub = comm.split(color=comm.rank % 2, key=comm.rank)
    assert type(sub) is type(comm)
    assert sub.size == len(range(comm.rank % 2, comm.size, 2))
    assert sub.allreduce_obj(1) == sub.size
    sub.finalize()


def test_create_communicator_errors() -> None:
    with pytest.raises(ValueError, match="Unrecognized"):
        kusari.mn.create_communicator("nope")
    with pytest.raises(ValueError, match="allreduce_grad_dtype"):
        kusari.mn.create_communicator("naive", allreduce_grad_dtype=numpy.float16)
