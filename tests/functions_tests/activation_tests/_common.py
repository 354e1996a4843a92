"""Shared pieces of the activation tests."""

import numpy

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def loosen_for_float16(case, fwd=None):
    """Looser tolerances where the input dtype is float16."""
    if case.dtype == numpy.float16:
        case.check_forward_options = fwd or {"atol": 1e-3, "rtol": 1e-3}
        case.check_backward_options = {"atol": 5e-3, "rtol": 5e-2}
        case.check_double_backward_options = {"atol": 5e-3, "rtol": 5e-2}
