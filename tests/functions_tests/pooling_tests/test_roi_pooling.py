import math

import numpy
import pytest

import kusari.functions as F
from kusari import testing
from kusari.utils.type_check import InvalidType

ROIS4 = numpy.array([[1, 1, 5, 4], [0, 2, 7, 6.6], [-3, -2, 2, 2]])  # y0, x0, y1, x1
INDICES = numpy.array([0, 1, 1], numpy.int32)
ROIS5 = numpy.array([[0, 1, 1, 4, 5], [1, 2, 0, 6.6, 7], [1, -2, -3, 2, 2]])  # b, x0..y1
SCALE = 0.8


def _ref(x, rois, indices, outh, outw, inclusive, mode, empty):
    """Loops over ROIs, bins and channels, straight from the definition."""
    n, c, h, w = x.shape
    y = numpy.full((len(rois), c, outh, outw), float(empty))
    for r, (y0, x0, y1, x1) in enumerate(rois):
        y0, x0, y1, x1 = (int(round(v * SCALE)) for v in (y0, x0, y1, x1))
        extra = 1 if inclusive else 0
        sh = max(y1 - y0 + extra, 1) / outh
        sw = max(x1 - x0 + extra, 1) / outw
        for i in range(outh):
            ya = min(max(math.floor(i * sh) + y0, 0), h)
            yb = min(max(math.ceil((i + 1) * sh) + y0, 0), h)
            for j in range(outw):
                xa = min(max(math.floor(j * sw) + x0, 0), w)
                xb = min(max(math.ceil((j + 1) * sw) + x0, 0), w)
                if yb <= ya or xb <= xa:
                    continue
                for ch in range(c):
                    patch = x[indices[r], ch, ya:yb, xa:xb]
                    y[r, ch, i, j] = patch.max() if mode == "max" else patch.mean()
    return y


_CASES = {
    "roi_pooling_2d": lambda x, dt: F.roi_pooling_2d(x, ROIS5.astype(dt), 3, 2, SCALE),
    "roi_max_pooling_2d": lambda x, dt: F.roi_max_pooling_2d(
        x, ROIS4.astype(dt), INDICES, (3, 2), SCALE),
    "roi_average_pooling_2d": lambda x, dt: F.roi_average_pooling_2d(
        x, ROIS4.astype(dt), INDICES, (3, 2), SCALE),
}


@testing.parameterize(*testing.product({
    "dtype": [numpy.float16, numpy.float32, numpy.float64],
    "func": sorted(_CASES),
}))
class TestROIPooling(testing.FunctionTestCase):
    # Chainer differentiates roi_pooling_2d twice; kusari's ROI poolings all are (the
    # gradient is a scatter whose own gradient is the gather with the same bins)

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {"atol": 5e-2, "rtol": 5e-2}
            self.check_double_backward_options = {"atol": 5e-2, "rtol": 5e-2}

    def generate_inputs(self):
        # distinct values spaced apart: no ties inside a bin
        x = numpy.random.permutation(2 * 2 * 7 * 6).reshape(2, 2, 7, 6) * 0.05
        return x.astype(self.dtype),

    def forward(self, inputs, device):
        y = _CASES[self.func](inputs[0], inputs[0].dtype)
        if self.func == "roi_max_pooling_2d":  # empty bins hold -inf; keep them out
            y = F.where(numpy.isfinite(y.array), y, numpy.zeros_like(y.array))
        return y,

    def forward_expected(self, inputs):
        x = inputs[0].astype(numpy.float64)
        if self.func == "roi_pooling_2d":
            y = _ref(x, ROIS5[:, [2, 1, 4, 3]], ROIS5[:, 0].astype(int), 3, 2, True, "max", 0)
        elif self.func == "roi_max_pooling_2d":
            y = _ref(x, ROIS4, INDICES, 3, 2, False, "max", 0)
        else:
            y = _ref(x, ROIS4, INDICES, 3, 2, False, "average", 0)
        return y.astype(self.dtype),


def test_roi_max_pooling_empty_bins_are_minus_inf():
    x = numpy.ones((2, 2, 7, 6), numpy.float32)
    y = F.roi_max_pooling_2d(x, ROIS4.astype(numpy.float32), INDICES, 3, SCALE).array
    assert numpy.isneginf(y[2]).any()
    z = F.roi_pooling_2d(x, ROIS5.astype(numpy.float32), 3, 3, SCALE).array
    assert numpy.isfinite(z).all()


def test_argument_checks():
    x = numpy.zeros((1, 1, 4, 4), numpy.float32)
    rois = numpy.zeros((1, 4), numpy.float32)
    idx = numpy.zeros(1, numpy.int32)
    with pytest.raises(TypeError, match="outsize\\[0\\] must be positive integer"):
        F.roi_max_pooling_2d(x, rois, idx, 0, 1.0)
    with pytest.raises(TypeError, match="outsize\\[1\\] must be positive integer"):
        F.roi_average_pooling_2d(x, rois, idx, (2, 1.5), 1.0)
    with pytest.raises(TypeError, match="spatial_scale"):
        F.roi_max_pooling_2d(x, rois, idx, 2, -1.0)
    with pytest.raises(InvalidType) as e:
        F.roi_max_pooling_2d(x, rois, idx.astype(numpy.int64), 2, 1.0)
    assert "ROIMaxPooling2D (Forward)" in str(e.value)
    assert "roi_indices.dtype" in str(e.value)
    with pytest.raises(InvalidType, match="rois.shape\\[1\\] == 5"):
        F.roi_pooling_2d(x, rois, 2, 2, 1.0)
    with pytest.raises(InvalidType, match="rois.dtype|x.dtype == rois.dtype"):
        F.roi_pooling_2d(x, numpy.zeros((1, 5)), 2, 2, 1.0)
