"""BinaryHierarchicalSoftmax and DecorrelatedBatchNormalization: references, gradients."""

import io

import numpy
import pytest

from kusari import gradient_check, serializers
from kusari import links as L
from kusari.configuration import using_config
from kusari.links.loss.hierarchical_softmax import TreeParser
from kusari.utils import type_check

from ..initializers_tests import _chainer_ref

F64 = numpy.float64


def _r(*shape, seed=0, dtype=F64):
    return numpy.random.RandomState(seed).randn(*shape).astype(dtype)


# -- BinaryHierarchicalSoftmax -----------------------------------------------------------------
def _ref_paths(tree):
    """``{leaf: [(internal node id, +1 left / -1 right), ...]}``, pre-order ids."""
    out, counter = {}, [0]

    def walk(node, path):
        if isinstance(node, tuple):
            nid = counter[0]
            counter[0] += 1
            walk(node[0], path + [(nid, 1.0)])
            walk(node[1], path + [(nid, -1.0)])
        else:
            out[node] = path

    walk(tree, [])
    return out, counter[0]


def _hsm_ref(W, x, t, tree):
    paths, _ = _ref_paths(tree)
    loss = 0.0
    for xb, tb in zip(x, t):
        for node, code in paths.get(int(tb), []):
            loss += numpy.log1p(numpy.exp(-code * W[node] @ xb))
    return loss


TREE = ((7, 0), ((1, (5, 3)), (2, 6)))  # leaf 4 is absent: an empty path


def test_create_huffman_tree():
    make = L.BinaryHierarchicalSoftmax.create_huffman_tree
    assert make({0: 8, 1: 5, 2: 6, 3: 4}) == ((3, 1), (2, 0))
    assert make({0: 8, 1: 5, 2: 6, 3: 4, 5: 1, 6: 7, 7: 7}) == TREE
    assert make({"a": 1}) == "a"
    assert make({"a": 1.5, "b": 0.5}) == ("b", "a")
    with pytest.raises(ValueError, match="Empty"):
        make({})
    # a frequent word sits closer to the root than a rare one
    paths, _ = _ref_paths(make({w: 2 ** w for w in range(8)}))
    assert len(paths[7]) == 1 and len(paths[0]) == 7


def test_tree_parser_matches_the_pre_order_reference():
    parser = TreeParser(numpy.float32)
    parser.parse(TREE)
    paths, size = _ref_paths(TREE)
    assert parser.size() == size == 6
    assert sorted(parser.get_paths()) == sorted(paths)
    for leaf, path in paths.items():
        numpy.testing.assert_array_equal(parser.get_paths()[leaf], [n for n, _ in path])
        numpy.testing.assert_array_equal(parser.get_codes()[leaf], [c for _, c in path])
        assert parser.get_paths()[leaf].dtype == numpy.int32
        assert parser.get_codes()[leaf].dtype == numpy.float32
    with pytest.raises(ValueError, match="two child"):
        parser.parse(((1, 2, 3), 0))


def test_hierarchical_softmax_forward_backward():
    with using_config("dtype", F64):
        hsm = L.BinaryHierarchicalSoftmax(3, TREE)
    assert [(n, p.shape) for n, p in hsm.namedparams()] == [("/W", (6, 3))]
    assert hsm.W.dtype == F64 and numpy.abs(hsm.W.array).max() <= 1
    x = _r(6, 3)
    t = numpy.array([0, 3, 7, 5, 4, 3], numpy.int32)
    loss = hsm(x, t)
    assert loss.shape == () and loss.dtype == F64
    numpy.testing.assert_allclose(loss.array, _hsm_ref(hsm.W.array, x, t, TREE), rtol=1e-12)
    # a word outside the tree has an empty path: no loss
    assert float(hsm(x[:1], numpy.array([4], numpy.int32)).array) == 0.0
    gradient_check.check_backward(lambda x: hsm(x, t), x, None, params=(hsm.W,), eps=1e-6,
                                  atol=1e-7, rtol=1e-6, dtype=F64)


