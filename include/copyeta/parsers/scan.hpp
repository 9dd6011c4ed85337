// Small text scanners shared by the tool parsers in parsers/ (rclone, ddrescue, Proxmox, gh-ost, ...).
//
// Why not only units.hpp: tools spell sizes in ways a command-line size parser should not
// accept ("136.232 GiByte", "32.183Mi", "8.76gB", "0_B"), and parsers also need the display
// resolution of a size (to choose between "25.7 GiB" and "(80.26%)"). Everything here is
// inline, allocation-free where possible, and never throws.
#pragma once

#include <copyeta/detail/text.hpp>
#include <copyeta/progress_line.hpp>
#include <copyeta/sample.hpp>

#include <charconv>
#include <cmath>
#include <system_error>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta {
namespace parsers {
namespace scan {

using detail::text::is_alpha;
using detail::text::is_digit;
using detail::text::starts_with;
inline bool is_space(char c) noexcept { return detail::text::is_blank(c); }
inline std::string_view trim(std::string_view s) noexcept { return detail::text::strip(s); }

inline void skip_spaces(std::string_view s, std::size_t& pos) noexcept {
  detail::text::skip_blanks(s, pos);
}

// Terminal control sequences (ESC [ ... final byte) and other control bytes removed: ddrescue
// and rclone -P redraw their screens with cursor movements that end up inside piped lines.
inline std::string strip_controls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\x1b') {
      if (i + 1 < s.size() && s[i + 1] == '[') {
        i += 2;
        while (i < s.size() && !(s[i] >= '@' && s[i] <= '~')) ++i;
      } else if (i + 1 < s.size()) {
        ++i;  // two-byte escape
      }
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') continue;
    out.push_back(c);
  }
  return out;
}

// A decimal number as printed: digits with an optional fraction. Kept as mantissa and decimal
// count so that sizes convert exactly ("146157010944" stays exact, "74.996" is 74996e-3).
struct number {
  std::uint64_t mantissa = 0;
  int decimals = 0;
  long double value() const noexcept {
    return static_cast<long double>(mantissa) / std::pow(10.0L, static_cast<long double>(decimals));
  }
};

// Reads a number at `pos` (no sign); advances `pos` past it. Rejects more than 19 digits.
inline std::optional<number> read_number(std::string_view s, std::size_t& pos) noexcept {
  std::size_t i = pos;
  number n;
  int digits = 0;
  while (i < s.size() && is_digit(s[i])) {
    if (++digits > 19) return std::nullopt;
    n.mantissa = n.mantissa * 10 + static_cast<std::uint64_t>(s[i] - '0');
    ++i;
  }
  if (digits == 0) return std::nullopt;
  if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
    ++i;
    while (i < s.size() && is_digit(s[i])) {
      if (++digits > 19) return std::nullopt;
      n.mantissa = n.mantissa * 10 + static_cast<std::uint64_t>(s[i] - '0');
      ++n.decimals;
      ++i;
    }
  }
  pos = i;
  return n;
}

// A whole text that is one number ("54", " 3.5 ").
inline std::optional<long double> whole_number(std::string_view s) noexcept {
  s = trim(s);
  std::size_t pos = 0;
  const auto n = read_number(s, pos);
  if (!n || pos != s.size()) return std::nullopt;
  return n->value();
}

// Rounds a non-negative value to an amount; nullopt when out of range.
inline std::optional<amount> to_amount(long double v) noexcept {
  if (!(v >= 0.0L) || !std::isfinite(v) || v > 18446744073709551615.0L) return std::nullopt;
  const long double r = std::floor(v + 0.5L);
  if (r >= 18446744073709551616.0L) return std::nullopt;
  return static_cast<amount>(r);
}

enum class prefixes : unsigned char {
  binary,   // k M G T P E = 1024^n whatever the spelling (rclone, Proxmox, gh-less tools)
  decimal,  // k M G T = 1000^n, but Ki Mi Gi = 1024^n (ddrescue, Etcher, s3p, NX-Migrator)
};

