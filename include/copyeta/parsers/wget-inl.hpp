#pragma once

#include <copyeta/parsers/wget.hpp>
#include <copyeta/units.hpp>

#include <algorithm>
#include <string>
#include <utility>

namespace copyeta::parsers {

namespace wget_detail {

// A duration that may use a decimal comma (wget follows the locale: "=1,2s").
inline std::optional<double> duration(std::string_view text) {
  std::string copy(text);
  for (char& c : copy)
    if (c == ',') c = '.';
  return parse_duration(copy);
}

// The duration at the start of `text`: "65s" of "65subuntu@box:~$" (a shell prompt glued to
// wget's last line when its output has no final newline), "1m2s", "0,4s".
inline std::string_view duration_prefix(std::string_view text) noexcept {
  std::size_t end = 0, i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && (detail::text::is_digit(text[j]) || text[j] == '.' || text[j] == ','))
      ++j;
    if (j == i || j == text.size()) break;
    if (text[j] != 'd' && text[j] != 'h' && text[j] != 'm' && text[j] != 's') break;
    end = j + 1;
    if (text[j] == 'm' && j + 1 < text.size() && text[j + 1] == 's') end = j + 2;  // "ms"
    i = end;
  }
  return text.substr(0, end);
}

// "22%" -> 22.
inline std::optional<unsigned> whole_percent(std::string_view word) noexcept {
  if (!detail::text::ends_with(word, "%")) return std::nullopt;
  const auto value = detail::text::plain_integer(word.substr(0, word.size() - 1));
  if (!value || *value > 100) return std::nullopt;
  return static_cast<unsigned>(*value);
}

// The bar's size column: "229.32M", "1.02G", "512K", "45" (bytes), "240,456,789" (old wget).
inline std::optional<amount> size_column(std::string_view word) {
  using namespace detail::text;
  if (word.empty() || !is_digit(word.front())) return std::nullopt;
  if (const auto exact = grouped_integer(word)) return exact;
  if (word.find(',') != std::string_view::npos) {
    // A decimal comma ("229,32M"): the locale's separator.
    std::string copy(word);
    for (char& c : copy)
      if (c == ',') c = '.';
    return parse_size(copy, unit_convention::binary);
  }
  return parse_size(word, unit_convention::binary);
}

// "... saved [N/M]" or "... saved [N]".
inline std::optional<progress_reading> saved(std::string_view line) {
  using namespace detail::text;
  const std::size_t at = line.rfind(" saved [");
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t open = at + 7;
  const std::size_t close = line.find(']', open);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view inside = line.substr(open + 1, close - open - 1);
  const std::size_t slash = inside.find('/');
  const auto done = plain_integer(inside.substr(0, slash));
  if (!done) return std::nullopt;
  progress_reading r;
  r.done = done;
  if (slash != std::string_view::npos) {
    const auto total = plain_integer(inside.substr(slash + 1));
    if (!total) return std::nullopt;
    r.total = total;
  }
  return r;
}

// "Length: 42399744 (40M), 37566827 (36M) remaining [...]" -> (length, remaining).
inline std::optional<std::pair<amount, std::optional<amount>>> length(std::string_view line) {
  using namespace detail::text;
  line = strip(line);
  if (!starts_with(line, "Length: ")) return std::nullopt;
  const auto w = words(line.substr(8));
  if (w.size() < 2 || w[1].front() != '(') return std::nullopt;
  const auto total = grouped_integer(w[0]);
  if (!total) return std::nullopt;
  std::optional<amount> remaining;
  if (ends_with(w[1], "),") && w.size() >= 4 && w[3].front() == '(') {
    remaining = grouped_integer(w[2]);
    if (!remaining || *remaining > *total) return std::nullopt;
  }
  return std::pair{*total, remaining};
}

// "... Connection closed at byte 2165001. Retrying."
inline std::optional<amount> closed_at(std::string_view line) {
  const std::size_t at = line.find("Connection closed at byte ");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + 26);
  std::size_t n = 0;
  while (n < rest.size() && detail::text::is_digit(rest[n])) ++n;
  return detail::text::plain_integer(rest.substr(0, n));
}

}  // namespace wget_detail