def test_hierarchical_softmax_is_a_distribution_over_the_leaves():
    tree = L.BinaryHierarchicalSoftmax.create_huffman_tree({w: w + 1 for w in range(9)})
    hsm = L.BinaryHierarchicalSoftmax(4, tree)
    x = _r(2, 4, dtype=numpy.float32)
    for xb in x:
        p = [numpy.exp(-float(hsm(xb[None], numpy.array([w], numpy.int32)).array))
             for w in range(9)]
        numpy.testing.assert_allclose(sum(p), 1.0, rtol=1e-5)


def test_hierarchical_softmax_float32_dtype_checks_and_serialization():
    hsm = L.BinaryHierarchicalSoftmax(3, TREE)
    x = _r(4, 3, dtype=numpy.float32)
    t = numpy.array([0, 1, 2, 3], numpy.int32)
    loss = hsm(x, t)
    assert loss.dtype == numpy.float32
    numpy.testing.assert_allclose(loss.array, _hsm_ref(hsm.W.array.astype(F64), x, t, TREE),
                                  rtol=1e-5)
    loss.backward()
    assert hsm.W.grad.shape == (6, 3) and numpy.abs(hsm.W.grad[:6]).sum() > 0
    with pytest.raises(type_check.InvalidType):
        hsm(x, t.astype(numpy.int64))
    with pytest.raises(type_check.InvalidType):
        hsm(_r(4, 2, dtype=numpy.float32), t)
    with pytest.raises(type_check.InvalidType):
        hsm(x.astype(F64), t)
    buf = io.BytesIO()
    serializers.save_npz(buf, hsm)
    buf.seek(0)
    other = L.BinaryHierarchicalSoftmax(3, TREE)
    serializers.load_npz(buf, other)
    numpy.testing.assert_array_equal(other.W.array, hsm.W.array)
    numpy.testing.assert_array_equal(other(x, t).array, loss.array)


def test_hierarchical_softmax_double_backward():
    with using_config("dtype", F64):
        hsm = L.BinaryHierarchicalSoftmax(3, TREE)
    t = numpy.array([0, 3, 6], numpy.int32)
    gradient_check.check_double_backward(lambda x: hsm(x, t), _r(3, 3), numpy.array(1.3),
                                         _r(3, 3, seed=1), params=(hsm.W,),
                                         params_grad_grad=(_r(6, 3, seed=2),), eps=1e-6,
                                         atol=1e-6, rtol=1e-5, dtype=F64)


