#pragma once

#include <copyeta/parsers/proxmox.hpp>
#include <copyeta/parsers/scan.hpp>

#include <cmath>

namespace copyeta {
namespace parsers {

namespace proxmox_detail {

// Reads "P%" or "P %" at pos; advances past '%'.
inline std::optional<scan::number> read_percent(std::string_view s, std::size_t& pos) noexcept {
  std::size_t i = pos;
  scan::skip_spaces(s, i);
  const auto n = scan::read_number(s, i);
  if (!n) return std::nullopt;
  scan::skip_spaces(s, i);
  if (i >= s.size() || s[i] != '%') return std::nullopt;
  pos = i + 1;
  return n;
}

inline bool expect(std::string_view s, std::size_t& pos, std::string_view word) noexcept {
  std::size_t i = pos;
  scan::skip_spaces(s, i);
  if (s.substr(i, word.size()) != word) return false;
  pos = i + word.size();
  return true;
}

// "X of Y (P%)" from pos, or "X of Y)" when pct is given: the reading's done and total, done
// from whichever display is finer.
inline bool read_x_of_y(std::string_view s, std::size_t& pos, progress_reading& r,
                        std::optional<scan::number> pct) noexcept {
  std::size_t i = pos;
  const auto done = scan::read_size(s, i, scan::prefixes::binary);
  if (!done || !expect(s, i, "of")) return false;
  const auto total = scan::read_size(s, i, scan::prefixes::binary);
  if (!total) return false;
  if (!pct) {
    if (!expect(s, i, "(")) return false;
    pct = read_percent(s, i);
    if (!pct || !expect(s, i, ")")) return false;
  } else if (!expect(s, i, ")")) {
    return false;
  }
  r.done = done->value;
  r.total = total->value;
  const long double pct_resolution =
      static_cast<long double>(total->value) / 100.0L / std::pow(10.0L, static_cast<long double>(pct->decimals));
  if (pct_resolution < done->resolution && total->value > 0) {
    if (const auto v = scan::to_amount(pct->value() / 100.0L * static_cast<long double>(total->value)))
      r.done = *v;
  }
  pos = i;
  return true;
}

// " in 6m 14s" at pos: nullopt when absent (importdisk); false when present but unreadable
// (a line cut after "in 7"), which the caller drops.
inline bool read_in_duration(std::string_view s, std::size_t pos, std::optional<double>& t) noexcept {
  t.reset();
  if (!expect(s, pos, "in")) return true;
  scan::skip_spaces(s, pos);
  t = scan::read_duration(s, pos);
  return t.has_value();
}

// "drive-scsi0" / "mirror-scsi0" before ": transferred", "" when absent.
inline std::string_view drive_name(std::string_view s, std::size_t transferred_at) noexcept {
  std::string_view head = scan::trim(s.substr(0, transferred_at));
  if (head.empty() || head.back() != ':') return {};
  head.remove_suffix(1);
  const std::size_t sp = head.find_last_of(' ');
  if (sp != std::string_view::npos) head = head.substr(sp + 1);
  return head;
}

}  // namespace proxmox_detail

COPYETA_INLINE void proxmox_parser::reset() noexcept {
  drive_.clear();
  drive_finished_ = false;
  vma_total_ = 0;
  target_size_ = 0;
}

COPYETA_INLINE std::optional<progress_reading> proxmox_parser::follow(std::string_view drive,
                                                                     const progress_reading& r) {
  const bool finished = r.total && r.done && *r.done >= *r.total;
  if (drive != drive_) {
    // Another drive's repeated 100% line while ours is still copying: not ours.
    if (!drive_.empty() && !drive_finished_ && finished) return std::nullopt;
    drive_ = std::string(drive);
  }
  drive_finished_ = finished;
  return r;
}

COPYETA_INLINE std::optional<progress_reading> proxmox_parser::feed(std::string_view line) {
  using namespace proxmox_detail;

  // Legacy drive-mirror: "drive-x: transferred: N bytes remaining: N bytes total: N bytes ...".
  if (const std::size_t at = line.find("transferred: "); at != std::string_view::npos) {
    const std::size_t tot = line.find("total: ", at);
    if (tot == std::string_view::npos || line.find("progression:") == std::string_view::npos)
      return std::nullopt;
    std::size_t p1 = at + 13, p2 = tot + 7;
    const auto done = scan::read_size(line, p1, scan::prefixes::binary);
    const auto total = scan::read_size(line, p2, scan::prefixes::binary);
    if (!done || !total) return std::nullopt;
    progress_reading r;
    r.done = done->value;
    r.total = total->value;
    return follow(drive_name(line, at), r);
  }

  // drive-mirror and importdisk: "[drive-x: ]transferred X of Y (P%)[ in D]".
  if (const std::size_t at = line.find("transferred "); at != std::string_view::npos) {
    std::size_t pos = at + 12;
    progress_reading r;
    if (!read_x_of_y(line, pos, r, std::nullopt)) return std::nullopt;
    if (!read_in_duration(line, pos, r.t)) return std::nullopt;
    return follow(drive_name(line, at), r);
  }

  // vma extract header: one line per device; progress is over all devices.
  if (const std::size_t at = line.find("DEV: dev_id="); at != std::string_view::npos) {
    const std::size_t sz = line.find("size: ", at);
    if (sz == std::string_view::npos) return std::nullopt;
    std::size_t pos = sz + 6;
    if (const auto n = scan::read_number(line, pos); n && n->decimals == 0) vma_total_ += n->mantissa;
    return std::nullopt;
  }

  // qemu-img create of a restore target ("Formatting '...', fmt=qcow2 ... size=8589934592 ..."):
  // the size of the disk pbs-restore fills next.
  if (const std::size_t at = line.find("Formatting '"); at != std::string_view::npos) {
    const std::size_t sz = line.find(" size=", at);
    if (sz == std::string_view::npos) return std::nullopt;
    std::size_t pos = sz + 6;
    if (const auto n = scan::read_number(line, pos); n && n->decimals == 0) target_size_ = n->mantissa;
    return std::nullopt;
  }

  // pbs-restore's end: "restore image complete (bytes=N, duration=13.44s, speed=...)".
  if (const std::size_t at = line.find("restore image complete (bytes="); at != std::string_view::npos) {
    std::size_t pos = at + 30;
    const auto n = scan::read_number(line, pos);
    if (!n || n->decimals != 0) return std::nullopt;
    progress_reading r;
    r.done = n->mantissa;
    r.total = n->mantissa;
    const std::size_t dur = line.find("duration=", pos);
    if (dur != std::string_view::npos) r.t = scan::read_duration(line, dur + 9);
    target_size_ = 0;
    return r;
  }

  // vma extract / pbs-restore: "progress P% (read N bytes, [zeroes = ...,] duration N sec)".
  if (const std::size_t at = line.find("progress "); at != std::string_view::npos) {
    std::size_t pos = at + 9;
    if (!read_percent(line, pos) || !expect(line, pos, "(read")) return std::nullopt;
    const auto done = scan::read_size(line, pos, scan::prefixes::binary);
    const std::size_t dur = line.find("duration ", pos);
    if (!done) return std::nullopt;
    progress_reading r;
    r.done = done->value;
    // pbs-restore ("zeroes = ...") restores one disk per run, vma extract all disks at once.
    const bool pbs = line.find("zeroes =", pos) != std::string_view::npos;
    if (pbs && target_size_ > 0) r.total = target_size_;
    if (!pbs && vma_total_ > 0) r.total = vma_total_;
    if (dur != std::string_view::npos) r.t = scan::read_duration(line, dur + 9);
    if (!r.t) return std::nullopt;  // every such line ends with its duration: this one is cut
    return r;
  }

  // Old vzdump: "status: P% (done/total), sparse ..., duration N, ...".
  if (const std::size_t at = line.find("status: "); at != std::string_view::npos) {
    std::size_t pos = at + 8;
    if (!read_percent(line, pos) || !expect(line, pos, "(")) return std::nullopt;
    const auto done = scan::read_number(line, pos);
    if (!done || done->decimals != 0 || pos >= line.size() || line[pos] != '/') return std::nullopt;
    ++pos;
    const auto total = scan::read_number(line, pos);
    if (!total || total->decimals != 0 || !expect(line, pos, ")")) return std::nullopt;
    progress_reading r;
    r.done = done->mantissa;
    r.total = total->mantissa;
    const std::size_t dur = line.find("duration ", pos);
    if (dur != std::string_view::npos) r.t = scan::read_duration(line, dur + 9, true);
    return r;
  }

  // vzdump: "INFO:  13% (3.4 GiB of 25.0 GiB) in 3s, read: ...".
  if (const std::size_t at = line.find("INFO: "); at != std::string_view::npos) {
    std::size_t pos = at + 6;
    const auto pct = read_percent(line, pos);
    if (!pct || !expect(line, pos, "(")) return std::nullopt;
    progress_reading r;
    if (!read_x_of_y(line, pos, r, pct)) return std::nullopt;
    if (!read_in_duration(line, pos, r.t)) return std::nullopt;
    return r;
  }
  return std::nullopt;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_proxmox_parser() { return std::make_unique<proxmox_parser>(); }

}  // namespace parsers
}  // namespace copyeta
