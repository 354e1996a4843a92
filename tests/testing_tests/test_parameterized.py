import sys
import unittest

import pytest

from kusari import testing
from tests.testing_tests._util import collected_classes, make_module, run_module


def test_product_of_dict_is_sorted_by_key_and_supports_tuples():
    assert testing.product({"b": [1, 2], "a": ["x"]}) == [
        {"a": "x", "b": 1}, {"a": "x", "b": 2}]
    assert testing.product({"x,y": [(1, 2), (3, 4)], "z": [0]}) == [
        {"x": 1, "y": 2, "z": 0}, {"x": 3, "y": 4, "z": 0}]


def test_product_of_lists_and_product_dict_merge_dicts():
    parts = [[{"a": 1}, {"a": 2}], [{"b": 3, "c": 4}]]
    assert testing.product(parts) == [{"a": 1, "b": 3, "c": 4}, {"a": 2, "b": 3, "c": 4}]
    assert testing.product_dict(*parts) == testing.product(parts)
    assert testing.product_dict() == [{}]


def test_product_rejects_other_types():
    with pytest.raises(TypeError):
        testing.product((1, 2))
    with pytest.raises(TypeError):
        testing.product([[1]])


def test_pytest_style_parameters():
    assert testing.from_pytest_parameterize("a,b", [(1, 2), (3, 4)]) == [
        {"a": 1, "b": 2}, {"a": 3, "b": 4}]
    assert testing.from_pytest_parameterize("a", [1, 2]) == [{"a": 1}, {"a": 2}]
    with pytest.raises(ValueError):
        testing.from_pytest_parameterize("a,b", [(1,)])


def test_parameterize_makes_one_class_per_dict_and_hides_the_base():
    mod = make_module("""
        import unittest
        from kusari import testing

        @testing.parameterize({'n': 1, 'name': 'one'}, {'n': 2, 'name': 'two'})
        class TestN(unittest.TestCase):
            def test_n(self):
                assert self.n in (1, 2)
    """)
    classes = collected_classes(mod)
    assert [c.__name__ for c in classes] == [
        "TestN_param_0_{n=1, name='one'}", "TestN_param_1_{n=2, name='two'}"]
    assert mod.TestN.__test__ is False
    assert [c.n for c in classes] == [1, 2]
    assert all(issubclass(c, mod.TestN) for c in classes)
    out = run_module(mod)
    assert out["run"] == 2 and not out["failures"]


def test_function_parameters_are_not_bound_as_methods():
    mod = make_module("""
        import unittest
        from kusari import testing

        def double(x):
            return 2 * x

        @testing.parameterize({'f': double, 'g': abs})
        class TestF(unittest.TestCase):
            def test_call(self):
                assert self.f(3) == 6 and self.g(-1) == 1
    """)
    (cls,) = collected_classes(mod)
    assert cls.__name__ == "TestF_param_0_{f=double, g=abs}"
    out = run_module(mod)
    assert out["run"] == 1 and not out["failures"], out["failures"]


def test_stacked_parameterize_makes_the_product():
    mod = make_module("""
        import unittest
        from kusari import testing

        seen = []

        @testing.parameterize({'a': 1}, {'a': 2})
        @testing.parameterize({'b': 10}, {'b': 20}, {'b': 30})
        class TestAB(unittest.TestCase):
            def test_ab(self):
                seen.append((self.a, self.b))
    """)
    assert len(collected_classes(mod)) == 6
    out = run_module(mod)
    assert out["run"] == 6 and not out["failures"]
    assert sorted(mod.seen) == [(a, b) for a in (1, 2) for b in (10, 20, 30)]


def test_failure_message_names_the_parameters():
    mod = make_module("""
        import unittest
        from kusari import testing

        @testing.parameterize({'value': 41})
        class TestFail(unittest.TestCase):
            def test_value(self):
                self.assertEqual(self.value, 42)
    """)
    out = run_module(mod)
    assert len(out["failures"]) == 1
    text = out["failures"][0][1]
    assert "AssertionError" in text and "41 != 42" in text
    if sys.version_info >= (3, 11):  # exception notes
        assert "Parameterized test failed" in text and "value: 41" in text
    assert "parameter: {'value': 41}" in str(out["failures"][0][0])


def test_skips_pass_through():
    mod = make_module("""
        import unittest
        from kusari import testing

        @testing.parameterize({'x': 1})
        class TestSkip(unittest.TestCase):
            def test_skip(self):
                raise unittest.SkipTest('not today')
    """)
    out = run_module(mod)
    assert out["run"] == 1 and not out["failures"] and out["skipped"][0][1] == "not today"


def test_parameterize_pytest_and_plain_classes():
    mod = make_module("""
        from kusari import testing

        @testing.parameterize_pytest('a,b', [(1, 2), (3, 4)])
        class TestPlain:
            def test_sum(self):
                assert self.b - self.a == 1
    """)
    gen = [v for k, v in vars(mod).items() if k.startswith("TestPlain_param")]
    assert sorted((c.a, c.b) for c in gen) == [(1, 2), (3, 4)]
    for c in gen:
        c().test_sum()


def test_parameterize_rejects_non_dicts():
    with pytest.raises(TypeError):
        testing.parameterize([{"a": 1}])


class TestExistingSubclassStillWorks(unittest.TestCase):
    def test_param_attribute(self):
        mod = make_module("""
            import unittest
            from kusari import testing

            @testing.parameterize({'k': 'v'})
            class TestK(unittest.TestCase):
                def test_k(self):
                    pass
        """)
        (cls,) = collected_classes(mod)
        self.assertEqual(cls._param, {"k": "v"})
