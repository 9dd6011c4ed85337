#pragma once

#include <copyeta/parsers/pv.hpp>
#include <copyeta/units.hpp>

#include <cstddef>

namespace copyeta::parsers {

namespace pv_detail {

// pv's byte counter: a number and a unit ending in 'B' ("0B", "2.74KiB", "277MiB", "1.2kB").
inline std::optional<amount> byte_counter(std::string_view word) {
  using namespace detail::text;
  if (word.empty() || !is_digit(word.front()) || !ends_with(word, "B")) return std::nullopt;
  return parse_size(word, unit_convention::binary);
}

// pv's timer: "0:00:01", "1:17:06", "1:15:26:23" (days).
inline std::optional<double> timer(std::string_view word) {
  if (word.find(':') == std::string_view::npos) return std::nullopt;
  return parse_duration(word);
}

inline bool has_digit(std::string_view word) noexcept {
  for (const char c : word)
    if (detail::text::is_digit(c)) return true;
  return false;
}

// pv -n: "45" or "12.5 45" (-t): percent_only; a value above 100 is a byte count (-n -b).
inline std::optional<progress_reading> numeric(std::string_view line) {
  using namespace detail::text;
  const auto w = words(line);
  if (w.empty() || w.size() > 2) return std::nullopt;
  std::optional<double> t;
  if (w.size() == 2) {
    t = plain_number(w[0]);
    if (!t) return std::nullopt;
  }
  const auto value = plain_integer(w.back());
  if (!value) return std::nullopt;
  if (*value <= 100) {
    auto r = detail::percent_reading(static_cast<double>(*value));
    if (r) r->t = t;
    return r;
  }
  progress_reading r;
  r.done = value;
  r.t = t;
  return r;
}

}  // namespace pv_detail

COPYETA_INLINE std::optional<progress_reading> pv_parser::feed(std::string_view line) {
  using namespace detail::text;
  if (auto r = pv_detail::numeric(line)) return r;

  std::optional<amount> done;
  std::optional<double> t, eta;
  std::optional<unsigned> percent;
  bool rate = false;
  bool eta_next = false;
  std::size_t i = 0;
  while (i < line.size()) {
    if (is_blank(line[i])) {
      ++i;
      continue;
    }
    if (line[i] == '[') {
      // A bracket group: the rate "[ 199MiB/s]" or the bar "[===>   ]" / "[  <=>  ]".
      const std::size_t close = line.find(']', i);
      const std::string_view group =
          line.substr(i + 1, close == std::string_view::npos ? std::string_view::npos
                                                              : close - i - 1);
      if (group.find("/s") != std::string_view::npos) {
        rate = true;
      } else {
        for (const char c : group)
          if (c != '=' && c != '>' && c != '<' && c != ' ' && c != '-') return std::nullopt;
      }
      if (close == std::string_view::npos) break;  // a bar cut by the line's end
      i = close + 1;
      continue;
    }
    std::size_t end = i;
    while (end < line.size() && !is_blank(line[end]) && line[end] != '[') ++end;
    const std::string_view word = line.substr(i, end - i);
    i = end;
    if (eta_next) {
      eta = pv_detail::timer(word);
      eta_next = false;
      if (!eta) return std::nullopt;
      continue;
    }
    if (word == "ETA") {  // "FIN" (pv -I) shows a clock time, not a duration: ignored
      eta_next = true;
      continue;
    }
    if (!done)
      if (const auto size = pv_detail::byte_counter(word)) {
        done = size;
        continue;
      }
    if (!t)
      if (const auto clock = pv_detail::timer(word)) {
        t = clock;
        continue;
      }
    if (!percent && ends_with(word, "%")) {
      const auto p = plain_integer(word.substr(0, word.size() - 1));
      if (!p || *p > 100) return std::nullopt;
      percent = static_cast<unsigned>(*p);
      continue;
    }
    if (pv_detail::has_digit(word)) return std::nullopt;  // not pv's
  }
  if (!done || (!t && !rate)) return std::nullopt;
  progress_reading r;
  r.done = done;
  r.t = t;
  r.tool_eta = eta;
  if (percent) r.total = detail::total_from_percent(*done, *percent);
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_pv_parser() {
  return std::make_unique<pv_parser>();
}

}  // namespace copyeta::parsers
