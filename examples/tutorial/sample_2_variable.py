#!/usr/bin/env python
# Step 2 (kusari): Variable and kusari.functions compute the gradients (define-by-run autograd).
from common import EPOCHS, LEARNING_RATE, W1, W2, X, Y

import kusari.functions as F
from kusari import Variable


def sample_2():
    x = Variable(X)
    y = Variable(Y)
    w1 = Variable(W1.copy())
    w2 = Variable(W2.copy())
    for _ in range(EPOCHS):
        # forward pass: compute predicted y
        h = F.matmul(x, w1)
        h_r = F.relu(h)
        y_p = F.matmul(h_r, w2)
        # compute and print loss
        loss = F.mean_squared_error(y_p, y)
        print(loss.data)
        # manually zero the gradients
        w1.zerograd()
        w2.zerograd()
        # backward pass
        loss.backward()
        # update weights
        w1.data -= LEARNING_RATE * w1.grad
        w2.data -= LEARNING_RATE * w2.grad


if __name__ == '__main__':
    sample_2()
