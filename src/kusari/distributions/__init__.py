"""Probability distributions (Chainer 7's ``chainer.distributions``).

Example:
    >>> import numpy
    >>> from kusari import distributions as D
    >>> D.Normal(numpy.zeros(3), numpy.ones(3)).sample(4).shape
    (4, 3)
"""

from kusari.distribution import Distribution, cross_entropy, kl_divergence, register_kl
from kusari.distributions.bernoulli import Bernoulli
from kusari.distributions.beta import Beta
from kusari.distributions.categorical import Categorical
from kusari.distributions.cauchy import Cauchy
from kusari.distributions.chisquare import Chisquare
from kusari.distributions.dirichlet import Dirichlet
from kusari.distributions.exponential import Exponential
from kusari.distributions.gamma import Gamma
from kusari.distributions.geometric import Geometric
from kusari.distributions.gumbel import Gumbel
from kusari.distributions.independent import Independent
from kusari.distributions.laplace import Laplace
from kusari.distributions.log_normal import LogNormal
from kusari.distributions.multivariate_normal import MultivariateNormal
from kusari.distributions.normal import Normal
from kusari.distributions.one_hot_categorical import OneHotCategorical
from kusari.distributions.pareto import Pareto
from kusari.distributions.poisson import Poisson
from kusari.distributions.uniform import Uniform
