"""Per-step time of the tutorial network: hand-written NumPy (sample 1) vs kusari (sample 4).

Run by hand: ``python benchmarks/bench_seed.py [--steps N] [--repeat R]``. Prints a table of
median step times (ms) and the ratio. BLAS threads are fixed to 1 unless
``OMP_NUM_THREADS`` is set, so the two sides compare Python overhead, not threading.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", os.environ["OMP_NUM_THREADS"])

import numpy  # noqa: E402

import kusari  # noqa: E402
import kusari.functions as F  # noqa: E402
import kusari.links as L  # noqa: E402
from kusari import optimizers  # noqa: E402

M, N_I, N_H, N_O, LR = 64, 1000, 100, 10, 1e-4


def data() -> tuple:
    rng = numpy.random.RandomState(1)
    x = rng.randn(M, N_I).astype(numpy.float32)
    y = rng.randn(M, N_O).astype(numpy.float32)
    w1 = rng.randn(N_I, N_H).astype(numpy.float32)
    w2 = rng.randn(N_H, N_O).astype(numpy.float32)
    return x, y, w1, w2


def numpy_steps(n: int) -> list[float]:
    x, y, w1, w2 = data()
    w1, w2 = w1.copy(), w2.copy()
    size = numpy.float32(M * N_O)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        h = x.dot(w1)
        h_r = numpy.maximum(h, 0)
        y_p = h_r.dot(w2)
        loss = numpy.square(y_p - y).sum() / size
        g = 2.0 * (y_p - y) / size
        gw2 = h_r.T.dot(g)
        gh = g.dot(w2.T)
        gh[h < 0] = 0
        gw1 = x.T.dot(gh)
        w1 -= LR * gw1
        w2 -= LR * gw2
        float(loss)
        times.append(time.perf_counter() - t)
    return times


class TwoLayerNet(kusari.Chain):
    def __init__(self, w1: numpy.ndarray, w2: numpy.ndarray) -> None:
        super().__init__()
        with self.init_scope():
            self.linear1 = L.Linear(N_I, N_H, initialW=w1.T)
            self.linear2 = L.Linear(N_H, N_O, initialW=w2.T)

    def forward(self, x: kusari.Variable) -> kusari.Variable:
        return self.linear2(F.relu(self.linear1(x)))


def kusari_steps(n: int, variables: bool = True) -> list[float]:
    """Sample 4's loop. With ``variables`` the inputs are ``Variable(X)`` as in the
    tutorial, so backward also computes the (unused) gradient of X, a third large
    matrix product that sample 1 does not do; without, arrays go in as the trainer
    feeds them."""
    x, y, w1, w2 = data()
    model = TwoLayerNet(w1, w2)
    opt = optimizers.SGD(lr=LR).setup(model)
    xv, yv = (kusari.Variable(x), kusari.Variable(y)) if variables else (x, y)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        loss = F.mean_squared_error(model(xv), yv)
        model.cleargrads()
        loss.backward()
        opt.update()
        float(loss.array)
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    res: dict[str, list[float]] = {
        "numpy (sample 1)": [], "kusari (sample 4)": [], "kusari, array inputs": []}
    for _ in range(args.repeat):  # interleaved, so drift affects all alike
        res["numpy (sample 1)"] += numpy_steps(args.steps)[10:]
        res["kusari (sample 4)"] += kusari_steps(args.steps)[10:]
        res["kusari, array inputs"] += kusari_steps(args.steps, variables=False)[10:]
    base = statistics.median(res["numpy (sample 1)"])
    print(f"{'workload':<24}{'median ms':>12}{'vs numpy':>10}")
    for name, ts in res.items():
        med = statistics.median(ts)
        print(f"{name:<24}{med * 1e3:>12.4f}{med / base:>9.2f}x")


if __name__ == "__main__":
    main()
