#!/usr/bin/env python
"""Train a variational autoencoder (Kingma and Welling, 2014) on MNIST.

The encoder maps an image to the mean and log-variance of a Gaussian over a small
latent space; the decoder maps a latent sample back to pixel probabilities. The loss
is the reconstruction error (Bernoulli negative log-likelihood) plus the KL divergence
of the posterior from the standard normal prior. Without a network connection the
script trains on scikit-learn's bundled 8x8 digits (``kusari.datasets.get_digits``).

After training it writes nine test images, their reconstructions and nine images
decoded from random latent vectors (``test.png``, ``test_reconstructed.png``,
``sampled.png``) to the result directory.

    python examples/vae/train_vae.py            # 100 epochs on the digits
    python examples/vae/train_vae.py --quick    # a smoke run of a few seconds
"""

import argparse
import os

import numpy as np

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import training
from kusari.backends import cuda
from kusari.training import extensions


class VAE(kusari.Chain):
    """Variational autoencoder with one hidden layer in the encoder and the decoder."""

    def __init__(self, n_in, n_latent, n_h):
        super().__init__()
        with self.init_scope():
            # encoder
            self.le1 = L.Linear(n_in, n_h)
            self.le2_mu = L.Linear(n_h, n_latent)
            self.le2_ln_var = L.Linear(n_h, n_latent)
            # decoder
            self.ld1 = L.Linear(n_latent, n_h)
            self.ld2 = L.Linear(n_h, n_in)

    def forward(self, x, sigmoid=True):
        """Reconstruct ``x`` through the mean of its latent code (no sampling)."""
        return self.decode(self.encode(x)[0], sigmoid)

    def encode(self, x):
        h1 = F.tanh(self.le1(x))
        mu = self.le2_mu(h1)
        ln_var = self.le2_ln_var(h1)  # the log of the variance
        return mu, ln_var

    def decode(self, z, sigmoid=True):
        h1 = F.tanh(self.ld1(z))
        h2 = self.ld2(h1)
        return F.sigmoid(h2) if sigmoid else h2

    def get_loss_func(self, beta=1.0, k=1):
        """The loss function: reconstruction loss plus ``beta`` times the KL term.

        Args:
            beta: Weight of the KL divergence term.
            k: Number of latent samples for the Monte Carlo estimate of the
                reconstruction loss.
        """

        def lf(x):
            mu, ln_var = self.encode(x)
            batchsize = len(mu)
            # Monte Carlo estimate of the expected negative log-likelihood of x
            rec_loss = 0
            for _ in range(k):
                z = F.gaussian(mu, ln_var)
                rec_loss += F.bernoulli_nll(x, self.decode(z, sigmoid=False)) / (k * batchsize)
            self.rec_loss = rec_loss
            kl = F.gaussian_kl_divergence(mu, ln_var) / batchsize
            self.loss = self.rec_loss + beta * kl
            kusari.report({"rec_loss": self.rec_loss, "kl": kl, "loss": self.loss}, observer=self)
            return self.loss

        return lf


def load_dataset(name):
    """``(train, test)`` arrays of image vectors with pixel values in [0, 1]."""
    if name == "mnist":
        try:
            return kusari.datasets.get_mnist(withlabel=False), "MNIST"
        except OSError as e:
            print(
                f"MNIST could not be downloaded ({type(e).__name__}); "
                "training on the 8x8 digits instead"
            )
    return kusari.datasets.get_digits(withlabel=False), "digits"


