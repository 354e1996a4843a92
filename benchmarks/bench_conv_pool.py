"""Time convolution_2d and max_pooling_2d forward+backward against PyTorch on the CPU.

Run from an environment that has both kusari and (optionally) torch, for instance::

    /work/torch-venv/bin/python benchmarks/bench_conv_pool.py [--repeat 10] [--threads N]

Prints one row per case: kusari and torch milliseconds (median of ``--repeat`` runs of
forward + backward) and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy

import kusari
import kusari.functions as F

CONV_CASES = [
    # (name, N, C_in, H, W, C_out, k, stride, pad)
    ("conv 3x3 32x32 c64", 32, 64, 32, 32, 64, 3, 1, 1),
    ("conv 3x3 16x16 c128", 32, 128, 16, 16, 128, 3, 1, 1),
    ("conv 5x5 28x28 c1->20 (mnist)", 64, 1, 28, 28, 20, 5, 1, 0),
    ("conv 3x3 s2 56x56 c64", 16, 64, 56, 56, 128, 3, 2, 1),
    ("conv 1x1 14x14 c256", 32, 256, 14, 14, 256, 1, 1, 0),
]

POOL_CASES = [
    # (name, N, C, H, W, k, stride, pad)
    ("maxpool 2x2 32x32 c64", 32, 64, 32, 32, 2, 2, 0),
    ("maxpool 3x3 s2 56x56 c64", 16, 64, 56, 56, 3, 2, 1),
    ("maxpool 2x2 24x24 c20 (mnist)", 64, 20, 24, 24, 2, 2, 0),
]


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def _kusari_conv(x, W, b, stride, pad):
    def run():
        xv, Wv, bv = kusari.Variable(x), kusari.Variable(W), kusari.Variable(b)
        y = F.convolution_2d(xv, Wv, bv, stride=stride, pad=pad)
        y.grad = numpy.ones_like(y.array)
        y.backward()
        return xv.grad, Wv.grad, bv.grad

    return run


def _kusari_pool(x, k, stride, pad):
    def run():
        xv = kusari.Variable(x)
        y = F.max_pooling_2d(xv, k, stride, pad, cover_all=False)
        y.grad = numpy.ones_like(y.array)
        y.backward()
        return xv.grad

    return run


def _torch_conv(torch, x, W, b, stride, pad):
    xt = torch.from_numpy(x).requires_grad_()
    Wt = torch.from_numpy(W).requires_grad_()
    bt = torch.from_numpy(b).requires_grad_()

    def run():
        xt.grad = Wt.grad = bt.grad = None
        y = torch.nn.functional.conv2d(xt, Wt, bt, stride=stride, padding=pad)
        y.backward(torch.ones_like(y))
        return xt.grad

    return run


def _torch_pool(torch, x, k, stride, pad):
    xt = torch.from_numpy(x).requires_grad_()

    def run():
        xt.grad = None
        y = torch.nn.functional.max_pool2d(xt, k, stride, pad)
        y.backward(torch.ones_like(y))
        return xt.grad

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--threads", type=int, default=0,
                        help="torch intra-op threads (0: torch's default)")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None and args.threads:
        torch.set_num_threads(args.threads)
    rng = numpy.random.default_rng(0)
    rows = []
    for name, n, c, h, w, o, k, s, p in CONV_CASES:
        x = rng.standard_normal((n, c, h, w), numpy.float32)
        W = rng.standard_normal((o, c, k, k), numpy.float32) * 0.1
        b = rng.standard_normal(o, numpy.float32)
        ours = _median_ms(_kusari_conv(x, W, b, s, p), args.repeat)
        theirs = (_median_ms(_torch_conv(torch, x, W, b, s, p), args.repeat)
                  if torch is not None else float("nan"))
        rows.append((name, ours, theirs))
    for name, n, c, h, w, k, s, p in POOL_CASES:
        x = rng.standard_normal((n, c, h, w), numpy.float32)
        ours = _median_ms(_kusari_pool(x, k, s, p), args.repeat)
        theirs = (_median_ms(_torch_pool(torch, x, k, s, p), args.repeat)
                  if torch is not None else float("nan"))
        rows.append((name, ours, theirs))
    width = max(len(r[0]) for r in rows)
    print(f"{'case (forward + backward, float32)':<{width}}  {'kusari ms':>10}  "
          f"{'torch ms':>10}  {'ratio':>7}")
    for name, ours, theirs in rows:
        ratio = ours / theirs if theirs == theirs else float("nan")
        print(f"{name:<{width}}  {ours:10.2f}  {theirs:10.2f}  {ratio:7.2f}")
    if torch is None:
        print("(torch is not importable here: only kusari timings)")
    else:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
              f"numpy {numpy.__version__}")


if __name__ == "__main__":
    main()
