"""Snapshot a training run, resume it in a fresh Trainer, and compare with an
uninterrupted run (Chainer 7 style)."""
import os
import sys

import numpy as np

import chainer
import chainer.functions as F
import chainer.links as L
from chainer import serializers
from chainer import training
from chainer.training import extensions


def make_trainer(out, stop_epoch):
    np.random.seed(7)
    x = np.random.uniform(-1, 1, (30, 4)).astype(np.float32)
    t = (x.sum(axis=1) > 0).astype(np.int32)
    dataset = chainer.datasets.TupleDataset(x, t)
    model = L.Classifier(chainer.Sequential(L.Linear(4, 6), F.sigmoid, L.Linear(6, 2)))
    optimizer = chainer.optimizers.MomentumSGD(lr=0.2)
    optimizer.setup(model)
    it = chainer.iterators.SerialIterator(dataset, 8, shuffle=False)
    updater = training.updaters.StandardUpdater(it, optimizer)
    trainer = training.Trainer(updater, (stop_epoch, 'epoch'), out=out)
    trainer.extend(extensions.LogReport(trigger=(1, 'epoch')))
    trainer.extend(extensions.snapshot(filename='snapshot_epoch_{.updater.epoch}'),
                   trigger=(1, 'epoch'))
    trainer.extend(extensions.snapshot_object(model, 'model_epoch_{.updater.epoch}'),
                   trigger=(2, 'epoch'))
    return trainer, model, optimizer


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else 'result'

    full, full_model, _ = make_trainer(os.path.join(out, 'full'), 4)
    full.run()

    first, _, _ = make_trainer(os.path.join(out, 'resume'), 2)
    first.run()
    print('files', sorted(os.listdir(os.path.join(out, 'resume'))))

    resumed, model, optimizer = make_trainer(os.path.join(out, 'resume'), 4)
    serializers.load_npz(os.path.join(out, 'resume', 'snapshot_epoch_2'), resumed)
    print('loaded iteration %d epoch %d t %d' % (
        resumed.updater.iteration, resumed.updater.epoch, optimizer.t))
    resumed.run()

    for a, b in zip(full.get_extension('LogReport').log,
                    resumed.get_extension('LogReport').log):
        print('epoch %d full %r resumed %r' % (a['epoch'], a['main/loss'], b['main/loss']))
    same = all(np.array_equal(p.array, q.array) for p, q in
               zip(full_model.params(), model.params()))
    print('identical parameters', same)

    reloaded = L.Classifier(chainer.Sequential(L.Linear(4, 6), F.sigmoid, L.Linear(6, 2)))
    serializers.load_npz(os.path.join(out, 'resume', 'model_epoch_4'), reloaded)
    print('model snapshot W %r' % float(reloaded.predictor[0].W.array.sum()))
    npz = np.load(os.path.join(out, 'resume', 'snapshot_epoch_4'))
    print('keys', sorted(k for k in npz.files if k.startswith('updater/')
                         and '_rng_state' not in k))


if __name__ == '__main__':
    main()
