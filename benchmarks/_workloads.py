"""The five benchmark workloads, each written three ways: hand-written NumPy (the floor
for a NumPy framework: the same arithmetic with no graph), kusari (Chainer style; the
same code runs on Chainer 7 when given ``chainer``), and PyTorch eager.

All three start from the same weights and data, drawn here with NumPy, so their final
losses agree to float32 rounding: a correctness check of the timings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

WORKLOADS = ["seed", "tiny", "mlp", "cnn", "lstm"]
DESCRIPTIONS = {
    "seed": "the tutorial net, batch 64, 1000-100-10, MSE, SGD",
    "tiny": "20 x (Linear(32,32)+ReLU), batch 8, MSE, SGD",
    "mlp": "784-1000-1000-10, batch 128, softmax CE, Adam",
    "cnn": "two 3x3 conv(32, 64) + 2x2 max-pool + two linear, batch 64 of 28x28, MomentumSGD",
    "lstm": "EmbedID(1000,128), LSTM(128) x 20 steps, Linear(128,1000), batch 32, SGD",
}


def _rng() -> numpy.random.RandomState:
    return numpy.random.RandomState(0)


def _lin(rng: Any, n_in: int, n_out: int) -> tuple:
    w = (rng.randn(n_out, n_in) * numpy.sqrt(1.0 / n_in)).astype(numpy.float32)
    b = numpy.zeros(n_out, numpy.float32)
    return w, b


def spec(name: str) -> dict:
    """Weights (Chainer layout: W is (out, in)), data and hyperparameters."""
    rng = _rng()
    if name == "seed":
        x = rng.randn(64, 1000).astype(numpy.float32)
        t = rng.randn(64, 10).astype(numpy.float32)
        return {"layers": [_lin(rng, 1000, 100), _lin(rng, 100, 10)], "x": x, "t": t,
                "lr": 1e-4}
    if name == "tiny":
        x = rng.randn(8, 32).astype(numpy.float32)
        t = rng.randn(8, 32).astype(numpy.float32)
        return {"layers": [_lin(rng, 32, 32) for _ in range(20)], "x": x, "t": t, "lr": 0.01}
    if name == "mlp":
        x = rng.rand(128, 784).astype(numpy.float32)
        t = rng.randint(0, 10, 128).astype(numpy.int32)
        return {"layers": [_lin(rng, 784, 1000), _lin(rng, 1000, 1000), _lin(rng, 1000, 10)],
                "x": x, "t": t, "lr": 1e-3}
    if name == "cnn":
        x = rng.rand(64, 1, 28, 28).astype(numpy.float32)
        t = rng.randint(0, 10, 64).astype(numpy.int32)
        c1 = ((rng.randn(32, 1, 3, 3) * numpy.sqrt(1 / 9)).astype(numpy.float32),
              numpy.zeros(32, numpy.float32))
        c2 = ((rng.randn(64, 32, 3, 3) * numpy.sqrt(1 / 288)).astype(numpy.float32),
              numpy.zeros(64, numpy.float32))
        return {"convs": [c1, c2], "layers": [_lin(rng, 64 * 7 * 7, 128), _lin(rng, 128, 10)],
                "x": x, "t": t, "lr": 0.01, "momentum": 0.9}
    if name == "lstm":
        emb = (rng.randn(1000, 128)).astype(numpy.float32)
        up = _lin(rng, 128, 512)
        lat = (rng.randn(512, 128) * numpy.sqrt(1 / 128)).astype(numpy.float32)
        out = _lin(rng, 128, 1000)
        xs = rng.randint(0, 1000, (20, 32)).astype(numpy.int32)
        ts = rng.randint(0, 1000, (20, 32)).astype(numpy.int32)
        return {"emb": emb, "upward": up, "lateral": lat, "out": out, "xs": xs, "ts": ts,
                "lr": 0.1}
    raise ValueError(name)


# --------------------------------------------------------------------------------------
# hand-written NumPy
# --------------------------------------------------------------------------------------
def _softmax_ce(y: numpy.ndarray, t: numpy.ndarray) -> tuple:
    m = y.max(axis=1, keepdims=True)
    e = numpy.exp(y - m)
    s = e.sum(axis=1, keepdims=True)
    logp = y - m - numpy.log(s)
    n = y.shape[0]
    loss = -logp[numpy.arange(n), t].mean()
    g = e / s
    g[numpy.arange(n), t] -= 1
    g /= n
    return loss, g


def _im2col(x: numpy.ndarray, k: int, pad: int) -> numpy.ndarray:
    n, c, h, w = x.shape
    xp = numpy.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    s = xp.strides
    cols = numpy.lib.stride_tricks.as_strided(
        xp, (n, c, k, k, h, w), (s[0], s[1], s[2], s[3], s[2], s[3]))
    return cols  # (n, c, k, k, h, w) view


def numpy_impl(name: str) -> Callable[[], float]:
    sp = spec(name)
    if name in ("seed", "tiny", "mlp"):
        layers = [(w.copy(), b.copy()) for w, b in sp["layers"]]
        x, t, lr = sp["x"], sp["t"], numpy.float32(sp["lr"])
        adam = name == "mlp"
        if adam:
            ms = [(numpy.zeros_like(w), numpy.zeros_like(b)) for w, b in layers]
            vs = [(numpy.zeros_like(w), numpy.zeros_like(b)) for w, b in layers]
            state = {"t": 0}

        def step() -> float:
            hs = [x]
            for i, (w, b) in enumerate(layers):
                h = hs[-1].dot(w.T) + b
                if i < len(layers) - 1 or name == "tiny":
                    h = numpy.maximum(h, 0)
                hs.append(h)
            y = hs[-1]
            if name == "mlp":
                loss, g = _softmax_ce(y, t)
            else:
                d = y - t
                loss = (d * d).sum() / d.size
                g = d * numpy.float32(2.0 / d.size)
            grads = []
            for i in range(len(layers) - 1, -1, -1):
                if i < len(layers) - 1 or name == "tiny":
                    g = g * (hs[i + 1] > 0)
                w, b = layers[i]
                grads.append((g.T.dot(hs[i]), g.sum(0)))
                if i > 0:
                    g = g.dot(w)
            grads.reverse()
            if adam:
                state["t"] += 1
                tt = state["t"]
                a = lr * numpy.sqrt(1 - 0.999 ** tt) / (1 - 0.9 ** tt)
                for (w, b), (gw, gb), (mw, mb), (vw, vb) in zip(layers, grads, ms, vs):
                    for p, gp, m, v in ((w, gw, mw, vw), (b, gb, mb, vb)):
                        m += (1 - 0.9) * (gp - m)
                        v += (1 - 0.999) * (gp * gp - v)
                        p -= numpy.float32(a) * m / (numpy.sqrt(v) + numpy.float32(1e-8))
            else:
                for (w, b), (gw, gb) in zip(layers, grads):
                    w -= lr * gw
                    b -= lr * gb
            return float(loss)

        return step
    if name == "cnn":
        (w1, b1), (w2, b2) = [(w.copy(), b.copy()) for w, b in sp["convs"]]
        (w3, b3), (w4, b4) = [(w.copy(), b.copy()) for w, b in sp["layers"]]
        params = [w1, b1, w2, b2, w3, b3, w4, b4]
        vel = [numpy.zeros_like(p) for p in params]
        x, t, lr, mom = sp["x"], sp["t"], numpy.float32(sp["lr"]), numpy.float32(0.9)

        def conv(x: numpy.ndarray, w: numpy.ndarray, b: numpy.ndarray) -> tuple:
            cols = _im2col(x, 3, 1)
            y = numpy.tensordot(cols, w, ((1, 2, 3), (1, 2, 3)))  # n, h, w, oc
            y += b
            return numpy.ascontiguousarray(y.transpose(0, 3, 1, 2)), cols

        def conv_back(gy: numpy.ndarray, cols: numpy.ndarray, w: numpy.ndarray,
                      xshape: tuple, need_gx: bool) -> tuple:
            gw = numpy.tensordot(gy, cols, ((0, 2, 3), (0, 4, 5)))
            gb = gy.sum((0, 2, 3))
            gx = None
            if need_gx:
                n, c, h, wd = xshape
                gcol = numpy.tensordot(w, gy, (0, 1))  # c, k, k, n, h, w
                gxp = numpy.zeros((n, c, h + 2, wd + 2), gy.dtype)
                for i in range(3):
                    for j in range(3):
                        gxp[:, :, i:i + h, j:j + wd] += gcol[:, i, j].transpose(1, 0, 2, 3)
                gx = gxp[:, :, 1:-1, 1:-1]
            return gw, gb, gx

        def pool(x: numpy.ndarray) -> tuple:
            n, c, h, w = x.shape
            r = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5)
            r = r.reshape(n, c, h // 2, w // 2, 4)
            idx = r.argmax(axis=4)
            return numpy.take_along_axis(r, idx[..., None], 4)[..., 0], idx

        def pool_back(gy: numpy.ndarray, idx: numpy.ndarray, shape: tuple) -> numpy.ndarray:
            n, c, h, w = shape
            g = numpy.zeros((n, c, h // 2, w // 2, 4), gy.dtype)
            numpy.put_along_axis(g, idx[..., None], gy[..., None], 4)
            g = g.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5)
            return g.reshape(shape)

        def step() -> float:
            h1, cols1 = conv(x, w1, b1)
            r1 = numpy.maximum(h1, 0)
            p1, i1 = pool(r1)
            h2, cols2 = conv(p1, w2, b2)
            r2 = numpy.maximum(h2, 0)
            p2, i2 = pool(r2)
            f = p2.reshape(len(x), -1)
            h3 = numpy.maximum(f.dot(w3.T) + b3, 0)
            y = h3.dot(w4.T) + b4
            loss, g = _softmax_ce(y, t)
            gw4, gb4 = g.T.dot(h3), g.sum(0)
            g = g.dot(w4) * (h3 > 0)
            gw3, gb3 = g.T.dot(f), g.sum(0)
            g = g.dot(w3).reshape(p2.shape)
            g = pool_back(g, i2, r2.shape) * (h2 > 0)
            gw2, gb2, g = conv_back(g, cols2, w2, p1.shape, True)
            g = pool_back(g, i1, r1.shape) * (h1 > 0)
            gw1, gb1, _ = conv_back(g, cols1, w1, x.shape, False)
            for p, v, gp in zip(params, vel, (gw1, gb1, gw2, gb2, gw3, gb3, gw4, gb4)):
                v *= mom
                v -= lr * gp
                p += v
            return float(loss)

        return step
    if name == "lstm":
        emb = sp["emb"].copy()
        wu, bu = (a.copy() for a in sp["upward"])
        wl = sp["lateral"].copy()
        wo, bo = (a.copy() for a in sp["out"])
        xs, ts, lr = sp["xs"], sp["ts"], numpy.float32(sp["lr"])

        def sig(a: numpy.ndarray) -> numpy.ndarray:
            return numpy.tanh(a * 0.5) * 0.5 + 0.5

        def step() -> float:
            T, B = xs.shape
            c = numpy.zeros((B, 128), numpy.float32)
            h = numpy.zeros((B, 128), numpy.float32)
            cache = []
            total = numpy.float32(0)
            gys = []
            for k in range(T):
                e = emb[xs[k]]
                z = e.dot(wu.T) + bu + h.dot(wl.T)
                z = z.reshape(B, 128, 4)  # Chainer's gate layout: a, i, f, o interleaved
                a, i, f, o = numpy.tanh(z[..., 0]), sig(z[..., 1]), sig(z[..., 2]), \
                    sig(z[..., 3])
                c_new = a * i + f * c
                tc = numpy.tanh(c_new)
                h_new = o * tc
                y = h_new.dot(wo.T) + bo
                loss, gy = _softmax_ce(y, ts[k])
                total += loss
                cache.append((e, h, c, a, i, f, o, c_new, tc, h_new))
                gys.append(gy)
                h, c = h_new, c_new
            g_wu = numpy.zeros_like(wu)
            g_bu = numpy.zeros_like(bu)
            g_wl = numpy.zeros_like(wl)
            g_wo = numpy.zeros_like(wo)
            g_bo = numpy.zeros_like(bo)
            g_emb = numpy.zeros_like(emb)
            gh = numpy.zeros((B, 128), numpy.float32)
            gc = numpy.zeros((B, 128), numpy.float32)
            for k in range(T - 1, -1, -1):
                e, h_prev, c_prev, a, i, f, o, c_new, tc, h_new = cache[k]
                gy = gys[k]
                g_wo += gy.T.dot(h_new)
                g_bo += gy.sum(0)
                gh = gh + gy.dot(wo)
                go = gh * tc
                gc = gc + gh * o * (1 - tc * tc)
                ga, gi, gf = gc * i, gc * a, gc * c_prev
                gz = numpy.empty((B, 128, 4), numpy.float32)
                gz[..., 0] = ga * (1 - a * a)
                gz[..., 1] = gi * i * (1 - i)
                gz[..., 2] = gf * f * (1 - f)
                gz[..., 3] = go * o * (1 - o)
                gz = gz.reshape(B, 512)
                gc = gc * f
                g_wu += gz.T.dot(e)
                g_bu += gz.sum(0)
                g_wl += gz.T.dot(h_prev)
                numpy.add.at(g_emb, xs[k], gz.dot(wu))
                gh = gz.dot(wl)
            for p, gp in ((emb, g_emb), (wu, g_wu), (bu, g_bu), (wl, g_wl), (wo, g_wo),
                          (bo, g_bo)):
                p -= lr * gp
            return float(total)

        return step
    raise ValueError(name)


# --------------------------------------------------------------------------------------
# kusari (or Chainer 7, given ``chainer``): Chainer-style code
# --------------------------------------------------------------------------------------
def chainer_style_impl(name: str, ch: Any) -> Callable[[], float]:
    F, L, O = ch.functions, ch.links, ch.optimizers
    sp = spec(name)

    def linear(w: Any, b: Any) -> Any:
        layer = L.Linear(w.shape[1], w.shape[0], initialW=w.copy(), initial_bias=b.copy())
        return layer

    if name in ("seed", "tiny", "mlp"):
        model = ch.ChainList(*[linear(w, b) for w, b in sp["layers"]])
        n = len(model)
        x, t = sp["x"], sp["t"]
        opt = (O.Adam(alpha=sp["lr"]) if name == "mlp" else O.SGD(lr=sp["lr"])).setup(model)

        def lossfun() -> Any:
            h = x
            for i, layer in enumerate(model):
                h = layer(h)
                if i < n - 1 or name == "tiny":
                    h = F.relu(h)
            if name == "mlp":
                return F.softmax_cross_entropy(h, t)
            return F.mean_squared_error(h, t)

    elif name == "cnn":
        class CNN(ch.Chain):
            def __init__(self) -> None:
                super().__init__()
                (w1, b1), (w2, b2) = sp["convs"]
                with self.init_scope():
                    self.c1 = L.Convolution2D(1, 32, 3, pad=1, initialW=w1.copy(),
                                              initial_bias=b1.copy())
                    self.c2 = L.Convolution2D(32, 64, 3, pad=1, initialW=w2.copy(),
                                              initial_bias=b2.copy())
                    self.l1 = linear(*sp["layers"][0])
                    self.l2 = linear(*sp["layers"][1])

            def forward(self, x: Any) -> Any:
                h = F.max_pooling_2d(F.relu(self.c1(x)), 2)
                h = F.max_pooling_2d(F.relu(self.c2(h)), 2)
                return self.l2(F.relu(self.l1(h)))

        model = CNN()
        x, t = sp["x"], sp["t"]
        opt = O.MomentumSGD(lr=sp["lr"], momentum=sp["momentum"]).setup(model)

        def lossfun() -> Any:
            return F.softmax_cross_entropy(model(x), t)

    elif name == "lstm":
        class LM(ch.Chain):
            def __init__(self) -> None:
                super().__init__()
                with self.init_scope():
                    self.embed = L.EmbedID(1000, 128, initialW=sp["emb"].copy())
                    self.lstm = L.LSTM(128, 128)
                    self.out = linear(*sp["out"])
                self.lstm.upward.W.array[...] = sp["upward"][0]
                self.lstm.upward.b.array[...] = sp["upward"][1]
                self.lstm.lateral.W.array[...] = sp["lateral"]

        model = LM()
        xs, ts = sp["xs"], sp["ts"]
        opt = O.SGD(lr=sp["lr"]).setup(model)

        def lossfun() -> Any:
            model.lstm.reset_state()
            loss = 0
            for k in range(xs.shape[0]):
                h = model.lstm(model.embed(xs[k]))
                loss += F.softmax_cross_entropy(model.out(h), ts[k])
            return loss

    else:
        raise ValueError(name)

    def step() -> float:
        loss = lossfun()
        model.cleargrads()
        loss.backward()
        opt.update()
        return float(loss.array)

    return step


# --------------------------------------------------------------------------------------
# PyTorch eager
# --------------------------------------------------------------------------------------
def torch_impl(name: str) -> Callable[[], float]:
    import torch
    import torch.nn.functional as TF

    sp = spec(name)

    def lin(w: Any, b: Any) -> Any:
        m = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            m.weight.copy_(torch.from_numpy(w))
            m.bias.copy_(torch.from_numpy(b))
        return m

    if name in ("seed", "tiny", "mlp"):
        layers = torch.nn.ModuleList([lin(w, b) for w, b in sp["layers"]])
        n = len(layers)
        x = torch.from_numpy(sp["x"])
        t = torch.from_numpy(sp["t"].astype(numpy.int64) if name == "mlp" else sp["t"])
        opt = (torch.optim.Adam(layers.parameters(), lr=sp["lr"]) if name == "mlp"
               else torch.optim.SGD(layers.parameters(), lr=sp["lr"]))
        model = layers

        def lossfun() -> Any:
            h = x
            for i, layer in enumerate(layers):
                h = layer(h)
                if i < n - 1 or name == "tiny":
                    h = torch.relu(h)
            if name == "mlp":
                return TF.cross_entropy(h, t)
            return TF.mse_loss(h, t)

    elif name == "cnn":
        (w1, b1), (w2, b2) = sp["convs"]
        c1 = torch.nn.Conv2d(1, 32, 3, padding=1)
        c2 = torch.nn.Conv2d(32, 64, 3, padding=1)
        with torch.no_grad():
            for c, (w, b) in ((c1, (w1, b1)), (c2, (w2, b2))):
                c.weight.copy_(torch.from_numpy(w))
                c.bias.copy_(torch.from_numpy(b))
        l1, l2 = lin(*sp["layers"][0]), lin(*sp["layers"][1])
        model = torch.nn.ModuleList([c1, c2, l1, l2])
        x = torch.from_numpy(sp["x"])
        t = torch.from_numpy(sp["t"].astype(numpy.int64))
        opt = torch.optim.SGD(model.parameters(), lr=sp["lr"], momentum=sp["momentum"])

        def lossfun() -> Any:
            h = TF.max_pool2d(torch.relu(c1(x)), 2)
            h = TF.max_pool2d(torch.relu(c2(h)), 2)
            return TF.cross_entropy(l2(torch.relu(l1(h.flatten(1)))), t)

    elif name == "lstm":
        emb = torch.nn.Embedding(1000, 128)
        up = lin(*sp["upward"])
        lat = torch.nn.Linear(128, 512, bias=False)
        out = lin(*sp["out"])
        with torch.no_grad():
            emb.weight.copy_(torch.from_numpy(sp["emb"]))
            lat.weight.copy_(torch.from_numpy(sp["lateral"]))
        model = torch.nn.ModuleList([emb, up, lat, out])
        xs = torch.from_numpy(sp["xs"].astype(numpy.int64))
        ts = torch.from_numpy(sp["ts"].astype(numpy.int64))
        opt = torch.optim.SGD(model.parameters(), lr=sp["lr"])

        def lossfun() -> Any:
            T, B = xs.shape
            h = torch.zeros(B, 128)
            c = torch.zeros(B, 128)
            loss = 0
            for k in range(T):
                z = (up(emb(xs[k])) + lat(h)).view(B, 128, 4)
                a, i = torch.tanh(z[..., 0]), torch.sigmoid(z[..., 1])
                f, o = torch.sigmoid(z[..., 2]), torch.sigmoid(z[..., 3])
                c = a * i + f * c
                h = o * torch.tanh(c)
                loss = loss + TF.cross_entropy(out(h), ts[k])
            return loss

    else:
        raise ValueError(name)

    def step() -> float:
        opt.zero_grad(set_to_none=True)
        loss = lossfun()
        loss.backward()
        opt.step()
        return float(loss.detach())

    return step