COPYETA_INLINE std::optional<progress_reading> wget_parser::feed(std::string_view line) {
  using namespace detail::text;
  if (auto r = wget_detail::saved(line)) return r;
  if (const auto len = wget_detail::length(line)) {
    length_ = len->first;
    progress_reading r;
    r.total = len->first;
    if (len->second) r.done = len->first - *len->second;
    return r;
  }
  if (const auto closed = wget_detail::closed_at(line)) {
    progress_reading r;
    r.done = closed;
    r.total = length_;
    return r;
  }
  const auto w = words(line);
  if (w.empty()) return std::nullopt;
  if (w.size() >= 3 && starts_with(w[0], "--") && w[0].size() > 2 && is_digit(w[0][2]) &&
      ends_with(w[1], "--")) {
    length_.reset();  // "--2023-08-07 17:14:24--  URL": a new request
    return std::nullopt;
  }
  // The exact total when "Length:" gave one, else the percent's estimate.
  const auto total_for = [this](amount done, std::optional<unsigned> percent) {
    if (length_ && *length_ >= done) return length_;
    return percent ? detail::total_from_percent(done, *percent) : std::nullopt;
  };

  // Dot style: "<offset>K" then clusters of dots; a resumed download draws the bytes it already
  // had as ',' ("4700K ,,,,,,,,,, ,,,,,,,,,. ..........").
  if (w.size() >= 2 && ends_with(w[0], "K") && w[1].find_first_not_of(".,") == std::string_view::npos) {
    const auto offset_k = plain_integer(w[0].substr(0, w[0].size() - 1));
    if (!offset_k) return std::nullopt;
    const amount offset = *offset_k * 1024u;
    std::size_t i = 1;
    std::size_t dots = 0, clusters = 0, cluster_size = 0;
    while (i < w.size() && w[i].find_first_not_of(".,") == std::string_view::npos) {
      dots += w[i].size();
      cluster_size = std::max(cluster_size, w[i].size());
      ++clusters;
      ++i;
    }
    if (cluster_size != 10 && cluster_size != 8) return std::nullopt;
    std::optional<unsigned> percent;
    if (i < w.size()) {
      percent = wget_detail::whole_percent(w[i]);
      if (percent) ++i;
    }
    std::optional<double> t, eta;
    if (i < w.size()) {
      // "4.40M 15s" (rate, ETA) or "923K=65s" (rate=total time, on the last line).
      const std::string_view rate = w[i];
      if (const std::size_t eq = rate.find('='); eq != std::string_view::npos) {
        t = wget_detail::duration(wget_detail::duration_prefix(rate.substr(eq + 1)));
        if (!t) return std::nullopt;
      } else if (i + 1 < w.size()) {
        eta = wget_detail::duration(w[i + 1]);
        if (!eta || i + 2 != w.size()) return std::nullopt;
      } else if (i + 1 != w.size()) {
        return std::nullopt;
      }
      if (!is_digit(rate.front()) && rate.front() != '-') return std::nullopt;
    }
    // Bytes per dot: measured from two consecutive lines when possible (dot:binary and dot:mega
    // share a layout), otherwise guessed from the layout.
    if (last_offset_ && last_dots_ > 0 && offset > *last_offset_) {
      const amount step = offset - *last_offset_;
      if (step % last_dots_ == 0) dot_bytes_ = step / last_dots_;
    }
    amount per_dot = dot_bytes_;
    if (per_dot == 0) {
      if (cluster_size == 10) per_dot = 1024u;                    // default
      else if (clusters <= 4 && dots > 24) per_dot = 1024u * 1024u;  // dot:giga, 32 per line
      else per_dot = 64u * 1024u;                                 // dot:mega (or dot:binary)
    }
    last_offset_ = offset;
    last_dots_ = dots;
    progress_reading r;
    r.done = offset + static_cast<amount>(dots) * per_dot;
    r.total = total_for(*r.done, percent);
    r.t = t;
    r.tool_eta = eta;
    return r;
  }

  // Bar style: "[name] NN%[====>   ] size rate eta|in duration".
  const std::size_t open = line.find('[');
  const std::size_t close = open == std::string_view::npos ? open : line.find(']', open);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view bar = line.substr(open + 1, close - open - 1);
  // '+' is the part a resumed download already had.
  if (bar.find_first_not_of("=><+ -") != std::string_view::npos) return std::nullopt;
  std::optional<unsigned> percent;
  {
    std::size_t end = open;
    while (end > 0 && line[end - 1] == ' ') --end;
    std::size_t start = end;
    while (start > 0 && !is_blank(line[start - 1])) --start;
    const std::string_view before = line.substr(start, end - start);
    if (ends_with(before, "%")) {
      percent = wget_detail::whole_percent(before);
      if (!percent) return std::nullopt;
    } else if (bar.find("<=>") == std::string_view::npos) {
      return std::nullopt;  // a bar without a percent is wget's unknown-size "<=>"
    }
  }
  const auto after = words(line.substr(close + 1));
  if (after.size() < 2) return std::nullopt;
  const auto done = wget_detail::size_column(after[0]);
  if (!done || !ends_with(after[1], "/s")) return std::nullopt;
  progress_reading r;
  r.done = done;
  r.total = total_for(*done, percent);
  if (after.size() > 2) {
    std::string rest;
    for (std::size_t k = 3; k < after.size(); ++k) {
      if (!rest.empty()) rest += ' ';
      rest += after[k];
    }
    if (after[2] == "eta") r.tool_eta = wget_detail::duration(rest);
    else if (after[2] == "in") r.t = wget_detail::duration(rest);
    else return std::nullopt;
  }
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_wget_parser() {
  return std::make_unique<wget_parser>();
}

}  // namespace copyeta::parsers
