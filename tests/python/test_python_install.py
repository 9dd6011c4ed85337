"""`pip install --no-build-isolation .` works offline, into a fresh venv that sees Debian's packages.

The install is what the README tells users to do, run by this test in a new virtual environment
(`/usr/bin/python3 -m venv --system-site-packages`): pip gets `--no-index` and none of the
caller's pip configuration, so it cannot reach any index; the build uses Debian's setuptools and
pybind11, and numpy, pandas and matplotlib must be found already satisfied by Debian's packages.
The installed package is then imported from outside the repository with no PYTHONPATH, so the
build tree cannot stand in for it. Building the extension takes a minute or two.
"""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")

pytestmark = pytest.mark.skipif(not SYSTEM_PYTHON.exists(), reason="no /usr/bin/python3")


def cmake_project_version():
    text = (REPO / "CMakeLists.txt").read_text()
    match = re.search(r"\bproject\s*\(\s*copyeta\b[^)]*?\bVERSION\s+([0-9][0-9.]*)", text)
    assert match, "CMakeLists.txt has no `project(copyeta VERSION x.y.z ...)`"
    return match.group(1)


def clean_env():
    """The caller's environment without what would let the build tree or an index leak in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PIP_") and k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_CONFIG_FILE"] = os.devnull  # no pip.conf: no find-links, no index of any kind
    env["PYTHONNOUSERSITE"] = "1"        # nor ~/.local
    return env


def build_artifacts():
    """What a setuptools build would leave in the source tree."""
    patterns = ["*.egg-info", "python/*.egg-info", "python/copyeta/*.so", "dist",
                "build/lib.*", "build/temp.*", "build/bdist.*"]
    return {p for pattern in patterns for p in REPO.glob(pattern)}


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh venv with copyeta installed by pip from this repository; (venv, pip's output)."""
    root = tmp_path_factory.mktemp("install")
    venv = root / "venv"
    env = clean_env()
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, env=env, cwd=root)
    before = build_artifacts()
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index",
         "--no-cache-dir", "--disable-pip-version-check", str(REPO)],
        env=env, cwd=root, capture_output=True, text=True, timeout=1800)
    assert pip.returncode == 0, f"pip install failed:\n{pip.stdout}\n{pip.stderr}"
    assert build_artifacts() == before, "the build left files in the source tree"
    return venv, pip.stdout


def run_in_venv(venv, code):
    """Runs `code` with the venv's python, outside the repository; returns what it prints as JSON."""
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], env=clean_env(),
                         cwd=venv.parent, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def site_packages(venv):
    return Path(run_in_venv(venv, "import json, sysconfig; print(json.dumps(sysconfig.get_path('platlib')))"))


def test_dependencies_come_from_debian(venv):
    _, log = venv
    for name in ("numpy", "pandas", "matplotlib"):
        assert re.search(rf"Requirement already satisfied: {name}\b.* in /usr/lib/python3/dist-packages",
                         log), log


def test_installed_files(venv):
    venv, _ = venv
    package = site_packages(venv) / "copyeta"
    assert list(package.glob("_core*.so")), sorted(package.iterdir())
    sources = REPO / "python" / "copyeta"
    for path in [*sources.glob("*.py"), *sources.glob("*.pyi"), sources / "py.typed"]:
        assert (package / path.name).is_file(), f"{path.name} is not installed"


def test_installed_core_replays(venv):
    """The extension module alone (loaded from its installed file, whatever the .py files do)."""
    venv, _ = venv
    package = site_packages(venv) / "copyeta"
    (core,) = package.glob("_core*.so")
    result = run_in_venv(venv, f"""
import importlib.util, json
import numpy as np
spec = importlib.util.spec_from_file_location("copyeta._core", {str(core)!r})
core = importlib.util.module_from_spec(spec)
spec.loader.exec_module(core)
t = np.arange(10.0)
r = core.replay(t, (t * 100).astype(np.uint64), 1000)
print(json.dumps({{"version": core.__version__, "file": core.__file__,
                   "state": core.state_names()[int(r["state"][-1])],
                   "remaining": float(r["remaining"][-1]), "lo": float(r["lo"][-1]),
                   "hi": float(r["hi"][-1]), "rows": len(r["t"])}}))
""")
    assert result["version"] == cmake_project_version()
    assert Path(result["file"]) == core
    assert result["rows"] == 10
    # 100 bytes/s and 100 bytes to go at the last row: about a second left.
    assert result["state"] == "ok"
    assert result["lo"] <= result["remaining"] <= result["hi"]
    assert 0.5 < result["remaining"] < 2.0


def test_installed_package_imports(venv):
    """`import copyeta` in the venv finds the installed package, not the build tree."""
    venv, _ = venv
    result = run_in_venv(venv, """
import json, copyeta, copyeta._core
print(json.dumps({"file": copyeta.__file__, "core": copyeta._core.__file__,
                  "version": copyeta.__version__}))
""")
    package = site_packages(venv) / "copyeta"
    assert Path(result["file"]).parent == package
    assert Path(result["core"]).parent == package
    assert result["version"] == cmake_project_version()
