"""An extension that writes a grid of generated images every few epochs."""

import os

import numpy as np

import kusari
from kusari.backends import cuda


def out_generated_image(gen, rows, cols, seed, dst):
    """Make a trainer extension that saves ``rows x cols`` generated images.

    The noise is drawn from a fixed seed, so successive images show how the same
    inputs are rendered as training goes on.
    """

    @kusari.training.make_extension()
    def make_image(trainer):
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        state = np.random.get_state()
        np.random.seed(seed)
        n_images = rows * cols
        z = kusari.Variable(gen.xp.asarray(gen.make_hidden(n_images)))
        np.random.set_state(state)
        with kusari.using_config("train", False), kusari.no_backprop_mode():
            x = cuda.to_cpu(gen(z).array)

        fig, axes = plt.subplots(rows, cols, figsize=(cols, rows), dpi=80)
        for ax, image in zip(np.ravel(axes), x):
            ax.imshow(image[0], cmap="gray", vmin=0.0, vmax=1.0)
            ax.set_axis_off()
        preview_dir = os.path.join(dst, "preview")
        os.makedirs(preview_dir, exist_ok=True)
        fig.savefig(os.path.join(preview_dir, f"image_epoch_{trainer.updater.epoch:04d}.png"))
        plt.close(fig)

    return make_image
