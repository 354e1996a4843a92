"""A user-defined FunctionNode with its own backward, checked numerically and used
for double backprop (Chainer 7 style)."""
import numpy as np

import chainer
from chainer import function_node
from chainer import gradient_check
from chainer.utils import type_check
import chainer.functions as F


class ScaledSoftsign(function_node.FunctionNode):
    """y = a * x / (1 + |x|)"""

    def __init__(self, a):
        self.a = a

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x_type, = in_types
        type_check.expect(x_type.dtype.kind == 'f')

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = chainer.backend.get_array_module(x)
        y = self.a * x / (1 + xp.abs(x))
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        denom = 1 + F.absolute(x)
        return self.a * gy / (denom * denom),


def scaled_softsign(x, a=2.0):
    return ScaledSoftsign(a).apply((x,))[0]


def main():
    np.random.seed(3)
    x_data = np.random.uniform(-2, 2, (3, 4)).astype(np.float32)
    x = chainer.Variable(x_data)
    y = scaled_softsign(x)
    loss = F.sum(y * y)
    loss.backward()
    print('y', y.array.tolist())
    print('loss %r' % float(loss.array))
    print('gx', x.grad.tolist())

    # second order: d/dx sum(dy/dx)
    x2 = chainer.Variable(x_data)
    y2 = scaled_softsign(x2)
    gx, = chainer.grad([F.sum(y2)], [x2], enable_double_backprop=True)
    ggx, = chainer.grad([F.sum(gx * gx)], [x2])
    print('gx2', gx.array.tolist())
    print('ggx', ggx.array.tolist())

    gy = np.random.uniform(-1, 1, (3, 4)).astype(np.float64)
    gradient_check.check_backward(
        scaled_softsign, x_data.astype(np.float64), gy, dtype=np.float64)
    print('check_backward ok')

    try:
        scaled_softsign(np.arange(3, dtype=np.int32))
    except type_check.InvalidType as e:
        print('InvalidType', str(e).strip().splitlines()[-2:])


if __name__ == '__main__':
    main()
