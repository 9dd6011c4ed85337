"""Builds the Python package copyeta with setuptools and pybind11's setup helpers.

    /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation --no-index .

The same sources as the CMake build (python/CMakeLists.txt): the extension module copyeta._core
is python/src/*.cpp plus the compiled library, src/copyeta.cpp (which includes every *-inl.hpp),
in C++17 against Eigen, nlohmann-json and fmt. The shipped calibration header is generated the
way CMakeLists.txt's configure_file() does it, and the version is read from CMakeLists.txt's
project() line: CMake stays the one source of truth for both.

Nothing lands in the source tree. pip (21.3 and later) builds in place, so setuptools' build/
directory (which is CMake's build directory here) and copyeta.egg-info would; they go to a
temporary directory instead, removed when the build ends. `--build-base` on the command line
still wins. NPY_NUM_BUILD_JOBS sets the number of parallel compiles (default: one per CPU).
"""

import atexit
import glob
import os
import re
import shutil
import tempfile

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension, build_ext
from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)  # the paths below are relative to the source tree, as setuptools wants


def rel(*parts):
    """A path relative to this directory, as setuptools wants for sources."""
    return os.path.join(*parts)


def cmake_project_version():
    """x.y.z from `project(copyeta VERSION x.y.z ...)` in CMakeLists.txt."""
    with open(os.path.join(HERE, "CMakeLists.txt"), encoding="utf-8") as f:
        text = f.read()
    match = re.search(r"\bproject\s*\(\s*copyeta\b[^)]*?\bVERSION\s+([0-9][0-9.]*)", text,
                      re.IGNORECASE)
    if not match:
        raise RuntimeError("CMakeLists.txt: no `project(copyeta VERSION x.y.z ...)`")
    return match.group(1)


# What CMakeLists.txt's configure_file() substitutes in the calibration header.
CALIBRATION_TEMPLATE = rel("src", "calibration", "default_calibration.hpp.in")
CALIBRATION_JSON = rel("src", "calibration", "default_calibration.json")
CALIBRATION_HEADER = os.path.join("copyeta", "detail", "default_calibration.hpp")


def configure_file(template, output, variables):
    """CMake's configure_file(... @ONLY): replaces each @VAR@ in one pass over the template.

    CMake would quietly put an empty string for a variable it does not know; here an unknown
    @VAR@ (or a #cmakedefine, which @ONLY does not turn off) is an error, so that the template
    and this script cannot drift apart unnoticed.
    """
    with open(template, encoding="utf-8", newline="") as f:
        text = f.read()
    if re.search(r"^\s*#\s*cmakedefine", text, re.MULTILINE):
        raise RuntimeError(f"{template}: #cmakedefine is not supported by setup.py")

    def substitute(match):
        name = match.group(1)
        if name not in variables:
            raise RuntimeError(f"{template}: setup.py does not know @{name}@")
        return variables[name]

    text = re.sub(r"@([A-Za-z_][A-Za-z_0-9]*)@", substitute, text)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, "w", encoding="utf-8", newline="") as f:
        f.write(text)


class copyeta_build_ext(build_ext):
    """pybind11's build_ext, which first generates the calibration header in build_temp."""

    def build_extensions(self):
        generated = os.path.join(os.path.abspath(self.build_temp), "generated", "include")
        with open(CALIBRATION_JSON, encoding="utf-8", newline="") as f:
            calibration = f.read()
        configure_file(CALIBRATION_TEMPLATE, os.path.join(generated, CALIBRATION_HEADER),
                       {"COPYETA_DEFAULT_CALIBRATION": calibration})
        for ext in self.extensions:
            if generated not in ext.include_dirs:
                ext.include_dirs.append(generated)
        super().build_extensions()


# Every header and the calibration: a change to any of them rebuilds the module when the build
# directory is kept (--build-base); distutils only compares the sources otherwise.
DEPENDS = sorted(
    glob.glob(rel("include", "copyeta", "**", "*.hpp"), recursive=True)
    + glob.glob(rel("python", "src", "*.hpp"))
    + [CALIBRATION_TEMPLATE, CALIBRATION_JSON])

core = Pybind11Extension(
    "copyeta._core",
    sources=sorted(glob.glob(rel("python", "src", "*.cpp"))) + [rel("src", "copyeta.cpp")],
    include_dirs=[rel("include"), "/usr/include/eigen3"],
    libraries=["fmt"],
    depends=DEPENDS,
    cxx_std=17,
)

# pip builds in the source tree: keep setuptools' build/ and copyeta.egg-info out of it.
scratch = tempfile.mkdtemp(prefix="copyeta-setup-")
atexit.register(shutil.rmtree, scratch, ignore_errors=True)

# The library TU is large: compile the sources side by side.
ParallelCompile("NPY_NUM_BUILD_JOBS").install()

setup(
    version=cmake_project_version(),
    packages=["copyeta"],
    package_dir={"copyeta": rel("python", "copyeta")},
    package_data={"copyeta": ["py.typed", "*.pyi"]},
    ext_modules=[core],
    cmdclass={"build_ext": copyeta_build_ext},
    zip_safe=False,
    options={
        "build": {"build_base": os.path.join(scratch, "build")},
        "egg_info": {"egg_base": scratch},
    },
)
