#pragma once

#include <copyeta/parsers/rsync.hpp>
#include <copyeta/units.hpp>

namespace copyeta::parsers {

namespace rsync_detail {

// "45%" -> 45 (rsync prints whole percents).
inline std::optional<unsigned> whole_percent(std::string_view word) noexcept {
  if (!detail::text::ends_with(word, "%")) return std::nullopt;
  const auto value = detail::text::plain_integer(word.substr(0, word.size() - 1));
  if (!value || *value > 100) return std::nullopt;
  return static_cast<unsigned>(*value);
}

// "h:mm:ss" (rsync always prints hours); "??:??:??" when unknown.
inline bool is_clock(std::string_view word) noexcept {
  return word.size() >= 7 && word[word.size() - 3] == ':' && word[word.size() - 6] == ':';
}

}  // namespace rsync_detail

COPYETA_INLINE std::optional<progress_reading> rsync_parser::feed(std::string_view line) {
  using namespace detail::text;
  const auto w = words(line);
  // size percent rate time [(xfr#N, to-chk=A/B)]
  if (w.size() < 4) return std::nullopt;
  const auto percent = rsync_detail::whole_percent(w[1]);
  if (!percent || !ends_with(w[2], "/s") || !rsync_detail::is_clock(w[3])) return std::nullopt;
  // The rate starts with a digit (or is rsync's "???").
  if (!is_digit(w[2].front()) && w[2].front() != '?') return std::nullopt;
  bool ends_file = false;
  if (w.size() > 4) {
    if (!starts_with(w[4], "(xfr#") && !starts_with(w[4], "(xfer#")) return std::nullopt;
    ends_file = true;
  }
  std::optional<amount> done = grouped_integer(w[0]);
  if (!done) {
    // -h sizes: "105.45M", "16.37M", "1.66M" (a digit first, a K/M/G/T/P suffix).
    if (!is_digit(w[0].front()) || is_digit(w[0].back())) return std::nullopt;
    done = parse_size(w[0], unit_convention::binary);
    if (!done) return std::nullopt;
  }
  progress_reading r;
  r.done = done;
  r.total = detail::total_from_percent(*done, *percent);
  const auto clock = parse_duration(w[3]);  // nullopt for "??:??:??"
  if (!ends_file)
    r.tool_eta = clock;
  else if (*percent < 100)
    r.t = clock;  // progress2: elapsed since the transfer started
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_rsync_parser() {
  return std::make_unique<rsync_parser>();
}

}  // namespace copyeta::parsers
