"""Trainer extensions: logging, reporting, snapshots, schedules and diagnostics."""

from kusari.training.extensions import snapshot_writers
from kusari.training.extensions._snapshot import snapshot, snapshot_object
from kusari.training.extensions.log_report import LogReport
from kusari.training.extensions.print_report import PrintReport
