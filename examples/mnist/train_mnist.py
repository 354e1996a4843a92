#!/usr/bin/env python
"""Train a multi-layer perceptron on MNIST.

Without a network connection MNIST cannot be downloaded; the script then trains on
scikit-learn's bundled 8x8 handwritten digits (``kusari.datasets.get_digits``) instead.

    python examples/mnist/train_mnist.py              # 20 epochs, report, progress, plots
    python examples/mnist/train_mnist.py --quick      # a smoke run of a few seconds
    python examples/mnist/train_mnist.py --resume result/snapshot_iter_300
"""

import argparse

import numpy

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import training
from kusari.training import extensions


class MLP(kusari.Chain):
    """Three fully connected layers with ReLU in between."""

    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            # None: the input size is inferred on the first forward pass
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def load_dataset(name):
    """``(train, test)`` of (image vector, label) pairs, and the dataset's name."""
    if name == "mnist":
        try:
            return kusari.datasets.get_mnist(), "MNIST"
        except OSError as e:
            print(
                f"MNIST could not be downloaded ({type(e).__name__}); "
                "training on the 8x8 digits instead"
            )
    return kusari.datasets.get_digits(), "digits"


def main():
    parser = argparse.ArgumentParser(description="kusari example: MNIST")
    parser.add_argument(
        "--batchsize", "-b", type=int, default=100, help="Number of images in each mini-batch"
    )
    parser.add_argument(
        "--epoch", "-e", type=int, default=20, help="Number of sweeps over the dataset to train"
    )
    parser.add_argument(
        "--frequency",
        "-f",
        type=int,
        default=-1,
        help="Frequency of taking a snapshot (epochs; -1: at the end)",
    )
    parser.add_argument(
        "--device", "-d", type=str, default="@numpy", help="Device: @numpy, or @cupy:N for GPU N"
    )
    parser.add_argument("--out", "-o", default="result", help="Directory to output the result")
    parser.add_argument("--resume", "-r", type=str, help="Resume the training from snapshot")
    parser.add_argument("--unit", "-u", type=int, default=1000, help="Number of units")
    parser.add_argument(
        "--dataset",
        choices=("mnist", "digits"),
        default="mnist",
        help="mnist (falls back to digits when offline) or digits",
    )
    parser.add_argument(
        "--noplot", dest="plot", action="store_false", help="Disable PlotReport extension"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="Smoke run: 2 epochs of a small network on 500 examples",
    )
    parser.add_argument(
        "--seed", type=int, default=None,
        help="Seed NumPy's random state (initial weights, shuffles)",
    )
    args = parser.parse_args()
    if args.seed is not None:
        numpy.random.seed(args.seed)
    if args.quick:
        args.epoch, args.unit, args.batchsize = min(args.epoch, 2), 50, 50

    device = kusari.get_device(args.device)
    device.use()

    print(f"Device: {device}")
    print(f"# unit: {args.unit}")
    print(f"# Minibatch-size: {args.batchsize}")
    print(f"# epoch: {args.epoch}")
    print("")

    (train, test), name = load_dataset(args.dataset)
    if args.quick:
        train, _ = kusari.datasets.split_dataset(train, 500)
        test, _ = kusari.datasets.split_dataset(test, 200)
    print(f"# dataset: {name} ({len(train)} training, {len(test)} test examples)")

    # Classifier wraps the network: it computes the softmax cross entropy loss and
    # reports 'loss' and 'accuracy', which LogReport and PrintReport pick up
    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)

    optimizer = kusari.optimizers.Adam()
    optimizer.setup(model)

    train_iter = kusari.iterators.SerialIterator(train, args.batchsize)
    test_iter = kusari.iterators.SerialIterator(test, args.batchsize, repeat=False, shuffle=False)

    # one update per minibatch: forward, backward, optimizer step
    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, "epoch"), out=args.out)

    # after every epoch, run the model on the test set: 'validation/main/...'
    trainer.extend(extensions.Evaluator(test_iter, model, device=device))

    # write the graph that computed 'main/loss' (the loss of the optimizer named
    # 'main') to cg.dot, once, after the first iteration
    trainer.extend(extensions.DumpGraph("main/loss"))

    # the whole training state (model, optimizer, iterator, ...), for --resume
    frequency = args.epoch if args.frequency == -1 else max(1, args.frequency)
    trainer.extend(extensions.snapshot(n_retains=1), trigger=(frequency, "epoch"))

    # average the reported values over each epoch, into the file 'log'
    trainer.extend(extensions.LogReport())

    # loss.png and accuracy.png, redrawn every epoch
    if args.plot and extensions.PlotReport.available():
        trainer.extend(
            extensions.PlotReport(
                ["main/loss", "validation/main/loss"], "epoch", filename="loss.png"
            )
        )
        trainer.extend(
            extensions.PlotReport(
                ["main/accuracy", "validation/main/accuracy"], "epoch", filename="accuracy.png"
            )
        )

    # the table printed as training goes on, and a progress bar below it
    trainer.extend(
        extensions.PrintReport(
            [
                "epoch",
                "main/loss",
                "validation/main/loss",
                "main/accuracy",
                "validation/main/accuracy",
                "elapsed_time",
            ]
        )
    )

    trainer.extend(extensions.ProgressBar(update_interval=10))

    if args.resume is not None:
        kusari.serializers.load_npz(args.resume, trainer)

    trainer.run()


if __name__ == "__main__":
    main()
