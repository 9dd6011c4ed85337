// Small text scanners shared by units.hpp and the tool parsers in parsers/: inline, so that they
// exist in both build modes, and locale-proof (no <cctype>, no strtod).
#pragma once

#include <copyeta/sample.hpp>

#include <charconv>
#include <cmath>
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

// Durations as tools print them, the one grammar behind copyeta::parse_duration and the parsers'
// scan::duration. Clock form "[[d:]h:]m:s": only the seconds may have a fraction; seconds and
// minutes stay below 60, hours below 24 when days lead ("100:00:00" is rsync's 100 hours).
// Unit form: number+unit groups from the largest unit down, each unit at most once ("1h2m3s",
// "19h  7m 58s", "5d 03h", "1s 6ms", "0.012 secs", "5 min"). With `bare_seconds` a lone
// number is seconds ("42"); tools' placeholders ("--:--:--", "??:??:??", "N/A") are nullopt.
inline std::optional<double> duration(std::string_view text, bool bare_seconds) noexcept {
  text = strip(text);
  if (text.empty()) return std::nullopt;

  if (text.find(':') != std::string_view::npos) {
    double parts[4] = {0, 0, 0, 0};
    std::size_t count = 0;
    std::size_t start = 0;
    for (;;) {
      const std::size_t colon = text.find(':', start);
      const bool last = colon == std::string_view::npos;
      const std::string_view part =
          text.substr(start, last ? std::string_view::npos : colon - start);
      if (count == 4) return std::nullopt;
      if (!last && !plain_integer(part)) return std::nullopt;
      const auto v = plain_number(part);
      if (!v) return std::nullopt;
      parts[count++] = *v;
      if (last) break;
      start = colon + 1;
    }
    if (count < 2 || parts[count - 1] >= 60.0) return std::nullopt;
    if (count >= 3 && parts[count - 2] >= 60.0) return std::nullopt;
    if (count == 4 && parts[1] >= 24.0) return std::nullopt;
    static constexpr double scale_from_right[4] = {1.0, 60.0, 3600.0, 86400.0};
    double seconds = 0.0;
    for (std::size_t i = 0; i < count; ++i) seconds += parts[i] * scale_from_right[count - 1 - i];
    if (!std::isfinite(seconds)) return std::nullopt;  // a 300-digit day count
    return seconds;
  }

  struct unit {
    std::string_view word;
    double scale;
    int rank;  // larger units first: each group's rank is below the previous one's
  };
  static constexpr unit units[] = {
      {"w", 604800.0, 5}, {"d", 86400.0, 4},   {"h", 3600.0, 3},    {"hr", 3600.0, 3},
      {"hrs", 3600.0, 3}, {"m", 60.0, 2},      {"min", 60.0, 2},    {"mins", 60.0, 2},
      {"s", 1.0, 1},      {"sec", 1.0, 1},     {"secs", 1.0, 1},    {"seconds", 1.0, 1},
      {"ms", 0.001, 0}};
  double seconds = 0.0;
  int last_rank = 99;
  std::size_t i = 0;
  while (i < text.size()) {
    skip_blanks(text, i);
    if (i == text.size()) break;
    std::size_t j = i;
    while (j < text.size() && (is_digit(text[j]) || text[j] == '.')) ++j;
    const auto v = plain_number(text.substr(i, j - i));
    if (!v) return std::nullopt;
    skip_blanks(text, j);
    std::size_t e = j;
    while (e < text.size() && is_alpha(text[e])) ++e;
    const std::string_view word = text.substr(j, e - j);
    const unit* found = nullptr;
    for (const unit& u : units)
      if (u.word == word) found = &u;
    if (!found) {
      // A bare number is seconds only when it is the whole text.
      if (!word.empty() || !bare_seconds || last_rank != 99 || e != text.size())
        return std::nullopt;
      return *v;
    }
    if (e < text.size() && !is_blank(text[e]) && !is_digit(text[e])) return std::nullopt;
    if (found->rank >= last_rank) return std::nullopt;
    last_rank = found->rank;
    seconds += *v * found->scale;
    i = e;
  }
  if (last_rank == 99 || !std::isfinite(seconds)) return std::nullopt;
  return seconds;
}

}  // namespace copyeta::detail::text
