#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/average.hpp>
#include <copyeta/models/default_model.hpp>
#include <copyeta/models/drift_diffusion.hpp>
#include <copyeta/models/indicatif.hpp>
#include <copyeta/models/kalman.hpp>
#include <copyeta/models/progress.hpp>
#include <copyeta/models/pv.hpp>
#include <copyeta/models/rich.hpp>
#include <copyeta/models/robust_window.hpp>
#include <copyeta/models/rsync.hpp>
#include <copyeta/models/tqdm.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace copyeta {

COPYETA_INLINE const std::vector<std::string_view>& model_names() {
  static const std::vector<std::string_view> names{
      "default", "robust_window", "drift_diffusion", "kalman", "average",  "pv",
      "rsync",   "progress",      "tqdm",            "indicatif", "rich"};
  return names;
}

COPYETA_INLINE bool is_peer_model(std::string_view name) {
  static constexpr std::array<std::string_view, 7> peers{"average", "pv",        "rsync", "progress",
                                                         "tqdm",    "indicatif", "rich"};
  return std::find(peers.begin(), peers.end(), name) != peers.end();
}

COPYETA_INLINE std::unique_ptr<estimator> make_estimator(std::string_view name,
                                                         const estimator_options& options) {
  if (name == "default") return std::make_unique<models::default_model>(options);
  if (name == "robust_window") return std::make_unique<models::robust_window>(options);
  if (name == "drift_diffusion") return std::make_unique<models::drift_diffusion>(options);
  if (name == "kalman") return std::make_unique<models::kalman>(options);
  if (name == "average") return std::make_unique<models::average>(options);
  if (name == "pv") return std::make_unique<models::pv>(options);
  if (name == "rsync") return std::make_unique<models::rsync>(options);
  if (name == "progress") return std::make_unique<models::progress>(options);
  if (name == "tqdm") return std::make_unique<models::tqdm>(options);
  if (name == "indicatif") return std::make_unique<models::indicatif>(options);
  if (name == "rich") return std::make_unique<models::rich>(options);
  throw options_error(fmt::format("[copyeta.options] unknown model '{}'; known models: {}", name,
                                  fmt::join(model_names(), ", ")));
}

}  // namespace copyeta
