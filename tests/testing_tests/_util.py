"""Helpers: run test classes defined in a throwaway module, outside pytest's collection."""

import itertools
import sys
import textwrap
import types
import unittest

_counter = itertools.count()


def make_module(*sources):
    """Execute the (each dedented) ``sources`` as a fresh module and return it."""
    source = "\n".join(textwrap.dedent(s) for s in sources)
    name = f"_kusari_testing_tmp_{next(_counter)}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(textwrap.dedent(source), name, "exec"), module.__dict__)
    return module


def collected_classes(module):
    """The unittest classes pytest would collect from ``module`` (``__test__`` honoured)."""
    return sorted(
        (v for v in vars(module).values()
         if isinstance(v, type) and issubclass(v, unittest.TestCase)
         and getattr(v, "__test__", True) and v.__module__ == module.__name__),
        key=lambda c: c.__name__)


def run_class(cls):
    """Run every test of ``cls``; return the ``unittest.TestResult``."""
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(cls)
    result = unittest.TestResult()
    suite.run(result)
    return result


def run_module(module):
    results = [run_class(c) for c in collected_classes(module)]
    return {
        "run": sum(r.testsRun for r in results),
        "failures": [f for r in results for f in r.failures + r.errors],
        "skipped": [s for r in results for s in r.skipped],
    }
