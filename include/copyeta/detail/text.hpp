// Small text scanners shared by units.hpp and the tool parsers in parsers/: inline, so that they
// exist in both build modes, and locale-proof (no <cctype>, no strtod).
#pragma once

#include <copyeta/sample.hpp>

#include <charconv>
#include <cstddef>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

namespace copyeta::detail::text {

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

inline bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

inline void skip_blanks(std::string_view s, std::size_t& pos) noexcept {
  while (pos < s.size() && is_blank(s[pos])) ++pos;
}

}  // namespace copyeta::detail::text
