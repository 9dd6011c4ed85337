#pragma once

#include <copyeta/parsers/rclone.hpp>
#include <copyeta/parsers/scan.hpp>

#include <string>

namespace copyeta {
namespace parsers {

namespace rclone_detail {

// The ETA after "ETA" / "ETA:" in `s`, or nullopt ("ETA -", or cut off by a wrapped line).
inline std::optional<double> eta_after(std::string_view s) noexcept {
  const std::size_t at = s.rfind("ETA");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t pos = at + 3;
  if (pos < s.size() && s[pos] == ':') ++pos;
  scan::skip_spaces(s, pos);
  return scan::read_duration(s, pos);
}

}  // namespace rclone_detail

COPYETA_INLINE void rclone_parser::reset() noexcept {
  stage_ = stage::idle;
  new_format_ = false;
  pending_ = progress_reading{};
}

COPYETA_INLINE std::optional<progress_reading> rclone_parser::feed(std::string_view raw) {
  const std::string clean = scan::strip_controls(raw);
  const std::string_view line = scan::trim(clean);

  if (scan::starts_with(line, "Transferred:")) {
    const std::string_view rest = scan::trim(line.substr(12));
    bool has_alpha = false;
    for (char c : rest) has_alpha = has_alpha || scan::is_alpha(c);
    // "Transferred: 0" and "Transferred: 3 / 10, 30%" count files, not bytes.
    if (!has_alpha) return std::nullopt;
    std::optional<progress_reading> flushed;
    if (stage_ == stage::after_elapsed || stage_ == stage::in_files) flushed = pending_;
    std::size_t pos = 0;
    const auto done = scan::read_size(rest, pos, scan::prefixes::binary);
    if (!done) {
      reset();
      return flushed;
    }
    progress_reading r;
    r.done = done->value;
    scan::skip_spaces(rest, pos);
    new_format_ = pos < rest.size() && rest[pos] == '/';
    if (new_format_) {
      ++pos;
      if (const auto total = scan::read_size(rest, pos, scan::prefixes::binary)) {
        // rclone shows a total of 0 until it has listed the source: unknown, not empty.
        if (total->value > 0) r.total = total->value;
      }
      r.tool_eta = rclone_detail::eta_after(rest);
    }
    pending_ = r;
    stage_ = stage::have_bytes;
    return flushed;
  }

  if (stage_ == stage::have_bytes && scan::starts_with(line, "Elapsed time:")) {
    const auto t = scan::duration(line.substr(13));
    if (!t) {
      reset();
      return std::nullopt;
    }
    pending_.t = *t;
    if (new_format_) {
      const progress_reading r = pending_;
      reset();
      return r;
    }
    stage_ = stage::after_elapsed;  // old format: wait for the per-file ETA
    return std::nullopt;
  }

  if (stage_ == stage::after_elapsed) {
    if (line == "Transferring:") {
      stage_ = stage::in_files;
      return std::nullopt;
    }
    const progress_reading r = pending_;
    reset();
    return r;
  }

  if (stage_ == stage::in_files) {
    progress_reading r = pending_;
    if (scan::starts_with(line, "*")) r.tool_eta = rclone_detail::eta_after(line);
    reset();
    return r;
  }
  // --stats-one-line: "2021/01/01 12:00:00 INFO  :    1.234 GiB / 11.200 GiB, 11%, 3.784 MiB/s,
  // ETA 45m12s" (or " - " after the date with --stats-one-line-date). No elapsed time.
  if (stage_ == stage::idle) {
    std::size_t at = line.find("INFO  :");
    std::size_t pos = at == std::string_view::npos ? std::string_view::npos : at + 7;
    if (pos == std::string_view::npos && line.size() > 22 && line.substr(19, 3) == " - ") pos = 22;
    if (pos == std::string_view::npos) return std::nullopt;
    const std::string_view rest = line.substr(pos);
    std::size_t p = 0;
    const auto done = scan::read_size(rest, p, scan::prefixes::binary);
    scan::skip_spaces(rest, p);
    if (!done || p >= rest.size() || rest[p] != '/') return std::nullopt;
    ++p;
    const auto total = scan::read_size(rest, p, scan::prefixes::binary);
    if (!total || p >= rest.size() || rest[p] != ',' || rest.find("/s", p) == std::string_view::npos ||
        rest.find("ETA", p) == std::string_view::npos)
      return std::nullopt;
    progress_reading r;
    r.done = done->value;
    if (total->value > 0) r.total = total->value;
    r.tool_eta = rclone_detail::eta_after(rest);
    return r;
  }
  return std::nullopt;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_rclone_parser() { return std::make_unique<rclone_parser>(); }

}  // namespace parsers
}  // namespace copyeta
