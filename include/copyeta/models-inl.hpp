#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/models.hpp>
#include <copyeta/models/default_model.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace copyeta {

COPYETA_INLINE const std::vector<std::string_view>& model_names() {
  static const std::vector<std::string_view> names{"default"};
  return names;
}

COPYETA_INLINE bool is_peer_model(std::string_view name) {
  return name != "default" &&
         std::find(model_names().begin(), model_names().end(), name) != model_names().end();
}

COPYETA_INLINE std::unique_ptr<estimator> make_estimator(std::string_view name,
                                                         const estimator_options& options) {
  if (name == "default") return std::make_unique<models::default_model>(options);
  throw options_error(fmt::format("[copyeta.options] unknown model '{}'; known models: {}", name,
                                  fmt::join(model_names(), ", ")));
}

}  // namespace copyeta
