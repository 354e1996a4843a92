"""Trainer extensions: logging, reporting, snapshots, schedules and diagnostics."""

from kusari.training.extensions.log_report import LogReport
from kusari.training.extensions.print_report import PrintReport
