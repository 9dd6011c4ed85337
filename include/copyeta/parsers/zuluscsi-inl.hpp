#pragma once

#include <copyeta/parsers/scan.hpp>
#include <copyeta/parsers/zuluscsi.hpp>

namespace copyeta::parsers {

namespace zuluscsi_detail {

// The whole number at `pos` (digits only), advancing `pos`.
inline std::optional<amount> read_count(std::string_view s, std::size_t& pos) noexcept {
  std::size_t end = pos;
  while (end < s.size() && detail::text::is_digit(s[end])) ++end;
  const auto n = detail::text::plain_integer(s.substr(pos, end - pos));
  if (n) pos = end;
  return n;
}

}  // namespace zuluscsi_detail

COPYETA_INLINE std::optional<progress_reading> zuluscsi_parser::feed(std::string_view line) {
  constexpr std::string_view key = "SCSI read succeeded, sectors done: ";
  const std::size_t at = line.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t pos = at + key.size();
  const auto done = zuluscsi_detail::read_count(line, pos);
  if (!done || line.substr(pos, 3) != " / ") return std::nullopt;
  pos += 3;
  const auto total = zuluscsi_detail::read_count(line, pos);
  if (!total || (pos < line.size() && !detail::text::is_blank(line[pos]))) return std::nullopt;

  progress_reading r;
  r.done = done;
  r.total = total;
  // The log's "[8341931ms]" starts the line.
  if (line.front() == '[') {
    std::size_t p = 1;
    const auto ms = zuluscsi_detail::read_count(line, p);
    if (ms && line.substr(p, 3) == "ms]") r.t = static_cast<double>(*ms) / 1000.0;
  }
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_zuluscsi_parser() {
  return std::make_unique<zuluscsi_parser>();
}

}  // namespace copyeta::parsers
