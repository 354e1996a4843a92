"""ProgressBar in a pseudo-terminal and in a captured stream."""

from __future__ import annotations

import io
import os
import select
import sys
import threading

import pytest

from kusari.training import extensions

from .._helpers import make_trainer

pytest.importorskip("tqdm")


def _run(tmp_path, out, **kwargs):
    trainer = make_trainer(tmp_path, stop=(3, "epoch"))  # 4 iterations per epoch
    trainer.extend(extensions.ProgressBar(out=out, **kwargs))
    trainer.run()


def test_captured_stream_gets_plain_lines(tmp_path):
    out = io.StringIO()
    _run(tmp_path, out, update_interval=4)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert "\x1b" not in out.getvalue() and "\r" not in out.getvalue()
    for epoch, line in enumerate(lines, 1):
        assert line.startswith("total:")
        assert f"| {4 * epoch}/12 [" in line
        assert "iter/s]" in line
        assert line.endswith(f"epoch {epoch}/3")
    assert "100%|" in lines[-1]


def test_final_state_printed_when_not_on_interval(tmp_path):
    out = io.StringIO()
    _run(tmp_path, out, update_interval=5)
    lines = out.getvalue().splitlines()
    assert ["| 5/" in lines[0], "| 10/" in lines[1], "| 12/12" in lines[2]] == [True] * 3


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_redraws_in_place(tmp_path):
    import pty

    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain():
        while True:
            ready, _, _ = select.select([master], [], [], 2.0)
            if not ready:
                return
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    with os.fdopen(slave, "w", encoding="utf-8") as out:
        assert out.isatty()
        _run(tmp_path, out, update_interval=2, bar_length=20)
    reader.join(timeout=10)
    os.close(master)
    text = b"".join(chunks).decode("utf-8")
    draws = text.split("\x1b[J")
    # 6 redraws (iterations 2..12) plus the final clear
    assert text.count("\x1b[3A") == 6
    first = draws[1]
    lines = first.split("\x1b[3A")[0].replace("\r\n", "\n").splitlines()
    assert lines[0].startswith("     total:  17%|")
    assert "2/12 [" in lines[0] and "iter/s]" in lines[0]
    assert lines[1].startswith("this epoch:  50%|")
    assert lines[2].strip() == "epoch 0/3, iteration 2"
    bar = lines[0].split("|")[1]
    assert len(bar) == 20 and "█" in bar  # unicode blocks in a terminal
    assert text.endswith("\x1b[J")


def test_missing_tqdm_names_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    with pytest.raises(ImportError, match=r"kusari\[progress\]"):
        extensions.ProgressBar()


def test_bad_interval():
    with pytest.raises(ValueError, match="update_interval"):
        extensions.ProgressBar(update_interval=0)


def test_unknown_length(tmp_path):
    from kusari import training

    from .._helpers import FakeUpdater

    trainer = training.Trainer(FakeUpdater(4), None, out=str(tmp_path))
    out = io.StringIO()
    trainer.extend(extensions.ProgressBar(out=out, update_interval=3))

    def stop(t):
        if t.updater.iteration == 6:
            raise KeyboardInterrupt

    trainer.extend(stop)
    with pytest.raises(KeyboardInterrupt):
        trainer.run(show_loop_exception_msg=False)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2  # iteration 3, and the final state (6) at finalize
    assert lines[0].startswith("total: 3 iter [00:00, ") and lines[0].endswith("epoch 0")
    assert lines[1].startswith("total: 6 iter [") and lines[1].endswith("epoch 1")
