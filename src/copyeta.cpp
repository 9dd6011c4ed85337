// Compiles every definition of the library once (fmt's format.cc, spdlog's spdlog.cpp).
// Header-only users get the same code inline through COPYETA_HEADER_ONLY.
#ifdef COPYETA_HEADER_ONLY
#error "src/copyeta.cpp is the compiled library; do not build it with COPYETA_HEADER_ONLY"
#endif

#include <copyeta/backtest-inl.hpp>
#include <copyeta/calibration-inl.hpp>
#include <copyeta/errors-inl.hpp>
#include <copyeta/estimate-inl.hpp>
#include <copyeta/estimator-inl.hpp>
#include <copyeta/format-inl.hpp>
#include <copyeta/input_policy-inl.hpp>
#include <copyeta/models-inl.hpp>
#include <copyeta/models/average-inl.hpp>
#include <copyeta/models/default_model-inl.hpp>
#include <copyeta/models/drift_diffusion-inl.hpp>
#include <copyeta/models/indicatif-inl.hpp>
#include <copyeta/models/kalman-inl.hpp>
#include <copyeta/models/progress-inl.hpp>
#include <copyeta/models/pv-inl.hpp>
#include <copyeta/models/rich-inl.hpp>
#include <copyeta/models/robust_window-inl.hpp>
#include <copyeta/models/rsync-inl.hpp>
#include <copyeta/models/tqdm-inl.hpp>
#include <copyeta/monitor-inl.hpp>
#include <copyeta/replay-inl.hpp>
#include <copyeta/scoring-inl.hpp>
#include <copyeta/trace-inl.hpp>
