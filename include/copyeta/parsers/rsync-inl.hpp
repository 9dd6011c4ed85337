#pragma once

#include <copyeta/parsers/rsync.hpp>
#include <copyeta/parsers/scan.hpp>
#include <copyeta/units.hpp>

#include <algorithm>

namespace copyeta::parsers {

namespace rsync_detail {

// "45%" -> 45 (rsync prints whole percents).
inline std::optional<unsigned> whole_percent(std::string_view word) noexcept {
  if (!detail::text::ends_with(word, "%")) return std::nullopt;
  const auto value = detail::text::plain_integer(word.substr(0, word.size() - 1));
  if (!value || *value > 100) return std::nullopt;
  return static_cast<unsigned>(*value);
}

// The least total that `done` at a truncated percent allows: the true percent lies in [p, p + 1),
// so the total is above done * 100 / (p + 1); exactly done at 100%.
inline std::optional<amount> least_total(amount done, unsigned percent) noexcept {
  if (percent == 100) return done;
  if (done > ~amount{0} / 100) return std::nullopt;
  return done * 100 / (percent + 1);
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
    r.tool_eta = clock;  // per-file mode: the file's, so the time to the total below
  else if (*percent < 100)
    r.t = clock;  // progress2: elapsed since the transfer started

  // Files are added up in per-file mode only (see rsync.hpp).
  if (ends_file && *percent < 100 && s_.kind == mode::unknown) s_.kind = mode::progress2;
  if (s_.kind == mode::progress2) return r;
  const bool file_done = ends_file && *percent == 100;
  const auto completed = file_done ? scan::sum(s_.completed, *done) : s_.completed;
  if (!completed) return std::nullopt;
  if (s_.kind == mode::unknown && s_.ended && *done < *s_.ended) s_.kind = mode::per_file;
  if (s_.kind == mode::per_file) {
    r.done = scan::sum(s_.completed, *done);
    if (!r.done) return std::nullopt;
    // Lower bounds only, so that the largest one so far is still below the copy's total.
    r.total.reset();
    if (const auto file_total = rsync_detail::least_total(*done, *percent))
      if (const auto sum = scan::sum(s_.completed, *file_total))
        r.total = std::max(*sum, s_.max_total);
    if (r.total) s_.max_total = *r.total;
  }
  s_.completed = *completed;
  s_.ended = file_done ? done : std::nullopt;
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_rsync_parser() {
  return std::make_unique<rsync_parser>();
}

}  // namespace copyeta::parsers
