#pragma once

#include <copyeta/parsers/qemu_img.hpp>
#include <copyeta/parsers/scan.hpp>

namespace copyeta {
namespace parsers {

COPYETA_INLINE std::optional<progress_reading> qemu_img_parser::feed(std::string_view line) {
  // The whole line is the indicator: anything else around it is someone else's text.
  const std::string_view s = scan::trim(line);
  if (s.size() < 7 || s.front() != '(' || s.substr(s.size() - 6) != "/100%)") return std::nullopt;
  std::size_t pos = 1;
  const auto pct = scan::read_number(s, pos);
  if (!pct || pos != s.size() - 6) return std::nullopt;
  return scan::percent_reading(*pct);
}

COPYETA_INLINE std::unique_ptr<line_parser> make_qemu_img_parser() { return std::make_unique<qemu_img_parser>(); }

}  // namespace parsers
}  // namespace copyeta
