# chainer_suite/, scripts/ and the record_*.py scripts are Chainer code: the tests here run
# them unmodified in subprocesses (through kusari.compat, or the reference Chainer for the
# record_*.py ones); pytest must not collect them into the main run.
from kusari.testing._pytest_plugin import MARKERS

collect_ignore = ["chainer_suite", "scripts", "record_chainer_outputs.py",
                  "record_chainer_snapshot.py"]


def pytest_configure(config):
    for line in MARKERS:
        config.addinivalue_line("markers", line)
