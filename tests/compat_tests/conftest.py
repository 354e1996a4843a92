# chainer_suite/ and scripts/ are Chainer code run unmodified in subprocesses (through
# kusari.compat) by the tests here; pytest must not collect them into the main run.
from kusari.testing._pytest_plugin import MARKERS

collect_ignore = ["chainer_suite", "scripts"]


def pytest_configure(config):
    for line in MARKERS:
        config.addinivalue_line("markers", line)
