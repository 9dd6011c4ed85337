#pragma once

#include <copyeta/parsers/curl.hpp>
#include <copyeta/units.hpp>

#include <string>
#include <vector>

namespace copyeta::parsers {

namespace curl_detail {

// One of curl's time columns starting at w[i]: "0:23:10", "--:--:--", "117d 05h" (two words),
// "1234d". Advances i; `value` is nullopt for "--:--:--".
inline bool time_column(const std::vector<std::string_view>& w, std::size_t& i,
                        std::optional<double>& value) {
  using namespace detail::text;
  if (i >= w.size()) return false;
  if (w[i] == "--:--:--") {
    value.reset();
    ++i;
    return true;
  }
  if (w[i].find(':') != std::string_view::npos) {
    value = parse_duration(w[i]);
    ++i;
    return value.has_value();
  }
  if (ends_with(w[i], "d") && plain_integer(w[i].substr(0, w[i].size() - 1))) {
    std::string_view days = w[i];
    ++i;
    if (i < w.size() && w[i].size() == 3 && ends_with(w[i], "h") &&
        plain_integer(w[i].substr(0, 2))) {
      value = parse_duration(std::string(days) + " " + std::string(w[i]));
      ++i;
    } else {
      value = parse_duration(days);
    }
    return value.has_value();
  }
  return false;
}

// A size column: digits, optionally one of curl's suffixes (1024-based).
inline std::optional<amount> size_column(std::string_view word) {
  using namespace detail::text;
  if (word.empty() || !is_digit(word.front())) return std::nullopt;
  const char last = word.back();
  if (!is_digit(last) && last != 'k' && last != 'M' && last != 'G' && last != 'T' && last != 'P')
    return std::nullopt;
  return parse_size(word, unit_convention::binary);
}

inline bool percent_column(std::string_view word) noexcept {
  const auto v = detail::text::plain_integer(word);
  return v && *v <= 100;
}

// Whether w[i] starts a time column (see time_column).
inline bool is_time_word(std::string_view word) noexcept {
  using namespace detail::text;
  return word.find(':') != std::string_view::npos ||
         (ends_with(word, "d") && plain_integer(word.substr(0, word.size() - 1)));
}

// The meter row starting at w[first], using every word to the end; nullopt if it is not one.
// curl before 8.10 prints the three time columns always ("--:--:--" when unknown); later
// versions print mm:ss and leave unknown columns blank: no times on the first row, "Total Spent"
// at the end (Left blank, nothing remains), "Spent" alone when the size is unknown.
inline std::optional<progress_reading> row(const std::vector<std::string_view>& w,
                                           std::size_t first) {
  if (w.size() - first < 9) return std::nullopt;
  std::size_t i = first;
  if (!percent_column(w[i])) return std::nullopt;
  const auto total = size_column(w[i + 1]);
  if (!total || !percent_column(w[i + 2])) return std::nullopt;
  const auto received = size_column(w[i + 3]);
  if (!received || !percent_column(w[i + 4])) return std::nullopt;
  const auto xferd = size_column(w[i + 5]);
  if (!xferd || !size_column(w[i + 6]) || !size_column(w[i + 7])) return std::nullopt;
  i += 8;
  std::optional<double> times[3];
  std::size_t count = 0;
  while (i < w.size() && is_time_word(w[i])) {
    if (count == 3 || !time_column(w, i, times[count])) return std::nullopt;
    ++count;
  }
  if (i + 1 != w.size() || !size_column(w[i])) return std::nullopt;
  progress_reading r;
  // An upload counts in Xferd; a download in Received.
  r.done = (*received == 0 && *xferd > 0) ? *xferd : *received;
  if (*total > 0) r.total = total;
  switch (count) {
    case 3: r.t = times[1]; r.tool_eta = times[2]; break;
    case 2:  // newer curl at the end: Left is blank because nothing remains
      r.t = times[1];
      if (r.total && *r.done >= *r.total) r.tool_eta = 0.0;
      break;
    case 1: r.t = times[0]; break;  // newer curl, unknown size: Spent alone
    default: break;
  }
  return r;
}

}  // namespace curl_detail

COPYETA_INLINE std::optional<progress_reading> curl_parser::feed(std::string_view line) {
  using namespace detail::text;
  auto w = words(line);
  // A trailing "^C" (interrupted) or '"' (a quoted log message) is not part of the row.
  while (!w.empty()) {
    std::string_view& last = w.back();
    if (ends_with(last, "^C")) last.remove_suffix(2);
    else if (ends_with(last, "\"")) last.remove_suffix(1);
    else break;
    if (last.empty()) w.pop_back();
  }
  // The row is the last 9 to 15 words (blank time columns in newer curl; "117d 05h" takes two
  // words). The shortest suffix that parses wins, so that a prefix is never taken as a column.
  for (std::size_t n = 9; n <= 15 && n <= w.size(); ++n) {
    const std::size_t first = w.size() - n;
    if (auto r = curl_detail::row(w, first)) return r;
  }
  return std::nullopt;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_curl_parser() {
  return std::make_unique<curl_parser>();
}

}  // namespace copyeta::parsers
