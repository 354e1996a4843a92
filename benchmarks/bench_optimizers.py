"""Update time per parameter of kusari's SGD / MomentumSGD / Adam vs PyTorch's ``foreach``.

Run with any interpreter that has kusari installed; PyTorch's column appears when
``torch`` is importable (e.g. ``/work/torch-venv/bin/python benchmarks/bench_optimizers.py``).
Each row times ``optimizer.update()`` (kusari) or ``optimizer.step()`` (PyTorch, CPU,
``foreach=True``) on one parameter of the given shape with a fixed gradient, single-threaded
(NumPy's and PyTorch's elementwise loops are single-threaded anyway), and reports the
median over repetitions in microseconds and nanoseconds per element.

    python benchmarks/bench_optimizers.py [--repeat 50] [--shapes 1000x784,10,...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy  # noqa: E402

import kusari  # noqa: E402
from kusari import optimizers  # noqa: E402

try:
    import torch  # noqa: E402

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - optional
    torch = None

SHAPES = [(10,), (1000,), (10, 1000), (1000, 784), (64, 3, 3, 3), (256, 128, 3, 3),
          (4096, 1024)]

KUSARI = {
    "SGD": lambda: optimizers.SGD(lr=0.01),
    "MomentumSGD": lambda: optimizers.MomentumSGD(lr=0.01, momentum=0.9),
    "Adam": lambda: optimizers.Adam(alpha=1e-3),
}


def _torch_opt(name: str, params: list) -> object:
    if name == "SGD":
        return torch.optim.SGD(params, lr=0.01, foreach=True)
    if name == "MomentumSGD":
        return torch.optim.SGD(params, lr=0.01, momentum=0.9, foreach=True)
    return torch.optim.Adam(params, lr=1e-3, foreach=True)


def _median_time(step: object, repeat: int, inner: int) -> float:
    step()  # warm up (allocates the optimizer state)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(inner):
            step()
        times.append((time.perf_counter() - t0) / inner)
    return statistics.median(times)


def bench_kusari(name: str, shape: tuple, repeat: int, inner: int) -> float:
    rs = numpy.random.RandomState(0)
    model = kusari.Chain()
    with model.init_scope():
        model.p = kusari.Parameter(rs.randn(*shape).astype(numpy.float32))
    model.p.grad = rs.randn(*shape).astype(numpy.float32)
    opt = KUSARI[name]().setup(model)
    return _median_time(opt.update, repeat, inner)


def bench_torch(name: str, shape: tuple, repeat: int, inner: int) -> float:
    g = torch.Generator().manual_seed(0)
    p = torch.nn.Parameter(torch.randn(*shape, generator=g))
    p.grad = torch.randn(*shape, generator=g)
    opt = _torch_opt(name, [p])
    with torch.no_grad():
        return _median_time(opt.step, repeat, inner)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--shapes", type=str, default=None,
                        help="comma-separated shapes like 1000x784,10")
    args = parser.parse_args()
    shapes = SHAPES if args.shapes is None else [
        tuple(int(d) for d in s.split("x")) for s in args.shapes.split(",")]
    print(f"numpy {numpy.__version__}, torch {torch.__version__ if torch else 'not installed'}")
    header = f"{'optimizer':<12} {'shape':<18} {'elements':>9} {'kusari us':>10} " \
             f"{'ns/elem':>8}"
    if torch is not None:
        header += f" {'torch us':>10} {'ns/elem':>8} {'kusari/torch':>12}"
    print(header)
    print("-" * len(header))
    for name in KUSARI:
        for shape in shapes:
            size = int(numpy.prod(shape))
            inner = max(1, min(1000, 2_000_000 // max(size, 1)))
            tk = bench_kusari(name, shape, args.repeat, inner)
            row = f"{name:<12} {'x'.join(map(str, shape)):<18} {size:>9} {tk * 1e6:>10.1f} " \
                  f"{tk * 1e9 / size:>8.2f}"
            if torch is not None:
                tt = bench_torch(name, shape, args.repeat, inner)
                row += f" {tt * 1e6:>10.1f} {tt * 1e9 / size:>8.2f} {tk / tt:>12.2f}"
            print(row, flush=True)


if __name__ == "__main__":
    main()
