// copyeta: when will this copy finish, and how sure are we? The umbrella header.
#pragma once

#include <copyeta/backtest.hpp>
#include <copyeta/calibration.hpp>
#include <copyeta/calibration_evidence.hpp>
#include <copyeta/config.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/estimate.hpp>
#include <copyeta/estimator.hpp>
#include <copyeta/fleet.hpp>
#include <copyeta/format.hpp>
#include <copyeta/input_policy.hpp>
#include <copyeta/models.hpp>
#include <copyeta/monitor.hpp>
#include <copyeta/replay.hpp>
#include <copyeta/sample.hpp>
#include <copyeta/scoring.hpp>
#include <copyeta/shared_monitor.hpp>
#include <copyeta/trace.hpp>