def save_images(x, filename, side):
    """Save a grid of images (rows of ``side * side`` pixel vectors) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 3, figsize=(4.5, 4.5), dpi=100)
    for ai, xi in zip(axes.flatten(), x):
        ai.imshow(xi.reshape(side, side), cmap="gray", vmin=0.0, vmax=1.0)
        ai.set_axis_off()
    fig.savefig(filename)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description="kusari example: VAE")
    parser.add_argument("--initmodel", "-m", type=str, help="Initialize the model from given file")
    parser.add_argument("--resume", "-r", type=str, help="Resume the optimization from snapshot")
    parser.add_argument(
        "--device", "-d", type=str, default="@numpy", help="Device: @numpy, or @cupy:N for GPU N"
    )
    parser.add_argument("--out", "-o", default="result", help="Directory to output the result")
    parser.add_argument("--epoch", "-e", default=100, type=int, help="number of epochs to learn")
    parser.add_argument("--dim-z", "-z", default=8, type=int, help="dimension of encoded vector")
    parser.add_argument("--dim-h", default=200, type=int, help="dimension of hidden layer")
    parser.add_argument(
        "--beta",
        default=1.0,
        type=float,
        help="Regularization coefficient for the second term of ELBO bound",
    )
    parser.add_argument(
        "--k",
        "-k",
        default=1,
        type=int,
        help="Number of Monte Carlo samples used in encoded vector",
    )
    parser.add_argument("--batchsize", "-b", type=int, default=100, help="learning minibatch size")
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
        "--quick", action="store_true", help="Smoke run: 2 epochs of a small model on 300 examples"
    )
    args = parser.parse_args()
    if args.quick:
        args.epoch, args.dim_h = min(args.epoch, 2), 20

    device = kusari.get_device(args.device)
    device.use()

    (train, test), name = load_dataset(args.dataset)
    if args.quick:
        train, test = train[:300], test[:100]
    n_in = train.shape[1]
    side = int(round(n_in**0.5))
    print(f"Device: {device}")
    print(f"# dataset: {name} ({len(train)} training, {len(test)} test images)")
    print(f"# dim z: {args.dim_z}, minibatch: {args.batchsize}, epoch: {args.epoch}")
    print("")

    model = VAE(n_in, args.dim_z, args.dim_h)
    if args.initmodel is not None:
        kusari.serializers.load_npz(args.initmodel, model)
    model.to_device(device)

    optimizer = kusari.optimizers.Adam()
    optimizer.setup(model)

    train_iter = kusari.iterators.SerialIterator(train, args.batchsize)
    test_iter = kusari.iterators.SerialIterator(test, args.batchsize, repeat=False, shuffle=False)

    # the loss is not the model's forward: hand it to the updater (and to the
    # Evaluator, with more latent samples for a steadier estimate)
    updater = training.updaters.StandardUpdater(
        train_iter,
        optimizer,
        device=device,
        loss_func=model.get_loss_func(beta=args.beta, k=args.k),
    )

    trainer = training.Trainer(updater, (args.epoch, "epoch"), out=args.out)
    trainer.extend(
        extensions.Evaluator(
            test_iter, model, device=device, eval_func=model.get_loss_func(beta=args.beta, k=10)
        )
    )
    trainer.extend(
        extensions.snapshot_object(model, "vae_epoch_{.updater.epoch}.npz"),
        trigger=(args.epoch, "epoch"),
    )
    trainer.extend(extensions.LogReport())
    if args.plot and extensions.PlotReport.available():
        trainer.extend(
            extensions.PlotReport(
                ["main/loss", "validation/main/loss"], "epoch", filename="loss.png"
            )
        )
    trainer.extend(
        extensions.PrintReport(
            [
                "epoch",
                "main/loss",
                "validation/main/loss",
                "main/rec_loss",
                "main/kl",
                "elapsed_time",
            ]
        )
    )
    trainer.extend(extensions.ProgressBar(update_interval=10))

    if args.resume is not None:
        kusari.serializers.load_npz(args.resume, trainer)

    trainer.run()

    if not args.plot:
        return
    # draw nine test images, their reconstructions, and decodings of random codes
    with kusari.using_config("train", False), kusari.no_backprop_mode():
        x = device.send(np.asarray(test[:9]))
        x_rec = cuda.to_cpu(model(x).array)
        z = device.send(np.random.normal(0, 1, (9, args.dim_z)).astype(np.float32))
        x_sampled = cuda.to_cpu(model.decode(z).array)
    save_images(cuda.to_cpu(x), os.path.join(args.out, "test.png"), side)
    save_images(x_rec, os.path.join(args.out, "test_reconstructed.png"), side)
    save_images(x_sampled, os.path.join(args.out, "sampled.png"), side)
    print(f"wrote test.png, test_reconstructed.png and sampled.png to {args.out}")


if __name__ == "__main__":
    main()