# -- DecorrelatedBatchNormalization --------------------------------------------------------------
def _groups_of(x, groups):
    c = x.shape[1]
    return numpy.moveaxis(x, 1, 0).reshape(groups, c // groups, -1)


def _from_groups(y, shape):
    return numpy.moveaxis(y.reshape((shape[1], shape[0]) + shape[2:]), 0, 1)


def _dbn_ref(x, groups, eps):
    """ZCA whitening per group: ``(y, mean, whitening matrix)``."""
    xg = _groups_of(x, groups)
    mean = xg.mean(axis=2)
    xc = xg - mean[:, :, None]
    m = xg.shape[2]
    ys, ws = [], []
    for g in range(groups):
        cov = xc[g] @ xc[g].T / m + eps * numpy.eye(xc.shape[1])
        lam, vec = numpy.linalg.eigh(cov)
        w = vec @ numpy.diag(lam ** -0.5) @ vec.T
        ws.append(w)
        ys.append(w @ xc[g])
    return _from_groups(numpy.stack(ys), x.shape), mean, numpy.stack(ws)


def test_dbn_statistics_layout_and_persistents():
    dbn = L.DecorrelatedBatchNormalization(6, groups=2)
    assert list(dbn.namedparams()) == []
    assert sorted(dbn._persistent) == ["N", "avg_mean", "avg_projection"]
    assert dbn.avg_mean.shape == (2, 3) and dbn.avg_mean.dtype == numpy.float32
    numpy.testing.assert_array_equal(dbn.avg_projection, numpy.stack([numpy.eye(3)] * 2))
    assert (dbn.groups, dbn.decay, dbn.eps, dbn.N) == (2, 0.9, 2e-5, 0)
    assert L.DecorrelatedBatchNormalization(32).avg_mean.shape == (16, 2)


def test_dbn_training_test_and_finetune_modes():
    dbn = L.DecorrelatedBatchNormalization(6, groups=2, decay=0.8, dtype=F64)
    xs = [_r(9, 6, 2, seed=s) * (1 + numpy.arange(6)[:, None]) + 3 for s in (1, 2)]
    mean_ref = numpy.zeros((2, 3))
    proj_ref = numpy.stack([numpy.eye(3)] * 2)
    m = 18
    for x in xs:
        y = dbn(x).array
        y_ref, mu, w = _dbn_ref(x, 2, dbn.eps)
        numpy.testing.assert_allclose(y, y_ref, rtol=1e-9, atol=1e-10)
        yg = _groups_of(y, 2)  # whitened: zero mean, identity covariance per group
        numpy.testing.assert_allclose(yg.mean(axis=2), 0, atol=1e-10)
        for g in range(2):
            numpy.testing.assert_allclose(yg[g] @ yg[g].T / m, numpy.eye(3), atol=1e-4)
        mean_ref = 0.8 * mean_ref + 0.2 * mu
        proj_ref = 0.8 * proj_ref + 0.2 * (m / (m - 1)) * w
        numpy.testing.assert_allclose(dbn.avg_mean, mean_ref, rtol=1e-10)
        numpy.testing.assert_allclose(dbn.avg_projection, proj_ref, rtol=1e-10)
    with using_config("train", False):
        y = dbn(xs[0]).array
    xc = _groups_of(xs[0], 2) - mean_ref[:, :, None]
    numpy.testing.assert_allclose(y, _from_groups(proj_ref @ xc, xs[0].shape), rtol=1e-10)
    numpy.testing.assert_allclose(dbn.avg_mean, mean_ref, rtol=1e-10)  # not updated

    dbn.start_finetuning()
    for x in xs:
        dbn(x, finetune=True)
    assert dbn.N == 2
    mus = [_dbn_ref(x, 2, dbn.eps)[1] for x in xs]
    numpy.testing.assert_allclose(dbn.avg_mean, (mus[0] + mus[1]) / 2, rtol=1e-10)
    with using_config("in_recomputing", True):
        dbn(xs[0], finetune=True)
    assert dbn.N == 2
    numpy.testing.assert_allclose(dbn.avg_mean, (mus[0] + mus[1]) / 2, rtol=1e-10)
    with pytest.raises(TypeError):
        dbn(xs[0], test=True)


def test_dbn_backward():
    dbn = L.DecorrelatedBatchNormalization(4, groups=2, dtype=F64)
    x = _r(6, 4, 2, seed=3)
    gradient_check.check_backward(dbn, x, _r(6, 4, 2, seed=4), eps=1e-6, atol=1e-6,
                                  rtol=1e-5, dtype=F64)
    dbn(x)
    with using_config("train", False):
        gradient_check.check_backward(dbn, x, _r(6, 4, 2, seed=4), eps=1e-6, atol=1e-7,
                                      rtol=1e-6, dtype=F64)


def _npz(**arrays):
    buf = io.BytesIO()
    numpy.savez(buf, **arrays)
    buf.seek(0)
    return buf


def test_dbn_serialization_roundtrip_and_old_statistics():
    src = L.DecorrelatedBatchNormalization(6, groups=2)
    src(_r(8, 6, dtype=numpy.float32), finetune=True)
    buf = io.BytesIO()
    serializers.save_npz(buf, src)
    buf.seek(0)
    with numpy.load(buf) as f:
        assert sorted(f.files) == ["N", "avg_mean", "avg_projection"]
    buf.seek(0)
    dst = L.DecorrelatedBatchNormalization(6, groups=2)
    serializers.load_npz(buf, dst)
    numpy.testing.assert_array_equal(dst.avg_mean, src.avg_mean)
    numpy.testing.assert_array_equal(dst.avg_projection, src.avg_projection)
    assert dst.N == 1

    # statistics of the old (pre-#7706) Chainer: one set shared by all groups
    mean = numpy.arange(3, dtype=numpy.float32)
    proj = numpy.arange(9, dtype=numpy.float32).reshape(3, 3)
    old = dict(avg_mean=mean, avg_projection=proj, N=numpy.array(4))
    with pytest.warns(UserWarning, match="old DecorrelatedBatchNormalization"):
        serializers.load_npz(_npz(**old), dst)
    numpy.testing.assert_array_equal(dst.avg_mean, [mean, mean])
    numpy.testing.assert_array_equal(dst.avg_projection, [proj, proj])
    assert dst.N == 4
    single = L.DecorrelatedBatchNormalization(3, groups=1)
    serializers.load_npz(_npz(**old), single)  # one group: no warning (errors are on)
    numpy.testing.assert_array_equal(single.avg_projection, [proj])
    with pytest.raises(ValueError, match="unexpected shape"):
        serializers.load_npz(_npz(avg_mean=numpy.zeros((1, 2, 3, 4)), avg_projection=proj,
                                  N=numpy.array(0)), dst)


# -- against the reference Chainer 7 -----------------------------------------------------------
REF_SCRIPT = """
import io
RS = numpy.random.RandomState(1)
def f(*shape):
    return numpy.asarray(RS.randn(*shape), numpy.float32)
def backprop(name, outs, link, xs):
    loss = 0
    for i, o in enumerate(outs):
        OUT[name + '/out%d' % i] = o.array
        loss = loss + F.sum(o * f(*o.shape))
    link.cleargrads()
    loss.backward()
    for pname, p in link.namedparams():
        OUT[name + '/grad' + pname] = p.grad
    for i, x in enumerate(xs):
        OUT[name + '/gx%d' % i] = x.grad
def keys(name, link):
    buf = io.BytesIO()
    S.save_npz(buf, link)
    buf.seek(0)
    OUT[name + '/keys'] = numpy.array(sorted(numpy.load(buf).files))
make = L.BinaryHierarchicalSoftmax.create_huffman_tree
counts = {0: 8, 1: 5, 2: 6, 3: 4, 5: 1, 6: 7, 7: 7}
OUT['HSM/tree'] = numpy.array(repr(make(counts)))
OUT['HSM/tree2'] = numpy.array(repr(make({w: (w * 7) % 5 + 1 for w in range(12)})))
numpy.random.seed(0)
hsm = L.BinaryHierarchicalSoftmax(3, make(counts))
OUT['HSM/W'] = hsm.W.array.copy()
x = chainer.Variable(f(5, 3))
backprop('HSM', [hsm(x, numpy.array([0, 3, 7, 5, 4], numpy.int32))], hsm, [x])
keys('HSM', hsm)
numpy.random.seed(0)
dbn = L.DecorrelatedBatchNormalization(6, groups=2, decay=0.8)
xs = [chainer.Variable(f(7, 6, 2)) for _ in range(2)]
outs = [dbn(x) for x in xs]
OUT['DBN/mean'] = dbn.avg_mean.copy()
OUT['DBN/proj'] = dbn.avg_projection.copy()
outs.append(dbn(xs[0], finetune=True))
OUT['DBN/N'] = numpy.array(dbn.N)
with chainer.using_config('train', False):
    outs.append(dbn(xs[1]))
backprop('DBN', outs, dbn, xs)
keys('DBN', dbn)
"""


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_hsm_and_dbn_match_chainer():
    ours = _chainer_ref.run("kusari", REF_SCRIPT)
    ref = _chainer_ref.run("chainer", REF_SCRIPT)
    assert sorted(ours) == sorted(ref)
    assert len(ref) > 15
    for k, r in ref.items():
        o = ours[k]
        assert o.shape == r.shape and o.dtype == r.dtype, k
        if r.dtype.kind not in "fc" or k == "HSM/W":  # trees, keys, N, initial weight
            numpy.testing.assert_array_equal(o, r, err_msg=k)
        else:
            numpy.testing.assert_allclose(o, r, rtol=1e-5, atol=1e-5, err_msg=k)
