#include "columns.hpp"
#include "register.hpp"

#include <copyeta/calibration.hpp>
#include <copyeta/scoring.hpp>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

namespace py = pybind11;

namespace copyeta::python {

void register_calibration(py::module_& m) {
  py::class_<calibration, std::shared_ptr<calibration>>(
      m, "Calibration",
      "What turns the default model's raw forecast into an interval that holds the truth as "
      "often as it claims: ensemble weights and per-bucket error quantiles learned from "
      "finished jobs. The JSON is the one the C++ library and the CLI read.")
      .def(py::init<>(), "Knows nothing yet: equal weights, standard normal errors.")
      .def_static(
          "fit",
          [](const py::iterable& traces) {
            std::vector<trace> jobs;
            for (const py::handle item : traces) jobs.push_back(as_trace(item));
            py::gil_scoped_release release;
            return std::make_shared<calibration>(calibration::fit(jobs));
          },
          py::arg("traces"),
          "Learns weights, then error quantiles, from finished traces (copyeta.Trace); traces "
          "that cannot be scored are skipped.")
      .def(
          "update",
          [](calibration& self, const py::handle& item) {
            const trace& job = as_trace(item);
            std::string why;
            const auto scored = prepare_scoring(job, &why);
            if (!scored)
              throw py::value_error(fmt::format("{} cannot be scored: {}", job.name, why));
            py::gil_scoped_release release;
            self.update(*scored);
          },
          py::arg("trace"),
          "Adds one more finished trace (the weights stay; their loss table learns). Raises "
          "ValueError for a trace that cannot be scored.")
      .def_static("builtin", [] { return std::make_shared<calibration>(calibration::builtin()); },
                  "The calibration copyeta ships, learned from its traces.")
      .def("save", &calibration::save, py::arg("path"),
           "Writes the JSON atomically (a temporary file renamed over `path`).")
      .def_static("load", [](const std::string& path) {
        return std::make_shared<calibration>(calibration::load(path));
      }, py::arg("path"))
      .def("to_json", &calibration::to_json, py::arg("exact") = false,
           "The JSON text; `exact` keeps every number's last bit (files keep 9 digits).")
      .def_static("from_json", [](const std::string& text) {
        return std::make_shared<calibration>(calibration::from_json(text, "from_json"));
      }, py::arg("text"))
      .def_property_readonly("weights", [](const calibration& c) {
        py::dict weights;
        for (std::size_t i = 0; i < calibration::components.size(); ++i)
          weights[py::str(std::string(calibration::components[i]))] = c.weights()[i];
        return weights;
      })
      .def_property_readonly("jobs", &calibration::jobs)
      .def("quantile", &calibration::quantile, py::arg("fraction"), py::arg("p"),
           "The p-quantile of the normalised error at a fraction done.")
      .def("__eq__", [](const calibration& a, const calibration& b) { return a == b; })
      .def("__repr__", [](const calibration& c) {
        std::string weights;
        for (std::size_t i = 0; i < calibration::components.size(); ++i)
          weights += fmt::format("{}{}={:.3g}", i ? ", " : "", calibration::components[i], c.weights()[i]);
        return fmt::format("Calibration(jobs={}, weights={{{}}})", c.jobs(), weights);
      })
      .def(py::pickle([](const calibration& c) { return c.to_json(true); },
                      [](const std::string& text) {
                        return std::make_shared<calibration>(calibration::from_json(text, "pickle"));
                      }));
}

}  // namespace copyeta::python
