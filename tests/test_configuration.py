"""Configuration: defaults, ``using_config`` scoping and threads, environment variables,
``print_runtime_info``."""

import io
import json
import os
import pathlib
import subprocess
import sys
import textwrap
import threading

import numpy
import pytest

import kusari
from kusari import configuration

ROOT = pathlib.Path(__file__).resolve().parents[1]

# Chainer 7.8.1's global defaults (``chainer.global_config.show()`` with no env vars)
CHAINER_DEFAULTS = {
    "autotune": False, "compute_mode": None, "cudnn_deterministic": False,
    "cudnn_fast_batch_normalization": False, "debug": False, "dtype": numpy.dtype("float32"),
    "enable_backprop": True, "in_recomputing": False, "keep_graph_on_report": False,
    "lazy_grad_sum": False, "schedule_func": None, "train": True, "type_check": True,
    "use_cudnn": "auto", "use_cudnn_tensor_core": "auto", "use_ideep": "never",
    "use_static_graph": True, "warn_nondeterministic": False,
}


def _env_without_overrides(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CHAINER_", "KUSARI_"))}
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update(extra)
    return env


def _run(code, **env):
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                         env=_env_without_overrides(**env), capture_output=True, text=True,
                         timeout=120)
    return out


CONFIG_DUMP = """
    import json, kusari
    c = kusari.config
    print(json.dumps({k: str(getattr(c, k)) for k in
        ['debug', 'dtype', 'type_check', 'use_cudnn', 'keep_graph_on_report',
         'lazy_grad_sum', 'cudnn_deterministic', 'warn_nondeterministic']}))
"""


