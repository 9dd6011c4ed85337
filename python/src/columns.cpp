#include "columns.hpp"

#include "convert.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>

namespace py = pybind11;

namespace copyeta::python {
namespace {

// One column of amounts as trace fields: uint64 arrays are exact; anything else is read as
// float64 under the input policy (NaN in a total means "unknown", in done it is rejected).
struct amount_column {
  explicit amount_column(const py::handle& values, std::size_t n, const char* name, bool nan_is_unknown)
      : nan_is_unknown_(nan_is_unknown) {
    const py::array any = py::array::ensure(values);
    if (!any) throw py::value_error(fmt::format("{} is not an array of numbers", name));
    if (static_cast<std::size_t>(any.size()) != n || any.ndim() != 1)
      throw py::value_error(fmt::format("{} has {} values, t has {}", name, any.size(), n));
    if (py::dtype::of<std::uint64_t>().is(any.dtype()) || any.dtype().kind() == 'u') {
      exact_ = py::array_t<std::uint64_t, py::array::forcecast>(any);
    } else {
      real_ = py::array_t<double, py::array::forcecast>(any);
    }
  }

  // The amount at i, or nullopt with the reason (none: an unknown total).
  std::optional<amount> at(std::size_t i, reject_reason& why) const {
    why = reject_reason::none;
    if (exact_) return exact_->at(static_cast<py::ssize_t>(i));
    const double x = real_->at(static_cast<py::ssize_t>(i));
    if (std::isnan(x) && nan_is_unknown_) return std::nullopt;
    return detail::amount_from_double(x, why);
  }

 private:
  bool nan_is_unknown_;
  std::optional<py::array_t<std::uint64_t, py::array::forcecast>> exact_;
  std::optional<py::array_t<double, py::array::forcecast>> real_;
};

}  // namespace

trace to_trace(std::string name, const py::array_t<double, py::array::forcecast>& t, const py::object& done,
               const py::object& total) {
  const auto n = static_cast<std::size_t>(t.size());
  if (t.ndim() != 1) throw py::value_error("t must be one-dimensional");
  const amount_column done_column(done, n, "done", false);
  std::optional<amount_column> total_column;
  std::optional<amount> total_scalar;
  if (!total.is_none()) {
    if (py::isinstance<py::int_>(total) || py::isinstance<py::float_>(total)) {
      reject_reason why = reject_reason::none;
      total_scalar = to_amount(total, why);
      if (!total_scalar)
        throw py::value_error(fmt::format("total = {} is not an amount ({})",
                                          py::str(total).cast<std::string>(), to_string(why)));
    } else {
      total_column.emplace(total, n, "total", true);
    }
  }
  trace out;
  out.name = std::move(name);
  out.rows.resize(n);
  const auto ts = t.unchecked<1>();
  for (std::size_t i = 0; i < n; ++i) {
    trace_row& row = out.rows[i];
    row.line = i;
    row.t = ts(static_cast<py::ssize_t>(i));
    reject_reason why = reject_reason::none;
    row.done = done_column.at(i, why);
    if (!row.done) {
      row.reason = why;
      row.error = fmt::format("row {}: done: {}", i, to_string(why));
    }
    if (total_scalar) {
      row.total = total_scalar;
    } else if (total_column) {
      reject_reason total_why = reject_reason::none;
      row.total = total_column->at(i, total_why);
      if (total_why != reject_reason::none && row.reason == reject_reason::none) {
        row.reason = total_why;
        row.error = fmt::format("row {}: total: {}", i, to_string(total_why));
      }
    }
  }
  return out;
}


const trace& as_trace(const py::handle& item) {
  if (py::isinstance<trace>(item)) return item.cast<const trace&>();
  if (py::hasattr(item, "_core") && py::isinstance<trace>(item.attr("_core")))
    return item.attr("_core").cast<const trace&>();
  throw py::type_error(fmt::format("expected a copyeta.Trace, got {}",
                                   py::repr(item).cast<std::string>()));
}

}  // namespace copyeta::python
