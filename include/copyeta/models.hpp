// Every model behind the estimator interface, by its contract name.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/estimator.hpp>

#include <memory>
#include <string_view>
#include <vector>

namespace copyeta {

// The names of contracts.md, copyeta's own first, then the peers: default, robust_window,
// drift_diffusion, kalman, average, pv, rsync, progress, tqdm, indicatif, rich.
const std::vector<std::string_view>& model_names();

// True for the peer re-implementations, which give a point estimate and no interval.
bool is_peer_model(std::string_view name);

// A new estimator for `name`. Throws options_error for an unknown name (the message lists the
// known ones) or for invalid options.
std::unique_ptr<estimator> make_estimator(std::string_view name,
                                          const estimator_options& options = {});

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/models-inl.hpp>
#endif