// The unit after a number: optional spaces, then "", "B", "bytes", "k", "KiB", "MBytes",
// "GiByte", "gB", "Mi", "_B" ... Advances `pos` past it and returns the multiplier; nullopt
// for a word that is not a unit. A unit must not run on into more letters ("Gibberish").
inline std::optional<long double> read_unit(std::string_view s, std::size_t& pos, prefixes p) noexcept {
  std::size_t i = pos;
  while (i < s.size() && (s[i] == ' ' || s[i] == '_')) ++i;  // s3p prints "0_B"
  long double mult = 1.0L;
  if (i < s.size()) {
    int power = 0;
    switch (s[i]) {
      case 'k': case 'K': power = 1; break;
      case 'M': case 'm': power = 2; break;
      case 'G': case 'g': power = 3; break;
      case 'T': case 't': power = 4; break;
      case 'P': case 'p': power = 5; break;
      case 'E': case 'e': power = 6; break;
      default: break;
    }
    if (power > 0) {
      std::size_t j = i + 1;
      bool binary_spelling = false;
      if (j < s.size() && s[j] == 'i') {
        binary_spelling = true;
        ++j;
      }
      // Lowercase m/g/t/p/e alone are not prefixes unless a byte word follows ("gB" in s3p).
      const bool lower = s[i] != 'k' && s[i] >= 'a' && s[i] <= 'z';
      std::size_t k = j;
      bool byte_word = false;
      for (std::string_view w : {"Bytes", "bytes", "Byte", "byte", "B"}) {
        if (s.substr(k, w.size()) == w) {
          k += w.size();
          byte_word = true;
          break;
        }
      }
      if (lower && !byte_word && !binary_spelling) return std::nullopt;
      if (k < s.size() && is_alpha(s[k])) return std::nullopt;
      const long double base = (p == prefixes::binary || binary_spelling) ? 1024.0L : 1000.0L;
      mult = std::pow(base, static_cast<long double>(power));
      pos = k;
      return mult;
    }
    for (std::string_view w : {"Bytes", "bytes", "Byte", "byte", "B"}) {
      if (s.substr(i, w.size()) == w) {
        const std::size_t k = i + w.size();
        if (k < s.size() && is_alpha(s[k])) return std::nullopt;
        pos = k;
        return 1.0L;
      }
    }
    if (is_alpha(s[i])) return std::nullopt;
  }
  // No unit: plain bytes; leave any spaces unconsumed.
  return 1.0L;
}

// a + b for counts that parsers add up (files, snapshots); nullopt past 2^64 - 1.
inline std::optional<amount> sum(amount a, amount b) noexcept {
  if (a > ~amount{0} - b) return std::nullopt;
  return a + b;
}

// A size with the resolution of its display (one unit of its last printed digit, in bytes).
struct size_reading {
  amount value = 0;
  long double resolution = 1.0L;
};

inline std::optional<size_reading> read_size(std::string_view s, std::size_t& pos, prefixes p) noexcept {
  std::size_t i = pos;
  skip_spaces(s, i);
  const auto n = read_number(s, i);
  if (!n) return std::nullopt;
  const auto mult = read_unit(s, i, p);
  if (!mult) return std::nullopt;
  const auto v = to_amount(n->value() * *mult);
  if (!v) return std::nullopt;
  pos = i;
  return size_reading{*v, *mult / std::pow(10.0L, static_cast<long double>(n->decimals))};
}

// Durations as tools print them (detail::text::duration): "19.8s", "13h15m17.2s", "19h  7m 58s",
// "5 sec", "1s 6ms", "2d3h", "0:02:50", "05:31". With `bare_seconds`, a lone unitless number is
// seconds ("duration 7750"); without, a lone number is not a duration.
inline std::optional<double> duration(std::string_view text, bool bare_seconds = false) noexcept {
  return detail::text::duration(text, bare_seconds);
}

// Reads a duration token starting at `pos`: the longest run of number+unit groups (stops at
// ',', ';', '(' or anything that is not part of a duration).
inline std::optional<double> read_duration(std::string_view s, std::size_t pos,
                                           bool bare_seconds = false) noexcept {
  std::size_t e = pos;
  while (e < s.size() && (is_digit(s[e]) || is_alpha(s[e]) || s[e] == '.' || s[e] == ':' || s[e] == ' ')) ++e;
  // Give back trailing words that are not durations ("5 sec" is, "8s with" is not).
  std::string_view cand = s.substr(pos, e - pos);
  while (!cand.empty()) {
    if (auto d = duration(cand, bare_seconds)) return d;
    const std::size_t sp = trim(cand).rfind(' ');
    if (sp == std::string_view::npos) break;
    cand = cand.substr(0, sp);
  }
  return std::nullopt;
}

// A JSON-style number at `pos` ("23.73800786100037", "1e3"), advancing `pos`.
inline std::optional<double> read_double(std::string_view s, std::size_t& pos) noexcept {
  if (pos >= s.size() || !(is_digit(s[pos]) || s[pos] == '-')) return std::nullopt;
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), v);
  if (ec != std::errc() || !std::isfinite(v)) return std::nullopt;
  pos = static_cast<std::size_t>(end - s.data());
  return v;
}

