#!/usr/bin/env python
"""Train a two-layer LSTM language model on the Penn Treebank.

The model reads one word at a time and predicts the next; it is trained with
truncated back propagation through time (a custom updater runs ``--bproplen`` steps,
then backpropagates and cuts the graph). The report shows the perplexity.

Without a network connection the Penn Treebank cannot be downloaded; the script then
trains on a small bundled text (``examples/data/fables.txt``, Aesop's fables retold in
plain words, public domain).

    python examples/ptb/train_ptb.py            # 20 epochs on the bundled text
    python examples/ptb/train_ptb.py --quick    # a smoke run of a few seconds
"""

import argparse
import collections
import os
import re

import numpy as np

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import training
from kusari.backends import cuda
from kusari.training import extensions

FALLBACK_TEXT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), os.pardir, "data", "fables.txt"
)


class RNNForLM(kusari.Chain):
    """Embedding, two LSTM layers and a linear layer to the vocabulary."""

    def __init__(self, n_vocab, n_units):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units)
            self.l1 = L.LSTM(n_units, n_units)
            self.l2 = L.LSTM(n_units, n_units)
            self.l3 = L.Linear(n_units, n_vocab)

        for param in self.params():
            param.array[...] = np.random.uniform(-0.1, 0.1, param.shape)

    def reset_state(self):
        self.l1.reset_state()
        self.l2.reset_state()

    def forward(self, x):
        h0 = self.embed(x)
        h1 = self.l1(F.dropout(h0))
        h2 = self.l2(F.dropout(h1))
        return self.l3(F.dropout(h2))


class ParallelSequentialIterator(kusari.dataset.Iterator):
    """Reads one long word sequence at ``batch_size`` positions in parallel.

    Row ``i`` of every minibatch continues where row ``i`` of the previous one
    stopped, so an LSTM can carry its state from one minibatch to the next. The rows
    start evenly spaced over the sequence and wrap around at its end. Each example is
    a pair (word, next word).

    Args:
        dataset: 1-D array of word ids.
        batch_size: Number of positions read in parallel.
        repeat: If False, stop after one sweep (for evaluation).
    """

    def __init__(self, dataset, batch_size, repeat=True):
        super().__init__()
        self.dataset = dataset
        self.batch_size = batch_size
        self.repeat = repeat
        self.starts = np.arange(batch_size) * len(dataset) // batch_size
        self.reset()

    def reset(self):
        """Go back to the beginning (the Evaluator calls this before each run)."""
        self.iteration = 0  # words read so far by each row
        self.epoch = 0
        self.is_new_epoch = False

    def __next__(self):
        length = len(self.dataset)
        if not self.repeat and self.iteration * self.batch_size >= length:
            raise StopIteration
        positions = (self.starts + self.iteration) % length
        words = self.dataset[positions]
        next_words = self.dataset[(positions + 1) % length]
        self.iteration += 1
        # an epoch is over when the rows together have read len(dataset) words
        epoch = self.iteration * self.batch_size // length
        self.is_new_epoch = epoch > self.epoch
        self.epoch = epoch
        return list(zip(words, next_words))

    @property
    def epoch_detail(self):
        return self.iteration * self.batch_size / len(self.dataset)

    @property
    def previous_epoch_detail(self):
        if self.iteration == 0:
            return None
        return (self.iteration - 1) * self.batch_size / len(self.dataset)

    def serialize(self, serializer):
        self.iteration = serializer("iteration", self.iteration)
        self.epoch = serializer("epoch", self.epoch)


class BPTTUpdater(training.updaters.StandardUpdater):
    """Truncated backpropagation through time.

    One update reads ``bprop_len`` consecutive minibatches, sums their losses,
    backpropagates through all those steps at once, then cuts the graph behind the
    LSTM states so the next update starts from them without reaching further back.
    """

    def __init__(self, train_iter, optimizer, bprop_len, device):
        super().__init__(train_iter, optimizer, device=device)
        self.bprop_len = bprop_len

    def update_core(self):
        # a single iterator and optimizer passed to StandardUpdater are named 'main'
        train_iter = self.get_iterator("main")
        optimizer = self.get_optimizer("main")
        model = optimizer.target

        loss = 0
        for _ in range(self.bprop_len):
            # a list of (word, next word) pairs, stacked into two arrays of word ids
            # by the converter (concat_examples) and sent to the device
            x, t = self.converter(train_iter.__next__(), self.device)
            loss += model(x, t)

        model.cleargrads()
        loss.backward()
        loss.unchain_backward()  # the LSTM states stay; the graph behind them goes
        optimizer.update()


def compute_perplexity(result):
    """LogReport's postprocess: perplexity is the exponential of the mean loss."""
    result["perplexity"] = np.exp(result["main/loss"])
    if "validation/main/loss" in result:
        result["val_perplexity"] = np.exp(result["validation/main/loss"])


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
            train, val, test = kusari.datasets.get_ptb_words()
            return (train, val, test, kusari.datasets.get_ptb_words_vocabulary()), "PTB"
        except OSError as e:
            print(f"PTB could not be downloaded ({e}); training on {FALLBACK_TEXT}")
    return load_text_words(FALLBACK_TEXT), "fables"


