#pragma once

#include <copyeta/parsers/aws_s3.hpp>
#include <copyeta/parsers/scan.hpp>

namespace copyeta {
namespace parsers {

COPYETA_INLINE void aws_s3_parser::reset() noexcept {}

COPYETA_INLINE std::optional<progress_reading> aws_s3_parser::feed(std::string_view line) {
  const std::size_t at = line.find("Completed ");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t pos = at + 10;
  const auto done = scan::read_size(line, pos, scan::prefixes::binary);
  if (!done || pos >= line.size() || line[pos] != '/') return std::nullopt;
  ++pos;
  if (pos < line.size() && line[pos] == '~') ++pos;  // total still being counted
  const auto total = scan::read_size(line, pos, scan::prefixes::binary);
  if (!total || line.substr(pos, 2) != " (" || line.find(" remaining", pos) == std::string_view::npos)
    return std::nullopt;
  progress_reading r;
  r.done = done->value;
  r.total = total->value;
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_aws_s3_parser() { return std::make_unique<aws_s3_parser>(); }

}  // namespace parsers
}  // namespace copyeta
