#!/usr/bin/env python
"""Train a deep convolutional GAN (Radford et al., 2015) to draw digits.

Two networks play against each other: the generator turns noise into images, the
discriminator tells them from real ones. A custom updater (``updater.py``) runs one
step of each per iteration, with one optimizer each. Trains on MNIST when it can be
downloaded, else on scikit-learn's bundled 8x8 digits; writes a grid of generated
images to ``<out>/preview/`` after every few epochs.

    python examples/dcgan/train_dcgan.py            # 20 epochs on the digits
    python examples/dcgan/train_dcgan.py --quick    # a smoke run of a few seconds
"""

import argparse
import os
import sys

import kusari
from kusari import training
from kusari.training import extensions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from net import Discriminator, Generator  # noqa: E402
from updater import DCGANUpdater  # noqa: E402
from visualize import out_generated_image  # noqa: E402


def load_dataset(name):
    """Training images shaped (1, H, W) with values in [0, 1]."""
    if name == "mnist":
        try:
            train, _ = kusari.datasets.get_mnist(withlabel=False, ndim=3)
            return train, "MNIST"
        except OSError as e:
            print(
                f"MNIST could not be downloaded ({type(e).__name__}); "
                "training on the 8x8 digits instead"
            )
    train, _ = kusari.datasets.get_digits(withlabel=False, ndim=3)
    return train, "digits"


def main():
    parser = argparse.ArgumentParser(description="kusari example: DCGAN")
    parser.add_argument(
        "--batchsize", "-b", type=int, default=50, help="Number of images in each mini-batch"
    )
    parser.add_argument(
        "--epoch", "-e", type=int, default=20, help="Number of sweeps over the dataset to train"
    )
    parser.add_argument(
        "--device", "-d", type=str, default="@numpy", help="Device: @numpy, or @cupy:N for GPU N"
    )
    parser.add_argument(
        "--dataset",
        choices=("mnist", "digits"),
        default="mnist",
        help="mnist (falls back to digits when offline) or digits",
    )
    parser.add_argument("--out", "-o", default="result", help="Directory to output the result")
    parser.add_argument("--resume", "-r", type=str, help="Resume the training from snapshot")
    parser.add_argument(
        "--n_hidden", "-n", type=int, default=32, help="Number of hidden units (z)"
    )
    parser.add_argument(
        "--ch", type=int, default=64, help="Number of channels of the widest layer"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="Random seed of z at visualization stage"
    )
    parser.add_argument(
        "--snapshot_interval",
        type=int,
        default=5,
        help="Interval of snapshot and preview (epochs)",
    )
    parser.add_argument(
        "--noplot", dest="plot", action="store_false", help="Disable PlotReport extension"
    )
    parser.add_argument(
        "--quick", action="store_true", help="Smoke run: 2 epochs of small networks on 300 images"
    )
    args = parser.parse_args()
    if args.quick:
        args.epoch, args.ch, args.snapshot_interval = min(args.epoch, 2), 16, 1

    device = kusari.get_device(args.device)
    device.use()

    train, name = load_dataset(args.dataset)
    if args.quick:
        train = train[:300]
    bottom_width = train.shape[-1] // 4
    print(f"Device: {device}")
    print(f"# dataset: {name} ({len(train)} images of {train.shape[1:]})")
    print(f"# n_hidden: {args.n_hidden}, minibatch: {args.batchsize}, epoch: {args.epoch}")
    print("")

    gen = Generator(n_hidden=args.n_hidden, bottom_width=bottom_width, ch=args.ch)
    dis = Discriminator(bottom_width=bottom_width, ch=args.ch)
    gen.to_device(device)
    dis.to_device(device)

    # Adam with a small step and beta1 = 0.5, as the DCGAN paper recommends
    def make_optimizer(model, alpha=0.0002, beta1=0.5):
        optimizer = kusari.optimizers.Adam(alpha=alpha, beta1=beta1)
        optimizer.setup(model)
        optimizer.add_hook(kusari.optimizer_hooks.WeightDecay(0.0001), "hook_dec")
        return optimizer

    opt_gen = make_optimizer(gen)
    opt_dis = make_optimizer(dis)

    train_iter = kusari.iterators.SerialIterator(train, args.batchsize)

    # the iterator feeds real images; the updater trains both networks
    updater = DCGANUpdater(
        models=(gen, dis),
        iterator=train_iter,
        optimizer={"gen": opt_gen, "dis": opt_dis},
        device=device,
    )
    trainer = training.Trainer(updater, (args.epoch, "epoch"), out=args.out)

    snapshot_interval = (args.snapshot_interval, "epoch")
    trainer.extend(
        extensions.snapshot(filename="snapshot_epoch_{.updater.epoch}.npz", n_retains=1),
        trigger=snapshot_interval,
    )
    trainer.extend(
        extensions.snapshot_object(gen, "gen_epoch_{.updater.epoch}.npz"),
        trigger=snapshot_interval,
    )
    trainer.extend(
        extensions.snapshot_object(dis, "dis_epoch_{.updater.epoch}.npz"),
        trigger=snapshot_interval,
    )
    trainer.extend(extensions.LogReport())
    trainer.extend(
        extensions.PrintReport(["epoch", "iteration", "gen/loss", "dis/loss", "elapsed_time"])
    )
    trainer.extend(extensions.ProgressBar(update_interval=10))
    if args.plot and extensions.PlotReport.available():
        trainer.extend(
            extensions.PlotReport(["gen/loss", "dis/loss"], "epoch", filename="loss.png")
        )
        trainer.extend(
            out_generated_image(gen, 6, 6, args.seed, args.out), trigger=snapshot_interval
        )

    if args.resume is not None:
        kusari.serializers.load_npz(args.resume, trainer)

    trainer.run()


if __name__ == "__main__":
    main()
