#pragma once

#include <copyeta/parsers/scan.hpp>
#include <copyeta/parsers/tqdm.hpp>

namespace copyeta {
namespace parsers {

COPYETA_INLINE void tqdm_parser::reset() noexcept {
  bar_.clear();
  bar_done_ = false;
  last_done_ = 0;
}

COPYETA_INLINE std::optional<progress_reading> tqdm_parser::feed(std::string_view line) {
  // The bracket "[elapsed<remaining, rate]" anchors the bar; "n/total" stands just before it.
  const std::size_t open = line.find(" [");
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t lt = line.find('<', open);
  const std::size_t close = line.find(']', open);
  if (lt == std::string_view::npos || close == std::string_view::npos || lt > close) return std::nullopt;
  const std::size_t comma = line.find(',', lt);
  const std::size_t eta_end = (comma != std::string_view::npos && comma < close) ? comma : close;
  const auto elapsed = scan::duration(line.substr(open + 2, lt - open - 2));
  if (!elapsed) return std::nullopt;

  // "n/total" is the last word before " [".
  std::size_t begin = open;
  while (begin > 0 && line[begin - 1] != ' ' && line[begin - 1] != '|') --begin;
  const std::string_view counts = line.substr(begin, open - begin);
  const std::size_t slash = counts.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::size_t p1 = 0, p2 = slash + 1;
  const auto done = scan::read_size(counts, p1, scan::prefixes::decimal);
  const auto total = scan::read_size(counts, p2, scan::prefixes::decimal);
  if (!done || !total || p1 != slash || p2 != counts.size()) return std::nullopt;
  // A percent before the counts ("  71% " or " 12%|") confirms the bar.
  const std::size_t pct = line.rfind('%', begin);
  if (pct == std::string_view::npos || pct == 0 || !scan::is_digit(line[pct - 1])) return std::nullopt;

  // The description is what precedes the percent's ':' ("model.safetensors:  13%").
  std::size_t d_end = pct;
  while (d_end > 0 && (scan::is_digit(line[d_end - 1]) || line[d_end - 1] == ' ')) --d_end;
  std::string key(line.substr(0, d_end));
  key += '|';
  key += std::to_string(total->value);
  if (bar_.empty() || (bar_done_ && key != bar_)) {
    bar_ = key;
    last_done_ = 0;
  } else if (key != bar_) {
    return std::nullopt;  // another bar while ours runs
  }
  if (done->value < last_done_) return std::nullopt;  // a twin bar (same name and total) behind ours
  last_done_ = done->value;
  bar_done_ = done->value >= total->value;

  progress_reading r;
  r.t = *elapsed;
  r.done = done->value;
  r.total = total->value;
  r.tool_eta = scan::duration(line.substr(lt + 1, eta_end - lt - 1));
  return r;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_tqdm_parser() { return std::make_unique<tqdm_parser>(); }

}  // namespace parsers
}  // namespace copyeta
