"""Train an MLP classifier on synthetic 2-D blobs with the Trainer (Chainer 7 style)."""
import argparse

import numpy as np

import chainer
import chainer.functions as F
import chainer.links as L
from chainer import training
from chainer.training import extensions


class MLP(chainer.Chain):

    def __init__(self, n_units, n_out):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def make_blobs(n_per_class, rng):
    centers = np.array([[0, 2], [2, -1], [-2, -1]], dtype=np.float32)
    xs, ts = [], []
    for label, c in enumerate(centers):
        xs.append(c + rng.randn(n_per_class, 2).astype(np.float32))
        ts.append(np.full(n_per_class, label, dtype=np.int32))
    return np.concatenate(xs), np.concatenate(ts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--epoch', type=int, default=5)
    parser.add_argument('--out', default='result')
    args = parser.parse_args()

    np.random.seed(0)
    rng = np.random.RandomState(1)
    x, t = make_blobs(40, rng)
    vx, vt = make_blobs(10, rng)
    train = chainer.datasets.TupleDataset(x, t)
    test = chainer.datasets.TupleDataset(vx, vt)

    model = L.Classifier(MLP(16, 3))
    optimizer = chainer.optimizers.MomentumSGD(lr=0.05, momentum=0.9)
    optimizer.setup(model)

    train_iter = chainer.iterators.SerialIterator(train, 16)
    test_iter = chainer.iterators.SerialIterator(test, 10, repeat=False,
                                                 shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    trainer.extend(extensions.Evaluator(test_iter, model))
    trainer.extend(extensions.LogReport(filename=None))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'iteration', 'main/loss', 'validation/main/loss',
         'main/accuracy', 'validation/main/accuracy']))
    trainer.run()

    log = trainer.get_extension('LogReport').log
    for entry in log:
        print('epoch %d loss %r val_loss %r val_acc %r' % (
            entry['epoch'], entry['main/loss'], entry['validation/main/loss'],
            entry['validation/main/accuracy']))
    with chainer.using_config('train', False), chainer.no_backprop_mode():
        y = model.predictor(vx)
    print('prediction', F.argmax(y, axis=1).array.tolist())
    print('W1 sum %r' % float(model.predictor.l1.W.array.sum()))


if __name__ == '__main__':
    main()
