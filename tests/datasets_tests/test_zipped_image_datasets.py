import io
import pickle
import threading
import zipfile

import numpy
import pytest

from kusari.datasets import (
    ImageDataset,
    LabeledZippedImageDataset,
    MultiZippedImageDataset,
    ZippedImageDataset,
)

Image = pytest.importorskip("PIL.Image")


def _png(array):
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def archives(tmp_path):
    rng = numpy.random.RandomState(0)
    images = {f"d/{i}.png": rng.randint(0, 256, (4, 5, 3)).astype(numpy.uint8)
              for i in range(3)}
    images["gray.png"] = rng.randint(0, 256, (4, 5)).astype(numpy.uint8)
    first = tmp_path / "a.zip"
    with zipfile.ZipFile(first, "w") as zf:
        zf.writestr("d/", b"")  # a directory entry is not an image
        for name, a in images.items():
            zf.writestr(name, _png(a))
    second = tmp_path / "b.zip"
    with zipfile.ZipFile(second, "w") as zf:
        zf.writestr("x.png", _png(images["d/0.png"][::-1].copy()))
    return tmp_path, images


def test_zipped_images_match_image_dataset(archives):
    root, images = archives
    ds = ZippedImageDataset(root / "a.zip")
    assert len(ds) == 4
    for i, name in enumerate(images):
        x = ds[i]
        assert x.dtype == numpy.float32
        (root / "tmp.png").write_bytes(_png(images[name]))
        numpy.testing.assert_array_equal(x, ImageDataset(["tmp.png"], root=str(root))[0])
    assert ds.get_example("gray.png").shape == (1, 4, 5)  # by member name
    assert ZippedImageDataset(root / "a.zip", dtype=numpy.uint8)[0].dtype == numpy.uint8
    with pytest.raises(KeyError):
        ds.get_example("nope.png")


def test_zipped_images_pickle_and_threads(archives):
    root, _ = archives
    ds = ZippedImageDataset(root / "a.zip")
    copy = pickle.loads(pickle.dumps(ds))  # the archive is reopened on use
    numpy.testing.assert_array_equal(copy[2], ds[2])
    out = [None] * 8

    def read(k):
        out[k] = ds[k % 4]

    threads = [threading.Thread(target=read, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(8):
        numpy.testing.assert_array_equal(out[k], ds[k % 4])


def test_multi_and_labeled_zipped_images(archives):
    root, images = archives
    multi = MultiZippedImageDataset([root / "a.zip", root / "b.zip"])
    assert len(multi) == 5
    numpy.testing.assert_array_equal(multi[4][:, ::-1], multi[0])  # b.zip's flipped copy
    (root / "labels.txt").write_text("d/2.png 7\ngray.png 1\n")
    labeled = LabeledZippedImageDataset(root / "a.zip", root / "labels.txt",
                                        label_dtype=numpy.int64)
    assert len(labeled) == 2
    x, t = labeled[0]
    numpy.testing.assert_array_equal(x, numpy.asarray(images["d/2.png"], numpy.float32)
                                     .transpose(2, 0, 1))
    assert t.dtype == numpy.int64 and int(t) == 7
    (root / "bad.txt").write_text("only-a-name\n")
    with pytest.raises(ValueError, match="line 0"):
        LabeledZippedImageDataset(root / "a.zip", root / "bad.txt")
