#include "register.hpp"

namespace py = pybind11;

namespace copyeta::python {

void register_backtest(py::module_&) {}

}  // namespace copyeta::python
