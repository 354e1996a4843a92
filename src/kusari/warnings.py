"""Warning categories (Chainer's ``chainer.warnings``).

Example:
    >>> import warnings
    >>> from kusari.warnings import PerformanceWarning
    >>> warnings.simplefilter("ignore", PerformanceWarning)
"""


class PerformanceWarning(RuntimeWarning):
    """Warning that indicates possible performance issues.

    Example:
        >>> issubclass(PerformanceWarning, RuntimeWarning)
        True
    """
