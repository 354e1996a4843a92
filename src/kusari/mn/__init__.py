"""kusari.mn: data-parallel training over MPI, with ChainerMN's API.

Run one process per worker with ``mpiexec -n N python -m mpi4py train.py``. Each process
builds the same model, wraps its optimizer with :func:`create_multi_node_optimizer`,
trains on its shard from :func:`scatter_dataset`, and evaluates with an evaluator
patched by :func:`create_multi_node_evaluator`::

    comm = kusari.mn.create_communicator('flat')       # 'naive'/'flat' on CPUs
    train = kusari.mn.scatter_dataset(train, comm, shuffle=True)
    optimizer = kusari.mn.create_multi_node_optimizer(optimizers.Adam(), comm)

mpi4py is needed only when a communicator is created (the ``mpi`` extra:
``pip install 'kusari[mpi]'``). ``import chainermn`` gives this module under
:mod:`kusari.compat`.

Example:
    >>> import kusari.mn
    >>> callable(kusari.mn.create_communicator)
    True
"""

from kusari.mn import (
    communicators,
    datasets,
    extensions,
    functions,
    global_except_hook,
    links,
    optimizers,
)
from kusari.mn.communicators import CommunicatorBase, create_communicator
from kusari.mn.datasets import DataSizeError, scatter_dataset, scatter_index
from kusari.mn.extensions import create_multi_node_evaluator
from kusari.mn.optimizers import create_multi_node_optimizer

global_except_hook._add_hook_if_enabled()

__version__ = "0.1.0"

__all__ = [
    "CommunicatorBase", "DataSizeError", "communicators", "create_communicator",
    "create_multi_node_evaluator", "create_multi_node_optimizer", "datasets", "extensions",
    "functions", "global_except_hook", "links", "optimizers", "scatter_dataset",
    "scatter_index",
]
