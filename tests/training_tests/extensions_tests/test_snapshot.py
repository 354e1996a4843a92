"""Tests of snapshot and snapshot_object: names, retention, autoload, atomicity."""

from __future__ import annotations

import os

import numpy
import pytest

from kusari import serializers
from kusari.training import extensions
from kusari.training.extensions import snapshot_writers

from .._helpers import make_trainer


def _snapshots(out):
    return sorted(n for n in os.listdir(out) if n.startswith("snapshot_iter_"))


def test_snapshot_every_epoch_default_name(tmp_path):
    trainer = make_trainer(tmp_path, stop=(3, "epoch"))
    ext = extensions.snapshot()
    assert ext.trigger == (1, "epoch") and ext.priority == -100
    trainer.extend(ext)
    trainer.run()
    assert _snapshots(tmp_path) == ["snapshot_iter_12", "snapshot_iter_4", "snapshot_iter_8"]
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]


def test_n_retains_keeps_newest(tmp_path):
    trainer = make_trainer(tmp_path, stop=(10, "iteration"))
    trainer.extend(extensions.snapshot(n_retains=2), trigger=(1, "iteration"))
    trainer.run()
    assert _snapshots(tmp_path) == ["snapshot_iter_10", "snapshot_iter_9"]


def test_condition_and_callable_filename(tmp_path):
    trainer = make_trainer(tmp_path, stop=(6, "iteration"))
    trainer.extend(
        extensions.snapshot(
            filename=lambda t: f"snap{t.updater.iteration}",
            condition=lambda: trainer.updater.iteration % 3 == 0,
        ),
        trigger=(1, "iteration"),
    )
    trainer.run()
    assert sorted(n for n in os.listdir(tmp_path) if n.startswith("snap")) == ["snap3", "snap6"]


