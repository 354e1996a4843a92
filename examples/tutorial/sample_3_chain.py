#!/usr/bin/env python
# Step 3 (kusari): the network as a kusari.Chain (old-style keyword constructor of children).
from common import EPOCHS, LEARNING_RATE, N_H, N_I, N_O, W1, W2, X, Y

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import Variable


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


def sample_3():
    x = Variable(X)
    y = Variable(Y)
    model = TwoLayerNet(N_I, N_H, N_O)
    for _ in range(EPOCHS):
        y_p = model(x)
        loss = F.mean_squared_error(y_p, y)
        print(loss.data)
        model.cleargrads()
        loss.backward()
        model.linear1.W.data -= LEARNING_RATE * model.linear1.W.grad
        model.linear2.W.data -= LEARNING_RATE * model.linear2.W.grad


if __name__ == '__main__':
    sample_3()
