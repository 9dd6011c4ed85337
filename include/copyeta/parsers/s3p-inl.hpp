#pragma once

#include <copyeta/parsers/s3p.hpp>
#include <copyeta/parsers/scan.hpp>

namespace copyeta {
namespace parsers {

COPYETA_INLINE void s3p_parser::reset() noexcept {}

COPYETA_INLINE std::optional<progress_reading> s3p_parser::feed(std::string_view line) {
  const std::size_t at = line.find("s3p: d: ");
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t comma = line.find(',', at);
  const std::size_t copied = line.find(" copied ", at);
  if (comma == std::string_view::npos || copied == std::string_view::npos) return std::nullopt;
  std::size_t pos = copied + 8;
  // "a/b" items first, then "X/Y" bytes.
  const auto items = scan::read_number(line, pos);
  if (!items || pos >= line.size() || line[pos] != '/') return std::nullopt;
  ++pos;
  if (!scan::read_number(line, pos)) return std::nullopt;
  const auto done = scan::read_size(line, pos, scan::prefixes::decimal);
  if (!done || pos >= line.size() || line[pos] != '/') return std::nullopt;
  ++pos;
  const auto total = scan::read_size(line, pos, scan::prefixes::decimal);
  if (!total) return std::nullopt;
  progress_reading r;
  r.done = done->value;
  r.total = total->value;
  r.t = scan::duration(line.substr(at + 8, comma - at - 8));
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_s3p_parser() { return std::make_unique<s3p_parser>(); }

}  // namespace parsers
}  // namespace copyeta
