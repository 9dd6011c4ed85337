// Sizes as copy tools print them, each in its own convention.
//
// contracts.md: on the command line `K M G T` (and `KiB MiB GiB TiB`) are powers of 1024 and
// `KB MB GB TB` powers of 1000 (dd and pv). Tools differ: curl's `k M G` are 1024-based, dd's
// "(118 GB, 110 GiB)" says both, rclone's "MBytes"/"MiB" are 1024-based, wget's "K"/"M" are
// 1024-based, Proxmox's "GiB" are 1024-based. A parser passes the convention it knows.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/sample.hpp>

#include <charconv>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace copyeta {

enum class unit_convention : unsigned char {
  command_line,   // K M G T = 1024^n, KiB.. = 1024^n, KB MB GB TB = 1000^n (contracts.md)
  binary,         // every prefix 1024^n, whatever its spelling (curl, wget, rclone, Proxmox)
  decimal_si,     // kB MB GB = 1000^n and KiB MiB GiB = 1024^n (dd, ddrescue, docker)
};

// "32G", "1.5 GiB", "105.45M", "4077k", "118 GB", "512" (bytes), "74.996 MBytes", "32.183Mi",
// "136.232 GiByte" (rclone). Leading and trailing spaces are allowed; a trailing "B", "Byte(s)"
// or "byte(s)" is optional. Prefixes: k/K M G T P E. The number is plain decimal ('.' only, no
// sign, no exponent, no thousands separators: parsers strip those in their own convention);
// integers are exact, fractions are rounded to the nearest unit. nullopt for
// anything else, for negative, non-finite or too large values (above 2^64 - 1).
std::optional<amount> parse_size(std::string_view text,
                                 unit_convention convention = unit_convention::command_line);

// "0:02:50", "2:50", "1:02:03:04" (days), "11m49s", "1h2m3s", "19.8s", "3058 s", "5d 03h" (curl's
// "117d 05h" style): seconds, or nullopt.
std::optional<double> parse_duration(std::string_view text);

// Small text helpers shared by the parsers (inline here so that they exist in both build modes).
namespace detail::text {

inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

inline std::string_view strip(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Whitespace-separated words (views into `line`).
inline std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// A plain non-negative decimal "12", "12.5" (no sign, no exponent, '.' only): locale-proof.
inline std::optional<double> plain_number(std::string_view s) noexcept {
  if (s.empty() || !is_digit(s.front()) || !is_digit(s.back())) return std::nullopt;
  int dots = 0;
  for (const char c : s) {
    if (c == '.') ++dots;
    else if (!is_digit(c)) return std::nullopt;
  }
  if (dots > 1) return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Only digits: an exact unsigned integer.
inline std::optional<amount> plain_integer(std::string_view s) noexcept {
  if (s.empty()) return std::nullopt;
  for (const char c : s)
    if (!is_digit(c)) return std::nullopt;
  amount value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// "15,446,610,948" (thousands separators, groups of 3) as an exact integer.
inline std::optional<amount> grouped_integer(std::string_view s) noexcept {
  if (s.find(',') == std::string_view::npos) return plain_integer(s);
  amount value = 0;
  std::size_t group = 0;
  bool first = true;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ',') {
      if (group == 0 || group > 3 || (!first && group != 3)) return std::nullopt;
      first = false;
      group = 0;
      continue;
    }
    if (!is_digit(s[i])) return std::nullopt;
    const amount digit = static_cast<amount>(s[i] - '0');
    if (value > (~amount{0} - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
    ++group;
  }
  return value;
}

inline bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}
inline bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace detail::text

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/units-inl.hpp>
#endif
