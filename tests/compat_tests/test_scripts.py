"""Chainer scripts run unmodified through ``python -m kusari.compat`` print what the
reference Chainer 7.8.1 printed (recorded in ``scripts/<name>.json`` by
``record_chainer_outputs.py``): text exactly, integers exactly, floats within the recorded
float32-rounding tolerance (or the last printed digit for short-printed numbers)."""

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SCRIPTS = HERE / "scripts"
SRC = HERE.parents[1] / "src"
RECORDS = sorted(SCRIPTS.glob("*.json"))

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")


def _last_digit_unit(token):
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def compare_line(expected, actual, rtol, atol):
    """None when ``actual`` matches ``expected``, else a description of the mismatch."""
    exp_text, act_text = _NUMBER.split(expected), _NUMBER.split(actual)
    exp_nums, act_nums = _NUMBER.findall(expected), _NUMBER.findall(actual)
    if exp_text != act_text or len(exp_nums) != len(act_nums):
        return "text differs"
    for e, a in zip(exp_nums, act_nums):
        if e == a:
            continue
        if re.fullmatch(r"[-+]?\d+", e) and re.fullmatch(r"[-+]?\d+", a):
            return f"integer {a} != {e}"
        ev, av = float(e), float(a)
        tol = max(atol + rtol * abs(ev), 1.01 * _last_digit_unit(e))
        if not abs(av - ev) <= tol:
            return f"{a} != {e} (tolerance {tol:.3g})"
    return None


def test_compare_line():
    assert compare_line("loss 0.5 n 3", "loss 0.5000001 n 3", 1e-5, 0) is None
    assert compare_line("loss 0.5000000 n 3", "loss 0.5001 n 3", 1e-5, 0) is not None
    assert compare_line("n 3", "n 4", 1, 1) == "integer 4 != 3"
    assert compare_line("acc 0.123456", "acc 0.123457", 1e-7, 0) is None  # last digit
    assert compare_line("acc 0.123456", "acc 0.123458", 1e-7, 0) is not None
    assert compare_line("loss 1", "error 1", 1, 1) == "text differs"
    assert compare_line("[1, 2]", "[1, 2, 3]", 1, 1) == "text differs"


def test_recordings_exist():
    names = {p.stem for p in RECORDS}
    assert names == {p.stem for p in SCRIPTS.glob("*.py")}
    for path in RECORDS:
        record = json.loads(path.read_text())
        assert record["chainer"] == "7.8.1" and record["stdout"]


@pytest.mark.parametrize("record_path", RECORDS, ids=[p.stem for p in RECORDS])
def test_script_prints_what_chainer_printed(record_path, tmp_path):
    record = json.loads(record_path.read_text())
    env = dict(os.environ, PYTHONPATH=str(SRC))
    out = subprocess.run(
        [sys.executable, "-m", "kusari.compat", str(SCRIPTS / record["script"]),
         *record["args"]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    actual = out.stdout.splitlines()
    expected = record["stdout"]
    assert len(actual) == len(expected), "\n".join(actual)
    problems = []
    for i, (e, a) in enumerate(zip(expected, actual)):
        why = compare_line(e, a, record["rtol"], record["atol"])
        if why is not None:
            problems.append(f"line {i + 1}: {why}\n  chainer: {e}\n  kusari:  {a}")
    assert not problems, "\n".join(problems)
