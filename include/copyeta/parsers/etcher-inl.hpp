#pragma once

#include <copyeta/parsers/etcher.hpp>
#include <copyeta/parsers/scan.hpp>

namespace copyeta {
namespace parsers {

namespace etcher_detail {

// "Mmm DD YYYY HH:MM:SS GMT+hhmm" (JavaScript Date.toString) ending at " GMT": Unix seconds.
inline std::optional<double> js_date(std::string_view s) noexcept {
  const std::size_t g = s.find(" GMT");
  if (g == std::string_view::npos || g < 20) return std::nullopt;
  const std::size_t b = g - 20;  // "Mmm DD YYYY HH:MM:SS"
  static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const std::size_t m = months.find(s.substr(b, 3));
  if (m == std::string_view::npos || m % 3 != 0 || s[b + 3] != ' ' || s[b + 6] != ' ' || s[b + 11] != ' ')
    return std::nullopt;
  const auto d = scan::fixed_digits(s, b + 4, 2);
  const auto y = scan::fixed_digits(s, b + 7, 4);
  const auto c = scan::clock_of_day(s, b + 12);
  if (!d || !y || !c) return std::nullopt;
  double t = static_cast<double>(scan::days_from_civil(*y, static_cast<unsigned>(m / 3 + 1), *d)) * 86400.0 + *c;
  // "GMT+0900": local time minus the offset is UTC (matters only across a DST change).
  if (g + 8 < s.size() + 1 && (s[g + 4] == '+' || s[g + 4] == '-')) {
    const auto hh = scan::fixed_digits(s, g + 5, 2), mm = scan::fixed_digits(s, g + 7, 2);
    if (hh && mm) t -= (s[g + 4] == '+' ? 1.0 : -1.0) * (*hh * 3600.0 + *mm * 60.0);
  }
  return t;
}

}  // namespace etcher_detail

COPYETA_INLINE void etcher_parser::reset() noexcept { origin_.reset(); }

COPYETA_INLINE std::optional<progress_reading> etcher_parser::feed(std::string_view line) {
  std::size_t pos = std::string_view::npos;
  if (const std::size_t a = line.find("Progress (write): "); a != std::string_view::npos) {
    pos = a + 18;
  } else if (const std::size_t b = line.find("Flashing "); b != std::string_view::npos) {
    const std::size_t comma = line.find(", ", b);  // "Flashing 1 devices, 7% at ..."
    if (comma == std::string_view::npos || line.substr(b + 9, comma - b - 9).find("device") == std::string_view::npos)
      return std::nullopt;
    pos = comma + 2;
  } else {
    return std::nullopt;
  }
  const auto pct = scan::read_number(line, pos);
  if (!pct || pos >= line.size() || line[pos] != '%' || line.substr(pos, 5) != "% at ") return std::nullopt;
  auto r = scan::percent_reading(*pct);
  if (!r) return std::nullopt;
  if (const std::size_t e = line.find("eta in ", pos); e != std::string_view::npos) {
    r->tool_eta = scan::read_duration(line, e + 7);
  } else if (const std::size_t e2 = line.find("(eta ", pos); e2 != std::string_view::npos) {
    r->tool_eta = scan::read_duration(line, e2 + 5);
  }
  if (const auto ts = etcher_detail::js_date(line)) {
    if (!origin_) origin_ = *ts;
    r->t = *ts - *origin_;
  }
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_etcher_parser() { return std::make_unique<etcher_parser>(); }

}  // namespace parsers
}  // namespace copyeta
