#!/usr/bin/env python
"""Train a small convolutional network (two conv + batch norm + max pooling blocks).

It classifies MNIST digits; without a network connection it trains on scikit-learn's
bundled 8x8 digits (``kusari.datasets.get_digits``) instead. The learning rate of
MomentumSGD is halved every few epochs by the ExponentialShift extension.

    python examples/cnn/train_cnn.py            # 20 epochs on the digits
    python examples/cnn/train_cnn.py --quick    # a smoke run of a few seconds
"""

import argparse

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import training
from kusari.training import extensions


class ConvBlock(kusari.Chain):
    """Convolution, batch normalization, ReLU, then 2x2 max pooling."""

    def __init__(self, out_channels):
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(None, out_channels, ksize=3, pad=1, nobias=True)
            self.bn = L.BatchNormalization(out_channels)

    def forward(self, x):
        h = F.relu(self.bn(self.conv(x)))
        return F.max_pooling_2d(h, ksize=2, stride=2)


class CNN(kusari.Chain):
    """Two convolutional blocks and a classifier on top."""

    def __init__(self, n_out, channels=32):
        super().__init__()
        with self.init_scope():
            self.block1 = ConvBlock(channels)
            self.block2 = ConvBlock(channels * 2)
            self.fc1 = L.Linear(None, channels * 4)
            self.fc2 = L.Linear(None, n_out)

    def forward(self, x):
        h = self.block2(self.block1(x))
        # dropout is active only while kusari.config.train is True: the Evaluator
        # runs the model with train=False
        h = F.dropout(F.relu(self.fc1(h)), ratio=0.5)
        return self.fc2(h)


def load_dataset(name):
    """``(train, test)`` of (image, label) pairs with images shaped (1, H, W)."""
    if name == "mnist":
        try:
            return kusari.datasets.get_mnist(ndim=3), "MNIST"
        except OSError as e:
            print(
                f"MNIST could not be downloaded ({type(e).__name__}); "
                "training on the 8x8 digits instead"
            )
    return kusari.datasets.get_digits(ndim=3), "digits"


def main():
    parser = argparse.ArgumentParser(description="kusari example: CNN classifier")
    parser.add_argument(
        "--batchsize", "-b", type=int, default=64, help="Number of images in each mini-batch"
    )
    parser.add_argument(
        "--learnrate", "-l", type=float, default=0.05, help="Learning rate for MomentumSGD"
    )
    parser.add_argument(
        "--epoch", "-e", type=int, default=20, help="Number of sweeps over the dataset to train"
    )
    parser.add_argument(
        "--channels",
        "-c",
        type=int,
        default=32,
        help="Number of channels of the first convolution",
    )
    parser.add_argument(
        "--device", "-d", type=str, default="@numpy", help="Device: @numpy, or @cupy:N for GPU N"
    )
    parser.add_argument("--out", "-o", default="result", help="Directory to output the result")
    parser.add_argument("--resume", "-r", type=str, help="Resume the training from snapshot")
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
        help="Smoke run: 2 epochs of a narrow network on 300 examples",
    )
    args = parser.parse_args()
    if args.quick:
        args.epoch, args.channels = min(args.epoch, 2), 8

    device = kusari.get_device(args.device)
    device.use()

    (train, test), name = load_dataset(args.dataset)
    if args.quick:
        train, _ = kusari.datasets.split_dataset(train, 300)
        test, _ = kusari.datasets.split_dataset(test, 100)
    print(f"Device: {device}")
    print(f"# dataset: {name} ({len(train)} training, {len(test)} test examples)")
    print(f"# channels: {args.channels}, minibatch: {args.batchsize}, epoch: {args.epoch}")
    print("")

    model = L.Classifier(CNN(10, args.channels))
    model.to_device(device)

    optimizer = kusari.optimizers.MomentumSGD(lr=args.learnrate, momentum=0.9)
    optimizer.setup(model)
    optimizer.add_hook(kusari.optimizer_hooks.WeightDecay(5e-4))

    train_iter = kusari.iterators.SerialIterator(train, args.batchsize)
    test_iter = kusari.iterators.SerialIterator(test, args.batchsize, repeat=False, shuffle=False)

    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, "epoch"), out=args.out)

    trainer.extend(extensions.Evaluator(test_iter, model, device=device))
    # halve the learning rate every quarter of the training
    trainer.extend(
        extensions.ExponentialShift("lr", 0.5), trigger=(max(1, args.epoch // 4), "epoch")
    )
    trainer.extend(
        extensions.snapshot(filename="snapshot_epoch_{.updater.epoch}", n_retains=1),
        trigger=(args.epoch, "epoch"),
    )
    trainer.extend(
        extensions.snapshot_object(model.predictor, "cnn_epoch_{.updater.epoch}.npz"),
        trigger=(args.epoch, "epoch"),
    )
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.observe_lr())
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
    trainer.extend(
        extensions.PrintReport(
            [
                "epoch",
                "lr",
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
