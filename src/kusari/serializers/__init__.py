"""Serializers: save and load snapshots of links, optimizers, iterators and trainers.

Example:
    >>> from kusari import serializers
    >>> callable(serializers.save_npz) and callable(serializers.load_npz)
    True
"""

from kusari.serializers.hdf5 import HDF5Deserializer, HDF5Serializer, load_hdf5, save_hdf5
from kusari.serializers.npz import DictionarySerializer, NpzDeserializer, load_npz, save_npz
