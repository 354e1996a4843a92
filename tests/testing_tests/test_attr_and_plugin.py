import os
import pathlib
import subprocess
import sys
import textwrap
import unittest

import pytest

from kusari.backends import cuda
from kusari.testing import attr

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _marks(obj):
    return sorted(m.name for m in getattr(obj, "pytestmark", []))


def test_slow_only_marks():
    @attr.slow
    def f():
        return 1

    assert _marks(f) == ["slow"] and f() == 1


@pytest.mark.skipif(cuda.available, reason="checks the behaviour without CUDA")
def test_gpu_marks_and_skips_without_cuda():
    @attr.gpu
    def f():
        return 1

    @attr.multi_gpu(2)
    def g():
        return 1

    @attr.cudnn
    def h():
        return 1

    assert _marks(f) == ["gpu", "skip"]
    assert _marks(g) == ["gpu", "skip"]
    assert _marks(h) == ["cudnn", "skip"]
    for fn in (f, g, h):
        with pytest.raises(unittest.SkipTest):
            fn()


def test_chainerx_and_ideep_always_skip():
    @attr.chainerx
    class TestX(unittest.TestCase):
        def test_x(self):
            pass

    assert TestX.__unittest_skip__ and "ChainerX" in TestX.__unittest_skip_why__
    assert _marks(TestX) == ["chainerx", "skip"]

    @attr.ideep
    def f():
        pass

    with pytest.raises(unittest.SkipTest, match="iDeep"):
        f()


def test_gpu_limit_env(monkeypatch):
    monkeypatch.setenv("CHAINER_TEST_GPU_LIMIT", "0")

    @attr.gpu
    def f():
        pass

    with pytest.raises(unittest.SkipTest, match="GPU limit is 0"):
        f()


def test_plain_class_is_skipped_by_pytest_mark():
    @attr.chainerx
    class TestPlain:
        pass

    assert "skip" in _marks(TestPlain)


SUITE = '''
    import os
    import unittest
    import numpy
    import kusari.functions as F
    from kusari import testing
    from kusari.testing import attr

    class TestRelu(testing.FunctionTestCase):
        dodge_nondifferentiable = True

        def generate_inputs(self):
            return numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32),

        def forward(self, inputs, device):
            print('DEVICE', device, testing.test_device())
            return F.relu(inputs[0]),

        def forward_expected(self, inputs):
            return numpy.maximum(inputs[0], 0),

    @attr.slow
    def test_slow():
        pass

    @attr.gpu
    def test_gpu():
        pass

    @attr.multi_gpu(2)
    @attr.cudnn
    def test_multi():
        pass
'''


def _pytest(tmp_path, *args, env=None):
    (tmp_path / "test_suite.py").write_text(textwrap.dedent(SUITE))
    full_env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    full_env.pop("KUSARI_TEST_DEVICE", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "kusari.testing._pytest_plugin", "-q", "-s",
         "-W", "error", "-p", "no:cacheprovider", "-rs", *args, "test_suite.py"],
        cwd=tmp_path, env=full_env, capture_output=True, text=True, timeout=300)


def test_plugin_registers_marks_and_selects(tmp_path):
    out = _pytest(tmp_path, "--strict-markers", "-m", "not slow")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 passed" in out.stdout and "1 deselected" in out.stdout
    assert "DEVICE @numpy @numpy" in out.stdout
    if not cuda.available:
        assert "2 skipped" in out.stdout and "CUDA is not available" in out.stdout


def test_plugin_device_option(tmp_path):
    out = _pytest(tmp_path, "--device=@numpy", "-k", "TestRelu")
    assert out.returncode == 0 and "3 passed" in out.stdout, out.stdout + out.stderr
    out = _pytest(tmp_path, "--device=@tpu:0")
    assert out.returncode != 0 and "--device=@tpu:0" in out.stderr


def test_gpu_device_by_option_and_env(tmp_path):
    out = _pytest(tmp_path, "--device=@cupy:0", "-k", "TestRelu")
    env_out = _pytest(tmp_path, "-k", "TestRelu", env={"KUSARI_TEST_DEVICE": "@cupy:0"})
    if cuda.available:
        for o in (out, env_out):
            assert o.returncode == 0, o.stdout + o.stderr
            assert "DEVICE @cupy:0 @cupy:0" in o.stdout
    else:
        # asking for a GPU that is not there skips the device tests: never a silent CPU run
        for o in (out, env_out):
            assert o.returncode == 0, o.stdout + o.stderr
            assert "skipped" in o.stdout and "passed" not in o.stdout
            assert "DEVICE @cupy:0" not in o.stdout
