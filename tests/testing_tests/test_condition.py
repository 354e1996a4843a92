import unittest

import pytest

from kusari.testing import condition
from tests.testing_tests._util import make_module, run_module


def _counting(outcomes):
    """A test function failing or passing per ``outcomes`` (True = pass), in order."""
    calls = []

    def f():
        ok = outcomes[len(calls)]
        calls.append(ok)
        assert ok, f"trial {len(calls)} failed"

    return f, calls


@pytest.mark.parametrize("outcomes, times, min_success, passes, n_calls", [
    ([True] * 5, 5, 5, True, 5),
    ([True, True, False], 3, 3, False, 3),
    ([False, True], 3, 3, False, 1),       # repeat stops at the first failure
    ([False, False, True], 3, 1, True, 3),
    ([False, False, False], 3, 1, False, 3),
    ([True], 3, 1, True, 1),               # retry stops at the first success
    ([True, False, True], 3, 2, True, 3),
    ([False, False], 4, 3, False, 2),      # two failures make 3 of 4 impossible
])
def test_counts(outcomes, times, min_success, passes, n_calls):
    f, calls = _counting(outcomes)
    g = condition.repeat_with_success_at_least(times, min_success)(f)
    if passes:
        g()
    else:
        with pytest.raises(AssertionError, match="Fail: .*Success"):
            g()
    assert len(calls) == n_calls


def test_repeat_and_retry_aliases():
    f, calls = _counting([True] * 3)
    condition.repeat(3)(f)()
    assert len(calls) == 3
    f, calls = _counting([False, True])
    condition.retry(2)(f)()
    assert len(calls) == 2


def test_first_error_is_in_the_message():
    f, _ = _counting([False, False])
    with pytest.raises(AssertionError, match="The first error message:(.|\n)*trial 1 failed"):
        condition.retry(2)(f)()


def test_invalid_arguments():
    with pytest.raises(ValueError):
        condition.repeat_with_success_at_least(1, 2)


def test_unittest_trials_use_fresh_instances_with_setup_and_teardown():
    mod = make_module("""
        import unittest
        from kusari.testing import condition

        log = []

        class TestFlaky(unittest.TestCase):
            def setUp(self):
                log.append(('setUp', id(self)))
                self.value = len([e for e in log if e[0] == 'setUp'])

            def tearDown(self):
                log.append(('tearDown', id(self)))

            @condition.retry(5)
            def test_third_time_lucky(self):
                # setUp ran once for the runner's instance, then once per trial
                assert self.value >= 4

            @condition.repeat(3)
            def test_skip(self):
                raise unittest.SkipTest('skipped inside')
    """)
    out = run_module(mod)
    assert out["run"] == 2 and not out["failures"], out["failures"]
    assert [s[1] for s in out["skipped"]] == ["skipped inside"]
    setups = [e for e in mod.log if e[0] == "setUp"]
    teardowns = [e for e in mod.log if e[0] == "tearDown"]
    assert len(setups) == len(teardowns)


def test_pytest_skip_inside_a_trial_skips():
    def f():
        pytest.skip("no")

    with pytest.raises(unittest.SkipTest):
        condition.retry(3)(f)()
