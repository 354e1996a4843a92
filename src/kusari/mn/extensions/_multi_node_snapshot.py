"""multi_node_snapshot: snapshots written by one process per replica set."""

from __future__ import annotations

import io
from typing import Any

from kusari.serializers import load_npz, save_npz
from kusari.training.extension import Extension


def _parse_replica_sets(replica_sets: Any, size: int) -> list[set]:
    """Disjoint sets of ranks covering ``range(size)``; the ranks not named form one more set.

    Raises:
        ValueError: A rank is out of range or in two sets.
    """
    sets: list[set] = []
    for rs in replica_sets:
        s = {rs} if isinstance(rs, int) else set(rs)
        for r in s:
            if not 0 <= r < size:
                raise ValueError(f"multi_node_snapshot: rank {r} is not in [0, {size})")
        sets.append(s)
    seen: set = set()
    for s in sets:
        if seen & s:
            raise ValueError(f"multi_node_snapshot: ranks {sorted(seen & s)} are in two "
                             "replica sets")
        seen |= s
    rest = set(range(size)) - seen
    if rest:
        sets.append(rest)
    return sets


def _has_snapshot(snapshot: Any, outdir: str) -> bool:
    from kusari.training.extensions import _snapshot as snapshot_module

    return bool(snapshot_module._snapshot_files(snapshot.filename, outdir))


class _MultiNodeSnapshot(Extension):
    def __init__(self, comm: Any, snapshot: Any, replica_sets: Any) -> None:
        self.comm = comm
        self.snapshot = snapshot
        rank = comm.rank
        if callable(snapshot.filename):
            inner = snapshot.filename
            snapshot.filename = lambda trainer: f"{inner(trainer)}.{rank}"
        else:
            snapshot.filename = f"{snapshot.filename}.{rank}"
        self.trigger = getattr(snapshot, "trigger", (1, "epoch"))
        self.priority = getattr(snapshot, "priority", Extension.priority)
        for s in _parse_replica_sets(replica_sets, comm.size):
            if rank in s:
                self.replica_set = s
                self.master = min(s)

    @property
    def autoload(self) -> bool:
        """The wrapped snapshot's ``autoload``: the trainer initializes resuming
        snapshots before the other extensions."""
        return getattr(self.snapshot, "autoload", False)

    @property
    def is_master(self) -> bool:
        """Whether this process writes the snapshots of its replica set."""
        return self.master == self.comm.rank

    def initialize(self, trainer: Any) -> None:
        """Master: autoload as the snapshot does; then send the state to the replicas."""
        if self.is_master:
            self.snapshot.initialize(trainer)
        if not getattr(self.snapshot, "autoload", False):
            return
        target = trainer if self.snapshot._target is None else self.snapshot._target
        if self.is_master:
            data = None
            if not callable(self.snapshot.filename) and \
                    _has_snapshot(self.snapshot, trainer.out):
                buf = io.BytesIO()
                save_npz(buf, target)
                data = buf.getvalue()
            for r in sorted(self.replica_set - {self.comm.rank}):
                self.comm.send_obj(data, dest=r)
        else:
            data = self.comm.recv_obj(source=self.master)
            if data is not None:
                load_npz(io.BytesIO(data), target)

    def __call__(self, trainer: Any) -> None:
        if self.is_master:
            self.snapshot(trainer)

    def on_error(self, trainer: Any, exc: BaseException, tb: Any) -> None:
        if self.is_master:
            self.snapshot.on_error(trainer, exc, tb)

    def finalize(self) -> None:
        if self.is_master:
            self.snapshot.finalize()


def multi_node_snapshot(comm: Any, snapshot: Any, replica_sets: Any = ()) -> Extension:
    """Wrap a :func:`~kusari.training.extensions.snapshot` for a multi-process job.

    Processes are grouped into *replica sets* whose members hold the same state; only the
    lowest rank of each set (its master) writes, to ``<filename>.<rank>``. With
    ``autoload``, each master loads its newest snapshot and sends the state to the other
    members of its set. The default (no sets named) is one set of all processes: only
    rank 0 writes. ``replica_sets=[0]`` makes rank 0 (which, say, alone has LogReport)
    one set and the other ranks another.

    Args:
        comm: A kusari.mn communicator.
        snapshot: The snapshot extension to wrap (its filename gets ``.<rank>`` appended).
        replica_sets: Iterable of ranks or iterables of ranks.

    Returns:
        The extension to register, on every process, with the snapshot's trigger.

    Example:
        >>> from kusari.mn.extensions._multi_node_snapshot import _parse_replica_sets
        >>> _parse_replica_sets([0], 4)
        [{0}, {1, 2, 3}]
    """
    return _MultiNodeSnapshot(comm, snapshot, replica_sets)
