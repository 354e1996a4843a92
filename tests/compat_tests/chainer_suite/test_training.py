import unittest
import warnings

import numpy

import chainer
from chainer import testing
from chainer import training
from chainer.testing import training as testing_training


class TestIntervalTrigger(unittest.TestCase):

    def test_trigger_calls(self):
        trainer = testing.get_trainer_with_mock_updater(
            stop_trigger=(3, 'epoch'), iter_per_epoch=4)
        calls = []

        @training.make_extension(trigger=(2, 'iteration'))
        def record(trainer):
            calls.append(trainer.updater.iteration)

        trainer.extend(record)
        trainer.run()
        assert calls == [2, 4, 6, 8, 10, 12]
        assert testing_training.get_trainer_with_mock_updater is \
            testing.get_trainer_with_mock_updater


class TestWarnings(unittest.TestCase):

    def test_assert_warns(self):
        with testing.assert_warns(DeprecationWarning):
            warnings.warn('old', DeprecationWarning, stacklevel=2)


class TestPatch(unittest.TestCase):

    def test_patch_counts_calls(self):
        with testing.patch('chainer.functions.relu') as relu:
            chainer.functions.relu(numpy.zeros(1, numpy.float32))
        assert relu.call_count == 1


@testing.parameterize(
    {'reporter_name': 'main'},
    {'reporter_name': 'other'},
)
class TestReport(unittest.TestCase):

    def test_report(self):
        reporter = chainer.Reporter()
        observer = object()
        reporter.add_observer(self.reporter_name, observer)
        observation = {}
        with reporter.scope(observation):
            chainer.report({'x': 1.0}, observer)
        assert observation == {self.reporter_name + '/x': 1.0}


testing.run_module(__name__, __file__)
