// Python numbers and numpy arrays to copyeta amounts, under the input policy: an int is exact up
// to 2^64-1; a float is rounded, and negative, NaN, infinite or too-large values are rejected
// with their reason.
#pragma once

#include <copyeta/detail/amount.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/sample.hpp>

#include <pybind11/pybind11.h>

#include <optional>

namespace copyeta::python {

inline std::optional<amount> to_amount(const pybind11::handle& value, reject_reason& why) {
  namespace py = pybind11;
  why = reject_reason::none;
  if (py::isinstance<py::bool_>(value)) {
    why = reject_reason::malformed;
    return std::nullopt;
  }
  if (py::isinstance<py::int_>(value)) {
    // Exact: Python ints have no limit, so range is checked before narrowing.
    const py::int_ number = py::reinterpret_borrow<py::int_>(value);
    if (number < py::int_(0)) {
      why = reject_reason::amount_negative;
      return std::nullopt;
    }
    if (number > py::int_(std::numeric_limits<amount>::max())) {
      why = reject_reason::amount_too_large;
      return std::nullopt;
    }
    return number.cast<amount>();
  }
  // Anything else that is a number (numpy scalars, floats).
  const double x = py::float_(py::reinterpret_borrow<py::object>(value));
  return detail::amount_from_double(x, why);
}

}  // namespace copyeta::python
