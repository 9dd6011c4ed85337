#pragma once

#include <copyeta/parsers/ghost.hpp>
#include <copyeta/parsers/scan.hpp>

namespace copyeta {
namespace parsers {

COPYETA_INLINE std::optional<progress_reading> ghost_parser::feed(std::string_view line) {
  const std::size_t at = line.find("Copy: ");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t pos = at + 6;
  const auto done = scan::read_number(line, pos);
  if (!done || done->decimals != 0 || pos >= line.size() || line[pos] != '/') return std::nullopt;
  ++pos;
  const auto total = scan::read_number(line, pos);
  if (!total || total->decimals != 0) return std::nullopt;
  // The rest must look like gh-ost's status ("; Applied:"), not any "Copy: 1/2" text.
  if (line.find("; Applied:", pos) == std::string_view::npos) return std::nullopt;

  progress_reading r;
  r.done = done->mantissa;
  r.total = total->mantissa;
  // The elapsed time is the duration just before "(total)", after "Time: ", "Elapsed: " or ", ".
  const std::size_t tot = line.find("(total)", pos);
  if (tot != std::string_view::npos) {
    std::size_t begin = tot;
    while (begin > 0 && (scan::is_digit(line[begin - 1]) || scan::is_alpha(line[begin - 1]) ||
                         line[begin - 1] == '.'))
      --begin;
    r.t = scan::duration(line.substr(begin, tot - begin));
  }
  const std::size_t eta = line.find("ETA: ", pos);
  if (eta != std::string_view::npos) r.tool_eta = scan::read_duration(line, eta + 5);
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_ghost_parser() { return std::make_unique<ghost_parser>(); }

}  // namespace parsers
}  // namespace copyeta
