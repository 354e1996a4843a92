import numpy
import pytest

from kusari import initializers as I
from kusari.configuration import using_config

from . import _chainer_ref

RANDOM = [
    (I.Normal, {"scale": 0.3}, lambda s, fi, fo: (0.3, "n")),
    (I.LeCunNormal, {}, lambda s, fi, fo: (numpy.sqrt(1 / fi), "n")),
    (I.GlorotNormal, {}, lambda s, fi, fo: (numpy.sqrt(2 / (fi + fo)), "n")),
    (I.HeNormal, {}, lambda s, fi, fo: (numpy.sqrt(2 / fi), "n")),
    (I.HeNormal, {"fan_option": "fan_out"}, lambda s, fi, fo: (numpy.sqrt(2 / fo), "n")),
    (I.Uniform, {"scale": 0.3}, lambda s, fi, fo: (0.3, "u")),
    (I.LeCunUniform, {}, lambda s, fi, fo: (numpy.sqrt(3 / fi), "u")),
    (I.GlorotUniform, {}, lambda s, fi, fo: (numpy.sqrt(6 / (fi + fo)), "u")),
    (I.HeUniform, {}, lambda s, fi, fo: (numpy.sqrt(6 / fi), "u")),
]


@pytest.mark.parametrize("cls,kw,expect", RANDOM)
@pytest.mark.parametrize("shape", [(40, 30), (8, 4, 3, 3)])
@pytest.mark.parametrize("dtype", [numpy.float16, numpy.float32, numpy.float64])
def test_random_draws_match_numpy_global_rng(cls, kw, expect, shape, dtype):
    fan_in, fan_out = I.get_fans(shape)
    scale, kind = expect(None, fan_in, fan_out)
    numpy.random.seed(3)
    a = I.generate_array(cls(dtype=dtype, **kw), shape, numpy)
    numpy.random.seed(3)
    if kind == "n":
        ref = numpy.random.normal(0.0, scale, shape)
    else:
        ref = numpy.random.uniform(-scale, scale, shape)
    assert a.dtype == dtype and a.shape == shape
    numpy.testing.assert_array_equal(a, ref.astype(dtype))


def test_rng_argument_is_used():
    rng = numpy.random.RandomState(0)
    a = I.generate_array(I.Normal(1.0, rng=rng), (3,), numpy)
    numpy.testing.assert_array_equal(
        a, numpy.random.RandomState(0).normal(size=3).astype(numpy.float32))
    with pytest.raises(TypeError):
        I.Normal(1.0, foo=1)


def test_he_normal_bad_fan_option():
    with pytest.raises(ValueError, match="fan_option"):
        I.HeNormal(fan_option="bad")(numpy.empty((2, 2), numpy.float32))


@pytest.mark.parametrize("shape", [(3, 7), (7, 3), (4, 4), (2, 3, 2, 2), (6, 2, 1)])
def test_orthogonal(shape):
    a = I.generate_array(I.Orthogonal(scale=2.0, dtype=numpy.float64), shape, numpy)
    m = a.reshape(shape[0], -1)
    if m.shape[0] <= m.shape[1]:
        numpy.testing.assert_allclose(m @ m.T, 4 * numpy.eye(m.shape[0]), atol=1e-12)
    else:
        numpy.testing.assert_allclose(m.T @ m, 4 * numpy.eye(m.shape[1]), atol=1e-12)


def test_orthogonal_default_scale_and_modes():
    assert I.Orthogonal().scale == 1.1
    with pytest.raises(ValueError, match="Invalid mode"):
        I.Orthogonal(mode="x")
    with pytest.raises(ValueError, match="embedding"):
        I.Orthogonal(mode="embedding")(numpy.empty((2, 3), numpy.float32))
    with pytest.raises(ValueError, match="projection"):
        I.Orthogonal(mode="projection")(numpy.empty((3, 2), numpy.float32))
    with pytest.raises(ValueError, match="non-empty"):
        I.Orthogonal()(numpy.empty((0, 2), numpy.float32))
    a = numpy.empty((), numpy.float32)
    I.Orthogonal(scale=3.0)(a)
    assert abs(float(a)) == 3.0


