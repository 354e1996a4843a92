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

FALLBACK_TEXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                             'data', 'fables.txt')


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
    """Reads ``batch_size`` positions of one long word sequence in parallel.

    Each example of a minibatch is a pair (current word, next word); the positions
    start evenly spaced over the sequence and advance by one word per call.
    """

    def __init__(self, dataset, batch_size, repeat=True):
        super().__init__()
        self.dataset = dataset
        self.batch_size = batch_size  # batch size
        self.repeat = repeat
        length = len(dataset)
        # offsets maintain the position of each sequence in the mini-batch
        self.offsets = [i * length // batch_size for i in range(batch_size)]
        self.reset()

    def reset(self):
        self.epoch = 0
        self.is_new_epoch = False
        self.iteration = 0
        # the previous epoch_detail, used by triggers
        self._previous_epoch_detail = -1.

    def __next__(self):
        # the length of the sequence is the number of words; one epoch is the time
        # for every position to advance over len(dataset) / batch_size words
        length = len(self.dataset)
        if not self.repeat and self.iteration * self.batch_size >= length:
            # with repeat=False (for evaluation) stop after one sweep
            raise StopIteration
        cur_words = self.get_words()
        self._previous_epoch_detail = self.epoch_detail
        self.iteration += 1
        next_words = self.get_words()

        epoch = self.iteration * self.batch_size // length
        self.is_new_epoch = self.epoch < epoch
        if self.is_new_epoch:
            self.epoch = epoch
        return list(zip(cur_words, next_words))

    @property
    def epoch_detail(self):
        return self.iteration * self.batch_size / len(self.dataset)

    @property
    def previous_epoch_detail(self):
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    def get_words(self):
        # the word at each position (wrapping around the sequence)
        return [self.dataset[(offset + self.iteration) % len(self.dataset)]
                for offset in self.offsets]

    def serialize(self, serializer):
        self.iteration = serializer('iteration', self.iteration)
        self.epoch = serializer('epoch', self.epoch)
        try:
            self._previous_epoch_detail = serializer(
                'previous_epoch_detail', self._previous_epoch_detail)
        except KeyError:
            # a snapshot of an older version of this iterator
            self._previous_epoch_detail = self.epoch_detail - self.batch_size / len(self.dataset)


class BPTTUpdater(training.updaters.StandardUpdater):
    """Truncated back propagation through time: ``bprop_len`` steps per update."""

    def __init__(self, train_iter, optimizer, bprop_len, device):
        super().__init__(train_iter, optimizer, device=device)
        self.bprop_len = bprop_len

    # The core part of the update routine can be customized by overriding.
    def update_core(self):
        loss = 0
        # When we pass one iterator and optimizer to StandardUpdater.__init__,
        # they are automatically named 'main'.
        train_iter = self.get_iterator('main')
        optimizer = self.get_optimizer('main')

        # Progress the dataset iterator for bprop_len words at each iteration.
        for _ in range(self.bprop_len):
            # Get the next batch (a list of tuples of two word IDs)
            batch = train_iter.__next__()

            # Concatenate the word IDs to matrices and send them to the device
            # self.converter does this job
            # (it is kusari.dataset.concat_examples by default)
            x, t = self.converter(batch, self.device)

            # Compute the loss at this time step and accumulate it
            loss += optimizer.target(x, t)

        optimizer.target.cleargrads()  # Clear the parameter gradients
        loss.backward()  # Backprop
        loss.unchain_backward()  # Truncate the graph
        optimizer.update()  # Update the parameters


def compute_perplexity(result):
    """LogReport's postprocess: perplexity is the exponential of the mean loss."""
    result['perplexity'] = np.exp(result['main/loss'])
    if 'validation/main/loss' in result:
        result['val_perplexity'] = np.exp(result['validation/main/loss'])


def load_text_words(path):
    """Word ids of a text with one sentence per line: train, validation, test, vocab.

    Words are lowercased letters and apostrophes; ``<eos>`` ends each sentence, and a
    word seen only once becomes ``<unk>`` (as in the Penn Treebank). The last 10 % of
    the words are split evenly into validation and test sets.
    """
    with open(path, encoding='utf-8') as f:
        sentences = [re.findall(r"[a-z']+", line.lower()) for line in f]
    sentences = [s for s in sentences if s]
    counts = collections.Counter(w for s in sentences for w in s)
    vocab = {'<eos>': 0, '<unk>': 1}
    ids = []
    for sentence in sentences:
        for word in sentence:
            word = word if counts[word] > 1 else '<unk>'
            ids.append(vocab.setdefault(word, len(vocab)))
        ids.append(vocab['<eos>'])
    ids = np.array(ids, np.int32)
    a, b = int(len(ids) * 0.9), int(len(ids) * 0.95)
    return ids[:a], ids[a:b], ids[b:], vocab


def load_dataset(name):
    if name == 'ptb':
        try:
            train, val, test = kusari.datasets.get_ptb_words()
            return (train, val, test, kusari.datasets.get_ptb_words_vocabulary()), 'PTB'
        except OSError as e:
            print(f'PTB could not be downloaded ({e}); training on {FALLBACK_TEXT}')
    return load_text_words(FALLBACK_TEXT), 'fables'


def generate(model, vocab, device, primetext, length, rng):
    """Sample ``length`` words from the model after reading ``primetext``."""
    words = {i: w for w, i in vocab.items()}
    xp = device.xp
    model.reset_state()
    with kusari.using_config('train', False), kusari.no_backprop_mode():
        prime = [vocab.get(w, vocab.get('<unk>', 0)) for w in primetext.split()]
        for word_id in prime:
            y = model(xp.asarray([word_id], np.int32))
        out = [words[i] for i in prime]
        for _ in range(length):
            prob = cuda.to_cpu(F.softmax(y).array[0]).astype(np.float64)
            word_id = int(rng.choice(len(prob), p=prob / prob.sum()))
            out.append(words[word_id])
            y = model(xp.asarray([word_id], np.int32))
    return ' '.join(out)


def main():
    parser = argparse.ArgumentParser(description='kusari example: LSTM language model')
    parser.add_argument('--batchsize', '-b', type=int, default=20,
                        help='Number of examples in each mini-batch')
    parser.add_argument('--bproplen', '-l', type=int, default=35,
                        help='Number of words in each mini-batch '
                             '(= length of truncated BPTT)')
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='Number of sweeps over the dataset to train')
    parser.add_argument('--device', '-d', type=str, default='@numpy',
                        help='Device: @numpy, or @cupy:N for GPU N')
    parser.add_argument('--gradclip', '-c', type=float, default=5,
                        help='Gradient norm threshold to clip')
    parser.add_argument('--out', '-o', default='result',
                        help='Directory to output the result')
    parser.add_argument('--resume', '-r', type=str,
                        help='Resume the training from snapshot')
    parser.add_argument('--unit', '-u', type=int, default=200,
                        help='Number of LSTM units in each layer')
    parser.add_argument('--dataset', choices=('ptb', 'fables'), default='ptb',
                        help='ptb (falls back to the bundled text when offline) or fables')
    parser.add_argument('--primetext', default='the fox',
                        help='Words the sample generated after training starts with')
    parser.add_argument('--noplot', dest='plot', action='store_false',
                        help='Disable PlotReport extension')
    parser.add_argument('--quick', action='store_true',
                        help='Smoke run: 1 epoch of a tiny model on 1,000 words')
    args = parser.parse_args()
    if args.quick:
        args.epoch, args.unit, args.batchsize, args.bproplen = 1, 20, 10, 10

    device = kusari.get_device(args.device)
    device.use()

    # Load the Penn Tree Bank long word sequence dataset
    (train, val, test, vocab), name = load_dataset(args.dataset)
    if args.quick:
        train, val, test = train[:1000], val[:100], test[:100]
    n_vocab = max(vocab.values()) + 1  # train is just an array of integers
    print(f'# dataset: {name}, vocabulary size: {n_vocab}')
    print(f'# train data size: {len(train)}')
    print('')

    train_iter = ParallelSequentialIterator(train, args.batchsize)
    val_iter = ParallelSequentialIterator(val, 1, repeat=False)
    test_iter = ParallelSequentialIterator(test, 1, repeat=False)

    # Prepare an RNNLM model
    rnn = RNNForLM(n_vocab, args.unit)
    model = L.Classifier(rnn)
    model.compute_accuracy = False  # we only want the perplexity
    model.to_device(device)

    # Set up an optimizer
    optimizer = kusari.optimizers.SGD(lr=1.0)
    optimizer.setup(model)
    optimizer.add_hook(kusari.optimizer_hooks.GradientClipping(args.gradclip))

    # Set up a trainer
    updater = BPTTUpdater(train_iter, optimizer, args.bproplen, device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    eval_model = model.copy()  # Model with shared params and distinct states
    eval_rnn = eval_model.predictor
    trainer.extend(extensions.Evaluator(
        val_iter, eval_model, device=device,
        # Reset the RNN state at the beginning of each evaluation
        eval_hook=lambda _: eval_rnn.reset_state()))

    trainer.extend(extensions.LogReport(postprocess=compute_perplexity))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'iteration', 'perplexity', 'val_perplexity', 'elapsed_time']))
    trainer.extend(extensions.ProgressBar(update_interval=1))
    if args.plot and extensions.PlotReport.available():
        trainer.extend(extensions.PlotReport(
            ['main/loss', 'validation/main/loss'], 'epoch', filename='loss.png'))
    trainer.extend(extensions.snapshot(n_retains=1), trigger=(args.epoch, 'epoch'))
    trainer.extend(extensions.snapshot_object(model, 'model_epoch_{.updater.epoch}.npz'),
                   trigger=(args.epoch, 'epoch'))
    if args.resume is not None:
        kusari.serializers.load_npz(args.resume, trainer)

    trainer.run()

    # Evaluate the final model
    print('test')
    eval_rnn.reset_state()
    evaluator = extensions.Evaluator(test_iter, eval_model, device=device)
    result = evaluator()
    print(f"test perplexity: {np.exp(float(result['main/loss'])):.2f}")

    # Let the model write a little
    sample = generate(eval_rnn, vocab, device, args.primetext, 20, np.random.RandomState(0))
    print(f'sample: {sample}')


if __name__ == '__main__':
    main()
