import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType


def _ref(x, t, normalize=True, class_weight=None, ignore_label=-1, reduce="mean"):
    x = x.astype(numpy.float64)
    xm = numpy.moveaxis(x, 1, -1).reshape(-1, x.shape[1])
    tf = t.reshape(-1)
    losses = numpy.zeros(tf.shape)
    count = 0
    for i in range(len(tf)):
        if tf[i] == ignore_label:
            continue
        count += 1
        row = xm[i]
        lse = numpy.log(numpy.exp(row - row.max()).sum()) + row.max()
        w = 1.0 if class_weight is None else class_weight[tf[i]]
        losses[i] = w * (lse - row[tf[i]])
    if reduce == "no":
        return losses.reshape(t.shape)
    div = max(count, 1) if normalize else x.shape[0]
    return numpy.asarray(losses.sum() / div)


@testing.parameterize(*(testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "shape": [(4, 3), (2, 3, 2, 2)],
    "reduce": ["mean", "no"],
    "opts": [{}],
}) + testing.product({
    "dtype": [numpy.float64],
    "shape": [(5, 4)],
    "reduce": ["mean", "no"],
    "opts": [{"normalize": False}, {"class_weight": True}, {"ignore_label": 2}],
})))
class TestSoftmaxCrossEntropy(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_backward_options = {"atol": 1e-2, "rtol": 1e-2}
            self.check_double_backward_options = {"atol": 1e-2, "rtol": 5e-2}
        self.cw = (numpy.random.uniform(0.5, 2, self.shape[1]).astype(self.dtype)
                   if self.opts.get("class_weight") else None)
        self.ignore = self.opts.get("ignore_label", -1)
        t_shape = self.shape[:1] + self.shape[2:]
        self.t = numpy.random.randint(0, self.shape[1], t_shape).astype(numpy.int32)
        self.t.reshape(-1)[0] = self.ignore

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        x, = inputs
        return F.softmax_cross_entropy(
            x, self.t, normalize=self.opts.get("normalize", True), class_weight=self.cw,
            ignore_label=self.ignore, reduce=self.reduce),

    def forward_expected(self, inputs):
        x, = inputs
        y = _ref(x, self.t, self.opts.get("normalize", True), self.cw, self.ignore,
                 self.reduce)
        return y.astype(self.dtype),


@testing.parameterize(*testing.product({
    "soft_target_loss": ["cross-entropy", "kl-divergence"],
    "reduce": ["mean", "no"],
}))
class TestSoftTarget(testing.FunctionTestCase):

    def setUp(self):
        self.t = numpy.random.dirichlet(numpy.ones(3), (2, 4)).transpose(0, 2, 1).copy()

    def generate_inputs(self):
        return numpy.random.uniform(-2, 2, (2, 3, 4)),

    def forward(self, inputs, device):
        return F.softmax_cross_entropy(inputs[0], self.t, reduce=self.reduce,
                                       soft_target_loss=self.soft_target_loss),

    def forward_expected(self, inputs):
        x, = inputs
        t = self.t
        ls = x - numpy.log(numpy.exp(x).sum(1, keepdims=True))
        if self.soft_target_loss == "cross-entropy":
            loss = -(t * ls).sum(1)
        else:
            loss = (t * (numpy.log(t) - ls)).sum(1)
        return (loss.mean() if self.reduce == "mean" else loss),


def test_all_ignored_gives_zero():
    x = numpy.random.randn(3, 4).astype(numpy.float32)
    t = numpy.full(3, -1, numpy.int32)
    assert float(F.softmax_cross_entropy(x, t).array) == 0.0


def test_fast_and_graph_backward_agree():
    x = numpy.random.randn(4, 5)
    t = numpy.array([0, 3, -1, 4], numpy.int32)
    cw = numpy.random.uniform(0.5, 2, 5)
    grads = []
    for double in (False, True):
        v = kusari.Variable(x)
        loss = F.softmax_cross_entropy(v, t, class_weight=cw)
        loss.backward(enable_double_backprop=double)
        grads.append(v.grad)
    numpy.testing.assert_allclose(grads[0], grads[1], rtol=1e-10)


def test_errors():
    x = numpy.zeros((3, 4), numpy.float32)
    t = numpy.zeros(3, numpy.int32)
    with pytest.raises(ValueError, match="only 'mean' and 'no'"):
        F.softmax_cross_entropy(x, t, reduce="sum")
    with pytest.raises(ValueError, match="soft_target_loss"):
        F.softmax_cross_entropy(x, t, soft_target_loss="foo")
    with pytest.raises(ValueError, match="class_weight"):
        F.softmax_cross_entropy(x, t, class_weight=numpy.ones(3, numpy.float32))
    with pytest.raises(InvalidType) as e:
        F.softmax_cross_entropy(x, numpy.zeros(4, numpy.int32))
    assert "SoftmaxCrossEntropy (Forward)" in str(e.value)
    assert "t.shape" in str(e.value)
    with pytest.raises(InvalidType, match="x.dtype.kind == f"):
        F.softmax_cross_entropy(x.astype(numpy.int32), t)
