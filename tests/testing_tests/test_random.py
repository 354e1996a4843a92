import random
import unittest

import numpy
import pytest

from kusari import testing
from kusari.testing import random as trandom
from tests.testing_tests._util import make_module, run_module


def test_fix_random_on_a_function_is_deterministic_and_restores_state():
    @testing.fix_random()
    def test_draw():
        return numpy.random.rand(), random.random(), testing.generate_seed()

    numpy.random.seed(1)
    before = numpy.random.get_state()[1].copy()
    a, b = test_draw(), test_draw()
    assert a == b
    numpy.random.seed(100)
    assert a[0] == numpy.random.rand()
    numpy.random.seed(1)
    test_draw()
    assert (numpy.random.get_state()[1] == before).all()


def test_nondeterministic_env(monkeypatch):
    monkeypatch.setenv("CHAINER_TEST_RANDOM_NONDETERMINISTIC", "1")

    @testing.fix_random()
    def test_draw():
        return numpy.random.rand()

    assert test_draw() != test_draw()


def test_generate_seed_outside_raises():
    with pytest.raises(RuntimeError):
        testing.generate_seed()


def test_fix_random_on_classes_and_parameterized_classes():
    mod = make_module("""
        import unittest
        import numpy
        from kusari import testing

        draws = []

        @testing.fix_random()
        class TestA(unittest.TestCase):
            def setUp(self):
                self.x = numpy.random.rand()

            def test_1(self):
                draws.append(('A', self.x, numpy.random.rand()))

            def test_2(self):
                draws.append(('A', self.x, numpy.random.rand()))

        @testing.fix_random()
        @testing.parameterize({'n': 1}, {'n': 2})
        class TestB(unittest.TestCase):
            def test_1(self):
                draws.append(('B', self.n, numpy.random.rand()))
    """)
    out = run_module(mod)
    assert out["run"] == 4 and not out["failures"], out["failures"]
    a = [d for d in mod.draws if d[0] == "A"]
    assert a[0] == a[1]
    b = [d[2] for d in mod.draws if d[0] == "B"]
    assert b[0] == b[1]
    assert trandom._nest_count == 0


class TestNesting(unittest.TestCase):
    def test_nested_setup_only_once(self):
        trandom._setup_random()
        x = numpy.random.rand()
        trandom._setup_random()
        trandom._teardown_random()
        y = numpy.random.rand()
        trandom._teardown_random()
        numpy.random.seed(100)
        assert (x, y) == (numpy.random.rand(), numpy.random.rand())
        with pytest.raises(RuntimeError):
            trandom._teardown_random()
