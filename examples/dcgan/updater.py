"""The DCGAN updater: one discriminator step and one generator step per iteration."""

import kusari
import kusari.functions as F
from kusari import Variable


class DCGANUpdater(kusari.training.updaters.StandardUpdater):
    """Updates the two networks of a GAN, each with its own optimizer.

    The optimizers are named ``'gen'`` and ``'dis'``; the losses are reported as
    ``gen/loss`` and ``dis/loss``.
    """

    def __init__(self, *args, **kwargs):
        self.gen, self.dis = kwargs.pop("models")
        super().__init__(*args, **kwargs)

    def loss_dis(self, dis, y_fake, y_real):
        """The discriminator's loss: call real images real and fakes fake.

        ``softplus(-y)`` is ``-log(sigmoid(y))``, the cross entropy of a logit ``y``
        with the label "real"; ``softplus(y)`` that with the label "fake".
        """
        n = len(y_fake)
        loss = (F.sum(F.softplus(-y_real)) + F.sum(F.softplus(y_fake))) / n
        kusari.report({"loss": loss}, dis)
        return loss

    def loss_gen(self, gen, y_fake):
        """The generator's loss: have its images called real."""
        loss = F.sum(F.softplus(-y_fake)) / len(y_fake)
        kusari.report({"loss": loss}, gen)
        return loss

    def update_core(self):
        gen_optimizer = self.get_optimizer("gen")
        dis_optimizer = self.get_optimizer("dis")

        batch = self.get_iterator("main").next()
        x_real = Variable(self.converter(batch, self.device))
        xp = kusari.backend.get_array_module(x_real.array)

        gen, dis = self.gen, self.dis
        batchsize = len(batch)

        y_real = dis(x_real)

        z = Variable(xp.asarray(gen.make_hidden(batchsize)))
        x_fake = gen(z)
        y_fake = dis(x_fake)

        # Optimizer.update(lossfun, *args) clears the gradients, computes the loss,
        # backpropagates and updates the parameters of its target
        dis_optimizer.update(self.loss_dis, dis, y_fake, y_real)
        gen_optimizer.update(self.loss_gen, gen, y_fake)
