#include "jsonl.hpp"

namespace copyeta::cli {

nlohmann::ordered_json estimate_json(const estimate& e) {
  nlohmann::ordered_json j;
  j["t"] = e.t;
  j["done"] = e.done;
  j["total"] = e.total ? nlohmann::ordered_json(*e.total) : nlohmann::ordered_json(nullptr);
  j["state"] = to_string(e.state);
  const bool numbers = e.has_remaining();
  j["remaining"] = numbers ? nlohmann::ordered_json(e.remaining) : nlohmann::ordered_json(nullptr);
  j["lo"] = numbers ? nlohmann::ordered_json(e.lo) : nlohmann::ordered_json(nullptr);
  j["hi"] = numbers ? nlohmann::ordered_json(e.hi) : nlohmann::ordered_json(nullptr);
  j["level"] = e.level;
  j["rate"] = e.rate ? nlohmann::ordered_json(*e.rate) : nlohmann::ordered_json(nullptr);
  if (e.shift) {
    j["shift"] = {{"t", e.shift->t}, {"fraction", e.shift->fraction}, {"factor", e.shift->factor}};
  } else {
    j["shift"] = nullptr;
  }
  return j;
}

nlohmann::ordered_json rejected_json(const trace_row& row, double level, reject_reason reason,
                                     std::string_view error) {
  const auto or_null = [](const auto& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  nlohmann::ordered_json j;
  j["t"] = or_null(row.t && std::isfinite(*row.t) ? row.t : std::nullopt);
  j["done"] = or_null(row.done);
  j["total"] = or_null(row.total);
  j["state"] = to_string(state::rejected);
  j["remaining"] = nullptr;
  j["lo"] = nullptr;
  j["hi"] = nullptr;
  j["level"] = level;
  j["rate"] = nullptr;
  j["shift"] = nullptr;
  j["reason"] = to_string(reason);
  j["error"] = error;
  return j;
}

std::string json_line(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace copyeta::cli
