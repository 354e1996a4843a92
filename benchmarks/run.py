"""Benchmark kusari against hand-written NumPy and PyTorch eager (and Chainer 7 if given).

Each (workload, implementation) pair runs in its own process with fixed BLAS thread
counts; rounds are interleaved so that machine drift affects every column alike. The
table gives the median training-step time, the ratios to NumPy and to PyTorch, peak RSS,
the framework's import time, and each run's final loss (which must agree across the
implementations: a correctness check).

Usage::

    python benchmarks/run.py [--workloads seed,tiny,mlp,cnn,lstm] [--rounds 3]
        [--threads 2] [--torch-python PATH] [--chainer-python PATH]

``--torch-python`` / ``--chainer-python`` name interpreters that have PyTorch / Chainer 7
(default: this interpreter for PyTorch when it can import torch).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = {"seed": 300, "tiny": 300, "mlp": 60, "cnn": 30, "lstm": 30}
WARMUP = {"seed": 20, "tiny": 20, "mlp": 5, "cnn": 3, "lstm": 3}


def worker(impl: str, workload: str, steps: int, warmup: int) -> None:
    """Run one implementation in this process and print a JSON result line."""
    import resource

    sys.path.insert(0, HERE)
    t0 = time.perf_counter()
    if impl == "kusari":
        import kusari as framework
    elif impl == "chainer":
        import chainer as framework
    elif impl == "torch":
        import torch as framework

        framework.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    else:
        import numpy as framework
    import_s = time.perf_counter() - t0
    import _workloads as w

    if impl in ("kusari", "chainer"):
        step = w.chainer_style_impl(workload, framework)
    elif impl == "torch":
        step = w.torch_impl(workload)
    else:
        step = w.numpy_impl(workload)
    times = []
    loss = float("nan")
    for i in range(steps + warmup):
        t = time.perf_counter()
        loss = step()
        if i >= warmup:
            times.append(time.perf_counter() - t)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"impl": impl, "workload": workload, "times": times, "loss": loss,
                      "rss_mb": rss_mb, "import_s": import_s}))


def _has_torch(python: str) -> bool:
    r = subprocess.run([python, "-c", "import torch"], capture_output=True)
    return r.returncode == 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--workloads", default=",".join(STEPS))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps-scale", type=float, default=1.0)
    p.add_argument("--torch-python", default=None)
    p.add_argument("--chainer-python", default=None)
    p.add_argument("--keep-openblas-env", action="store_true",
                   help="keep OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (some machines set them to "
                        "work around old OpenBLAS builds; they slow a current NumPy)")
    p.add_argument("--worker", nargs=2, metavar=("IMPL", "WORKLOAD"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        impl, wl = args.worker
        worker(impl, wl, max(3, int(STEPS[wl] * args.steps_scale)), WARMUP[wl])
        return
    workloads = args.workloads.split(",")
    torch_py = args.torch_python or (sys.executable if _has_torch(sys.executable) else None)
    pythons = {"numpy": sys.executable, "kusari": sys.executable}
    if torch_py:
        pythons["torch"] = torch_py
    if args.chainer_python:
        pythons["chainer"] = args.chainer_python
    env = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "NUMEXPR_NUM_THREADS"):
        env[k] = str(args.threads)
    env["SETUPTOOLS_USE_DISTUTILS"] = "stdlib"
    if not args.keep_openblas_env:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    env["PYTHONPATH"] = os.path.join(os.path.dirname(HERE), "src") + os.pathsep + \
        env.get("PYTHONPATH", "")
    results: dict = {}
    for r in range(args.rounds):
        for wl in workloads:
            for impl, py in pythons.items():
                cmd = [py, os.path.abspath(__file__), "--worker", impl, wl,
                       "--steps-scale", str(args.steps_scale)]
                out = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if out.returncode != 0:
                    err = out.stderr.strip().splitlines()[-1:] or ["?"]
                    print(f"[round {r}] {wl}/{impl} failed: {err[0]}", file=sys.stderr)
                    continue
                res = json.loads(out.stdout.strip().splitlines()[-1])
                entry = results.setdefault((wl, impl), {"times": [], "rss": [], "imp": [],
                                                        "loss": res["loss"]})
                entry["times"] += res["times"]
                entry["rss"].append(res["rss_mb"])
                entry["imp"].append(res["import_s"])
    kernel = subprocess.run(
        [sys.executable, "-c", "import numpy, threadpoolctl; print(','.join(sorted({"
         "str(i.get('architecture')) for i in threadpoolctl.threadpool_info()})))"],
        capture_output=True, text=True, env=env).stdout.strip() or "?"
    print(f"threads={args.threads}, rounds={args.rounds}, NumPy BLAS kernel={kernel}; "
          "median step time in ms")
    head = (f"{'workload':<9}{'impl':<9}{'step ms':>10}{'/numpy':>9}{'/torch':>9}"
            f"{'RSS MB':>9}{'import s':>10}{'final loss':>14}")
    print(head)
    print("-" * len(head))
    for wl in workloads:
        med = {impl: statistics.median(results[(wl, impl)]["times"])
               for impl in pythons if (wl, impl) in results}
        for impl in pythons:
            if (wl, impl) not in results:
                continue
            e = results[(wl, impl)]
            m = med[impl]
            rn = f"{m / med['numpy']:.2f}x" if "numpy" in med else "-"
            rt = f"{m / med['torch']:.2f}x" if "torch" in med else "-"
            print(f"{wl:<9}{impl:<9}{m * 1e3:>10.3f}{rn:>9}{rt:>9}"
                  f"{statistics.median(e['rss']):>9.0f}{statistics.median(e['imp']):>10.3f}"
                  f"{e['loss']:>14.6g}")


if __name__ == "__main__":
    main()
