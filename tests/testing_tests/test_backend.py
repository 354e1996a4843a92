import unittest

import numpy
import pytest

import kusari
from kusari import testing
from kusari.backends import cuda
from tests.testing_tests._util import collected_classes, make_module, run_module


def test_defaults_repr_and_func_str():
    cfg = testing.BackendConfig({})
    assert cfg.use_cuda is False and cfg.cuda_device is None and cfg.use_cudnn == "never"
    assert cfg.device == kusari.get_device("@numpy") and cfg.xp is numpy
    assert repr(cfg).startswith("<BackendConfig use_chainerx=False chainerx_device=None")
    assert cfg.get_func_str() == (
        "use_chainerx_false__chainerx_device_None__use_cuda_false__cuda_device_None__"
        "use_cudnn_never__cudnn_deterministic_false__autotune_false__"
        "cudnn_fast_batch_normalization_false__use_ideep_never")
    assert cfg.get_pytest_marks() == []


def test_cuda_config_defaults_to_device_zero_and_is_marked():
    cfg = testing.BackendConfig({"use_cuda": True, "use_cudnn": "always"})
    assert cfg.cuda_device == 0
    assert cfg.get_pytest_marks() == [testing.attr.gpu, testing.attr.cudnn]
    cfg2 = testing.BackendConfig({"use_cuda": True, "cuda_device": 1})
    assert len(cfg2.get_pytest_marks()) == 2  # gpu, and multi_gpu(2)'s gpu + skip


@pytest.mark.skipif(cuda.available, reason="checks the behaviour without CUDA")
def test_cuda_config_without_cuda_skips():
    cfg = testing.BackendConfig({"use_cuda": True})
    assert cfg.skip_reason() == "CUDA is not available"
    with pytest.raises(unittest.SkipTest):
        _ = cfg.device


def test_chainerx_and_ideep_configs_skip():
    cfg = testing.BackendConfig({"use_chainerx": True, "chainerx_device": "native:0"})
    assert "ChainerX" in cfg.skip_reason()
    assert "iDeep" in testing.BackendConfig({"use_ideep": "always"}).skip_reason()


def test_invalid_params():
    with pytest.raises(ValueError, match="Parameter use_tpu is not defined"):
        testing.BackendConfig({"use_tpu": True})
    with pytest.raises(TypeError):
        testing.BackendConfig([("use_cuda", True)])
    with pytest.raises(ValueError, match="chainerx_device"):
        testing.BackendConfig({"use_chainerx": True})
    with pytest.raises(TypeError):
        testing.inject_backend_tests("test_x", [{}])
    with pytest.raises(TypeError):
        testing.inject_backend_tests(None, {})
    with pytest.raises(ValueError):
        testing.inject_backend_tests(None, [{"bogus": 1}])


def test_context_sets_config_and_device():
    cfg = testing.BackendConfig({"use_cudnn": "always", "autotune": True})
    assert kusari.config.use_cudnn != "always"
    with cfg:
        assert kusari.config.use_cudnn == "always" and kusari.config.autotune is True
        with cfg:  # re-entrant
            assert kusari.config.cudnn_deterministic is False
        assert kusari.config.use_cudnn == "always"
    assert kusari.config.use_cudnn != "always" and kusari.config.autotune is False
    assert isinstance(cfg.get_array(numpy.ones(2)), numpy.ndarray)


def test_from_device():
    assert testing.BackendConfig.from_device("@numpy").use_cuda is False


def test_inject_makes_one_class_per_config_and_passes_it():
    mod = make_module("""
        import unittest
        from kusari import testing

        seen = []

        @testing.inject_backend_tests(None, [{}, {'use_cudnn': 'always'}, {'use_cuda': True}])
        class TestB(unittest.TestCase):
            def test_one(self, backend_config):
                seen.append(backend_config.use_cudnn)
                assert backend_config.xp.ones(1)[0] == 1
    """)
    classes = collected_classes(mod)
    assert len(classes) == 3
    assert all(c.__name__.startswith("TestB_use_chainerx_false__") for c in classes)
    out = run_module(mod)
    assert out["run"] == 3 and not out["failures"], out["failures"]
    if not cuda.available:
        assert [s[1] for s in out["skipped"]] == ["CUDA is not available"]
        assert sorted(mod.seen) == ["always", "never"]
    gpu_cls = [c for c in classes if "use_cuda_true" in c.__name__][0]
    marks = [m.name for m in gpu_cls.test_one.pytestmark]
    assert "gpu" in marks and ("skip" in marks) == (not cuda.available)


def test_inject_method_names_keeps_other_tests_unparameterized():
    mod = make_module("""
        import unittest
        from kusari import testing

        calls = []

        @testing.inject_backend_tests(['test_a'], [{}, {'autotune': True}])
        class TestM(unittest.TestCase):
            def test_a(self, backend_config):
                calls.append(('a', backend_config.autotune))

            def test_b(self):
                calls.append(('b', None))
    """)
    names = [c.__name__ for c in collected_classes(mod)]
    assert "TestM_without_backend" in names and len(names) == 3
    out = run_module(mod)
    assert out["run"] == 3 and not out["failures"]
    assert sorted(mod.calls, key=str) == [("a", False), ("a", True), ("b", None)]


def test_inject_stacks_with_parameterize_both_ways():
    mod = make_module("""
        import unittest
        from kusari import testing

        seen = []

        @testing.parameterize({'n': 1}, {'n': 2})
        @testing.inject_backend_tests(None, [{}, {'autotune': True}])
        class TestPI(unittest.TestCase):
            def test_x(self, backend_config):
                seen.append(('pi', self.n, backend_config.autotune))

        @testing.inject_backend_tests(None, [{}, {'autotune': True}])
        @testing.parameterize({'n': 1}, {'n': 2})
        class TestIP(unittest.TestCase):
            def test_x(self, backend_config):
                seen.append(('ip', self.n, backend_config.autotune))
    """)
    assert len(collected_classes(mod)) == 8
    out = run_module(mod)
    assert out["run"] == 8 and not out["failures"], out["failures"]
    assert sorted(mod.seen) == sorted(
        (k, n, a) for k in ("pi", "ip") for n in (1, 2) for a in (False, True))


def test_plain_pytest_class_signature_hides_backend_config():
    import inspect

    mod = make_module("""
        from kusari import testing

        @testing.inject_backend_tests(None, [{}])
        class TestPlain:
            def test_x(self, backend_config, tmp_path):
                return backend_config, tmp_path
    """)
    (cls,) = [v for k, v in vars(mod).items() if k.startswith("TestPlain_")]
    assert list(inspect.signature(cls.test_x).parameters) == ["self", "tmp_path"]
    cfg, path = cls().test_x("p")
    assert isinstance(cfg, testing.BackendConfig) and path == "p"
