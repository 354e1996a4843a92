"""Optimizer base classes: hyperparameters, update rules, hooks, epochs, loss scaling."""

import copy

import numpy
import pytest

from kusari import Chain, Parameter, optimizer, optimizers, serializers
from kusari import functions as F


def _model():
    m = Chain()
    with m.init_scope():
        m.w = Parameter(numpy.array([1.0, -2.0], numpy.float32))
    return m


def test_hyperparameter_inheritance_and_copy():
    parent = optimizer.Hyperparameter()
    parent.lr = 0.1
    child = optimizer.Hyperparameter(parent)
    assert child.lr == 0.1
    child.lr = 0.5
    assert parent.lr == 0.1 and child.get_dict() == {"lr": 0.5}
    with pytest.raises(AttributeError):
        _ = optimizer.Hyperparameter().missing
    dup = copy.deepcopy(child)
    assert dup.lr == 0.5


def test_update_rule_hooks_and_counters():
    m = _model()
    opt = optimizers.SGD(lr=1.0).setup(m)
    rule = m.w.update_rule
    seen = []
    rule.add_hook(lambda r, p: seen.append(("pre", p.grad.copy())), name="pre")
    rule.add_hook(lambda r, p: seen.append(("post", p.array.copy())), name="post",
                  timing="post")
    with pytest.raises(KeyError):
        rule.add_hook(lambda r, p: None, name="pre")
    with pytest.raises(ValueError):
        rule.add_hook(lambda r, p: None, name="x", timing="auto")
    m.w.grad = numpy.array([1.0, 1.0], numpy.float32)
    opt.update()
    assert [s[0] for s in seen] == ["pre", "post"]
    numpy.testing.assert_array_equal(seen[1][1], [0.0, -3.0])
    assert rule.t == 1 and opt.t == 1
    rule.remove_hook("pre")
    rule.remove_hook("post")


def test_optimizer_hook_timing_and_errors():
    m = _model()
    opt = optimizers.SGD().setup(m)
    calls = []

    def pre(o):
        calls.append("pre")

    def post(o):
        calls.append("post")

    post.timing = "post"
    opt.add_hook(pre)
    opt.add_hook(post)
    with pytest.raises(TypeError):
        opt.add_hook(1)
    with pytest.raises(ValueError):
        opt.add_hook(pre, name="other", timing="bad")
    m.w.grad = numpy.zeros(2, numpy.float32)
    opt.update()
    assert calls == ["pre", "post"]
    opt.remove_hook("pre")
    opt.update()
    assert calls == ["pre", "post", "post"]


def test_update_with_lossfun_clears_grads():
    m = _model()
    opt = optimizers.SGD(lr=0.5).setup(m)
    m.w.grad = numpy.full(2, 100.0, numpy.float32)  # stale: must be cleared
    opt.update(lambda x: F.sum(m.w * x), numpy.array([1.0, 2.0], numpy.float32))
    numpy.testing.assert_allclose(m.w.array, [0.5, -3.0])


def test_new_epoch():
    opt = optimizers.SGD().setup(_model())
    opt.new_epoch()
    assert opt.epoch == 1
    with pytest.raises(RuntimeError):
        opt.new_epoch(auto=True)
    opt.use_auto_new_epoch = True
    opt.new_epoch(auto=True)
    assert opt.epoch == 2
    with pytest.raises(RuntimeError):
        opt.new_epoch()


def test_setup_requires_link():
    with pytest.raises(TypeError):
        optimizers.SGD().setup(object())


def test_serialize_t_epoch_and_rule_state():
    m = _model()
    opt = optimizers.MomentumSGD().setup(m)
    m.w.grad = numpy.ones(2, numpy.float32)
    opt.update()
    opt.new_epoch()
    s = serializers.DictionarySerializer()
    s.save(opt)
    assert set(s.target) == {"t", "epoch", "w/t", "w/v"}
    m2 = _model()
    opt2 = optimizers.MomentumSGD().setup(m2)
    serializers.NpzDeserializer(s.target).load(opt2)
    assert opt2.t == 1 and opt2.epoch == 1 and m2.w.update_rule.t == 1
    numpy.testing.assert_array_equal(m2.w.update_rule.state["v"], m.w.update_rule.state["v"])


def test_fixed_loss_scale_unscales_gradients():
    m = _model()
    opt = optimizers.SGD(lr=1.0).setup(m)
    opt.set_loss_scale(8.0)
    opt.update(lambda: F.sum(m.w * 2.0))
    numpy.testing.assert_allclose(m.w.array, [-1.0, -4.0])


def test_dynamic_loss_scaling_skips_overflow():
    m = _model()
    opt = optimizers.SGD(lr=1.0).setup(m)
    opt.loss_scaling(interval=2, scale=4.0)
    m.w.grad = numpy.array([numpy.inf, 1.0], numpy.float32)
    w0 = m.w.array.copy()
    opt.update()
    numpy.testing.assert_array_equal(m.w.array, w0)
    assert opt._loss_scale == 2.0


def test_use_cleargrads_false_zeroes_instead():
    m = _model()
    opt = optimizers.SGD(lr=1.0).setup(m)
    opt.use_cleargrads(False)
    opt.update(lambda: F.sum(m.w))
    numpy.testing.assert_allclose(m.w.array, [0.0, -3.0])