def _config_with(**env):
    out = _run(CONFIG_DUMP, **env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_defaults_match_chainer():
    out = _run("""
        import kusari
        kusari.global_config.show()
    """)
    assert out.returncode == 0, out.stderr
    shown = dict(line.split(None, 1) for line in out.stdout.strip().splitlines())
    for name, value in CHAINER_DEFAULTS.items():
        assert shown[name] == str(value), name


def test_defaults_in_this_process_are_readable_through_config():
    for name in CHAINER_DEFAULTS:
        assert getattr(kusari.config, name) == getattr(kusari.global_config, name)
    with pytest.raises(AttributeError):
        _ = kusari.config.no_such_setting


def test_using_config_nests_and_restores():
    assert kusari.config.train is True
    with kusari.using_config("train", False):
        assert kusari.config.train is False
        with kusari.using_config("train", True):
            assert kusari.config.train is True
            with kusari.using_config("train", False):
                assert kusari.config.train is False
            assert kusari.config.train is True
        assert kusari.config.train is False
    assert kusari.config.train is True
    assert "train" not in kusari.config._local.__dict__


def test_using_config_restores_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with kusari.using_config("debug", True):
            assert kusari.is_debug()
            raise ZeroDivisionError
    assert kusari.config.debug is False and not kusari.is_debug()


def test_using_config_new_name_disappears_afterwards():
    with kusari.using_config("my_option", 3):
        assert kusari.config.my_option == 3
    assert not hasattr(kusari.config, "my_option")


def test_backprop_modes_nest():
    x = kusari.Variable(numpy.ones(2, numpy.float32))
    with kusari.no_backprop_mode():
        assert kusari.config.enable_backprop is False
        assert (x * 2).creator is None
        with kusari.force_backprop_mode():
            assert (x * 2).creator is not None
        assert (x * 2).creator is None
    assert (x * 2).creator is not None


def test_debug_mode_helpers():
    with kusari.DebugMode(True):
        assert kusari.is_debug()
    assert not kusari.is_debug()
    kusari.set_debug(True)
    try:
        assert kusari.global_config.debug is True and kusari.is_debug()
    finally:
        kusari.set_debug(False)


def test_using_config_is_thread_local():
    results = {}
    entered = threading.Event()
    release = threading.Event()

    def worker():
        with kusari.using_config("train", False):
            entered.set()
            release.wait(10)
            results["worker_inside"] = kusari.config.train
        results["worker_after"] = kusari.config.train

    t = threading.Thread(target=worker)
    t.start()
    assert entered.wait(10)
    # the worker's setting does not leak into this thread
    results["main_while_worker_inside"] = kusari.config.train
    with kusari.using_config("train", "main"):
        release.set()
        t.join(10)
        results["main_inside"] = kusari.config.train
    assert results == {"worker_inside": False, "worker_after": True,
                       "main_while_worker_inside": True, "main_inside": "main"}


def test_threads_see_global_changes():
    seen = []
    old = kusari.global_config.keep_graph_on_report
    kusari.global_config.keep_graph_on_report = True
    try:
        t = threading.Thread(target=lambda: seen.append(kusari.config.keep_graph_on_report))
        t.start()
        t.join(10)
    finally:
        kusari.global_config.keep_graph_on_report = old
    assert seen == [True]


def test_local_config_show():
    buf = io.StringIO()
    with kusari.using_config("train", False):
        kusari.config.show(buf)
    lines = dict(line.split(None, 1) for line in buf.getvalue().splitlines())
    assert lines["train"] == "False" and lines["enable_backprop"] == "True"


def test_configuration_objects():
    cfg = configuration.LocalConfig(configuration.GlobalConfig())
    cfg._global.x = 1
    assert cfg.x == 1
    cfg.x = 2
    assert cfg.x == 2 and cfg._global.x == 1
    del cfg.x
    assert cfg.x == 1
    with configuration.using_config("x", 5, cfg):
        assert cfg.x == 5
    assert cfg.x == 1


# -- environment variables ------------------------------------------------------------------
def test_env_debug_type_check_and_others():
    assert _config_with(CHAINER_DEBUG="1")["debug"] == "True"
    assert _config_with(CHAINER_DEBUG="0")["debug"] == "False"
    assert _config_with(CHAINER_TYPE_CHECK="0")["type_check"] == "False"
    assert _config_with(CHAINER_USE_CUDNN="never")["use_cudnn"] == "never"
    assert _config_with(CHAINER_KEEP_GRAPH_ON_REPORT="1")["keep_graph_on_report"] == "True"
    assert _config_with(CHAINER_LAZY_GRAD_SUM="1")["lazy_grad_sum"] == "True"


def test_kusari_env_takes_precedence():
    assert _config_with(CHAINER_DEBUG="1", KUSARI_DEBUG="0")["debug"] == "False"
    assert _config_with(CHAINER_DEBUG="0", KUSARI_DEBUG="1")["debug"] == "True"
    assert _config_with(KUSARI_TYPE_CHECK="0", CHAINER_TYPE_CHECK="1")["type_check"] == "False"
    assert _config_with(CHAINER_DTYPE="float64", KUSARI_DTYPE="float16")["dtype"] == "float16"


def test_env_debug_detects_nan_and_type_check_off_skips_checks():
    code = """
        import numpy, kusari, kusari.functions as F
        from kusari.utils.type_check import InvalidType
        try:
            F.log(kusari.Variable(numpy.array([-1.0], numpy.float32)))
            print('no-nan-error')
        except RuntimeError as e:
            print('nan-error', 'NaN' in str(e))
        try:
            F.relu(numpy.array([1, 2], numpy.int32))
            print('no-type-error')
        except InvalidType:
            print('type-error')
    """
    assert _run(code, CHAINER_DEBUG="1").stdout.split() == ["nan-error", "True", "type-error"]
    assert _run(code, CHAINER_TYPE_CHECK="0").stdout.split() == ["no-nan-error",
                                                                  "no-type-error"]


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_env_dtype_sets_default_dtype_of_parameters(name):
    out = _run("""
        import kusari, kusari.links as L
        print(kusari.config.dtype, kusari.get_dtype(), L.Linear(2, 3).W.dtype)
    """, CHAINER_DTYPE=name)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [name] * 3


def test_env_dtype_rejects_non_floats():
    out = _run("import kusari", CHAINER_DTYPE="int32")
    assert out.returncode != 0 and "TypeError" in out.stderr and "int32" in out.stderr


def test_env_seed_seeds_numpy_at_import():
    code = "import numpy, kusari; print(repr(numpy.random.rand()))"
    a = _run(code, CHAINER_SEED="7").stdout
    b = _run(code, CHAINER_SEED="7").stdout
    assert a == b == repr(numpy.random.RandomState(7).rand()) + "\n"
    c = _run(code, CHAINER_SEED="7", KUSARI_SEED="8").stdout
    assert c == repr(numpy.random.RandomState(8).rand()) + "\n"


def test_env_is_also_read_through_the_compat_alias():
    out = _run("""
        import kusari.compat
        kusari.compat.install()
        import chainer
        print(chainer.config.debug, chainer.config.dtype)
    """, CHAINER_DEBUG="1", CHAINER_DTYPE="float64")
    assert out.stdout.split() == ["True", "float64"], out.stderr


# -- print_runtime_info ---------------------------------------------------------------------
def test_print_runtime_info():
    buf = io.StringIO()
    kusari.print_runtime_info(buf)
    text = buf.getvalue()
    lines = text.splitlines()
    assert lines[0].startswith("Platform: ")
    assert f"kusari: {kusari.__version__}" in lines
    assert f"NumPy: {numpy.__version__}" in lines
    assert any(line.startswith("CuPy:") for line in lines)
    from kusari.backends import cuda

    if not cuda.available:
        assert "Not Available" in text.split("CuPy:", 1)[1]


def test_print_runtime_info_defaults_to_stdout():
    out = _run("import kusari; kusari.print_runtime_info()")
    assert out.returncode == 0 and "NumPy: " in out.stdout
