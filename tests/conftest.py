"""kusari's own test suite loads the testing plugin: ``--device=@cupy:0`` runs the
device-parameterized tests on a GPU (skipped cleanly without CuPy or a GPU), and the
marks ``gpu``, ``cudnn``, ``slow`` are registered.
"""

pytest_plugins = ["kusari.testing._pytest_plugin"]
