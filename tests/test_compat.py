import os
import pathlib
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _run(args, cwd, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, **kw)


def test_same_module_objects_and_classes():
    code = textwrap.dedent("""
        import kusari.compat
        kusari.compat.install()
        import chainer, chainer.functions as F, chainer.links as L, kusari
        from chainer import Variable
        import chainer.utils.type_check
        import chainerx
        assert chainer is kusari
        assert F is kusari.functions and L is kusari.links
        assert Variable is kusari.Variable
        assert chainer.utils.type_check is kusari.utils.type_check
        assert chainerx.is_available() is False
        assert kusari.functions.__spec__.name == "kusari.functions"
        print("ok")
    """)
    out = _run(["-c", code], ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_script_runner_passes_arguments_and_sys_path(tmp_path):
    (tmp_path / "helper_mod.py").write_text("VALUE = 7\n")
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent("""
        import sys
        import chainer
        import helper_mod
        print(chainer.__name__, sys.argv[1:], helper_mod.VALUE, __name__)
    """))
    out = _run(["-m", "kusari.compat", str(script), "--epoch", "3"], ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "kusari ['--epoch', '3'] 7 __main__"


def test_module_runner(tmp_path):
    (tmp_path / "mymain.py").write_text("import chainer; print('mod', chainer.__name__)\n")
    out = _run(["-m", "kusari.compat", "-m", "mymain"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "mod kusari"


def test_missing_script_and_usage(tmp_path):
    out = _run(["-m", "kusari.compat", str(tmp_path / "nope.py")], ROOT)
    assert out.returncode == 2 and "no such file" in out.stderr
    out = _run(["-m", "kusari.compat"], ROOT)
    assert out.returncode == 2 and "usage" in out.stderr


def test_unknown_chainer_submodule_raises_import_error():
    code = ("import kusari.compat; kusari.compat.install()\n"
            "try:\n    import chainer.no_such_module\nexcept ImportError:\n    print('ok')\n")
    out = _run(["-c", code], ROOT)
    assert out.stdout.strip() == "ok", out.stderr


def test_pytest_plugin(tmp_path):
    (tmp_path / "test_user.py").write_text(textwrap.dedent("""
        import numpy
        import chainer
        import chainer.functions as F
        from chainer import testing

        def test_uses_chainer():
            x = chainer.Variable(numpy.array([1.0, -1.0], numpy.float32))
            testing.assert_allclose(F.relu(x).array, [1.0, 0.0])
            assert chainer.__name__ == "kusari"
    """))
    out = _run(["-m", "pytest", "-q", "-p", "kusari.compat", "-p", "no:cacheprovider",
                str(tmp_path / "test_user.py")], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed" in out.stdout


def test_every_lazy_submodule_imports_and_unknown_names_are_attribute_errors():
    import kusari

    for name in sorted(kusari._LAZY):
        assert getattr(kusari, name).__name__ == f"kusari.{name}"
    for name, (mod, attr) in kusari._LAZY_ATTRS.items():
        assert getattr(kusari, name) is getattr(getattr(kusari, mod), attr)
    # not provided: a plain AttributeError, so hasattr() answers instead of raising
    for name in ("exporters",):
        assert not hasattr(kusari, name)
