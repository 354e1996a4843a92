"""Write data/chainer_trainer_snapshot.npz with the reference Chainer (run by hand).

    SETUPTOOLS_USE_DISTUTILS=stdlib /path/to/chainer-venv/bin/python \\
        tests/compat_tests/record_chainer_snapshot.py

Trains the small regression net of ``test_old_snapshots.py`` for 5 iterations with
MomentumSGD, snapshots the trainer, then (after ``numpy.random.seed(123)``) trains 7 more
iterations; data/chainer_trainer_snapshot.json keeps what the snapshot holds and the
losses of the continued run, for kusari to reproduce after loading the snapshot.
"""

import json
import pathlib
import shutil
import tempfile

import chainer
import chainer.functions as F
import chainer.links as L
import numpy as np
from chainer import training
from chainer.training import extensions

DATA = pathlib.Path(__file__).resolve().parent / "data"


class Net(chainer.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4)
            self.l2 = L.Linear(4, 1)

    def forward(self, x, t):
        loss = F.mean_squared_error(self.l2(F.relu(self.l1(x))), t)
        chainer.report({"loss": loss}, self)
        return loss


def make_trainer(out, stop):
    np.random.seed(0)
    x = np.random.randn(20, 3).astype(np.float32)
    t = x.sum(1, keepdims=True)
    model = Net()
    opt = chainer.optimizers.MomentumSGD(lr=0.05, momentum=0.9)
    opt.setup(model)
    it = chainer.iterators.SerialIterator(chainer.datasets.TupleDataset(x, t), 8)
    trainer = training.Trainer(training.updaters.StandardUpdater(it, opt), stop, out=out)
    trainer.extend(extensions.LogReport(trigger=(1, "iteration")))
    trainer.extend(extensions.snapshot(filename="snapshot"), trigger=(5, "iteration"))
    return trainer, model, opt, it


def main():
    with tempfile.TemporaryDirectory() as tmp:
        trainer, model, opt, it = make_trainer(tmp, (5, "iteration"))
        trainer.run()
        shutil.copy(pathlib.Path(tmp) / "snapshot", DATA / "chainer_trainer_snapshot.npz")
        snapshot_state = {
            "iteration": trainer.updater.iteration, "epoch": it.epoch,
            "current_position": it.current_position, "optimizer_t": opt.t,
            "l1_W": model.l1.W.array.tolist(), "l2_b": model.l2.b.array.tolist(),
            "l1_W_v": opt.target.l1.W.update_rule.state["v"].tolist(),
            "log_losses": [e["main/loss"] for e in trainer.get_extension("LogReport").log],
        }
        trainer2, model2, opt2, _ = make_trainer(tmp + "/2", (12, "iteration"))
        chainer.serializers.load_npz(pathlib.Path(tmp) / "snapshot", trainer2)
        np.random.seed(123)
        trainer2.run()
        continued = [e["main/loss"] for e in trainer2.get_extension("LogReport").log]
    record = {"chainer": chainer.__version__, "snapshot": snapshot_state,
              "continued_losses": continued,
              "final_l2_W": model2.l2.W.array.tolist()}
    (DATA / "chainer_trainer_snapshot.json").write_text(json.dumps(record, indent=1) + "\n")
    print(json.dumps(record)[:300])


if __name__ == "__main__":
    main()
