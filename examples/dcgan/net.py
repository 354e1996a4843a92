"""The generator and the discriminator of the DCGAN example."""

import numpy as np

import kusari
import kusari.functions as F
import kusari.links as L


def add_noise(h, sigma=0.2):
    """Gaussian noise on the discriminator's activations, only while training."""
    xp = kusari.backend.get_array_module(h.array)
    if kusari.config.train:
        return h + sigma * xp.random.randn(*h.shape).astype(h.dtype)
    return h


class Generator(kusari.Chain):
    """Maps a noise vector to an image: a linear layer then two deconvolutions.

    Each deconvolution doubles the height and width, so the image side is
    ``4 * bottom_width``.
    """

    def __init__(self, n_hidden, bottom_width=2, ch=64, out_ch=1, wscale=0.02):
        super().__init__()
        self.n_hidden = n_hidden
        self.ch = ch
        self.bottom_width = bottom_width

        with self.init_scope():
            w = kusari.initializers.Normal(wscale)
            self.l0 = L.Linear(self.n_hidden, bottom_width * bottom_width * ch, initialW=w)
            self.dc1 = L.Deconvolution2D(ch, ch // 2, 4, 2, 1, initialW=w)
            self.dc2 = L.Deconvolution2D(ch // 2, out_ch, 4, 2, 1, initialW=w)
            self.bn0 = L.BatchNormalization(bottom_width * bottom_width * ch)
            self.bn1 = L.BatchNormalization(ch // 2)

    def make_hidden(self, batchsize):
        return np.random.uniform(-1, 1, (batchsize, self.n_hidden)).astype(np.float32)

    def forward(self, z):
        h = F.reshape(
            F.relu(self.bn0(self.l0(z))), (len(z), self.ch, self.bottom_width, self.bottom_width)
        )
        h = F.relu(self.bn1(self.dc1(h)))
        return F.sigmoid(self.dc2(h))


class Discriminator(kusari.Chain):
    """Maps an image to one real-vs-fake logit with strided convolutions."""

    def __init__(self, bottom_width=2, ch=64, in_ch=1, wscale=0.02):
        super().__init__()
        w = kusari.initializers.Normal(wscale)
        with self.init_scope():
            self.c0 = L.Convolution2D(in_ch, ch // 4, 3, 1, 1, initialW=w)
            self.c1 = L.Convolution2D(ch // 4, ch // 2, 4, 2, 1, initialW=w)
            self.c2 = L.Convolution2D(ch // 2, ch, 4, 2, 1, initialW=w)
            self.l3 = L.Linear(bottom_width * bottom_width * ch, 1, initialW=w)
            self.bn1 = L.BatchNormalization(ch // 2, use_gamma=False)
            self.bn2 = L.BatchNormalization(ch, use_gamma=False)

    def forward(self, x):
        h = add_noise(x)
        h = F.leaky_relu(add_noise(self.c0(h)))
        h = F.leaky_relu(add_noise(self.bn1(self.c1(h))))
        h = F.leaky_relu(add_noise(self.bn2(self.c2(h))))
        return self.l3(h)
