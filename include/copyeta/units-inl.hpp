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
  return detail::text::duration(text, /*bare_seconds=*/true);
}

}  // namespace copyeta