// Where the value of `"key":` starts in a one-line JSON object (after the colon and spaces), or
// nullopt. Searches without building the quoted key, so it cannot allocate.
inline std::optional<std::size_t> json_value_at(std::string_view s, std::string_view key) noexcept {
  for (std::size_t at = s.find(key); at != std::string_view::npos; at = s.find(key, at + 1)) {
    const std::size_t after = at + key.size();
    if (at == 0 || s[at - 1] != '"' || after >= s.size() || s[after] != '"') continue;
    std::size_t pos = after + 1;
    skip_spaces(s, pos);
    if (pos >= s.size() || s[pos] != ':') return std::nullopt;
    ++pos;
    skip_spaces(s, pos);
    return pos;
  }
  return std::nullopt;
}

// The number value of `"key":`, or nullopt.
inline std::optional<double> json_number(std::string_view s, std::string_view key) noexcept {
  auto pos = json_value_at(s, key);
  if (!pos) return std::nullopt;
  return read_double(s, *pos);
}

// The string value of `"key":"..."` (no escapes inside), or nullopt.
inline std::optional<std::string_view> json_string(std::string_view s, std::string_view key) noexcept {
  const auto pos = json_value_at(s, key);
  if (!pos || *pos >= s.size() || s[*pos] != '"') return std::nullopt;
  const std::size_t end = s.find('"', *pos + 1);
  if (end == std::string_view::npos) return std::nullopt;
  return s.substr(*pos + 1, end - *pos - 1);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
inline long long days_from_civil(long long y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

// Reads exactly `n` digits at pos.
inline std::optional<unsigned> fixed_digits(std::string_view s, std::size_t pos, std::size_t n) noexcept {
  if (pos + n > s.size()) return std::nullopt;
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return std::nullopt;
    v = v * 10 + static_cast<unsigned>(s[pos + i] - '0');
  }
  return v;
}

// "HH:MM:SS" at pos, with an optional ",mmm" or ".fff" fraction: seconds of the day.
inline std::optional<double> clock_of_day(std::string_view s, std::size_t pos) noexcept {
  const auto h = fixed_digits(s, pos, 2), mi = fixed_digits(s, pos + 3, 2), se = fixed_digits(s, pos + 6, 2);
  if (!h || !mi || !se || s[pos + 2] != ':' || s[pos + 5] != ':') return std::nullopt;
  double t = *h * 3600.0 + *mi * 60.0 + *se;
  std::size_t i = pos + 8;
  if (i + 1 < s.size() && (s[i] == ',' || s[i] == '.') && is_digit(s[i + 1])) {
    double scale = 0.1;
    for (++i; i < s.size() && is_digit(s[i]); ++i, scale /= 10) t += (s[i] - '0') * scale;
  }
  return t;
}

// A log timestamp "YYYY-MM-DD HH:MM:SS[,mmm]" or ISO "YYYY-MM-DDTHH:MM:SS[.fff]Z" at pos, as
// seconds since 1970 (the zone is ignored: parsers only take differences).
inline std::optional<double> iso_timestamp(std::string_view s, std::size_t pos) noexcept {
  const auto y = fixed_digits(s, pos, 4), mo = fixed_digits(s, pos + 5, 2), d = fixed_digits(s, pos + 8, 2);
  if (!y || !mo || !d || s[pos + 4] != '-' || s[pos + 7] != '-' || pos + 10 >= s.size() ||
      (s[pos + 10] != ' ' && s[pos + 10] != 'T') || *mo < 1 || *mo > 12 || *d < 1 || *d > 31)
    return std::nullopt;
  const auto c = clock_of_day(s, pos + 11);
  if (!c) return std::nullopt;
  return static_cast<double>(days_from_civil(*y, *mo, *d)) * 86400.0 + *c;
}

// The traces' `pct` convention: done = percent * 1e6 of total 1e8 (progress_line.hpp).
inline std::optional<progress_reading> percent_reading(const number& pct) noexcept {
  if (pct.decimals > 6) return std::nullopt;
  std::uint64_t scale = 1000000;
  for (int k = 0; k < pct.decimals; ++k) scale /= 10;
  if (pct.mantissa > 100000000ULL / scale) return std::nullopt;  // above 100%
  progress_reading r;
  r.done = pct.mantissa * scale;
  r.total = 100000000ULL;
  r.percent_only = true;
  return r;
}

}  // namespace scan
}  // namespace parsers
}  // namespace copyeta
