"""Optimizer trajectories against the reference Chainer 7 (optional group)."""

import pytest

from ..initializers_tests import _chainer_ref

CASES = [
    "SGD(lr=0.1)", "MomentumSGD(lr=0.05, momentum=0.8)", "CorrectedMomentumSGD(lr=0.05)",
    "NesterovAG(lr=0.05)", "AdaGrad(lr=0.1)", "AdaDelta()", "RMSprop(lr=0.01)",
    "RMSprop(lr=0.01, eps_inside_sqrt=True, eps=1e-4)", "RMSpropGraves(lr=0.01)",
    "Adam(alpha=0.01)", "Adam(alpha=0.01, weight_decay_rate=0.1, eta=0.5)",
    "Adam(alpha=0.01, amsgrad=True)", "Adam(alpha=0.01, adabound=True, final_lr=0.05)",
    "AdamW(weight_decay_rate=0.01)", "AMSGrad(alpha=0.02)", "AdaBound(alpha=0.02)",
    "AMSBound(alpha=0.02, gamma=0.1)", "SMORMS3(lr=0.01)",
]

SCRIPT = """
specs = {specs!r}
for dtype in ('float32', 'float64'):
    for k, spec in enumerate(specs):
        rs = numpy.random.RandomState(k)
        model = chainer.Chain()
        with model.init_scope():
            model.a = chainer.Parameter(rs.randn(3, 4).astype(dtype))
            model.b = chainer.Parameter(rs.randn(5).astype(dtype))
        opt = eval('O.' + spec)
        opt.setup(model)
        {extra}
        for step in range({steps}):
            for name, p in sorted(model.namedparams()):
                p.grad = (rs.randn(*p.shape) * (1 + step % 3)).astype(dtype)
                if step == 2:
                    p.grad[...] = 0  # exercises 0/0 paths (M-SVAG)
            opt.update()
        for name, p in model.namedparams():
            OUT[f'{{dtype}}_{{spec}}_{{name}}'] = p.array
            for key, value in p.update_rule.state.items():
                OUT[f'{{dtype}}_{{spec}}_{{name}}_{{key}}'] = numpy.asarray(value)
"""


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_trajectories_match_chainer_exactly():
    _chainer_ref.compare(SCRIPT.format(specs=CASES, steps=8, extra=""))


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_msvag_matches_chainer():
    # kusari computes beta^t from the step count (so resumed runs continue exactly);
    # Chainer multiplies an unsaved running power: results agree to rounding
    specs = ["MSVAG(lr=0.1)", "MSVAG(lr=0.1, weight_decay_rate=0.01, eta=0.5)"]
    _chainer_ref.compare(SCRIPT.format(specs=specs, steps=8, extra=""), rtol=1e-5, atol=1e-7)


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
@pytest.mark.parametrize("hook", ["WeightDecay(0.01)", "Lasso(0.01)", "GradientClipping(0.5)",
                                  "GradientHardClipping(-0.3, 0.4)",
                                  "GradientLARS(threshold=0.1, weight_decay=0.01)"])
def test_hooks_match_chainer_exactly(hook):
    extra = f"opt.add_hook(H.{hook})"
    script = SCRIPT.format(specs=["SGD(lr=0.1)", "MomentumSGD(lr=0.05)", "Adam()"], steps=4,
                           extra=extra)
    _chainer_ref.compare(script)


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_post_hook_and_per_param_hook_match_chainer():
    extra = ("h = H.WeightDecay(0.1); h.timing = 'post'; opt.add_hook(h)\n"
             "        model.a.update_rule.add_hook(H.GradientHardClipping(-0.1, 0.1))\n"
             "        model.b.update_rule.hyperparam.{hp} = 0.5 * opt.{hp}")
    for specs, hp in [(["SGD(lr=0.1)", "MomentumSGD(lr=0.05)"], "lr"), (["Adam()"], "alpha")]:
        _chainer_ref.compare(SCRIPT.format(specs=specs, steps=4, extra=extra.format(hp=hp)))
