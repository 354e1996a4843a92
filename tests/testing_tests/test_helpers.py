import os
import subprocess
import sys
import warnings

import numpy
import pytest

import kusari
import kusari.links as L
from kusari import testing, training
from kusari.training import extension as extension_module


def test_assert_warns():
    with testing.assert_warns(UserWarning):
        warnings.warn("x", stacklevel=1)
    with pytest.raises(AssertionError, match="RuntimeWarning not triggerred"):
        with testing.assert_warns(RuntimeWarning):
            warnings.warn("x", UserWarning, stacklevel=1)


def test_patch_wraps_the_real_object():
    with testing.patch("kusari.functions.relu") as relu:
        y = kusari.functions.relu(numpy.array([-1.0, 2.0]))
    assert relu.call_count == 1
    assert y.array.tolist() == [0.0, 2.0]
    with testing.patch("kusari.functions.relu", wraps=lambda x: "fake"):
        assert kusari.functions.relu(1) == "fake"
    with pytest.raises(RuntimeError, match="Can't import"):
        testing.patch("no_such_top_module.f")


def test_with_requires():
    @testing.with_requires("numpy>=1.0")
    def needs_numpy():
        return "ran"

    @testing.with_requires("numpy<1.0")
    def needs_old_numpy():
        return "ran"

    @testing.with_requires("no-such-package-kusari")
    def needs_missing():
        return "ran"

    @testing.without_requires("no-such-package-kusari")
    def runs_without():
        return "ran"

    assert needs_numpy() == "ran" and runs_without() == "ran"
    import unittest

    for f in (needs_old_numpy, needs_missing):
        with pytest.raises(unittest.SkipTest, match="requires"):
            f()


def test_save_and_load_npz_and_hdf5():
    a, b = L.Linear(2, 3), L.Linear(2, 3)
    testing.save_and_load_npz(a, b)
    assert (a.W.array == b.W.array).all() and (a.b.array == b.b.array).all()
    pytest.importorskip("h5py")
    c = L.Linear(2, 3)
    testing.save_and_load_hdf5(a, c)
    assert (a.W.array == c.W.array).all()


def test_save_and_load_custom():
    seen = []
    def save(path, src):
        with open(path, "w") as f:
            f.write(repr(src))

    def load(path, dst):
        with open(path) as f:
            dst.append(f.read())

    testing.save_and_load({"v": 1}, seen, "f.txt", save, load)
    assert seen == ["{'v': 1}"]


def test_trainer_with_mock_updater_counts_iterations_and_epochs():
    trainer = testing.get_trainer_with_mock_updater((25, "iteration"), iter_per_epoch=10)
    epochs = []

    @training.make_extension(trigger=(1, "epoch"))
    def record(t):
        epochs.append((t.updater.iteration, t.updater.epoch, t.updater.is_new_epoch))

    trainer.extend(record)
    trainer.run()
    assert trainer.updater.iteration == 25
    assert trainer.updater.update_core.call_count == 25
    assert trainer.updater.epoch_detail == 2.5
    assert trainer.updater.previous_epoch_detail == 2.4
    assert epochs == [(10, 1, True), (20, 2, True)]
    assert extension_module is not None


def test_training_module_location_matches_chainer():
    from kusari.testing import training as ttraining

    assert ttraining.get_trainer_with_mock_updater is testing.get_trainer_with_mock_updater
    assert ttraining.is_available()


def test_generate_matrix():
    a = testing.generate_matrix((2, 4, 3), numpy.float32, singular_values=[3.0, 2.0, 1.0])
    assert a.shape == (2, 4, 3) and a.dtype == numpy.float32
    numpy.testing.assert_allclose(numpy.linalg.svd(a, compute_uv=False),
                                  [[3, 2, 1]] * 2, rtol=1e-5)
    with pytest.raises(ValueError):
        testing.generate_matrix((3,), singular_values=1)
    with pytest.raises(TypeError):
        testing.generate_matrix((3, 3), numpy.int32, singular_values=1)
    with pytest.raises(ValueError):
        testing.generate_matrix((2, 2), singular_values=[-1, 1])


def test_assert_allclose_accepts_variables_and_reports_the_index():
    testing.assert_allclose(kusari.Variable(numpy.ones(3)), numpy.ones(3))
    with pytest.raises(AssertionError, match=r"index \(1,\)"):
        testing.assert_allclose(numpy.array([1.0, 2.0]), numpy.array([1.0, 3.0]))


def test_run_module_runs_pytest_only_as_main(tmp_path):
    testing.run_module("not_main", __file__)  # does nothing
    script = tmp_path / "test_script.py"
    script.write_text("from kusari import testing\n\ndef test_ok():\n    print('RAN-OK')\n\n"
                      "testing.run_module(__name__, __file__)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path, env=env)
    assert "RAN-OK" in out.stdout and "1 passed" in out.stdout, out.stdout + out.stderr
