"""Link hooks against the reference Chainer 7 (optional group)."""

from ..initializers_tests import _chainer_ref

SPECTRAL_SCRIPT = """
H = _m('link_hooks')
rs = numpy.random.RandomState(0)
shapes = {'lin': (3, 4), 'conv': (3, 2, 2, 2), 'deconv': (2, 3, 2, 2), 'embed': (5, 3)}
for dtype in ('float32', 'float64'):
    for kind in ('lin', 'conv', 'deconv', 'embed'):
        for kw in ({}, {'use_gamma': True}, {'factor': 2.0, 'n_power_iteration': 3}):
            W = rs.randn(*shapes[kind]).astype(dtype)
            b = rs.randn(3).astype(dtype)
            with chainer.using_config('dtype', numpy.dtype(dtype)):
                if kind == 'lin':
                    link = L.Linear(4, 3, initialW=W, initial_bias=b)
                elif kind == 'conv':
                    link = L.Convolution2D(2, 3, 2, initialW=W, initial_bias=b)
                elif kind == 'deconv':
                    link = L.Deconvolution2D(2, 3, 2, initialW=W, initial_bias=b)
                else:
                    link = L.EmbedID(5, 3, initialW=W)
            if kind == 'embed':
                x = numpy.array([0, 3, 4], numpy.int32)
            else:
                x = rs.randn(*((2, 4) if kind == 'lin' else (2, 2, 3, 3))).astype(dtype)
            link.add_hook(H.SpectralNormalization(**kw))
            k = dtype + '_' + kind + '_' + '_'.join(sorted(kw))
            OUT[k + '_u_shape'] = numpy.array(link.W_u.shape)
            link.W_u[...] = rs.randn(*link.W_u.shape)
            y = link(x)
            OUT[k + '_y'] = y.array
            OUT[k + '_u'] = link.W_u.copy()
            OUT[k + '_params'] = numpy.array(sorted(n for n, _ in link.namedparams()))
            if kw.get('use_gamma'):
                OUT[k + '_gamma'] = link.gamma.array
            y.grad = rs.randn(*y.shape).astype(dtype)
            if kind != 'deconv':  # Chainer's deconvolution backward fails here
                link.cleargrads()
                y.backward()
                OUT[k + '_gW'] = link.W.grad
                if kw.get('use_gamma'):
                    OUT[k + '_ggamma'] = numpy.asarray(link.gamma.grad)
            with chainer.using_config('train', False):
                OUT[k + '_y_test'] = link(x).array
            OUT[k + '_u_test'] = link.W_u.copy()
"""

STANDARDIZATION_SCRIPT = """
H = _m('link_hooks')
rs = numpy.random.RandomState(0)
for dtype in ('float32', 'float64'):
    for kind, shape in (('lin', (3, 4)), ('conv', (3, 2, 2, 2)), ('embed', (5, 3))):
        W = (rs.randn(*shape) * 2 + 1).astype(dtype)
        with chainer.using_config('dtype', numpy.dtype(dtype)):
            if kind == 'lin':
                link = L.Linear(4, 3, initialW=W)
                x = rs.randn(2, 4).astype(dtype)
            elif kind == 'conv':
                link = L.Convolution2D(2, 3, 2, initialW=W)
                x = rs.randn(2, 2, 3, 3).astype(dtype)
            else:
                link = L.EmbedID(5, 3, initialW=W)
                x = numpy.array([0, 3, 4], numpy.int32)
        link.add_hook(H.WeightStandardization(eps=1e-3))
        y = link(x)
        y.grad = rs.randn(*y.shape).astype(dtype)
        link.cleargrads()
        y.backward()
        OUT[dtype + kind + '_y'] = y.array
        OUT[dtype + kind + '_gW'] = link.W.grad
"""

TIMER_SCRIPT = """
import io, time
tm = _m('link_hooks.timer')
state = [0.0]
def fake():
    state[0] += 0.0003
    return state[0]
time.perf_counter = fake
if hasattr(tm, '_get_time'):
    tm._get_time = fake

class MLP(chainer.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4)
            self.l2 = L.Linear(4, 2)
    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))

model = MLP()
with _m('link_hooks').TimerHook() as hook:
    for _ in range(2):
        model(numpy.ones((1, 3), numpy.float32))
OUT['names'] = numpy.array([n for n, _ in hook.call_history])
OUT['times'] = numpy.array([t for _, t in hook.call_history])
OUT['total'] = numpy.array(hook.total_time())
for unit in ('auto', 'auto_foreach', 'sec', 'ms', 'us', 'ns'):
    f = io.StringIO()
    hook.print_report(unit=unit, file=f)
    OUT['report_' + unit] = numpy.array(f.getvalue())
"""


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_spectral_normalization_matches_chainer():
    ours = _chainer_ref.compare(SPECTRAL_SCRIPT, rtol=1e-5, atol=1e-6)
    assert len(ours) > 100


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_weight_standardization_matches_chainer():
    _chainer_ref.compare(STANDARDIZATION_SCRIPT, rtol=1e-5, atol=1e-6)


@_chainer_ref.chainer_ref
@_chainer_ref.needs_chainer
def test_timer_report_matches_chainer():
    ours = _chainer_ref.compare(TIMER_SCRIPT, rtol=1e-12)
    assert str(ours["report_auto"]).splitlines()[0] == "LinkName  ElapsedTime  Occurrence"
