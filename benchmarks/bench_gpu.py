"""Training steps per second on a GPU: kusari on CuPy next to PyTorch CUDA eager.

Three workloads, each at two batch sizes:

* ``mlp``: 784-1000-1000-10, softmax cross entropy, Adam (batch 256 and 1024);
* ``cnn``: two 3x3 convolutions (32, 64 channels) with 2x2 max-pooling, then two linear
  layers, on 28x28 images, MomentumSGD (batch 256 and 1024);
* ``lstm``: EmbedID(1000, 128), LSTM(128) unrolled 20 steps, Linear(128, 1000), SGD
  (batch 32 and 256).

Both frameworks start from the same weights (``benchmarks/_workloads.py``) and the same
data. A step is forward, backward and the optimizer update; steps are queued without
reading the loss back, and the clock stops after a device synchronization
(``cupy.cuda.Device().synchronize()``, ``torch.cuda.synchronize()``). Warmup steps
(kernel compilation, cuDNN/cuBLAS handles, memory pools) are not timed. Before timing, a
short run of both checks that their losses agree (the ``loss diff`` column).

TF32 is off in both (CuPy's default; PyTorch's ``allow_tf32`` flags are cleared), so the
matrix products compute in float32.

Usage::

    python benchmarks/bench_gpu.py [--quick] [--workloads mlp,cnn,lstm]
        [--device @cupy:0] [--torch-device cuda:0] [--no-torch] [--json PATH]

``--device @numpy --torch-device cpu`` runs the same code on the CPU (a smoke test of
this script on machines without a GPU).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))

import _workloads  # noqa: E402

BATCHES = {"mlp": (256, 1024), "cnn": (256, 1024), "lstm": (32, 256)}
CHECK_STEPS = 3


# --------------------------------------------------------------------------------------
# data (weights come from _workloads.spec; the batch size is ours)
# --------------------------------------------------------------------------------------
def _data(name: str, batch: int) -> dict:
    rng = numpy.random.RandomState(1)
    if name == "mlp":
        return {"x": rng.rand(batch, 784).astype(numpy.float32),
                "t": rng.randint(0, 10, batch).astype(numpy.int32)}
    if name == "cnn":
        return {"x": rng.rand(batch, 1, 28, 28).astype(numpy.float32),
                "t": rng.randint(0, 10, batch).astype(numpy.int32)}
    if name == "lstm":
        return {"xs": rng.randint(0, 1000, (20, batch)).astype(numpy.int32),
                "ts": rng.randint(0, 1000, (20, batch)).astype(numpy.int32)}
    raise ValueError(name)


# --------------------------------------------------------------------------------------
# kusari
# --------------------------------------------------------------------------------------
def kusari_step(name: str, batch: int, device_spec: str) -> Callable[[], Any]:
    """A function running one training step; it returns the loss array (not synced)."""
    import kusari
    import kusari.functions as F
    import kusari.links as L
    import kusari.optimizers as O

    sp = _workloads.spec(name)
    data = _data(name, batch)
    dev = kusari.backend.get_device(device_spec)

    def linear(w: Any, b: Any) -> Any:
        return L.Linear(w.shape[1], w.shape[0], initialW=w.copy(), initial_bias=b.copy())

    if name == "mlp":
        model = kusari.ChainList(*[linear(w, b) for w, b in sp["layers"]])
        opt_ = O.Adam(alpha=sp["lr"])
        x, t = dev.send(data["x"]), dev.send(data["t"])

        def lossfun() -> Any:
            h = F.relu(model[0](x))
            h = F.relu(model[1](h))
            return F.softmax_cross_entropy(model[2](h), t)

    elif name == "cnn":
        (w1, b1), (w2, b2) = sp["convs"]
        model = kusari.ChainList(
            L.Convolution2D(1, 32, 3, pad=1, initialW=w1.copy(), initial_bias=b1.copy()),
            L.Convolution2D(32, 64, 3, pad=1, initialW=w2.copy(), initial_bias=b2.copy()),
            linear(*sp["layers"][0]), linear(*sp["layers"][1]))
        opt_ = O.MomentumSGD(lr=sp["lr"], momentum=sp["momentum"])
        x, t = dev.send(data["x"]), dev.send(data["t"])

        def lossfun() -> Any:
            h = F.max_pooling_2d(F.relu(model[0](x)), 2)
            h = F.max_pooling_2d(F.relu(model[1](h)), 2)
            return F.softmax_cross_entropy(model[3](F.relu(model[2](h))), t)

    elif name == "lstm":
        lstm = L.LSTM(128, 128)
        lstm.upward.W.array[...] = sp["upward"][0]
        lstm.upward.b.array[...] = sp["upward"][1]
        lstm.lateral.W.array[...] = sp["lateral"]
        model = kusari.ChainList(L.EmbedID(1000, 128, initialW=sp["emb"].copy()), lstm,
                                 linear(*sp["out"]))
        opt_ = O.SGD(lr=sp["lr"])
        xs, ts = dev.send(data["xs"]), dev.send(data["ts"])

        def lossfun() -> Any:
            lstm.reset_state()
            loss = 0
            for k in range(xs.shape[0]):
                h = lstm(model[0](xs[k]))
                loss += F.softmax_cross_entropy(model[2](h), ts[k])
            return loss

    else:
        raise ValueError(name)
    model.to_device(dev)
    opt_.setup(model)

    def step() -> Any:
        loss = lossfun()
        model.cleargrads()
        loss.backward()
        opt_.update()
        return loss.array

    return step


def kusari_sync(device_spec: str) -> Callable[[], None]:
    if not device_spec.startswith("@cupy"):
        return lambda: None
    import cupy

    dev = cupy.cuda.Device(int(device_spec.split(":")[1]))
    return dev.synchronize


# --------------------------------------------------------------------------------------
# PyTorch eager
# --------------------------------------------------------------------------------------
def torch_step(name: str, batch: int, device: str) -> Callable[[], Any]:
    """The same training step in PyTorch eager; returns the (unsynced) loss tensor."""
    import torch
    import torch.nn.functional as TF

    sp = _workloads.spec(name)
    data = _data(name, batch)
    dev = torch.device(device)

    def lin(w: Any, b: Any) -> Any:
        m = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            m.weight.copy_(torch.from_numpy(w))
            m.bias.copy_(torch.from_numpy(b))
        return m

    def tensor(a: numpy.ndarray, long: bool = False) -> Any:
        return torch.from_numpy(a.astype(numpy.int64) if long else a).to(dev)

    if name == "mlp":
        model = torch.nn.ModuleList([lin(w, b) for w, b in sp["layers"]]).to(dev)
        opt_ = torch.optim.Adam(model.parameters(), lr=sp["lr"])
        x, t = tensor(data["x"]), tensor(data["t"], True)

        def lossfun() -> Any:
            h = torch.relu(model[0](x))
            h = torch.relu(model[1](h))
            return TF.cross_entropy(model[2](h), t)

    elif name == "cnn":
        (w1, b1), (w2, b2) = sp["convs"]
        c1 = torch.nn.Conv2d(1, 32, 3, padding=1)
        c2 = torch.nn.Conv2d(32, 64, 3, padding=1)
        with torch.no_grad():
            for c, (w, b) in ((c1, (w1, b1)), (c2, (w2, b2))):
                c.weight.copy_(torch.from_numpy(w))
                c.bias.copy_(torch.from_numpy(b))
        model = torch.nn.ModuleList([c1, c2, lin(*sp["layers"][0]),
                                     lin(*sp["layers"][1])]).to(dev)
        opt_ = torch.optim.SGD(model.parameters(), lr=sp["lr"], momentum=sp["momentum"])
        x, t = tensor(data["x"]), tensor(data["t"], True)

        def lossfun() -> Any:
            h = TF.max_pool2d(torch.relu(model[0](x)), 2)
            h = TF.max_pool2d(torch.relu(model[1](h)), 2)
            return TF.cross_entropy(model[3](torch.relu(model[2](h.flatten(1)))), t)

    elif name == "lstm":
        emb = torch.nn.Embedding(1000, 128)
        lat = torch.nn.Linear(128, 512, bias=False)
        with torch.no_grad():
            emb.weight.copy_(torch.from_numpy(sp["emb"]))
            lat.weight.copy_(torch.from_numpy(sp["lateral"]))
        model = torch.nn.ModuleList([emb, lin(*sp["upward"]), lat, lin(*sp["out"])]).to(dev)
        opt_ = torch.optim.SGD(model.parameters(), lr=sp["lr"])
        xs, ts = tensor(data["xs"], True), tensor(data["ts"], True)
        emb, up, lat, out = model

        def lossfun() -> Any:
            T, B = xs.shape
            h = torch.zeros(B, 128, device=dev)
            c = torch.zeros(B, 128, device=dev)
            loss = 0
            for k in range(T):
                z = (up(emb(xs[k])) + lat(h)).view(B, 128, 4)  # Chainer's gate layout
                a, i = torch.tanh(z[..., 0]), torch.sigmoid(z[..., 1])
                f, o = torch.sigmoid(z[..., 2]), torch.sigmoid(z[..., 3])
                c = a * i + f * c
                h = o * torch.tanh(c)
                loss = loss + TF.cross_entropy(out(h), ts[k])
            return loss

    else:
        raise ValueError(name)

    def step() -> Any:
        opt_.zero_grad(set_to_none=True)
        loss = lossfun()
        loss.backward()
        opt_.step()
        return loss.detach()

    return step


def torch_sync(device: str) -> Callable[[], None]:
    import torch

    if device.startswith("cuda"):
        return torch.cuda.synchronize
    return lambda: None


# --------------------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------------------
def measure(step: Callable[[], Any], sync: Callable[[], None], warmup: int,
            min_time: float, max_steps: int, repeats: int) -> dict:
    """Median steps per second over ``repeats`` timed runs of at least ``min_time``."""
    for _ in range(warmup):
        step()
    sync()
    rates = []
    for _ in range(repeats):
        n = 0
        t0 = time.perf_counter()
        while True:
            step()
            n += 1
            if n >= max_steps or (n >= 3 and time.perf_counter() - t0 >= min_time):
                break
        sync()
        rates.append(n / (time.perf_counter() - t0))
    return {"steps_per_s": statistics.median(rates), "runs": rates}


def check_losses(make_k: Callable[[], Any], make_t: Callable[[], Any] | None) -> dict:
    """The losses of the first steps of both frameworks (they start from the same
    weights and data, so they agree to float32 rounding)."""
    k = make_k()
    kl = [float(k()) for _ in range(CHECK_STEPS)]
    if make_t is None:
        return {"kusari_losses": kl}
    t = make_t()
    tl = [float(t()) for _ in range(CHECK_STEPS)]
    diff = max(abs(a - b) / max(abs(b), 1e-12) for a, b in zip(kl, tl))
    return {"kusari_losses": kl, "torch_losses": tl, "loss_rel_diff": diff}


def environment(args: argparse.Namespace, has_torch: bool) -> dict:
    env = {"python": platform.python_version(), "numpy": numpy.__version__}
    if args.device.startswith("@cupy"):
        import cupy

        env["cupy"] = cupy.__version__
        dev_id = int(args.device.split(":")[1])
        props = cupy.cuda.runtime.getDeviceProperties(dev_id)
        env["gpu"] = props["name"].decode() if isinstance(props["name"], bytes) \
            else str(props["name"])
        env["cuda_runtime"] = cupy.cuda.runtime.runtimeGetVersion()
        env["cupy_tf32"] = os.environ.get("CUPY_TF32", "0")
    if has_torch:
        import torch

        env["torch"] = torch.__version__
        if args.torch_device.startswith("cuda"):
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
            env["cudnn"] = torch.backends.cudnn.version()
    return env


def _has_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="short runs (about a minute in all on a GPU)")
    p.add_argument("--workloads", default="mlp,cnn,lstm")
    p.add_argument("--batches", default=None,
                   help="comma-separated batch sizes for every workload (default: "
                        "256,1024 for mlp and cnn, 32,256 for lstm)")
    p.add_argument("--device", default="@cupy:0", help="kusari's device")
    p.add_argument("--torch-device", default="cuda:0", help="PyTorch's device")
    p.add_argument("--no-torch", action="store_true", help="time kusari only")
    p.add_argument("--json", default=None, help="also write the results to this file")
    args = p.parse_args(argv)

    has_torch = not args.no_torch and _has_torch()
    if not args.no_torch and not has_torch:
        print("bench_gpu: PyTorch is not importable; timing kusari only", file=sys.stderr)
    if args.quick:
        warmup, min_time, max_steps, repeats = 3, 0.4, 200, 1
    else:
        warmup, min_time, max_steps, repeats = 10, 2.0, 5000, 3
    env = environment(args, has_torch)
    print("bench_gpu:", ", ".join(f"{k}={v}" for k, v in env.items()))

    results = []
    for name in args.workloads.split(","):
        batches = BATCHES[name] if args.batches is None else tuple(
            int(b) for b in args.batches.split(","))
        for batch in batches:
            row: dict = {"workload": name, "batch": batch}
            make_k = lambda n=name, b=batch: kusari_step(n, b, args.device)  # noqa: E731
            make_t = (lambda n=name, b=batch: torch_step(n, b, args.torch_device)) \
                if has_torch else None  # noqa: E731
            row.update(check_losses(make_k, make_t))
            k = measure(make_k(), kusari_sync(args.device), warmup, min_time, max_steps,
                        repeats)
            row["kusari_steps_per_s"] = k["steps_per_s"]
            if has_torch:
                t = measure(make_t(), torch_sync(args.torch_device), warmup, min_time,
                            max_steps, repeats)
                row["torch_steps_per_s"] = t["steps_per_s"]
            _free(args)
            results.append(row)
            print(_row_text(row), flush=True)

    print()
    print(table(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"environment": env, "results": results}, f, indent=1)
    bad = [r for r in results if r.get("loss_rel_diff", 0.0) > 1e-2]
    if bad:
        print("bench_gpu: kusari's and PyTorch's losses disagree for "
              + ", ".join(f"{r['workload']}/{r['batch']}" for r in bad), file=sys.stderr)
        return 1
    return 0


def _free(args: argparse.Namespace) -> None:
    if args.device.startswith("@cupy"):
        import cupy

        cupy.get_default_memory_pool().free_all_blocks()
    if not args.no_torch and args.torch_device.startswith("cuda") and _has_torch():
        import torch

        torch.cuda.empty_cache()


def _row_text(row: dict) -> str:
    s = f"{row['workload']:>5} batch {row['batch']:>5}: kusari {row['kusari_steps_per_s']:8.1f}"
    if "torch_steps_per_s" in row:
        s += f" steps/s, torch {row['torch_steps_per_s']:8.1f} steps/s, " \
             f"loss diff {row['loss_rel_diff']:.1e}"
    return s


def table(results: list[dict]) -> str:
    """A Markdown table of the results."""
    head = ("| workload | batch | kusari steps/s | kusari samples/s | torch steps/s | "
            "torch / kusari | loss rel. diff |")
    lines = [head, "|" + "---|" * 7]
    for r in results:
        k = r["kusari_steps_per_s"]
        t = r.get("torch_steps_per_s")
        lines.append(
            f"| {r['workload']} | {r['batch']} | {k:.1f} | {k * r['batch']:.0f} | "
            + (f"{t:.1f} | {t / k:.2f}x | {r['loss_rel_diff']:.1e} |" if t is not None
               else "- | - | - |"))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
