#!/usr/bin/env python
# Step 5 (kusari): kusari.training runs the loop (dataset, iterator, updater, trainer, reports).
from common import EPOCHS, LEARNING_RATE, N_H, N_I, N_O, W1, W2, M, X, Y

import kusari
import kusari.datasets as D
import kusari.functions as F
import kusari.iterators as Iter
import kusari.links as L
import kusari.optimizers as P
from kusari import reporter, training
from kusari.training import extensions


class TwoLayerNet(kusari.Chain):
    def __init__(self, d_in, h, d_out):
        super().__init__(
            linear1=L.Linear(d_in, h, initialW=W1.transpose()),
            linear2=L.Linear(h, d_out, initialW=W2.transpose())
        )

    def __call__(self, x):
        g = self.linear1(x)
        h_r = F.relu(g)
        y_p = self.linear2(h_r)
        return y_p


class LossCalculator(kusari.Chain):
    def __init__(self, model):
        super().__init__()
        with self.init_scope():
            self.model = model

    def __call__(self, x, y):
        y_p = self.model(x)
        loss = F.mean_squared_error(y_p, y)
        reporter.report({'loss': loss}, self)
        return loss


def sample_5(out='result'):
    dataset = D.TupleDataset(X, Y)
    train_iter = Iter.SerialIterator(dataset, batch_size=M, shuffle=False)
    model = TwoLayerNet(N_I, N_H, N_O)
    loss_calculator = LossCalculator(model)
    optimizer = P.SGD(lr=LEARNING_RATE)
    optimizer.setup(loss_calculator)
    updater = training.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (EPOCHS, 'epoch'), out=out)
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch', 'main/loss', 'elapsed_time']))
    trainer.run()


if __name__ == '__main__':
    sample_5()
