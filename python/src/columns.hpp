// Columns from Python (numpy arrays, lists, scalars) to a copyeta trace, one row per sample.
#pragma once

#include <copyeta/trace.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

namespace copyeta::python {

// `done` and `total` are exact as unsigned integer arrays; other arrays are read as float64
// under the input policy (a NaN total is unknown; a NaN, negative or too-large done makes the
// row rejected, with its reason). `total` is None, a scalar or an array like `t`. Throws
// ValueError when the lengths differ.
trace to_trace(std::string name, const pybind11::array_t<double, pybind11::array::forcecast>& t,
               const pybind11::object& done, const pybind11::object& total);

// The C++ trace inside a copyeta.Trace (its `_core` attribute), or a _core._Trace itself.
// Raises TypeError for anything else.
const trace& as_trace(const pybind11::handle& item);

}  // namespace copyeta::python
