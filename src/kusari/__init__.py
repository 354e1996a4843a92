"""kusari: a define-by-run deep-learning framework with Chainer 7's API."""

__version__ = "0.1.0"
