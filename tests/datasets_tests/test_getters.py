"""Dataset getters, fed with small files in the real formats (no network)."""

import gzip
import io
import os
import pickle
import struct
import sys
import tarfile

import numpy
import pytest

from kusari import datasets
from kusari.dataset import download
from kusari.datasets import cifar, fashion_mnist, kuzushiji_mnist, mnist, ptb, svhn


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("KUSARI_DATASET_ROOT", str(tmp_path))
    download.set_dataset_root(None)
    return tmp_path


def _put(url, data):
    """Place ``data`` in the download cache as if ``url`` had been fetched."""
    path = download._cache_path(url)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def _idx(array):
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return gzip.compress(header + array.astype(numpy.uint8).tobytes())


def _mnist_files(mirror, files, n_train=5, n_test=3):
    rng = numpy.random.RandomState(0)
    arrays = {
        "train_x": rng.randint(0, 256, (n_train, 28, 28)),
        "train_y": numpy.arange(n_train) % 10,
        "test_x": rng.randint(0, 256, (n_test, 28, 28)),
        "test_y": (numpy.arange(n_test) + 3) % 10,
    }
    for key, (name, _) in files.items():
        _put(mirror + name, _idx(arrays[key]))
    return arrays


@pytest.mark.parametrize("getter", ["mnist", "fashion", "kuzushiji"])
def test_mnist_like(root, getter):
    if getter == "mnist":
        get, mirror, files = datasets.get_mnist, mnist._MNIST_MIRRORS[0], mnist._MNIST_FILES
        subdir = "mnist"
    elif getter == "kuzushiji":
        get, mirror = datasets.get_kuzushiji_mnist, kuzushiji_mnist._MIRRORS[0]
        files, subdir = kuzushiji_mnist._FILES, "kuzushiji_mnist"
    else:
        get, mirror = datasets.get_fashion_mnist, fashion_mnist._MIRRORS[0]
        files, subdir = fashion_mnist._FILES, "fashion-mnist"
    arrays = _mnist_files(mirror, files)
    train, test = get()
    assert len(train) == 5 and len(test) == 3
    x, t = train[1]
    assert x.shape == (784,) and x.dtype == numpy.float32 and t.dtype == numpy.int32
    numpy.testing.assert_allclose(x, arrays["train_x"][1].ravel() / 255.0, rtol=1e-6)
    assert [int(t) for _, t in test] == [3, 4, 5]
    assert os.path.exists(root / "pfnet" / "chainer" / subdir / "train.npz")

    # Cached now: the downloads are no longer needed.
    for _, (name, _) in files.items():
        os.remove(download._cache_path(mirror + name))
    x3, _ = get(ndim=3, rgb_format=True, scale=2.0, dtype=numpy.float64)[0][1]
    assert x3.shape == (3, 28, 28) and x3.dtype == numpy.float64
    numpy.testing.assert_allclose(x3[2], arrays["train_x"][1] * 2 / 255.0)
    images, _ = get(withlabel=False, ndim=2)
    assert images.shape == (5, 28, 28)
    with pytest.raises(ValueError, match="ndim must be 1, 2 or 3"):
        get(ndim=4)


def test_mnist_cache_is_chainer_compatible(root):
    _mnist_files(mnist._MNIST_MIRRORS[0], mnist._MNIST_FILES)
    datasets.get_mnist()
    with numpy.load(root / "pfnet/chainer/mnist/train.npz", allow_pickle=False) as f:
        assert sorted(f.files) == ["x", "y"]
        assert f["x"].shape == (5, 784) and f["x"].dtype == numpy.uint8


def test_read_idx_rejects_garbage(tmp_path):
    bad = tmp_path / "bad.gz"
    bad.write_bytes(gzip.compress(b"\x00\x00\x0d\x01\x00\x00\x00\x02ab"))
    with pytest.raises(ValueError, match="not an IDX file"):
        mnist.read_idx(str(bad))
    short = tmp_path / "short"
    short.write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x05ab")
    with pytest.raises(ValueError, match="truncated"):
        mnist.read_idx(str(short))


def _pickled_batch(data, labels, key):
    return pickle.dumps({b"data": data, key: labels, b"batch_label": b"x"}, protocol=2)