def test_snapshot_object_saves_model(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    model = trainer.updater.get_optimizer("main").target
    trainer.extend(extensions.snapshot_object(model, "model_{.updater.epoch}"))
    trainer.run()
    with numpy.load(tmp_path / "model_2") as f:
        numpy.testing.assert_array_equal(f["l/W"], model.l.W.array)


def test_autoload_resumes_from_newest(tmp_path):
    first = make_trainer(tmp_path, stop=(2, "epoch"), shuffle=True)
    first.extend(extensions.snapshot(autoload=True))
    first.extend(extensions.LogReport())
    first.run()
    w_after_2 = first.updater.get_optimizer("main").target.l.W.array.copy()

    resumed = make_trainer(tmp_path, stop=(3, "epoch"), shuffle=True)
    resumed.extend(extensions.snapshot(autoload=True))
    resumed.extend(extensions.LogReport())
    seen = []
    resumed.extend(
        lambda t: seen.append(t.updater.iteration), name="spy", call_before_training=True
    )
    resumed.run()
    assert seen[0] == 8  # the state was loaded before anything else ran
    assert resumed.updater.iteration == 12
    assert [e["epoch"] for e in resumed.get_extension("LogReport").log] == [1, 2, 3]

    fresh = make_trainer(tmp_path / "fresh", stop=(2, "epoch"), shuffle=True)
    serializers.load_npz(os.path.join(tmp_path, "snapshot_iter_8"), fresh)
    numpy.testing.assert_array_equal(
        fresh.updater.get_optimizer("main").target.l.W.array, w_after_2
    )


def test_autoload_skips_corrupt_snapshot(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    trainer.extend(extensions.snapshot())
    trainer.run()
    newest = os.path.join(tmp_path, "snapshot_iter_8")
    with open(newest, "r+b") as f:  # truncate: as if written without atomic replace
        f.truncate(os.path.getsize(newest) // 2)
    os.utime(newest)

    resumed = make_trainer(tmp_path, stop=(3, "epoch"))
    resumed.extend(extensions.snapshot(autoload=True))
    first_iteration = []
    resumed.extend(
        lambda t: first_iteration.append(t.updater.iteration),
        name="spy",
        call_before_training=True,
    )
    with pytest.warns(RuntimeWarning, match="skipping .*snapshot_iter_8"):
        resumed.run()
    assert first_iteration[0] == 4


def test_autoload_with_nothing_to_load(tmp_path):
    trainer = make_trainer(tmp_path / "new", stop=(1, "epoch"))
    trainer.extend(extensions.snapshot(autoload=True))
    trainer.run()
    assert trainer.updater.iteration == 4


def test_failed_write_leaves_previous_file(tmp_path):
    calls = []

    def savefun(path, target):
        calls.append(path)
        with open(path, "wb") as f:
            f.write(b"partial")
        if len(calls) == 2:
            raise OSError("disk full")

    writer = snapshot_writers.SimpleWriter(savefun=savefun)
    writer("snap", str(tmp_path), object())
    with pytest.raises(OSError, match="disk full"):
        writer("snap", str(tmp_path), object())
    assert os.listdir(tmp_path) == ["snap"]  # the temporary file was removed
    assert os.path.basename(calls[0]).startswith(".snap.")  # written under a temp name


def test_snapshot_on_error(tmp_path):
    trainer = make_trainer(tmp_path, stop=(3, "epoch"))
    trainer.extend(
        extensions.snapshot(snapshot_on_error=True, filename="err"), trigger=(100, "epoch")
    )

    def fail(t):
        if t.updater.iteration == 3:
            raise RuntimeError("fail")

    trainer.extend(fail)
    with pytest.raises(RuntimeError):
        trainer.run(show_loop_exception_msg=False)
    assert os.path.exists(tmp_path / "err")


def test_argument_errors():
    with pytest.raises(TypeError, match="not both"):
        extensions.snapshot(savefun=serializers.save_npz, writer=snapshot_writers.SimpleWriter())
    with pytest.raises(TypeError, match="unexpected"):
        extensions.snapshot(retain=3)
    with pytest.raises(TypeError, match="n_retains"):
        extensions.snapshot(n_retains=2.5)


def test_filename_in_subdirectory_with_autoload(tmp_path):
    template = "snaps/it_{.updater.iteration}"
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    trainer.extend(extensions.snapshot(filename=template, n_retains=1))
    trainer.run()
    assert os.listdir(tmp_path / "snaps") == ["it_8"]
    resumed = make_trainer(tmp_path, stop=(3, "epoch"))
    resumed.extend(extensions.snapshot(filename=template, autoload=True))
    first = []
    resumed.extend(
        lambda t: first.append(t.updater.iteration), name="spy", call_before_training=True
    )
    resumed.run()
    assert first[0] == 8


@pytest.mark.parametrize(
    "writer_class",
    [
        snapshot_writers.SimpleWriter,
        snapshot_writers.ThreadWriter,
        snapshot_writers.ProcessWriter,
        snapshot_writers.ThreadQueueWriter,
        snapshot_writers.ProcessQueueWriter,
    ],
)
def test_writers_save_the_state_at_call_time(tmp_path, writer_class):
    trainer = make_trainer(tmp_path / "t", stop=(1, "iteration"))
    trainer.run()
    model = trainer.updater.get_optimizer("main").target
    expected = model.l.W.array.copy()
    writer = writer_class()
    writer("snap", str(tmp_path), trainer)
    model.l.W.array[...] = 0  # training goes on while an asynchronous write runs
    writer("snap2", str(tmp_path), trainer)
    writer.finalize()
    with numpy.load(tmp_path / "snap") as f:
        numpy.testing.assert_array_equal(f["updater/model:main/l/W"], expected)
        assert int(f["updater/iteration"]) == 1
    with numpy.load(tmp_path / "snap2") as f:
        assert not f["updater/model:main/l/W"].any()
    assert sorted(os.listdir(tmp_path)) == ["snap", "snap2", "t"]


def test_thread_writer_failure_is_raised(tmp_path):
    def savefun(path, target):
        raise OSError("disk full")

    writer = snapshot_writers.ThreadWriter(savefun=savefun)
    writer("snap", str(tmp_path), make_trainer(tmp_path / "t"))
    with pytest.raises(RuntimeError, match="disk full"):
        writer.finalize()
    assert not os.path.exists(tmp_path / "snap")


def test_snapshot_with_thread_writer_in_trainer(tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, "epoch"))
    trainer.extend(extensions.snapshot(writer=snapshot_writers.ThreadQueueWriter()))
    trainer.run()  # finalize waits for the queue
    assert _snapshots(tmp_path) == ["snapshot_iter_4", "snapshot_iter_8"]
