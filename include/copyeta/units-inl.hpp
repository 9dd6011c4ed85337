#pragma once

// input_policy.hpp first: detail/amount.hpp needs its declarations (as in trace.hpp).
#include <copyeta/input_policy.hpp>
#include <copyeta/detail/amount.hpp>
#include <copyeta/units.hpp>

#include <cmath>

namespace copyeta {

COPYETA_INLINE std::optional<amount> parse_size(std::string_view text,
                                                unit_convention convention) {
  using namespace detail::text;
  text = strip(text);
  // The number: digits with at most one '.', nothing else (no sign, no exponent, no ',').
  std::size_t n = 0;
  while (n < text.size() && (is_digit(text[n]) || text[n] == '.')) ++n;
  const std::string_view number = text.substr(0, n);
  const auto value = plain_number(number);
  if (!value) return std::nullopt;
  std::string_view unit = strip(text.substr(n));

  // The unit: an optional prefix, an optional 'i' (binary spelling), an optional byte word.
  int power = 0;
  bool prefix_lower_k = false;
  if (!unit.empty()) {
    switch (unit.front()) {
      case 'k': prefix_lower_k = true; power = 1; break;
      case 'K': power = 1; break;
      case 'M': power = 2; break;
      case 'G': power = 3; break;
      case 'T': power = 4; break;
      case 'P': power = 5; break;
      case 'E': power = 6; break;
      default: break;
    }
    if (power > 0) unit.remove_prefix(1);
  }
  bool binary_spelling = false;
  if (power > 0 && !unit.empty() && unit.front() == 'i') {
    binary_spelling = true;
    unit.remove_prefix(1);
  }
  // "B", "Byte(s)", "byte(s)"; after an 'i' ("KiB", rclone's "Mi" and "GiByte") no lower case.
  const bool byte_word = !unit.empty();
  if (byte_word && unit != "B" && unit != "Bytes" && unit != "Byte" &&
      (binary_spelling || (unit != "bytes" && unit != "byte")))
    return std::nullopt;
  (void)prefix_lower_k;  // 'k' and 'K' mean the same in every convention below

  // 1024 or 1000 per step, by convention (see units.hpp).
  bool thousand = false;
  switch (convention) {
    case unit_convention::command_line: thousand = !binary_spelling && byte_word; break;
    case unit_convention::binary: thousand = false; break;
    case unit_convention::decimal_si: thousand = !binary_spelling; break;
  }
  const amount base = thousand ? 1000u : 1024u;

  // Exact integer arithmetic when the number is an integer; rounding otherwise.
  if (number.find('.') == std::string_view::npos) {
    auto exact = plain_integer(number);
    if (!exact) return std::nullopt;  // more than 2^64-1
    amount result = *exact;
    for (int i = 0; i < power; ++i) {
      if (result > ~amount{0} / base) return std::nullopt;
      result *= base;
    }
    return result;
  }
  const double scaled = *value * std::pow(static_cast<double>(base), power);
  reject_reason why{};
  return detail::amount_from_double(scaled, why);
}

COPYETA_INLINE std::optional<double> parse_duration(std::string_view text) {
  using namespace detail::text;
  text = strip(text);
  if (text.empty()) return std::nullopt;

  // Colon form: [[d:]h:]m:s, the seconds possibly fractional.
  if (text.find(':') != std::string_view::npos) {
    double parts[4] = {0, 0, 0, 0};
    std::size_t count = 0;
    std::size_t start = 0;
    for (;;) {
      const std::size_t colon = text.find(':', start);
      const std::string_view part = text.substr(start, colon == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : colon - start);
      if (count == 4) return std::nullopt;
      const bool last = colon == std::string_view::npos;
      // Only the seconds may have a fraction; "--" (curl's unknown) fails here.
      const auto v = last ? plain_number(part) : plain_integer(part).has_value()
                                                     ? plain_number(part)
                                                     : std::nullopt;
      if (!v) return std::nullopt;
      parts[count++] = *v;
      if (last) break;
      start = colon + 1;
    }
    if (count < 2) return std::nullopt;
    if (parts[count - 1] >= 60.0) return std::nullopt;
    if (count >= 3 && parts[count - 2] >= 60.0) return std::nullopt;
    if (count == 4 && parts[1] >= 24.0) return std::nullopt;
    static constexpr double scale_from_right[4] = {1.0, 60.0, 3600.0, 86400.0};
    double seconds = 0.0;
    for (std::size_t i = 0; i < count; ++i) seconds += parts[i] * scale_from_right[count - 1 - i];
    return seconds;
  }

  // Unit form: "1h2m3s", "11m49s", "19.8s", "3058 s", "5d 03h", "8m 3s", "250ms"; a bare
  // number is seconds. Each unit at most once, from larger to smaller.
  double seconds = 0.0;
  int last_rank = 99;
  std::size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    while (i < text.size() && is_blank(text[i])) ++i;
    if (i == text.size()) break;
    std::size_t j = i;
    while (j < text.size() && (is_digit(text[j]) || text[j] == '.')) ++j;
    const auto v = plain_number(text.substr(i, j - i));
    if (!v) return std::nullopt;
    while (j < text.size() && text[j] == ' ') ++j;
    double scale = 1.0;
    int rank = 0;
    if (j == text.size()) {
      if (any) return std::nullopt;  // "5m 3" is not a duration
      scale = 1.0;
      rank = 0;
    } else if (text.substr(j, 2) == "ms") {
      scale = 0.001; rank = 0; j += 2;
    } else {
      switch (text[j]) {
        case 'd': scale = 86400.0; rank = 4; break;
        case 'h': scale = 3600.0; rank = 3; break;
        case 'm': scale = 60.0; rank = 2; break;
        case 's': scale = 1.0; rank = 1; break;
        default: return std::nullopt;
      }
      ++j;
      // "3058 s", "19.8s", "3 sec", "3 secs": tolerate the usual long spellings of seconds.
      if (rank == 1) {
        for (const std::string_view tail : {std::string_view("ecs"), std::string_view("ec")})
          if (text.substr(j, tail.size()) == tail) { j += tail.size(); break; }
      }
    }
    if (j < text.size() && !is_blank(text[j]) && !is_digit(text[j])) return std::nullopt;
    if (rank >= last_rank) return std::nullopt;
    last_rank = rank;
    seconds += *v * scale;
    any = true;
    i = j;
  }
  if (!any) return std::nullopt;
  return seconds;
}

}  // namespace copyeta