def generate(model, vocab, device, primetext, length, rng):
    """Sample ``length`` words from the model after reading ``primetext``."""
    words = {i: w for w, i in vocab.items()}
    xp = device.xp
    model.reset_state()
    with kusari.using_config("train", False), kusari.no_backprop_mode():
        prime = [vocab.get(w, vocab.get("<unk>", 0)) for w in primetext.split()]
        for word_id in prime:
            y = model(xp.asarray([word_id], np.int32))
        out = [words[i] for i in prime]
        for _ in range(length):
            prob = cuda.to_cpu(F.softmax(y).array[0]).astype(np.float64)
            word_id = int(rng.choice(len(prob), p=prob / prob.sum()))
            out.append(words[word_id])
            y = model(xp.asarray([word_id], np.int32))
    return " ".join(out)


def main():
    parser = argparse.ArgumentParser(description="kusari example: LSTM language model")
    parser.add_argument(
        "--batchsize", "-b", type=int, default=20, help="Number of examples in each mini-batch"
    )
    parser.add_argument(
        "--bproplen",
        "-l",
        type=int,
        default=35,
        help="Number of words in each mini-batch (= length of truncated BPTT)",
    )
    parser.add_argument(
        "--epoch", "-e", type=int, default=20, help="Number of sweeps over the dataset to train"
    )
    parser.add_argument(
        "--device", "-d", type=str, default="@numpy", help="Device: @numpy, or @cupy:N for GPU N"
    )
    parser.add_argument(
        "--gradclip", "-c", type=float, default=5, help="Gradient norm threshold to clip"
    )
    parser.add_argument("--out", "-o", default="result", help="Directory to output the result")
    parser.add_argument("--resume", "-r", type=str, help="Resume the training from snapshot")
    parser.add_argument(
        "--unit", "-u", type=int, default=200, help="Number of LSTM units in each layer"
    )
    parser.add_argument(
        "--dataset",
        choices=("ptb", "fables"),
        default="ptb",
        help="ptb (falls back to the bundled text when offline) or fables",
    )
    parser.add_argument(
        "--primetext",
        default="the fox",
        help="Words the sample generated after training starts with",
    )
    parser.add_argument(
        "--noplot", dest="plot", action="store_false", help="Disable PlotReport extension"
    )
    parser.add_argument(
        "--quick", action="store_true", help="Smoke run: 1 epoch of a tiny model on 1,000 words"
    )
    args = parser.parse_args()
    if args.quick:
        args.epoch, args.unit, args.batchsize, args.bproplen = 1, 20, 10, 10

    device = kusari.get_device(args.device)
    device.use()

    (train, val, test, vocab), name = load_dataset(args.dataset)
    if args.quick:
        train, val, test = train[:1000], val[:100], test[:100]
    n_vocab = max(vocab.values()) + 1
    print(f"# dataset: {name}, vocabulary size: {n_vocab}")
    print(f"# train data size: {len(train)}")
    print("")

    train_iter = ParallelSequentialIterator(train, args.batchsize)
    val_iter = ParallelSequentialIterator(val, 1, repeat=False)
    test_iter = ParallelSequentialIterator(test, 1, repeat=False)

    rnn = RNNForLM(n_vocab, args.unit)
    model = L.Classifier(rnn)  # softmax cross entropy of the next-word prediction
    model.compute_accuracy = False
    model.to_device(device)

    optimizer = kusari.optimizers.SGD(lr=1.0)
    optimizer.setup(model)
    optimizer.add_hook(kusari.optimizer_hooks.GradientClipping(args.gradclip))

    updater = BPTTUpdater(train_iter, optimizer, args.bproplen, device)
    trainer = training.Trainer(updater, (args.epoch, "epoch"), out=args.out)

    # evaluate a copy that shares the parameters but has its own LSTM states,
    # cleared before each evaluation
    eval_model = model.copy()
    eval_rnn = eval_model.predictor
    trainer.extend(
        extensions.Evaluator(
            val_iter, eval_model, device=device, eval_hook=lambda _: eval_rnn.reset_state()
        )
    )

    trainer.extend(extensions.LogReport(postprocess=compute_perplexity))
    trainer.extend(
        extensions.PrintReport(
            ["epoch", "iteration", "perplexity", "val_perplexity", "elapsed_time"]
        )
    )
    trainer.extend(extensions.ProgressBar(update_interval=1))
    if args.plot and extensions.PlotReport.available():
        trainer.extend(
            extensions.PlotReport(
                ["main/loss", "validation/main/loss"], "epoch", filename="loss.png"
            )
        )
    trainer.extend(extensions.snapshot(n_retains=1), trigger=(args.epoch, "epoch"))
    trainer.extend(
        extensions.snapshot_object(model, "model_epoch_{.updater.epoch}.npz"),
        trigger=(args.epoch, "epoch"),
    )
    if args.resume is not None:
        kusari.serializers.load_npz(args.resume, trainer)

    trainer.run()

    eval_rnn.reset_state()
    evaluator = extensions.Evaluator(test_iter, eval_model, device=device)
    result = evaluator()
    print(f"test perplexity: {np.exp(float(result['main/loss'])):.2f}")

    sample = generate(eval_rnn, vocab, device, args.primetext, 20, np.random.RandomState(0))
    print(f"sample: {sample}")


if __name__ == "__main__":
    main()
