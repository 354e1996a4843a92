"""Iterators over datasets: serial, multithread and multiprocess, and order samplers.

Example:
    >>> from kusari import iterators
    >>> it = iterators.SerialIterator([1, 2, 3], 3, shuffle=False)
    >>> it.next()
    [1, 2, 3]
"""

from kusari.iterators.multiprocess_iterator import MultiprocessIterator
from kusari.iterators.multithread_iterator import MultithreadIterator
from kusari.iterators.order_samplers import OrderSampler, ShuffleOrderSampler
from kusari.iterators.serial_iterator import SerialIterator
