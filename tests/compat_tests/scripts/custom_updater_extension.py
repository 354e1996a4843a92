"""Regression with a custom Updater, a custom Extension class, a make_extension
function, and an Evaluator with a custom eval_func (Chainer 7 style)."""
import numpy as np

import chainer
import chainer.functions as F
import chainer.links as L
from chainer import reporter
from chainer import training
from chainer.training import extensions


class Regressor(chainer.Chain):

    def __init__(self):
        super(Regressor, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 8)
            self.l2 = L.Linear(8, 1)

    def forward(self, x):
        return self.l2(F.tanh(self.l1(x)))


class ClippedUpdater(training.updaters.StandardUpdater):
    """Computes the loss itself and clips the loss value it reports."""

    def __init__(self, iterator, optimizer, clip, device=None):
        super(ClippedUpdater, self).__init__(iterator, optimizer, device=device)
        self.clip = clip

    def update_core(self):
        batch = self.get_iterator('main').next()
        x, t = self.converter(batch, self.device)
        optimizer = self.get_optimizer('main')
        model = optimizer.target
        y = model(x)
        loss = F.mean_squared_error(y, t)
        reporter.report({'loss': loss, 'clipped': min(float(loss.array), self.clip)},
                        model)
        model.cleargrads()
        loss.backward()
        optimizer.update()


class LossHistory(training.Extension):
    trigger = 1, 'epoch'
    priority = training.PRIORITY_READER

    def __init__(self):
        self.history = []

    def __call__(self, trainer):
        obs = trainer.observation
        self.history.append((trainer.updater.epoch, float(obs['main/loss'].array)))

    def serialize(self, serializer):
        n = serializer('n', len(self.history))
        if isinstance(serializer, chainer.serializer.Deserializer):
            self.history = self.history[:n]


@training.make_extension(trigger=(2, 'iteration'), priority=training.PRIORITY_WRITER)
def decay_alpha(trainer):
    opt = trainer.updater.get_optimizer('main')
    opt.alpha *= 0.98


def eval_func(x, t):
    y = model(x)
    reporter.report({'mae': F.mean(F.absolute(y - t))}, model)


np.random.seed(42)
x = np.random.uniform(-1, 1, (64, 3)).astype(np.float32)
t = (x.dot(np.array([[1.5], [-2.0], [0.5]], np.float32)) + 0.1 * np.sin(5 * x[:, :1]))
t = t.astype(np.float32)
train = chainer.datasets.TupleDataset(x[:48], t[:48])
valid = chainer.datasets.TupleDataset(x[48:], t[48:])

model = Regressor()
optimizer = chainer.optimizers.Adam(alpha=0.01)
optimizer.setup(model)
optimizer.add_hook(chainer.optimizer_hooks.WeightDecay(1e-4))

train_iter = chainer.iterators.SerialIterator(train, 12)
valid_iter = chainer.iterators.SerialIterator(valid, 16, repeat=False, shuffle=False)
updater = ClippedUpdater(train_iter, optimizer, clip=0.5)
trainer = training.Trainer(updater, (6, 'epoch'), out='result_unused')
history = LossHistory()
trainer.extend(history)
trainer.extend(decay_alpha)
trainer.extend(extensions.Evaluator(valid_iter, model, eval_func=eval_func))
trainer.extend(extensions.LogReport(trigger=(2, 'epoch'), filename=None))
trainer.extend(extensions.observe_value(
    'alpha', lambda trainer: trainer.updater.get_optimizer('main').alpha))
trainer.run()

for epoch, loss in history.history:
    print('history epoch %d loss %r' % (epoch, loss))
for entry in trainer.get_extension('LogReport').log:
    print('log epoch %d iteration %d loss %r clipped %r val_mae %r alpha %r' % (
        entry['epoch'], entry['iteration'], entry['main/loss'], entry['main/clipped'],
        entry['validation/main/mae'], entry['alpha']))
print('final alpha %r' % optimizer.alpha)
print('t %d' % optimizer.t)