def test_constants():
    for cls, v in [(I.Zero, 0.0), (I.One, 1.0)]:
        numpy.testing.assert_array_equal(I.generate_array(cls(), (2, 3), numpy), v)
    assert numpy.isnan(I.generate_array(I.NaN(), (2,), numpy)).all()
    a = I.generate_array(I.Constant(numpy.arange(3.0)), (2, 3), numpy)
    numpy.testing.assert_array_equal(a, [[0, 1, 2], [0, 1, 2]])
    assert a.dtype == numpy.float32
    with pytest.raises(ValueError):
        I.Constant([1, 2])
    with pytest.raises(ValueError):
        I.generate_array(I.Constant(numpy.arange(2.0)), (3,), numpy)


def test_identity():
    numpy.testing.assert_array_equal(
        I.generate_array(I.Identity(0.5), (3, 3), numpy), 0.5 * numpy.eye(3))
    with pytest.raises(ValueError, match="squared"):
        I.Identity()(numpy.empty((2, 3), numpy.float32))


def test_dtype_rules():
    assert I.generate_array(I.Normal(), (2,), numpy).dtype == numpy.float32
    with using_config("dtype", numpy.float64):
        assert I.generate_array(I.Normal(), (2,), numpy).dtype == numpy.float64
    assert I.generate_array(I.Normal(dtype=numpy.float16), (2,), numpy).dtype == numpy.float16
    with pytest.raises(ValueError, match="dtype mismatch"):
        I.generate_array(I.Normal(dtype=numpy.float16), (2,), numpy, dtype=numpy.float32)
    with pytest.raises(AssertionError):
        I.Normal(dtype=numpy.float16)(numpy.empty(2, numpy.float32))


def test_get_fans():
    assert I.get_fans((5, 3)) == (3, 5)
    assert I.get_fans((5, 3, 2, 2)) == (12, 20)
    with pytest.raises(ValueError):
        I.get_fans((5,))
    with pytest.raises(ValueError):
        I.get_fans([5, 3])


def test_get_initializer():
    assert isinstance(I._get_initializer(None), I.LeCunNormal)
    assert isinstance(I._get_initializer(2.0), I.Constant)
    assert isinstance(I._get_initializer(numpy.ones(2)), I.Constant)
    with pytest.raises(TypeError):
        I._get_initializer(object())


def test_sampling_filters():
    up = I.generate_array(I.UpsamplingDeconvFilter(), (2, 2, 4, 4), numpy)
    tent = numpy.array([0.25, 0.75, 0.75, 0.25])
    numpy.testing.assert_allclose(up[1, 1], numpy.outer(tent, tent))
    assert (up[0, 1] == 0).all()
    down = I.generate_array(I.DownsamplingConvFilter(), (3, 1, 3, 3), numpy)
    numpy.testing.assert_allclose(down[:, 0].sum(axis=(1, 2)), 1.0, rtol=1e-6)


SCRIPT = """
shapes = [(4, 3), (3, 5), (2, 3, 3, 3), (5,), ()]
inits = [('Normal', I.Normal(0.2)), ('LeCunNormal', I.LeCunNormal()),
         ('GlorotNormal', I.GlorotNormal(0.5)), ('HeNormal', I.HeNormal()),
         ('HeNormalOut', I.HeNormal(fan_option='fan_out')), ('Uniform', I.Uniform(0.3)),
         ('LeCunUniform', I.LeCunUniform()), ('GlorotUniform', I.GlorotUniform()),
         ('HeUniform', I.HeUniform()), ('Orthogonal', I.Orthogonal()),
         ('Identity', I.Identity(0.5)), ('Constant', I.Constant(numpy.arange(3.0))),
         ('Up', I.UpsamplingDeconvFilter()), ('Down', I.DownsamplingConvFilter())]
numpy.random.seed(7)
for name, init in inits:
    for dtype in ('float16', 'float32', 'float64'):
        for shape in shapes:
            try:
                a = I.generate_array(init, shape, numpy, dtype=dtype)
                OUT[f'{name}_{dtype}_{shape}'] = a
            except Exception as e:
                OUT[f'{name}_{dtype}_{shape}_err'] = numpy.array(type(e).__name__)
OUT['next'] = numpy.random.random(3)
"""


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_same_values_as_chainer():
    _chainer_ref.compare(SCRIPT)
