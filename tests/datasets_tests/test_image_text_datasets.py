import sys

import numpy
import pytest

from kusari.datasets import ImageDataset, LabeledImageDataset, TextDataset

Image = pytest.importorskip("PIL.Image")


@pytest.fixture
def images(tmp_path):
    rgb = numpy.arange(4 * 5 * 3, dtype=numpy.uint8).reshape(4, 5, 3)
    gray = numpy.arange(20, dtype=numpy.uint8).reshape(4, 5)
    Image.fromarray(rgb).save(tmp_path / "rgb.png")
    Image.fromarray(gray).save(tmp_path / "gray.png")
    return tmp_path, rgb, gray


def test_image_dataset(images):
    root, rgb, gray = images
    ds = ImageDataset(["rgb.png", "gray.png"], root=str(root))
    assert len(ds) == 2
    x = ds[0]
    assert x.shape == (3, 4, 5) and x.dtype == numpy.float32
    numpy.testing.assert_array_equal(x, rgb.transpose(2, 0, 1))
    g = ds[1]
    assert g.shape == (1, 4, 5)
    numpy.testing.assert_array_equal(g[0], gray)
    assert ImageDataset(["gray.png"], root=str(root), dtype=numpy.uint8)[0].dtype == numpy.uint8


def test_image_dataset_from_list_file(images):
    root, _, _ = images
    (root / "list.txt").write_text("rgb.png\n\ngray.png\n")
    assert len(ImageDataset(str(root / "list.txt"), root=str(root))) == 2


def test_labeled_image_dataset(images):
    root, rgb, _ = images
    (root / "pairs.txt").write_text("rgb.png 3\ngray.png 7\n")
    ds = LabeledImageDataset(str(root / "pairs.txt"), root=str(root))
    x, t = ds[0]
    assert x.shape == (3, 4, 5) and t == 3 and t.dtype == numpy.int32
    assert ds[1][1] == 7
    (root / "bad.txt").write_text("rgb.png\n")
    with pytest.raises(ValueError, match="line 1 .* must be 'path label'"):
        LabeledImageDataset(str(root / "bad.txt"), root=str(root))
    ds = LabeledImageDataset([("rgb.png", 1)], root=str(root), label_dtype=numpy.int64)
    assert ds[0][1].dtype == numpy.int64


def test_missing_pillow_is_clear(monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"kusari\[image\]"):
        ImageDataset(["x.png"])
    with pytest.raises(ImportError, match=r"'image' extra"):
        LabeledImageDataset([("x.png", 0)])


def test_text_dataset(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("one\ntwo\nthree\n", encoding="utf-8")
    b.write_text("ichi\nni\nsan\n", encoding="utf-8")
    ds = TextDataset(str(a))
    assert len(ds) == 3 and ds[2] == "three\n" and ds[0] == "one\n"
    pair = TextDataset([str(a), str(b)], encoding="utf-8")
    assert pair[1] == ("two\n", "ni\n")
    kept = TextDataset([str(a), str(b)], filter_func=lambda x, y: len(x) > 4)
    assert kept[:] == [("three\n", "san\n")]
    ds.close()
    pair.close()
    kept.close()


def test_text_dataset_length_mismatch_and_fork_safety(tmp_path):
    import multiprocessing
    import pickle

    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("x\ny\n")
    b.write_text("x\n")
    with pytest.raises(ValueError, match="has 1 lines, but"):
        TextDataset([str(a), str(b)])
    ds = TextDataset(str(a))
    assert ds[0] == "x\n"
    clone = pickle.loads(pickle.dumps(ds))
    assert clone[1] == "y\n"
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        assert pool.apply(ds.__getitem__, (1,)) == "y\n"
    ds.close()
    clone.close()
