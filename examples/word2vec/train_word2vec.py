#!/usr/bin/env python
"""Learn word embeddings with word2vec (Mikolov et al., 2013) and negative sampling.

Skip-gram predicts the words around a center word from the center word; continuous
bag of words (CBOW) predicts the center word from the sum of its context. Instead of
a softmax over the whole vocabulary, negative sampling (``L.NegativeSampling``) scores
the true word against a few words drawn from the unigram distribution. A custom
iterator (``WindowIterator``) yields center positions; a custom converter gathers
their context windows.

Trains on the Penn Treebank when it can be downloaded, else on a small bundled text
(``examples/data/fables.txt``). After training it saves the embeddings in the text
format of the original word2vec tool (``word2vec.model``) and prints, for a few
words, their nearest neighbours by cosine similarity.

    python examples/word2vec/train_word2vec.py            # 40 epochs of skip-gram
    python examples/word2vec/train_word2vec.py --quick    # a smoke run of a few seconds
"""

import argparse
import collections
import os
import re

import numpy as np

import kusari
import kusari.functions as F
import kusari.initializers as I
import kusari.links as L
from kusari import reporter, training
from kusari.backends import cuda
from kusari.training import extensions

FALLBACK_TEXT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), os.pardir, "data", "fables.txt"
)


class ContinuousBoW(kusari.Chain):
    """Continuous bag of words: predict the center word from its context's mean."""

    def __init__(self, n_vocab, n_units, loss_func):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units, initialW=I.Uniform(1.0 / n_units))
            self.loss_func = loss_func

    def forward(self, x, contexts):
        h = F.mean(self.embed(contexts), axis=1)  # (batch, n_units)
        # the mean over the minibatch: comparable across batch sizes and output types
        loss = F.mean(self.loss_func(h, x, reduce="no"))
        reporter.report({"loss": loss}, self)
        return loss


class SkipGram(kusari.Chain):
    """Skip-gram: predict each context word from the center word.

    Every (center, context word) pair is one example: the embedding of the context
    word is scored against the center word, which by symmetry of the pairs trains the
    same relation as predicting the context from the center.
    """

    def __init__(self, n_vocab, n_units, loss_func):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units, initialW=I.Uniform(1.0 / n_units))
            self.loss_func = loss_func

    def forward(self, x, contexts):
        e = self.embed(contexts)  # (batch, n_context, n_units)
        batch_size, n_context, n_units = e.shape
        centers = F.broadcast_to(x[:, None], (batch_size, n_context))
        # the mean over all (center, context) pairs, whose number varies with the window
        pairs = self.loss_func(F.reshape(e, (-1, n_units)), F.reshape(centers, (-1,)), reduce="no")
        loss = F.mean(pairs)
        reporter.report({"loss": loss}, self)
        return loss


class SoftmaxCrossEntropyLoss(kusari.Chain):
    """The exact alternative to negative sampling: a linear layer and a full softmax."""

    def __init__(self, n_in, n_out):
        super().__init__()
        with self.init_scope():
            self.out = L.Linear(n_in, n_out, initialW=0)

    def forward(self, x, t, reduce="mean"):
        return F.softmax_cross_entropy(self.out(x), t, reduce=reduce)


class WindowIterator(kusari.dataset.Iterator):
    """Yields minibatches of (center words, context windows) from a word sequence.

    Centers are visited in a random order, one epoch per sweep. The window has a
    random half-width between 1 and ``window`` per minibatch (so nearer words count
    more often, as in the original word2vec).

    Args:
        dataset: 1-D array of word ids.
        window: Largest number of context words on each side.
        batch_size: Number of centers per minibatch.
        repeat: If False, stop after one sweep (for evaluation).
    """

    def __init__(self, dataset, window, batch_size, repeat=True):
        self.words = np.asarray(dataset, np.int32)
        self.window = window
        self.batch_size = batch_size
        self.repeat = repeat
        # centers far enough from both ends to have a full window
        self.order = np.random.permutation(
            np.arange(window, len(dataset) - window, dtype=np.int32)
        )
        self.reset()

    def reset(self):
        """Start a new sweep (the Evaluator calls this before each evaluation)."""
        self.position = 0  # index into order of the next center
        self.epoch = 0
        self.is_new_epoch = False

    def __next__(self):
        if not self.repeat and self.epoch > 0:
            raise StopIteration
        centers = self.order[self.position : self.position + self.batch_size]
        half = np.random.randint(1, self.window + 1)
        offsets = np.r_[-half:0, 1 : half + 1]
        contexts = self.words[centers[:, None] + offsets]

        self.position += self.batch_size
        self.is_new_epoch = self.position >= len(self.order)
        if self.is_new_epoch:
            self.epoch += 1
            self.position = 0
            np.random.shuffle(self.order)
        return self.words[centers], contexts

    @property
    def epoch_detail(self):
        return self.epoch + self.position / len(self.order)

    def serialize(self, serializer):
        self.position = serializer("position", self.position)
        self.epoch = serializer("epoch", self.epoch)
        self.is_new_epoch = serializer("is_new_epoch", self.is_new_epoch)
        serializer("order", self.order)


