"""Each example runs in its ``--quick`` mode and writes what it promises.

The examples are run as a user runs them (a subprocess in a scratch directory),
offline: they are pointed at their bundled fallback data (scikit-learn's digits,
``examples/data/fables.txt``). Each must print the PrintReport table and a
ProgressBar, write its log and its PlotReport image, and the files particular to it.
"""

import importlib.util
import json
import math
import os
import pathlib
import subprocess
import sys

import pytest

import kusari.functions as F
import kusari.links as L

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

needs_sklearn = pytest.mark.skipif(
    importlib.util.find_spec("sklearn") is None, reason="the digits fallback needs scikit-learn"
)
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def _needs(*names):
    """Skip an example whose functions or links have not landed yet."""
    missing = [n for n in names if not hasattr(F, n) and not hasattr(L, n)]
    return pytest.mark.skipif(bool(missing), reason=f"kusari lacks {missing}")


def _run(script, out, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--quick", "--out", str(out), *args],
        cwd=out.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def _check_report(stdout, out, columns, epochs, plots=("loss.png",)):
    """The PrintReport header and rows, the progress bar, the log, the plots."""
    header = next((line for line in stdout.splitlines() if line.startswith("epoch")), None)
    assert header is not None, stdout
    assert header.split() == columns
    assert "iter/s" in stdout or "iters/sec" in stdout  # the progress bar
    log = json.loads((out / "log").read_text())
    assert [entry["epoch"] for entry in log] == list(range(1, epochs + 1))
    for entry in log:
        for key, value in entry.items():
            if key.endswith("loss"):
                assert math.isfinite(value), (key, value)
    if HAS_MATPLOTLIB:
        for plot in plots:
            assert (out / plot).stat().st_size > 0, plot
    return log


@needs_sklearn
@_needs("Classifier")
def test_mnist(tmp_path):
    out = tmp_path / "result"
    # seeded: from an unseeded start, 2 epochs on 500 digits ended at 0.18-0.5 accuracy
    stdout = _run("mnist/train_mnist.py", out, "--dataset", "digits", "--seed", "0")
    log = _check_report(
        stdout,
        out,
        [
            "epoch",
            "main/loss",
            "validation/main/loss",
            "main/accuracy",
            "validation/main/accuracy",
            "elapsed_time",
        ],
        2,
        plots=("loss.png", "accuracy.png"),
    )
    assert log[-1]["main/loss"] < log[0]["main/loss"]
    assert log[-1]["validation/main/accuracy"] > 0.2  # ten classes: chance is 0.1
    assert (out / "cg.dot").read_text().startswith("digraph")
    assert (out / "snapshot_iter_20").is_file()


@needs_sklearn
@_needs("Classifier", "Convolution2D", "BatchNormalization", "max_pooling_2d", "dropout")
def test_cnn(tmp_path):
    out = tmp_path / "result"
    stdout = _run("cnn/train_cnn.py", out, "--dataset", "digits")
    log = _check_report(
        stdout,
        out,
        [
            "epoch",
            "lr",
            "main/loss",
            "validation/main/loss",
            "main/accuracy",
            "validation/main/accuracy",
            "elapsed_time",
        ],
        2,
        plots=("loss.png", "accuracy.png"),
    )
    assert [entry["lr"] for entry in log] == [0.05, 0.025]  # ExponentialShift
    assert (out / "cnn_epoch_2.npz").is_file()


@_needs("Classifier", "EmbedID", "LSTM", "dropout")
def test_ptb(tmp_path):
    out = tmp_path / "result"
    stdout = _run("ptb/train_ptb.py", out, "--dataset", "fables")
    log = _check_report(
        stdout, out, ["epoch", "iteration", "perplexity", "val_perplexity", "elapsed_time"], 1
    )
    assert math.isfinite(log[0]["perplexity"]) and log[0]["val_perplexity"] > 1
    assert "test perplexity:" in stdout
    sample = next(line for line in stdout.splitlines() if line.startswith("sample: "))
    assert sample.split()[1:3] == ["the", "fox"] and len(sample.split()) == 23


@needs_sklearn
@_needs("gaussian", "gaussian_kl_divergence", "bernoulli_nll")
def test_vae(tmp_path):
    out = tmp_path / "result"
    stdout = _run("vae/train_vae.py", out, "--dataset", "digits")
    log = _check_report(
        stdout,
        out,
        ["epoch", "main/loss", "validation/main/loss", "main/rec_loss", "main/kl", "elapsed_time"],
        2,
        plots=("loss.png", "test.png", "test_reconstructed.png", "sampled.png"),
    )
    assert log[-1]["main/loss"] < log[0]["main/loss"]
    assert (out / "vae_epoch_2.npz").is_file()


@needs_sklearn
@_needs("Deconvolution2D", "Convolution2D", "BatchNormalization", "leaky_relu", "softplus")
def test_dcgan(tmp_path):
    out = tmp_path / "result"
    stdout = _run("dcgan/train_dcgan.py", out, "--dataset", "digits")
    _check_report(stdout, out, ["epoch", "iteration", "gen/loss", "dis/loss", "elapsed_time"], 2)
    if HAS_MATPLOTLIB:
        assert sorted(p.name for p in (out / "preview").iterdir()) == [
            "image_epoch_0001.png",
            "image_epoch_0002.png",
        ]
    assert (out / "gen_epoch_2.npz").is_file() and (out / "dis_epoch_2.npz").is_file()


@pytest.mark.parametrize(
    "model, out_type",
    [
        pytest.param("skipgram", "ns", marks=_needs("EmbedID", "NegativeSampling")),
        pytest.param("cbow", "ns", marks=_needs("EmbedID", "NegativeSampling")),
        pytest.param("skipgram", "original", marks=_needs("EmbedID")),
    ],
)
def test_word2vec(tmp_path, model, out_type):
    out = tmp_path / "result"
    stdout = _run(
        "word2vec/train_word2vec.py",
        out,
        "--dataset",
        "fables",
        "--model",
        model,
        "--out-type",
        out_type,
    )
    _check_report(stdout, out, ["epoch", "main/loss", "validation/main/loss", "elapsed_time"], 2)
    lines = (out / "word2vec.model").read_text().splitlines()
    n_vocab, n_units = map(int, lines[0].split())
    assert len(lines) == n_vocab + 1 and n_units == 20
    assert all(len(line.split()) == n_units + 1 for line in lines[1:])
    # nearest neighbours of five frequent words
    assert sum(1 for line in stdout.splitlines() if line.count("(") == 5) == 5
