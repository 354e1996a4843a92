"""The flat ("same" padding, stride 1) column path of the convolution kernels."""

import numpy
import pytest

from kusari.functions.connection import _conv_util as cu

from . import _conv_ref

CASES = [
    # insize, ksize, pad, dilate, channels
    ((6, 5), (3, 3), (1, 1), (1, 1), 8),
    ((7, 6), (3, 3), (2, 2), (2, 2), 8),
    ((5, 6), (3, 5), (1, 2), (1, 1), 5),
    ((9,), (5,), (2,), (1,), 16),
    ((4, 3, 5), (3, 3, 3), (1, 1, 1), (1, 1, 1), 3),
    ((1, 4), (3, 3), (1, 1), (1, 1), 8),  # windows wider than the image
    ((2, 3), (5, 5), (2, 2), (1, 1), 4),
    ((5, 5), (2, 2), (1, 1), (2, 2), 16),  # even kernel, dilated to "same"
]


@pytest.mark.parametrize("insize,ksize,pad,dilate,c", CASES)
def test_flat_path_matches_reference(insize, ksize, pad, dilate, c):
    nd = len(insize)
    stride = (1,) * nd
    assert cu._flat_shifts(insize, ksize, stride, pad, dilate, insize) is not None
    assert c * int(numpy.prod(ksize)) >= 64  # the large-GEMM branch is taken
    rng = numpy.random.RandomState(0)
    n, o = 3, 4
    x = rng.randn(n, c, *insize)
    W = rng.randn(o, c, *ksize)
    gy = rng.randn(n, o, *insize)
    y = cu.conv_forward(x, W, stride, pad, dilate, 1, insize)
    numpy.testing.assert_allclose(y, _conv_ref.conv(x, W, pad=pad, dilate=dilate), rtol=1e-10,
                                  atol=1e-10)
    gx = cu.conv_grad_x(gy, W, stride, pad, dilate, 1, insize)
    assert gx.shape == x.shape and gx.flags.c_contiguous
    numpy.testing.assert_allclose(
        gx, _conv_ref.deconv(gy, W, pad=pad, dilate=dilate, outsize=insize), rtol=1e-10,
        atol=1e-10)
    gW = cu.conv_grad_w(x, gy, ksize, stride, pad, dilate, 1)
    col = cu.im2col(x, ksize, stride, pad, dilate, insize)
    sp = "".join("pqr"[:nd])
    ks = "".join("ijk"[:nd])
    ref = numpy.einsum(f"no{sp},nc{ks}{sp}->oc{ks}", gy, col)
    numpy.testing.assert_allclose(gW, ref, rtol=1e-10, atol=1e-10)


def test_flat_path_only_for_same_size_stride_one():
    assert cu._flat_shifts((5, 5), (3, 3), (2, 2), (1, 1), (1, 1), (3, 3)) is None
    assert cu._flat_shifts((5, 5), (3, 3), (1, 1), (0, 0), (1, 1), (3, 3)) is None


def test_flat_path_results_do_not_share_workspace():
    # one channel (so the NCHW transpose of the image is already contiguous) and a kernel
    # large enough for the flat path; results must stay valid after later calls
    rng = numpy.random.RandomState(1)
    x = rng.randn(2, 1, 9, 9)
    W = rng.randn(3, 1, 9, 9)
    gy = rng.randn(2, 3, 9, 9)
    args = ((1, 1), (4, 4), (1, 1), 1, (9, 9))
    gx = cu.conv_grad_x(gy, W, *args)
    first = gx.copy()
    cu.conv_grad_x(-gy, W, *args)
    cu.conv_forward(x, W, *args)
    numpy.testing.assert_array_equal(gx, first)
    numpy.testing.assert_allclose(
        gx, _conv_ref.deconv(gy, W, pad=4, outsize=(9, 9)), rtol=1e-10, atol=1e-10)
