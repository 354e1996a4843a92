# Until the plugin is registered for the whole suite, register its marks here: these tests
# apply the chainerx/cudnn/multi_gpu/ideep marks at run time.
from kusari.testing._pytest_plugin import MARKERS


def pytest_configure(config):
    for line in MARKERS:
        config.addinivalue_line("markers", line)
