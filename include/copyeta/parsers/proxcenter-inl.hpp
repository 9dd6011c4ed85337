#pragma once

#include <copyeta/parsers/proxcenter.hpp>
#include <copyeta/parsers/scan.hpp>

namespace copyeta {
namespace parsers {

COPYETA_INLINE void proxcenter_parser::reset() noexcept {
  origin_.reset();
  disk_sizes_.clear();
}

COPYETA_INLINE std::optional<progress_reading> proxcenter_parser::feed(std::string_view line) {
  if (!scan::starts_with(scan::trim(line), "{")) return std::nullopt;
  const auto msg = scan::json_string(line, "msg");
  if (!msg || !scan::starts_with(*msg, "Disk ")) return std::nullopt;
  std::size_t pos = 5;
  const auto disk = scan::read_number(*msg, pos);
  if (!disk || disk->decimals != 0 || disk->mantissa > 1024 || msg->substr(pos, 2) != ": ") return std::nullopt;
  const std::size_t index = static_cast<std::size_t>(disk->mantissa);
  pos += 2;
  const std::string_view rest = msg->substr(pos);

  if (scan::starts_with(rest, "target ")) {
    // "... (3174.4 GB)" at the end.
    const std::size_t open = rest.rfind('(');
    if (open == std::string_view::npos || rest.back() != ')') return std::nullopt;
    std::size_t p = open + 1;
    const auto size = scan::read_size(rest, p, scan::prefixes::decimal);
    if (!size || p + 1 != rest.size()) return std::nullopt;
    if (disk_sizes_.size() <= index) disk_sizes_.resize(index + 1);
    disk_sizes_[index] = size->value;
    return std::nullopt;
  }
  if (!scan::starts_with(rest, "copying ")) return std::nullopt;
  std::size_t p = 8;
  const auto done = scan::read_size(rest, p, scan::prefixes::decimal);
  if (!done || rest.substr(p, 4) != " at ") return std::nullopt;
  progress_reading r;
  r.done = done->value;
  if (index < disk_sizes_.size()) r.total = disk_sizes_[index];
  if (const auto ts = scan::json_string(line, "ts")) {
    if (const auto secs = scan::iso_timestamp(*ts, 0)) {
      if (!origin_) origin_ = *secs;
      r.t = *secs - *origin_;
    }
  }
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_proxcenter_parser() { return std::make_unique<proxcenter_parser>(); }

}  // namespace parsers
}  // namespace copyeta
