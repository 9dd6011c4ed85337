// copyeta._core: the C++ library for Python. One register_<concept>.cpp per concept; the
// Pythonic layer (keyword arguments, DataFrames, plots) is python/copyeta/*.py.
#include "register.hpp"

#include <copyeta/config.hpp>
#include <copyeta/errors.hpp>

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "copyeta's C++ core: estimates, replays, traces, backtests and calibrations";
  m.attr("__version__") = COPYETA_VERSION_STRING;
  // Contract violations and bad input are ValueErrors in Python.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const copyeta::options_error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const copyeta::input_error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const copyeta::sample_error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  copyeta::python::register_estimate(m);
  copyeta::python::register_monitor(m);
  copyeta::python::register_replay(m);
  copyeta::python::register_trace(m);
  copyeta::python::register_backtest(m);
  copyeta::python::register_calibration(m);
  copyeta::python::register_evidence(m);  // after Calibration: it adds Calibration.merge
}
