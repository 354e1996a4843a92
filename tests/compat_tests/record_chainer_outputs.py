"""Record what the reference Chainer prints for each script in scripts/ (run by hand).

    SETUPTOOLS_USE_DISTUTILS=stdlib /path/to/chainer-venv/bin/python \\
        tests/compat_tests/record_chainer_outputs.py

writes scripts/<name>.json: the command-line arguments, the tolerances the comparison
uses, the versions, and the printed lines. Each script runs in a fresh temporary
directory, as the test runs it on kusari.
"""

import json
import pathlib
import subprocess
import sys
import tempfile

SCRIPTS = pathlib.Path(__file__).resolve().parent / "scripts"

# rtol: float32 rounding (a few ulps) amplified by the training steps where there are any
RUNS = {
    "custom_function_node.py": {"args": [], "rtol": 1e-6, "atol": 1e-7},
    "custom_updater_extension.py": {"args": [], "rtol": 1e-5, "atol": 1e-6},
    "mlp_classifier.py": {"args": ["--epoch", "5", "--out", "result"],
                          "rtol": 1e-5, "atol": 1e-6},
    "snapshot_resume.py": {"args": ["result"], "rtol": 1e-5, "atol": 1e-6},
}


def main():
    import chainer
    import numpy

    for name, run in RUNS.items():
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run([sys.executable, "-W", "ignore", str(SCRIPTS / name),
                                  *run["args"]], cwd=tmp, capture_output=True, text=True,
                                 check=True)
        record = dict(run, script=name, chainer=chainer.__version__,
                      numpy=numpy.__version__, stdout=out.stdout.splitlines())
        path = SCRIPTS / (pathlib.Path(name).stem + ".json")
        path.write_text(json.dumps(record, indent=1) + "\n")
        print("recorded", path.name, len(record["stdout"]), "lines")


if __name__ == "__main__":
    main()
