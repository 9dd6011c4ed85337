#pragma once

#include <copyeta/parsers/ddrescue.hpp>
#include <copyeta/parsers/scan.hpp>

#include <string>

namespace copyeta {
namespace parsers {

COPYETA_INLINE void ddrescue_parser::clear_screen() noexcept {
  rescued_.reset();
  non_tried_.reset();
  non_trimmed_.reset();
  non_scraped_.reset();
  bad_sector_.reset();
  run_time_.reset();
}

COPYETA_INLINE void ddrescue_parser::reset() noexcept {
  clear_screen();
  total_.reset();
}

COPYETA_INLINE std::optional<progress_reading> ddrescue_parser::feed(std::string_view raw) {
  const std::string clean = scan::strip_controls(raw);
  const std::string_view line = clean;
  // The mapfile summary "rescued: 4176 MB, tried: ..." is not the running screen.
  if (line.find("tried: ") != std::string_view::npos && line.find("non-tried") == std::string_view::npos)
    return std::nullopt;

  bool emit = false;
  bool old_emit = false;
  std::optional<double> remaining;
  // "label: value" pairs separated by ','.
  std::size_t start = 0;
  while (start < line.size()) {
    std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) comma = line.size();
    const std::string_view part = line.substr(start, comma - start);
    start = comma + 1;
    const std::size_t colon = part.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view label = scan::trim(part.substr(0, colon));
    const std::string_view value = scan::trim(part.substr(colon + 1));
    auto size = [&]() -> std::optional<field> {
      std::size_t pos = 0;
      const auto s = scan::read_size(value, pos, scan::prefixes::decimal);
      if (!s) return std::nullopt;
      return field{s->value, s->resolution};
    };
    if (label == "rescued") rescued_ = size();
    else if (label == "non-tried") non_tried_ = size();
    else if (label == "non-trimmed") non_trimmed_ = size();
    else if (label == "non-scraped") non_scraped_ = size();
    else if (label == "bad-sector") bad_sector_ = size();
    else if (label == "run time") run_time_ = scan::duration(value);
    else if (label == "remaining time") {
      remaining = scan::duration(value);
      emit = true;
    } else if (label == "successful read" || label == "time since last successful read") {
      old_emit = true;
    }
  }
  if (!emit && !(old_emit && rescued_ && run_time_)) return std::nullopt;
  if (!rescued_ || !run_time_) {
    clear_screen();
    return std::nullopt;
  }
  progress_reading r;
  r.t = *run_time_;
  r.done = rescued_->value;
  r.tool_eta = remaining;
  if (non_tried_ && non_trimmed_ && non_scraped_ && bad_sector_) {
    const amount rest = non_tried_->value + non_trimmed_->value + non_scraped_->value + bad_sector_->value;
    const long double rest_res = non_tried_->resolution + non_trimmed_->resolution +
                                 non_scraped_->resolution + bad_sector_->resolution;
    const field sum{rescued_->value + rest, rescued_->resolution + rest_res};
    if (!total_ || sum.resolution < total_->resolution) total_ = sum;
    r.total = total_->value;
    if (total_->value >= rest && total_->resolution + rest_res < rescued_->resolution)
      r.done = total_->value - rest;
  }
  clear_screen();
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_ddrescue_parser() { return std::make_unique<ddrescue_parser>(); }

}  // namespace parsers
}  // namespace copyeta
