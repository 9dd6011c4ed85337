#pragma once

#include <copyeta/parsers/scan.hpp>
#include <copyeta/parsers/zfs_send.hpp>

namespace copyeta::parsers {

namespace zfs_send_detail {

// "HH:MM:SS" as seconds of the day (60 seconds allowed: localtime's leap second).
inline std::optional<double> time_of_day(std::string_view word) noexcept {
  if (word.size() != 8 || word[2] != ':' || word[5] != ':') return std::nullopt;
  const auto h = scan::fixed_digits(word, 0, 2), m = scan::fixed_digits(word, 3, 2),
             s = scan::fixed_digits(word, 6, 2);
  if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) return std::nullopt;
  return *h * 3600.0 + *m * 60.0 + *s;
}

}  // namespace zfs_send_detail

COPYETA_INLINE std::optional<progress_reading> zfs_send_parser::feed(std::string_view line) {
  using detail::text::plain_integer;
  const auto w = detail::text::words(line);
  if (w.size() < 2) return std::nullopt;
  // The estimates come first: one line per snapshot, then their sum.
  if (w[0] == "size") {
    if (w.size() == 2)
      if (const auto n = plain_integer(w[1])) s_.size_total = *n;
    return std::nullopt;
  }
  if ((w[0] == "full" && w.size() >= 3) || (w[0] == "incremental" && w.size() >= 4)) {
    if (const auto n = plain_integer(w.back()))
      if (const auto sum = scan::sum(s_.snapshot_sum.value_or(0), *n)) s_.snapshot_sum = sum;
    return std::nullopt;
  }

  if (w.size() < 3) return std::nullopt;
  const auto time = zfs_send_detail::time_of_day(w[0]);
  const auto bytes = plain_integer(w[1]);
  if (!time || !bytes) return std::nullopt;
  const std::size_t name_at = w.size() > 3 && plain_integer(w[2]) ? 3 : 2;  // -vv's blocks
  // The rest of the line, as dataset names may hold spaces: a snapshot ('@') or a child ('/').
  const std::string_view name = detail::text::strip(
      line.substr(static_cast<std::size_t>(w[name_at].data() - line.data())));
  if (name.find('@') == std::string_view::npos && name.find('/') == std::string_view::npos)
    return std::nullopt;

  amount earlier = s_.earlier_snapshots;
  if (!s_.snapshot.empty() && name != s_.snapshot) {
    const auto sum = scan::sum(earlier, s_.snapshot_bytes);
    if (!sum) return std::nullopt;
    earlier = *sum;
  }
  const auto done = scan::sum(earlier, *bytes);
  if (!done) return std::nullopt;
  s_.earlier_snapshots = earlier;
  s_.snapshot.assign(name);
  s_.snapshot_bytes = *bytes;

  if (!s_.first_time) s_.first_time = *time;
  else if (*time < s_.last_time) s_.days += 86400.0;
  s_.last_time = *time;

  progress_reading r;
  r.t = s_.days + *time - *s_.first_time;
  r.done = done;
  r.total = s_.size_total ? s_.size_total : s_.snapshot_sum;
  return r;
}

COPYETA_INLINE void zfs_send_parser::reset() noexcept { s_ = state{}; }

COPYETA_INLINE std::unique_ptr<line_parser> make_zfs_send_parser() {
  return std::make_unique<zfs_send_parser>();
}

}  // namespace copyeta::parsers
