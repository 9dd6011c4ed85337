#include "columns.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace copyeta::python {

void register_trace(py::module_& m) {
  // Traces cross into C++ as copyeta::trace values: built from columns here.
  py::class_<trace>(m, "_Trace")
      .def_readonly("name", &trace::name)
      .def("__len__", [](const trace& t) { return t.rows.size(); });
  m.def("_trace_from_columns", &to_trace, py::arg("name"), py::arg("t"), py::arg("done"),
        py::arg("total") = py::none());
}

}  // namespace copyeta::python
