#pragma once

#include <copyeta/parsers/generic.hpp>
#include <copyeta/units.hpp>

namespace copyeta::parsers {

namespace generic_detail {

inline bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The end of a size written from `i`: digits, one optional '.', an optional K/M/G/T/P/E prefix
// with optional 'i' and 'B'. Returns i when there is no number there.
inline std::size_t size_end(std::string_view s, std::size_t i) noexcept {
  using detail::text::is_digit;
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  if (j == i) return i;
  if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
    ++j;
    while (j < s.size() && is_digit(s[j])) ++j;
  }
  if (j < s.size() && std::string_view("kKMGTPE").find(s[j]) != std::string_view::npos) {
    ++j;
    if (j < s.size() && s[j] == 'i') ++j;
  }
  if (j < s.size() && s[j] == 'B') ++j;
  return j;
}

// Not inside a word, a path or a number: what may touch an "N/M" pair or a percent.
inline bool free_before(std::string_view s, std::size_t i) noexcept {
  if (i == 0) return true;
  const char c = s[i - 1];
  return !(detail::text::is_digit(c) || is_alpha(c) || c == '.' || c == '/' || c == '-' ||
           c == '_' || c == ',' || c == ':' || c == '=');
}
inline bool free_after(std::string_view s, std::size_t j) noexcept {
  if (j >= s.size()) return true;
  const char c = s[j];
  return !(detail::text::is_digit(c) || is_alpha(c) || c == '/' || c == '_' || c == '-' ||
           (c == '.' && j + 1 < s.size() && detail::text::is_digit(s[j + 1])));
}

// tqdm's "[elapsed<remaining" ("[05:31<00:08, 292MB/s]").
inline void tqdm_times(std::string_view line, progress_reading& r) {
  const std::size_t open = line.find('[');
  if (open == std::string_view::npos) return;
  const std::size_t lt = line.find('<', open);
  if (lt == std::string_view::npos) return;
  std::size_t end = lt + 1;
  while (end < line.size() && line[end] != ',' && line[end] != ']') ++end;
  const auto elapsed = parse_duration(line.substr(open + 1, lt - open - 1));
  if (!elapsed) return;
  r.t = elapsed;
  r.tool_eta = parse_duration(line.substr(lt + 1, end - lt - 1));  // "?" -> nullopt
}

}  // namespace generic_detail

COPYETA_INLINE std::optional<progress_reading> generic_parser::feed(std::string_view line) {
  using namespace generic_detail;
  // The first "N/M" pair.
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (!detail::text::is_digit(line[i]) || !free_before(line, i)) continue;
    const std::size_t slash = size_end(line, i);
    if (slash >= line.size() || line[slash] != '/') continue;
    const std::size_t end = size_end(line, slash + 1);
    if (end == slash + 1 || !free_after(line, end)) continue;
    const auto done = parse_size(line.substr(i, slash - i));
    const auto total = parse_size(line.substr(slash + 1, end - slash - 1));
    if (!done || !total || *done > *total) continue;
    progress_reading r;
    r.done = done;
    r.total = total;
    tqdm_times(line, r);
    return r;
  }
  // Else the first percentage.
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (!detail::text::is_digit(line[i]) || !free_before(line, i)) continue;
    std::size_t j = i;
    while (j < line.size() && (detail::text::is_digit(line[j]) || line[j] == '.')) ++j;
    if (j >= line.size() || line[j] != '%') {
      i = j;
      continue;
    }
    const auto value = detail::text::plain_number(line.substr(i, j - i));
    if (!value) continue;
    auto r = detail::percent_reading(*value);
    if (!r) continue;
    tqdm_times(line, *r);
    return r;
  }
  return std::nullopt;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_generic_parser() {
  return std::make_unique<generic_parser>();
}

}  // namespace copyeta::parsers