def _tar(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


def test_cifar10(root):
    rng = numpy.random.RandomState(1)
    members, batches = {}, []
    for i in range(1, 6):
        data = rng.randint(0, 256, (2, 3072)).astype(numpy.uint8)
        batches.append(data)
        members[f"cifar-10-batches-py/data_batch_{i}"] = _pickled_batch(
            data, [i, i + 1], b"labels"
        )
    test_data = rng.randint(0, 256, (3, 3072)).astype(numpy.uint8)
    members["cifar-10-batches-py/test_batch"] = _pickled_batch(test_data, [7, 8, 9], b"labels")
    _put(cifar._CIFAR10[0], _tar(members))
    train, test = datasets.get_cifar10()
    assert len(train) == 10 and len(test) == 3
    x, t = train[2]
    assert x.shape == (3, 32, 32) and t == 2 and t.dtype == numpy.int32
    numpy.testing.assert_allclose(x.ravel(), batches[1][0] / 255.0, rtol=1e-6)
    flat = datasets.get_cifar10(withlabel=False, ndim=1)[1]
    assert flat.shape == (3, 3072)
    with pytest.raises(ValueError, match="ndim must be 1 or 3"):
        datasets.get_cifar10(ndim=2)


def test_cifar100(root):
    data = numpy.arange(2 * 3072, dtype=numpy.uint8).reshape(2, 3072)
    members = {
        "cifar-100-python/train": pickle.dumps(
            {b"data": data, b"fine_labels": [42, 99], b"coarse_labels": [1, 2]}, protocol=2
        ),
        "cifar-100-python/test": pickle.dumps(
            {b"data": data[:1], b"fine_labels": [5], b"coarse_labels": [0]}, protocol=2
        ),
    }
    _put(cifar._CIFAR100[0], _tar(members))
    train, test = datasets.get_cifar100(scale=255.0)
    assert [int(t) for _, t in train] == [42, 99] and int(test[0][1]) == 5
    numpy.testing.assert_allclose(train[1][0].ravel(), data[1].astype(numpy.float32))


class _Evil:
    def __reduce__(self):
        return (os.system, ("true",))


def test_cifar_archive_with_code_is_refused(root):
    members = {f"cifar-10-batches-py/data_batch_{i}": pickle.dumps(_Evil()) for i in range(1, 6)}
    members["cifar-10-batches-py/test_batch"] = pickle.dumps(_Evil())
    _put(cifar._CIFAR10[0], _tar(members))
    with pytest.raises(pickle.UnpicklingError, match="refusing to load posix.system"):
        datasets.get_cifar10()


def test_svhn(root):
    scipy_io = pytest.importorskip("scipy.io")
    rng = numpy.random.RandomState(2)

    def mat(n, labels):
        buf = io.BytesIO()
        x = rng.randint(0, 256, (32, 32, 3, n)).astype(numpy.uint8)
        scipy_io.savemat(buf, {"X": x, "y": numpy.array(labels, numpy.uint8).reshape(n, 1)})
        return x, buf.getvalue()

    train_x, train_mat = mat(3, [10, 1, 9])
    _, test_mat = mat(2, [2, 10])
    _put(svhn._BASE + "train_32x32.mat", train_mat)
    _put(svhn._BASE + "test_32x32.mat", test_mat)
    train, test = datasets.get_svhn()
    assert [int(t) for _, t in train] == [0, 1, 9]
    assert [int(t) for _, t in test] == [2, 0]
    x = train[1][0]
    assert x.shape == (3, 32, 32)
    numpy.testing.assert_allclose(x, train_x[:, :, :, 1].transpose(2, 0, 1) / 255.0, rtol=1e-6)


def test_svhn_without_scipy(root, monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy.io", None)
    monkeypatch.setitem(sys.modules, "scipy", None)
    with pytest.raises(ImportError, match="get_svhn needs SciPy"):
        datasets.get_svhn()


def test_ptb(root):
    _put(ptb._URLS["train"], b" the cat sat \n the dog \n")
    _put(ptb._URLS["valid"], b" dog sat \n")
    _put(ptb._URLS["test"], b" the the \n")
    vocab = datasets.get_ptb_words_vocabulary()
    assert vocab == {"the": 0, "cat": 1, "sat": 2, "<eos>": 3, "dog": 4}
    train, valid, test = datasets.get_ptb_words()
    assert train.dtype == numpy.int32
    assert train.tolist() == [0, 1, 2, 3, 0, 4, 3]
    assert valid.tolist() == [4, 2, 3] and test.tolist() == [0, 0, 3]
    assert (root / "pfnet/chainer/ptb/vocab.txt").read_text().split() == list(vocab)
    assert datasets.get_ptb_words_vocabulary() == vocab  # from the cache


def test_digits():
    pytest.importorskip("sklearn")
    train, test = datasets.get_digits()
    assert (len(train), len(test)) == (1438, 359)
    x, t = train[0]
    assert x.shape == (64,) and x.dtype == numpy.float32 and t.dtype == numpy.int32
    assert 0.0 <= float(x.min()) and float(x.max()) <= 1.0
    labels = [int(t) for _, t in test]
    assert set(labels) == set(range(10))
    again, _ = datasets.get_digits()
    numpy.testing.assert_array_equal(again[5][0], train[5][0])  # deterministic split
    img, _ = datasets.get_digits(withlabel=False, ndim=3, rgb_format=True)
    assert img.shape == (1438, 3, 8, 8)
    x2 = datasets.get_digits(ndim=2, scale=16.0, dtype=numpy.float64)[0][0][0]
    assert x2.shape == (8, 8) and float(x2.max()) == float(x2.max().round())


def test_digits_without_sklearn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r"kusari\[digits\]"):
        datasets.get_digits()
