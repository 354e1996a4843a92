#!/usr/bin/env python
"""Data-parallel training of a multi-layer perceptron over MPI (ChainerMN's MNIST example).

Each process trains on its shard of scikit-learn's 8x8 digits (or synthetic data when
scikit-learn is missing); gradients are averaged over the processes before each update,
so 2 processes with batches of 50 take the steps of one process with batches of 100.
The test set is sharded too and the multi-node evaluator reports the exact global mean.
Only rank 0 prints.

    mpiexec -n 2 python -m mpi4py examples/distributed/train_mlp.py
    mpiexec -n 2 python -m mpi4py examples/distributed/train_mlp.py --quick

(as root, add ``--allow-run-as-root``; with more processes than cores, ``--oversubscribe``)
"""
import argparse

import numpy

import kusari
import kusari.functions as F
import kusari.links as L
import kusari.mn
from kusari import training
from kusari.training import extensions


class MLP(kusari.Chain):
    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)  # input size inferred on the first forward
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def load_dataset():
    """``(train, test)``: the 8x8 digits, or separable synthetic data without scikit-learn."""
    try:
        return kusari.datasets.get_digits(), 'digits'
    except ImportError:
        rng = numpy.random.RandomState(0)
        centers = rng.randn(10, 64).astype(numpy.float32) * 2
        labels = rng.randint(0, 10, 1800).astype(numpy.int32)
        x = centers[labels] + rng.randn(1800, 64).astype(numpy.float32)
        data = kusari.datasets.TupleDataset(x, labels)
        return kusari.datasets.split_dataset(data, 1440), 'synthetic'


def main():
    parser = argparse.ArgumentParser(description='kusari.mn example: data-parallel MLP')
    parser.add_argument('--batchsize', '-b', type=int, default=50,
                        help='Mini-batch size of each process')
    parser.add_argument('--communicator', default='flat',
                        help="'naive' or 'flat' on CPUs, 'pure_nccl' on GPUs")
    parser.add_argument('--epoch', '-e', type=int, default=10)
    parser.add_argument('--unit', '-u', type=int, default=200)
    parser.add_argument('--out', '-o', default='result_distributed')
    parser.add_argument('--quick', action='store_true', help='2 epochs of a small network')
    args = parser.parse_args()
    if args.quick:
        args.epoch, args.unit = 2, 50

    comm = kusari.mn.create_communicator(args.communicator)
    if args.communicator == 'pure_nccl':
        device = kusari.get_device(f'@cupy:{comm.intra_rank}')  # one GPU per process
    else:
        device = kusari.get_device('@numpy')
    device.use()

    if comm.rank == 0:
        print(f'Processes: {comm.size} on {comm.inter_size} host(s)')
        print(f'# unit: {args.unit}, # minibatch per process: {args.batchsize}, '
              f'# epoch: {args.epoch}')

    numpy.random.seed(0)
    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)
    optimizer = kusari.mn.create_multi_node_optimizer(kusari.optimizers.Adam(), comm)
    optimizer.setup(model)

    # rank 0 loads the data; every process gets its shard (equal lengths for training)
    if comm.rank == 0:
        (train, test), name = load_dataset()
        print(f'# dataset: {name} ({len(train)} training, {len(test)} test examples)')
    else:
        train, test = None, None
    train = kusari.mn.scatter_dataset(train, comm, shuffle=True, seed=0)
    test = kusari.mn.scatter_dataset(test, comm, force_equal_length=False)

    train_iter = kusari.iterators.SerialIterator(train, args.batchsize)
    test_iter = kusari.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                                shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    # every process evaluates its shard; the means are combined over all of them
    evaluator = extensions.Evaluator(test_iter, model, device=device)
    trainer.extend(kusari.mn.create_multi_node_evaluator(evaluator, comm))

    # snapshots written by rank 0 only, resumable by all
    trainer.extend(kusari.mn.extensions.multi_node_snapshot(
        comm, extensions.snapshot(n_retains=1, autoload=True)), trigger=(args.epoch, 'epoch'))

    if comm.rank == 0:
        trainer.extend(extensions.LogReport())
        trainer.extend(extensions.PrintReport(
            ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
             'validation/main/accuracy', 'elapsed_time']))

    trainer.run()


if __name__ == '__main__':
    main()
