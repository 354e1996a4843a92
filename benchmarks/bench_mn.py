#!/usr/bin/env python
"""kusari.mn benchmarks: gradient allreduce time and data-parallel scaling (not a test).

    python benchmarks/bench_mn.py            # launches mpiexec itself, prints two tables
    python benchmarks/bench_mn.py --reps 5   # fewer repetitions

1. Averaging the gradients of a 10M-parameter model (10 Linear(1000, 1000) layers) on
   2 processes with ``naive`` (one allreduce per parameter), ``flat`` (one packed
   allreduce) and ``dummy`` (packing only: the overhead of ``flat`` without traffic).
2. The MLP example's workload (784-free: 8x8 digits, MLP of 200 units, batch 50 per
   process, Adam): time for one epoch over the whole training set on 1 and 2 processes.

Each measurement runs in its own ``mpiexec`` job; the worker prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy

HERE = Path(__file__).resolve()


def _mpiexec(n: int) -> list[str]:
    local = Path(sys.executable).parent / "mpiexec"
    exe = str(local) if local.exists() else "mpiexec"
    cmd = [exe, "-n", str(n), "--oversubscribe"]
    if os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    return cmd


def _launch(n: int, *worker_args: str) -> dict:
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    cmd = _mpiexec(n) + [sys.executable, "-m", "mpi4py", str(HERE), "--worker", *worker_args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    return json.loads(lines[-1])


# -- workers (run under mpiexec) ----------------------------------------------------------
def _allreduce_worker(name: str, reps: int) -> dict:
    import kusari
    import kusari.links as L
    import kusari.mn

    comm = kusari.mn.create_communicator(name)
    numpy.random.seed(0)
    model = kusari.ChainList(*[L.Linear(1000, 1000) for _ in range(10)])
    n_params = sum(p.size for p in model.params())
    for p in model.params():
        p.grad = numpy.full(p.shape, comm.rank, numpy.float32)
    times = []
    for _ in range(reps + 1):  # the first call allocates buffers: not counted
        comm.mpi_comm.Barrier()
        t0 = time.perf_counter()
        comm.multi_node_mean_grad(model)
        times.append(time.perf_counter() - t0)
    from mpi4py import MPI

    times = numpy.array(times[1:])
    comm.mpi_comm.Allreduce(MPI.IN_PLACE, times, op=MPI.MAX)  # the slowest process counts
    return {"name": name, "size": comm.size, "params": n_params,
            "median_ms": float(numpy.median(times) * 1e3),
            "min_ms": float(numpy.min(times) * 1e3)}


def _scaling_worker(reps: int) -> dict:
    import kusari
    import kusari.functions as F
    import kusari.links as L
    import kusari.mn

    comm = kusari.mn.create_communicator("flat")

    class MLP(kusari.Chain):
        def __init__(self) -> None:
            super().__init__()
            with self.init_scope():
                self.l1 = L.Linear(64, 200)
                self.l2 = L.Linear(200, 200)
                self.l3 = L.Linear(200, 10)

        def forward(self, x: numpy.ndarray) -> kusari.Variable:
            return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))

    numpy.random.seed(0)
    model = L.Classifier(MLP())
    opt = kusari.mn.create_multi_node_optimizer(kusari.optimizers.Adam(), comm).setup(model)
    if comm.rank == 0:
        try:
            train, _ = kusari.datasets.get_digits()
        except ImportError:
            rng = numpy.random.RandomState(0)
            train = kusari.datasets.TupleDataset(rng.randn(1438, 64).astype(numpy.float32),
                                                 rng.randint(0, 10, 1438).astype(numpy.int32))
    else:
        train = None
    n_total = comm.bcast_obj(len(train) if comm.rank == 0 else None)
    shard = kusari.mn.scatter_dataset(train, comm, shuffle=True, seed=0)
    batch = 50
    x_all, t_all = kusari.dataset.concat_examples(shard[:])
    epochs = []
    for rep in range(reps + 1):
        comm.mpi_comm.Barrier()
        t0 = time.perf_counter()
        for i in range(0, len(shard), batch):
            opt.update(model, x_all[i:i + batch], t_all[i:i + batch])
        comm.mpi_comm.Barrier()
        if rep:  # the first epoch warms up
            epochs.append(time.perf_counter() - t0)
    return {"size": comm.size, "examples": n_total, "epoch_s": float(numpy.median(epochs)),
            "iters": -(-len(shard) // batch)}


def _worker(args: argparse.Namespace) -> None:
    if args.worker_kind == "allreduce":
        result = _allreduce_worker(args.communicator, args.reps)
    else:
        result = _scaling_worker(args.reps)
    from mpi4py import MPI

    if MPI.COMM_WORLD.rank == 0:
        print(json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker-kind", default="allreduce", help=argparse.SUPPRESS)
    parser.add_argument("--communicator", default="flat", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args)
        return

    print(f"kusari.mn benchmarks ({os.cpu_count()} CPUs, median of {args.reps} repetitions)")
    print("\nGradient averaging, 10M-parameter model (10 x Linear(1000, 1000)), 2 processes")
    print(f"{'communicator':<14}{'median ms':>12}{'min ms':>10}{'GB/s (algo)':>14}")
    for name in ("naive", "flat", "dummy"):
        r = _launch(2, "--worker-kind", "allreduce", "--communicator", name,
                    "--reps", str(args.reps))
        gbps = r["params"] * 4 / (r["median_ms"] / 1e3) / 1e9
        print(f"{name:<14}{r['median_ms']:>12.1f}{r['min_ms']:>10.1f}{gbps:>14.2f}")

    print("\nMLP workload (digits, MLP 64-200-200-10, Adam, batch 50 per process, 'flat')")
    print(f"{'processes':<11}{'iters/epoch':>12}{'epoch s':>10}{'examples/s':>12}"
          f"{'speedup':>9}")
    base = None
    for n in (1, 2):
        r = _launch(n, "--worker-kind", "scaling", "--reps", str(max(3, args.reps // 2)))
        rate = r["examples"] / r["epoch_s"]
        base = base or r["epoch_s"]
        print(f"{n:<11}{r['iters']:>12}{r['epoch_s']:>10.3f}{rate:>12.0f}"
              f"{base / r['epoch_s']:>9.2f}")


if __name__ == "__main__":
    main()
