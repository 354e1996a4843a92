"""Throughput of kusari's iterators over an augmenting dataset, against PyTorch's DataLoader.

Run by hand (not a test)::

    python benchmarks/bench_iterators.py --workers 4 --batch-size 64 --batches 100

Each row is one loader reading the same dataset: every example is an image that is
randomly cropped, flipped, jittered and normalised in Python/NumPy, the typical CPU
cost of data augmentation. The PyTorch column appears only when ``torch`` imports.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator

import numpy

from kusari.dataset import concat_examples
from kusari.iterators import MultiprocessIterator, MultithreadIterator, SerialIterator


class AugmentedImages:
    """``n`` random uint8 images of ``size`` x ``size``, augmented on every access."""

    def __init__(self, n: int, size: int, crop: int, work: int) -> None:
        rng = numpy.random.RandomState(0)
        self.images = rng.randint(0, 256, (n, 3, size, size), dtype=numpy.uint8)
        self.labels = rng.randint(0, 10, n).astype(numpy.int32)
        self.crop = crop
        self.work = work

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple[numpy.ndarray, numpy.int32]:
        rng = numpy.random.default_rng(int(i) + int(time.perf_counter_ns() % 1000))
        image = self.images[i]
        size = image.shape[1]
        y, x = rng.integers(0, size - self.crop + 1, 2)
        out = image[:, y : y + self.crop, x : x + self.crop].astype(numpy.float32)
        if rng.random() < 0.5:
            out = out[:, :, ::-1]
        for _ in range(self.work):  # extra per-example work: colour jitter rounds
            out = out * rng.uniform(0.9, 1.1, (3, 1, 1)).astype(numpy.float32)
            out = numpy.clip(out, 0.0, 255.0)
        out -= out.mean(axis=(1, 2), keepdims=True)
        return numpy.ascontiguousarray(out / 64.0), self.labels[i]


def _time(batches: Iterator, n: int, warmup: int) -> float:
    for _ in range(warmup):
        next(batches)
    start = time.perf_counter()
    for _ in range(n):
        next(batches)
    return n / (time.perf_counter() - start)


def _kusari(make: Callable[[], object]) -> Callable[[int, int], float]:
    def run(n: int, warmup: int) -> float:
        it = make()
        try:
            return _time((concat_examples(b) for b in it), n, warmup)
        finally:
            it.finalize()

    return run


def _torch(dataset: AugmentedImages, batch_size: int, workers: int) -> Callable[[int, int], float]:
    import torch.utils.data

    def run(n: int, warmup: int) -> float:
        sampler = torch.utils.data.RandomSampler(
            dataset, replacement=False, num_samples=batch_size * (n + warmup + 2)
        )
        loader = torch.utils.data.DataLoader(
            dataset, batch_size=batch_size, sampler=sampler, num_workers=workers,
            persistent_workers=False,
        )  # fmt: skip
        return _time(iter(loader), n, warmup)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--examples", type=int, default=2048)
    parser.add_argument("--size", type=int, default=72)
    parser.add_argument("--crop", type=int, default=64)
    parser.add_argument("--work", type=int, default=8, help="jitter rounds per example")
    args = parser.parse_args()

    ds = AugmentedImages(args.examples, args.size, args.crop, args.work)
    bs, w = args.batch_size, args.workers
    loaders: list[tuple[str, Callable[[int, int], float]]] = [
        ("SerialIterator", _kusari(lambda: SerialIterator(ds, bs))),
        (f"MultithreadIterator (n_threads={w})",
         _kusari(lambda: MultithreadIterator(ds, bs, n_threads=w))),
        (f"MultiprocessIterator (n_processes={w})",
         _kusari(lambda: MultiprocessIterator(ds, bs, n_processes=w, n_prefetch=2))),
    ]  # fmt: skip
    try:
        import torch  # noqa: F401

        loaders.append((f"torch DataLoader (num_workers={w})", _torch(ds, bs, w)))
    except ImportError:
        print("(torch is not importable: no PyTorch column)")

    print(
        f"dataset: {args.examples} images 3x{args.size}x{args.size} -> crop {args.crop}, "
        f"{args.work} jitter rounds; batch {bs}; "
        f"{args.batches} batches after {args.warmup} warm-up"
    )
    print(f"{'loader':<44}{'batches/s':>12}{'examples/s':>14}{'vs serial':>11}")
    base = None
    for name, run in loaders:
        rate = run(args.batches, args.warmup)
        base = base or rate
        print(f"{name:<44}{rate:>12.1f}{rate * bs:>14.0f}{rate / base:>10.2f}x")


if __name__ == "__main__":
    main()
