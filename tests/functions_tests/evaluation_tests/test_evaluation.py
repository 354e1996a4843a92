import numpy
import pytest

import kusari
import kusari.functions as F
from kusari.functions.evaluation.classification_summary import fbeta_score
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("y_shape, t_shape", [((10, 3), (10,)), ((4, 3, 5), (4, 5)),
                                              ((4, 3, 5, 1), (4, 5)), ((6, 2), (6,))])
def test_accuracy_matches_numpy(dtype, y_shape, t_shape):
    y = numpy.random.randn(*y_shape).astype(dtype)
    t = numpy.random.randint(0, y_shape[1], t_shape).astype(numpy.int32)
    acc = F.accuracy(y, t)
    expected = (y.argmax(axis=1).reshape(t.shape) == t).mean()
    assert acc.dtype == dtype and acc.shape == ()
    assert float(acc.array) == pytest.approx(expected, rel=1e-3)


def test_accuracy_ignore_label():
    y = numpy.array([[0.1, 0.7, 0.2], [8.0, 1.0, 2.0], [-8.0, 1.0, 2.0], [-8.0, -1.0, -2.0]])
    t = numpy.array([1, 0, 0, 0], numpy.int32)
    assert float(F.accuracy(y, t).array) == 0.5
    assert float(F.accuracy(y, t, ignore_label=0).array) == 1.0
    assert float(F.accuracy(y, numpy.full(4, -1, numpy.int32), ignore_label=-1).array) == 0.0


def test_accuracy_is_not_differentiable_but_safe_in_graph():
    y = kusari.Variable(numpy.random.randn(3, 2).astype(numpy.float32))
    acc = F.accuracy(y, numpy.array([0, 1, 0], numpy.int32))
    assert acc.array.dtype == numpy.float32


def test_accuracy_type_errors():
    y = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(InvalidType) as e:
        F.accuracy(y, numpy.zeros(3, numpy.float32))
    assert "Accuracy (Forward)" in str(e.value)
    assert "t.dtype.kind == i" in str(e.value)
    with pytest.raises(InvalidType) as e:
        F.accuracy(y, numpy.zeros(4, numpy.int32))
    assert "x.shape[0] == t.shape[0]" in str(e.value)


def test_binary_accuracy():
    y = numpy.array([[-2.0, 0.0], [3.0, -5.0]], numpy.float32)
    assert float(F.binary_accuracy(y, numpy.array([[0, 1], [1, 0]], numpy.int32)).array) == 1.0
    assert float(F.binary_accuracy(y, numpy.array([[0, 0], [1, 1]], numpy.int32)).array) == 0.5
    r = F.binary_accuracy(y, numpy.array([[0, -1], [1, -1]], numpy.int32))
    assert float(r.array) == 1.0 and r.dtype == numpy.float32
    assert float(F.binary_accuracy(y, numpy.full((2, 2), -1, numpy.int32)).array) == 0.0
    with pytest.raises(InvalidType) as e:
        F.binary_accuracy(y, numpy.zeros((2, 3), numpy.int32))
    assert "BinaryAccuracy (Forward)" in str(e.value)


@pytest.mark.parametrize("dtype", DTYPES)
def test_r2_score(dtype):
    p = numpy.random.randn(20, 3).astype(dtype)
    t = numpy.random.randn(20, 3).astype(dtype)
    t[:, 2] = 1.5  # a constant column scores 0
    p64, t64 = p.astype(numpy.float64), t.astype(numpy.float64)
    ss_res = ((p64 - t64) ** 2).sum(0)
    ss_tot = ((t64 - t64.mean(0)) ** 2).sum(0)
    raw = numpy.array([1 - ss_res[0] / ss_tot[0], 1 - ss_res[1] / ss_tot[1], 0.0])
    r = F.r2_score(p, t, multioutput="raw_values")
    assert r.dtype == dtype and r.shape == (3,)
    numpy.testing.assert_allclose(r.array, raw, rtol=1e-2 if dtype == numpy.float16 else 1e-5)
    avg = F.r2_score(p, t)
    assert avg.shape == ()
    assert float(avg.array) == pytest.approx(raw.mean(), rel=1e-2)


def test_r2_score_errors():
    x = numpy.zeros((3,), numpy.float32)
    with pytest.raises(NotImplementedError):
        F.r2_score(x, x, sample_weight=x)
    with pytest.raises(ValueError):
        F.r2_score(x, x, multioutput="variance_weighted")
    with pytest.raises(InvalidType) as e:
        F.r2_score(x, numpy.zeros(4, numpy.float32))
    assert "pred.shape == true.shape" in str(e.value)


def _summary_reference(pred, t, label_num, beta):
    tp = numpy.array([((pred == c) & (t == c)).sum() for c in range(label_num)])
    rel = numpy.array([(pred == c).sum() for c in range(label_num)])
    sup = numpy.array([(t == c).sum() for c in range(label_num)])
    with numpy.errstate(all="ignore"):
        p, r = tp / rel, tp / sup
        f = (1 + beta ** 2) * p * r / (beta ** 2 * p + r)
    return p, r, f, sup


@pytest.mark.parametrize("beta", [1.0, 2.0])
def test_classification_summary(beta):
    y = numpy.random.randn(30, 4).astype(numpy.float32)
    t = numpy.random.randint(0, 4, 30).astype(numpy.int32)
    got = F.classification_summary(y, t, beta=beta)
    ref = _summary_reference(y.argmax(1), t, 4, beta)
    for g, r in zip(got, ref):
        numpy.testing.assert_allclose(g.array, r)
    assert got[3].dtype.kind == "i" and got[0].dtype == numpy.float64
    numpy.testing.assert_allclose(fbeta_score(y, t, beta=beta)[0].array, ref[2])


def test_classification_summary_ignore_and_label_num():
    y = numpy.eye(3, dtype=numpy.float32)[[0, 1, 2, 1]]
    t = numpy.array([0, 1, -1, 2], numpy.int32)
    p, r, f, s = F.classification_summary(y, t, label_num=4)
    assert s.array.tolist() == [1, 1, 1, 0]
    assert p.array[:2].tolist() == [1.0, 0.5]
    assert numpy.isnan(p.array[3]) and numpy.isnan(r.array[3])
    assert F.precision(y, t)[0].array.tolist()[:2] == [1.0, 0.5]
    assert F.recall(y, t)[0].array.tolist() == [1.0, 1.0, 0.0]
    numpy.testing.assert_allclose(F.f1_score(y, t)[0].array[:2], [1.0, 2 / 3])
