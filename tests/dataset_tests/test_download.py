import hashlib
import os

import pytest

from kusari.dataset import download


@pytest.fixture(autouse=True)
def _clean_root(monkeypatch):
    monkeypatch.delenv("KUSARI_DATASET_ROOT", raising=False)
    monkeypatch.delenv("CHAINER_DATASET_ROOT", raising=False)
    download.set_dataset_root(None)
    yield
    download.set_dataset_root(None)


def test_root_precedence(monkeypatch, tmp_path):
    assert download.get_dataset_root() == os.path.expanduser("~/.kusari/dataset")
    monkeypatch.setenv("CHAINER_DATASET_ROOT", str(tmp_path / "c"))
    assert download.get_dataset_root() == str(tmp_path / "c")
    monkeypatch.setenv("KUSARI_DATASET_ROOT", str(tmp_path / "k"))
    assert download.get_dataset_root() == str(tmp_path / "k")
    download.set_dataset_root(tmp_path / "explicit")
    assert download.get_dataset_root() == str(tmp_path / "explicit")


def test_get_dataset_directory(tmp_path):
    download.set_dataset_root(tmp_path)
    path = download.get_dataset_directory("a/b", create_directory=False)
    assert path == str(tmp_path / "a" / "b") and not os.path.exists(path)
    assert os.path.isdir(download.get_dataset_directory("a/b"))


def test_cached_download_with_checksum(tmp_path):
    download.set_dataset_root(tmp_path / "root")
    src = tmp_path / "payload.bin"
    src.write_bytes(b"kusari" * 1000)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    path = download.cached_download(src.as_uri(), checksum=f"sha256:{digest}")
    assert path.startswith(str(tmp_path / "root" / "_dl_cache"))
    with open(path, "rb") as f:
        assert f.read() == src.read_bytes()
    src.write_bytes(b"changed")
    assert download.cached_download(src.as_uri()) == path  # served from the cache
    with open(path, "rb") as f:
        assert f.read() == b"kusari" * 1000


def test_checksum_mismatch_leaves_nothing(tmp_path):
    download.set_dataset_root(tmp_path / "root")
    src = tmp_path / "payload.bin"
    src.write_bytes(b"data")
    with pytest.raises(ValueError, match="checksum mismatch"):
        download.cached_download(src.as_uri(), checksum="md5:" + "0" * 32)
    assert os.listdir(tmp_path / "root" / "_dl_cache") == []
    with pytest.raises(ValueError, match="checksum must look like"):
        download.cached_download(src.as_uri(), checksum="crc:00")


def test_failed_download_raises_oserror(tmp_path):
    download.set_dataset_root(tmp_path)
    with pytest.raises(OSError):
        download.cached_download((tmp_path / "missing").as_uri())
    assert os.listdir(tmp_path / "_dl_cache") == []


def test_cache_or_load_file(tmp_path):
    path = tmp_path / "sub" / "value.txt"
    calls = []

    def creator(tmp):
        calls.append(tmp)
        assert os.path.dirname(os.path.dirname(tmp)) == str(tmp_path / "sub")
        with open(tmp, "w") as f:
            f.write("41")
        return 41

    def loader(p):
        with open(p) as f:
            return int(f.read()) + 1

    assert download.cache_or_load_file(path, creator, loader) == 41
    assert download.cache_or_load_file(path, creator, loader) == 42
    assert len(calls) == 1
    assert os.listdir(tmp_path / "sub") == ["value.txt"]


def test_cache_or_load_file_creator_failure(tmp_path):
    path = tmp_path / "value.txt"

    def creator(tmp):
        with open(tmp, "w") as f:
            f.write("partial")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        download.cache_or_load_file(path, creator, lambda p: None)
    assert os.listdir(tmp_path) == []
