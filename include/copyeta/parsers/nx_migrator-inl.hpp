#pragma once

#include <copyeta/parsers/nx_migrator.hpp>
#include <copyeta/parsers/scan.hpp>

namespace copyeta {
namespace parsers {

COPYETA_INLINE void nx_migrator_parser::reset() noexcept { origin_.reset(); }

COPYETA_INLINE std::optional<progress_reading> nx_migrator_parser::feed(std::string_view line) {
  std::size_t pos = std::string_view::npos;
  if (const std::size_t a = line.find("Copying: "); a != std::string_view::npos) pos = a + 9;
  else if (const std::size_t b = line.find(": Copied "); b != std::string_view::npos) pos = b + 9;
  else return std::nullopt;
  const auto done = scan::read_size(line, pos, scan::prefixes::binary);
  if (!done) return std::nullopt;
  scan::skip_spaces(line, pos);
  if (pos >= line.size() || line[pos] != '/') return std::nullopt;
  ++pos;
  const auto total = scan::read_size(line, pos, scan::prefixes::binary);
  if (!total || line.substr(pos, 2) != " (") return std::nullopt;
  progress_reading r;
  r.done = done->value;
  r.total = total->value;
  if (const std::size_t e = line.find("ETA: ", pos); e != std::string_view::npos)
    r.tool_eta = scan::read_duration(line, e + 5);
  // The log line starts with its timestamp, "2026-03-07 17:34:24,628".
  if (const auto ts = scan::iso_timestamp(line, 0)) {
    if (!origin_) origin_ = *ts;
    r.t = *ts - *origin_;
  }
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_nx_migrator_parser() { return std::make_unique<nx_migrator_parser>(); }

}  // namespace parsers
}  // namespace copyeta
