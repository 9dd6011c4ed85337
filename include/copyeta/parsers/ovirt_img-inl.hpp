#pragma once

#include <copyeta/parsers/ovirt_img.hpp>
#include <copyeta/parsers/scan.hpp>

namespace copyeta {
namespace parsers {

COPYETA_INLINE std::optional<progress_reading> ovirt_img_parser::feed(std::string_view raw) {
  const std::string_view line = scan::trim(raw);
  if (scan::starts_with(line, "{")) {
    const auto done = scan::json_number(line, "transferred");
    const auto t = scan::json_number(line, "elapsed");
    if (!done || !t || *t < 0) return std::nullopt;
    progress_reading r;
    r.done = scan::to_amount(static_cast<long double>(*done));
    if (!r.done) return std::nullopt;
    r.t = *t;
    if (const auto size = scan::json_number(line, "size")) r.total = scan::to_amount(static_cast<long double>(*size));
    return r;
  }
  // "[  45% ] 2.74 GiB, 0.42 seconds, 6.54 GiB/s"
  if (!scan::starts_with(line, "[")) return std::nullopt;
  std::size_t pos = 1;
  scan::skip_spaces(line, pos);
  const auto pct = scan::read_number(line, pos);
  if (!pct || pos >= line.size() || line[pos] != '%') return std::nullopt;
  ++pos;
  scan::skip_spaces(line, pos);
  if (pos >= line.size() || line[pos] != ']') return std::nullopt;
  ++pos;
  if (!scan::read_size(line, pos, scan::prefixes::binary) || pos >= line.size() || line[pos] != ',') return std::nullopt;
  ++pos;
  scan::skip_spaces(line, pos);
  const auto secs = scan::read_number(line, pos);
  if (!secs || line.substr(pos, 8) != " seconds") return std::nullopt;
  auto r = scan::percent_reading(*pct);
  if (!r) return std::nullopt;
  r->t = static_cast<double>(secs->value());
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_ovirt_img_parser() { return std::make_unique<ovirt_img_parser>(); }

}  // namespace parsers
}  // namespace copyeta