def convert(batch, device):
    """The converter: send the center words and their contexts to the device."""
    center, contexts = batch
    return kusari.dataset.to_device(device, center), kusari.dataset.to_device(device, contexts)


def load_text_words(path):
    """Word ids of a text with one sentence per line: train, validation, test, vocab.

    Words are lowercased letters and apostrophes; ``<eos>`` ends each sentence, and a
    word seen only once becomes ``<unk>`` (as in the Penn Treebank). The last 10 % of
    the words are split evenly into validation and test sets.
    """
    with open(path, encoding="utf-8") as f:
        sentences = [re.findall(r"[a-z']+", line.lower()) for line in f]
    sentences = [s for s in sentences if s]
    counts = collections.Counter(w for s in sentences for w in s)
    vocab = {"<eos>": 0, "<unk>": 1}
    ids = []
    for sentence in sentences:
        for word in sentence:
            word = word if counts[word] > 1 else "<unk>"
            ids.append(vocab.setdefault(word, len(vocab)))
        ids.append(vocab["<eos>"])
    ids = np.array(ids, np.int32)
    a, b = int(len(ids) * 0.9), int(len(ids) * 0.95)
    return ids[:a], ids[a:b], ids[b:], vocab


def load_dataset(name):
    if name == "ptb":
        try:
            train, val, _ = kusari.datasets.get_ptb_words()
            return (train, val, kusari.datasets.get_ptb_words_vocabulary()), "PTB"
        except OSError as e:
            print(f"PTB could not be downloaded ({e}); training on {FALLBACK_TEXT}")
    train, val, _, vocab = load_text_words(FALLBACK_TEXT)
    return (train, val, vocab), "fables"


def nearest_words(w, index2word, word2index, query, n=5):
    """The ``n`` words whose embeddings are closest in cosine to that of ``query``."""
    # On a small corpus the embeddings share one large common component, which makes
    # every cosine similarity close to 1; measure the directions around the mean.
    w = w - w.mean(axis=0)
    w = w / np.linalg.norm(w, axis=1, keepdims=True)
    v = w[word2index[query]]
    similarity = w.dot(v)
    order = [i for i in (-similarity).argsort() if index2word[i] != query]
    return [(index2word[i], float(similarity[i])) for i in order[:n]]


