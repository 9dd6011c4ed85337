// The concepts _core registers, one file each.
#pragma once

#include <pybind11/pybind11.h>

namespace copyeta::python {

void register_estimate(pybind11::module_& m);     // State, Estimate, formatting
void register_monitor(pybind11::module_& m);      // Monitor: add samples, ask for estimates
void register_replay(pybind11::module_& m);       // replay over numpy arrays
void register_trace(pybind11::module_& m);        // CSV traces and raw tool logs
void register_backtest(pybind11::module_& m);     // metrics.md over traces, for every model
void register_calibration(pybind11::module_& m);  // Calibration: fit, update, save, load
void register_evidence(pybind11::module_& m);     // mergeable calibration evidence; Calibration.merge

}  // namespace copyeta::python
