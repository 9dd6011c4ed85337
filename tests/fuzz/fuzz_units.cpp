// Fuzz target: the size and duration grammars (units.hpp) and trace amounts (parse_amount).
//
// The first byte picks the function (and the size convention); the rest is the text. Checked:
// nothing throws or overflows, durations are finite and non-negative, surrounding blanks never
// change a result, a plain integer parses to itself, and what parse_size accepts in one
// convention it accepts in every other.
#include "fuzz_check.hpp"

#include <copyeta/trace.hpp>
#include <copyeta/units.hpp>

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace {

using copyeta::amount;
using copyeta::unit_convention;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<amount> exact_integer(std::string_view s) {
  amount value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

void fuzz_size(std::string_view text, unit_convention convention) {
  const auto size = copyeta::parse_size(text, convention);
  const std::string padded = " \t" + std::string(text) + " ";
  FUZZ_CHECK(copyeta::parse_size(padded, convention) == size, "blanks changed parse_size");
  if (all_digits(text)) FUZZ_CHECK(size == exact_integer(text), "a plain integer is not itself");
  // The conventions differ only in the base of a prefix (1000 or 1024), never in what they
  // accept: decimal_si <= command_line <= binary, and only a larger base can overflow.
  const auto si = copyeta::parse_size(text, unit_convention::decimal_si);
  const auto cli = copyeta::parse_size(text, unit_convention::command_line);
  const auto bin = copyeta::parse_size(text, unit_convention::binary);
  if (bin) FUZZ_CHECK(cli && si, "accepted in base 1024 but not in base 1000");
  if (cli) FUZZ_CHECK(si.has_value(), "accepted on the command line but not as SI");
  if (!si) FUZZ_CHECK(!cli && !bin, "refused as SI but accepted in another convention");
  using ull = unsigned long long;
  if (si && cli)
    FUZZ_CHECK(*si <= *cli, "SI %llu > command line %llu", static_cast<ull>(*si),
               static_cast<ull>(*cli));
  if (cli && bin)
    FUZZ_CHECK(*cli <= *bin, "command line %llu > binary %llu", static_cast<ull>(*cli),
               static_cast<ull>(*bin));
}

void fuzz_duration(std::string_view text) {
  const auto seconds = copyeta::parse_duration(text);
  if (seconds) FUZZ_CHECK(std::isfinite(*seconds) && *seconds >= 0.0, "duration %g", *seconds);
  const std::string padded = "  " + std::string(text) + "\t";
  const auto again = copyeta::parse_duration(padded);
  FUZZ_CHECK(again.has_value() == seconds.has_value() && (!seconds || *again == *seconds),
             "blanks changed parse_duration");
}

void fuzz_amount(std::string_view text) {
  copyeta::reject_reason why = copyeta::reject_reason::none;
  const auto value = copyeta::parse_amount(text, &why);
  if (value) {
    FUZZ_CHECK(why == copyeta::reject_reason::none, "a value and a reason");
  } else {
    FUZZ_CHECK(why != copyeta::reject_reason::none, "no value and no reason");
  }
  if (all_digits(text)) {
    const auto exact = exact_integer(text);
    FUZZ_CHECK(value == exact, "a plain integer amount is not itself");
    if (!exact) FUZZ_CHECK(why == copyeta::reject_reason::amount_too_large, "reason for 2^64");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: fuzz_size(text, unit_convention::command_line); break;
    case 1: fuzz_size(text, unit_convention::binary); break;
    case 2: fuzz_size(text, unit_convention::decimal_si); break;
    case 3: fuzz_duration(text); break;
    default: fuzz_amount(text); break;
  }
  return 0;
}