def main():
    parser = argparse.ArgumentParser(description="kusari example: word2vec")
    parser.add_argument(
        "--device", "-d", type=str, default="@numpy", help="Device: @numpy, or @cupy:N for GPU N"
    )
    parser.add_argument("--unit", "-u", default=100, type=int, help="number of units")
    parser.add_argument("--window", "-w", default=5, type=int, help="window size")
    parser.add_argument(
        "--batchsize", "-b", type=int, default=1000, help="learning minibatch size"
    )
    parser.add_argument("--epoch", "-e", default=40, type=int, help="number of epochs to learn")
    parser.add_argument(
        "--model",
        "-m",
        choices=["skipgram", "cbow"],
        default="skipgram",
        help='model type ("skipgram", "cbow")',
    )
    parser.add_argument("--negative-size", default=5, type=int, help="number of negative samples")
    parser.add_argument(
        "--out-type",
        "-o",
        choices=["ns", "original"],
        default="ns",
        help='output model type ("ns": negative sampling, "original": no approximation)',
    )
    parser.add_argument("--out", default="result", help="Directory to output the result")
    parser.add_argument("--resume", "-r", type=str, help="Resume the training from snapshot")
    parser.add_argument(
        "--dataset",
        choices=("ptb", "fables"),
        default="ptb",
        help="ptb (falls back to the bundled text when offline) or fables",
    )
    parser.add_argument(
        "--noplot", dest="plot", action="store_false", help="Disable PlotReport extension"
    )
    parser.add_argument(
        "--quick", action="store_true", help="Smoke run: 2 epochs of 20-dimensional embeddings"
    )
    args = parser.parse_args()
    if args.quick:
        args.epoch, args.unit = min(args.epoch, 2), 20

    device = kusari.get_device(args.device)
    device.use()

    (train, val, vocab), name = load_dataset(args.dataset)
    if args.quick:
        train, val = train[:2000], val[:200]
    index2word = {wid: word for word, wid in vocab.items()}
    n_vocab = max(vocab.values()) + 1
    counts = collections.Counter(train.tolist())
    counts.update(collections.Counter(val.tolist()))

    print(f"Device: {device}")
    print(f"# dataset: {name}")
    print(f"# unit: {args.unit}")
    print(f"Window: {args.window}")
    print(f"Minibatch-size: {args.batchsize}")
    print(f"# epoch: {args.epoch}")
    print(f"Training model: {args.model}")
    print(f"Output type: {args.out_type}")
    print(f"n_vocab: {n_vocab}")
    print(f"data length: {len(train)}")
    print("")

    if args.out_type == "ns":
        cs = [counts[w] for w in range(n_vocab)]
        loss_func = L.NegativeSampling(args.unit, cs, args.negative_size)
        loss_func.W.array[...] = 0
    else:
        loss_func = SoftmaxCrossEntropyLoss(args.unit, n_vocab)

    if args.model == "skipgram":
        model = SkipGram(n_vocab, args.unit, loss_func)
    else:
        model = ContinuousBoW(n_vocab, args.unit, loss_func)
    model.to_device(device)

    optimizer = kusari.optimizers.Adam()
    optimizer.setup(model)

    train_iter = WindowIterator(train, args.window, args.batchsize)
    val_iter = WindowIterator(val, args.window, args.batchsize, repeat=False)

    # the converter unpacks (centers, contexts) batches for the model's two arguments
    updater = training.updaters.StandardUpdater(
        train_iter, optimizer, converter=convert, device=device
    )

    trainer = training.Trainer(updater, (args.epoch, "epoch"), out=args.out)
    trainer.extend(extensions.Evaluator(val_iter, model, converter=convert, device=device))
    trainer.extend(extensions.LogReport())
    if args.plot and extensions.PlotReport.available():
        trainer.extend(
            extensions.PlotReport(
                ["main/loss", "validation/main/loss"], "epoch", filename="loss.png"
            )
        )
    trainer.extend(
        extensions.PrintReport(["epoch", "main/loss", "validation/main/loss", "elapsed_time"])
    )
    trainer.extend(extensions.ProgressBar(update_interval=1))
    trainer.extend(extensions.snapshot(n_retains=1), trigger=(args.epoch, "epoch"))

    if args.resume is not None:
        kusari.serializers.load_npz(args.resume, trainer)

    trainer.run()

    # the embeddings in the text format of the original word2vec tool
    w = cuda.to_cpu(model.embed.W.array)
    with open(os.path.join(args.out, "word2vec.model"), "w", encoding="utf-8") as f:
        f.write(f"{n_vocab} {args.unit}\n")
        for i, wi in enumerate(w):
            v = " ".join(map(str, wi))
            f.write(f"{index2word[i]} {v}\n")

    # nearest neighbours of a few frequent words
    frequent = [
        index2word[i] for i, _ in counts.most_common(40) if index2word[i] not in ("<eos>", "<unk>")
    ]
    for query in frequent[10:15]:
        neighbours = nearest_words(w, index2word, vocab, query)
        print(f"{query}: " + ", ".join(f"{word} ({sim:.2f})" for word, sim in neighbours))


if __name__ == "__main__":
    main()
