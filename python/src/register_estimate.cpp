#include "register.hpp"

#include <copyeta/estimate.hpp>
#include <copyeta/format.hpp>
#include <copyeta/input_policy.hpp>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>

namespace py = pybind11;

namespace copyeta::python {
namespace {

std::chrono::system_clock::time_point wall_time(double unix_seconds) {
  if (!std::isfinite(unix_seconds))
    throw py::value_error(fmt::format("wall = {} is not a Unix time", unix_seconds));
  return std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::duration<double>(unix_seconds)));
}

format_options options_of(bool clock_24h, bool bytes) {
  format_options options;
  options.clock_24h = clock_24h;
  options.bytes = bytes;
  return options;
}

// A number where the state carries one, else None.
py::object number_or_none(const estimate& e, double value) {
  return e.has_remaining() ? py::object(py::float_(value)) : py::object(py::none());
}

}  // namespace

void register_estimate(py::module_& m) {
  m.def("state_names", [] {
    std::vector<std::string> names;
    for (int s = 0; s <= static_cast<int>(state::rejected); ++s)
      names.emplace_back(to_string(static_cast<state>(s)));
    return names;
  }, "The states of contracts.md, in order.");
  m.def("reject_reason_names", [] {
    std::vector<std::string> names;
    for (int r = 0; r < reject_reason_count; ++r)
      names.emplace_back(to_string(static_cast<reject_reason>(r)));
    return names;
  });

  py::class_<estimate>(m, "Estimate",
                       "What copyeta says at one moment: the state, the median remaining seconds "
                       "and the interval [lo, hi] at `level`.")
      .def_property_readonly("state", [](const estimate& e) { return std::string(to_string(e.state)); })
      .def_readonly("t", &estimate::t)
      .def_readonly("done", &estimate::done)
      .def_readonly("total", &estimate::total)
      .def_property_readonly("remaining", [](const estimate& e) { return number_or_none(e, e.remaining); })
      .def_property_readonly("lo", [](const estimate& e) { return number_or_none(e, e.lo); })
      .def_property_readonly("hi", [](const estimate& e) { return number_or_none(e, e.hi); })
      .def_readonly("level", &estimate::level)
      .def_readonly("rate", &estimate::rate)
      .def_readonly("stalled_for", &estimate::stalled_for)
      .def_property_readonly("shift", [](const estimate& e) -> py::object {
        if (!e.shift) return py::none();
        return py::dict(py::arg("t") = e.shift->t, py::arg("fraction") = e.shift->fraction,
                        py::arg("factor") = e.shift->factor);
      })
      .def("fraction", &estimate::fraction, "done / total in [0, 1], or None without a total")
      .def("format_finish",
           [](const estimate& e, double wall, bool clock_24h) {
             return format_finish(e, wall_time(wall), options_of(clock_24h, true));
           },
           py::arg("wall"), py::arg("clock_24h") = false,
           "The finish in local time, given the Unix time at which `t` was observed: "
           "'3:30pm ± 1 hour'")
      .def("format_remaining", [](const estimate& e) { return format_remaining(e); })
      .def("format_status",
           [](const estimate& e, double wall, bool clock_24h, bool bytes) {
             return format_status(e, wall_time(wall), options_of(clock_24h, bytes));
           },
           py::arg("wall"), py::arg("clock_24h") = false, py::arg("bytes") = true)
      .def("__repr__", [](const estimate& e) {
        std::string text = fmt::format("Estimate(state='{}', t={}, done={}", to_string(e.state), e.t, e.done);
        text += e.total ? fmt::format(", total={}", *e.total) : std::string(", total=None");
        if (e.has_remaining())
          text += fmt::format(", remaining={:.6g}, lo={:.6g}, hi={:.6g}", e.remaining, e.lo, e.hi);
        return text + fmt::format(", level={})", e.level);
      });
}

}  // namespace copyeta::python
