#include "columns.hpp"
#include "register.hpp"

#include <copyeta/calibration.hpp>
#include <copyeta/replay.hpp>

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>

namespace py = pybind11;

namespace copyeta::python {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

void register_replay(py::module_& m) {
  m.def(
      "replay",
      [](const py::array_t<double, py::array::forcecast>& t, const py::object& done,
         const py::object& total, const std::string& model, double level,
         std::shared_ptr<calibration> cal) {
        monitor_options options;
        options.model = model;
        options.estimator.level = level;
        options.calibration = std::move(cal);
        options.validate();
        const trace input = to_trace("replay", t, done, total);
        const auto n = static_cast<py::ssize_t>(input.rows.size());

        py::array_t<double> out_t(n), remaining(n), lo(n), hi(n), rate(n);
        py::array_t<std::uint64_t> out_done(n), out_total(n);
        py::array_t<bool> has_total(n);
        py::array_t<std::uint8_t> states(n), reasons(n);
        auto t_ = out_t.mutable_unchecked<1>();
        auto remaining_ = remaining.mutable_unchecked<1>();
        auto lo_ = lo.mutable_unchecked<1>();
        auto hi_ = hi.mutable_unchecked<1>();
        auto rate_ = rate.mutable_unchecked<1>();
        auto done_ = out_done.mutable_unchecked<1>();
        auto total_ = out_total.mutable_unchecked<1>();
        auto has_total_ = has_total.mutable_unchecked<1>();
        auto states_ = states.mutable_unchecked<1>();
        auto reasons_ = reasons.mutable_unchecked<1>();
        {
          // Nothing below touches a Python object: other threads run meanwhile.
          py::gil_scoped_release release;
          replay(input, options, [&](std::size_t index, const replay_row& row) {
            const auto i = static_cast<py::ssize_t>(index);
            const estimate& e = row.estimate;
            const trace_row& in = input.rows[index];
            t_(i) = in.t.value_or(nan);
            done_(i) = in.done.value_or(0);
            total_(i) = e.total.value_or(0);
            has_total_(i) = e.total.has_value();
            states_(i) = static_cast<std::uint8_t>(e.state);
            reasons_(i) = static_cast<std::uint8_t>(row.reason);
            const bool numbers = e.has_remaining();
            remaining_(i) = numbers ? e.remaining : nan;
            lo_(i) = numbers ? e.lo : nan;
            hi_(i) = numbers ? e.hi : nan;
            rate_(i) = e.rate.value_or(nan);
          });
        }
        py::dict columns;
        columns["t"] = out_t;
        columns["done"] = out_done;
        columns["total"] = out_total;
        columns["has_total"] = has_total;
        columns["state"] = states;
        columns["reason"] = reasons;
        columns["remaining"] = remaining;
        columns["lo"] = lo;
        columns["hi"] = hi;
        columns["rate"] = rate;
        return columns;
      },
      py::arg("t"), py::arg("done"), py::arg("total") = py::none(), py::arg("model") = "default",
      py::arg("level") = 0.8, py::arg("calibration") = nullptr,
      "Replays samples through a model; returns columns as numpy arrays (state and reason as "
      "codes into state_names() and reject_reason_names()).");
}

}  // namespace copyeta::python
