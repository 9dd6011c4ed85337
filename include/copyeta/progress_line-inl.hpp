#pragma once

#include <copyeta/errors.hpp>
#include <copyeta/progress_line.hpp>

#include <string>
#include <utility>

namespace copyeta {

// Each parser header defines its factory. They are declared here, and the headers included at
// the bottom, so that including a parser header first (which includes progress_line.hpp, and in
// header-only builds this file, before its class is declared) still works.
namespace parsers {
std::unique_ptr<line_parser> make_aws_s3_parser();
std::unique_ptr<line_parser> make_curl_parser();
std::unique_ptr<line_parser> make_dd_parser();
std::unique_ptr<line_parser> make_ddrescue_parser();
std::unique_ptr<line_parser> make_etcher_parser();
std::unique_ptr<line_parser> make_generic_parser();
std::unique_ptr<line_parser> make_ghost_parser();
std::unique_ptr<line_parser> make_nx_migrator_parser();
std::unique_ptr<line_parser> make_ovirt_img_parser();
std::unique_ptr<line_parser> make_proxcenter_parser();
std::unique_ptr<line_parser> make_proxmox_parser();
std::unique_ptr<line_parser> make_pv_parser();
std::unique_ptr<line_parser> make_qemu_img_parser();
std::unique_ptr<line_parser> make_rclone_parser();
std::unique_ptr<line_parser> make_rsync_parser();
std::unique_ptr<line_parser> make_s3p_parser();
std::unique_ptr<line_parser> make_tqdm_parser();
std::unique_ptr<line_parser> make_wget_parser();
std::unique_ptr<line_parser> make_zfs_send_parser();
std::unique_ptr<line_parser> make_zuluscsi_parser();
}  // namespace parsers

namespace detail {

struct progress_format_entry {
  std::string_view name;
  std::unique_ptr<line_parser> (*make)();
};

// In the order detection tries them: specific formats first; tqdm before generic (its bars are
// also "N/M" lines); pv late, because its -n mode is a bare number; generic last, since it
// matches any "N/M" or "NN%".
inline const std::vector<progress_format_entry>& progress_format_table() {
  static const std::vector<progress_format_entry> table{
    {"dd", parsers::make_dd_parser},
    {"rsync", parsers::make_rsync_parser},
    {"curl", parsers::make_curl_parser},
    {"wget", parsers::make_wget_parser},
    {"rclone", parsers::make_rclone_parser},
    {"ddrescue", parsers::make_ddrescue_parser},
    {"qemu_img", parsers::make_qemu_img_parser},
    {"proxmox", parsers::make_proxmox_parser},
    {"ghost", parsers::make_ghost_parser},
    {"ovirt_img", parsers::make_ovirt_img_parser},
    {"etcher", parsers::make_etcher_parser},
    {"nx_migrator", parsers::make_nx_migrator_parser},
    {"aws_s3", parsers::make_aws_s3_parser},
    {"s3p", parsers::make_s3p_parser},
    {"proxcenter", parsers::make_proxcenter_parser},
    {"zfs_send", parsers::make_zfs_send_parser},
    {"zuluscsi", parsers::make_zuluscsi_parser},
    {"tqdm", parsers::make_tqdm_parser},
    {"pv", parsers::make_pv_parser},
    {"generic", parsers::make_generic_parser}};
  return table;
}

}  // namespace detail

COPYETA_INLINE const std::vector<std::string_view>& progress_formats() {
  static const std::vector<std::string_view> formats = [] {
    std::vector<std::string_view> out;
    for (const auto& entry : detail::progress_format_table()) out.push_back(entry.name);
    return out;
  }();
  return formats;
}

COPYETA_INLINE std::unique_ptr<line_parser> make_line_parser(std::string_view format) {
  for (const auto& entry : detail::progress_format_table())
    if (entry.name == format) return entry.make();
  std::string known;
  for (const auto name : progress_formats()) {
    if (!known.empty()) known += ", ";
    known += name;
  }
  throw options_error("[copyeta.options] progress format '" + std::string(format) +
                      "' is unknown (known: " + known + ")");
}

COPYETA_INLINE progress_detector::progress_detector(std::string_view forced) {
  if (!forced.empty()) {
    candidates_.push_back(make_line_parser(forced));
    chosen_ = candidates_.front().get();
    return;
  }
  for (const auto& entry : detail::progress_format_table()) candidates_.push_back(entry.make());
}

COPYETA_INLINE std::optional<progress_reading> progress_detector::feed(std::string_view line) {
  // A specific format, once it has read a line, keeps the stream. The generic one does not: a
  // stray "84%" (a shell prompt, a comment) must not hide the tool whose lines follow.
  if (chosen_ && (candidates_.size() == 1 || chosen_->format() != "generic"))
    return chosen_->feed(line);
  for (auto& parser : candidates_) {
    if (auto reading = parser->feed(line)) {
      chosen_ = parser.get();
      return reading;
    }
  }
  return std::nullopt;
}

COPYETA_INLINE std::optional<std::string_view> progress_detector::format() const {
  if (!chosen_) return std::nullopt;
  return chosen_->format();
}

COPYETA_INLINE line_splitter::line_splitter(std::size_t max_line)
    : max_line_(max_line == 0 ? 1 : max_line) {}

COPYETA_INLINE void line_splitter::append(std::string_view bytes) {
  // Drop lines already handed out, so that ready_ does not grow across calls.
  if (next_ready_ > 0 && next_ready_ == ready_.size()) {
    ready_.clear();
    next_ready_ = 0;
  }
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (after_cr_) {
      after_cr_ = false;
      if (bytes[i] == '\n') {  // the '\n' of a "\r\n" pair ends nothing more
        ++i;
        continue;
      }
    }
    const std::size_t end = bytes.find_first_of("\r\n", i);
    const std::string_view chunk =
        bytes.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    // Keep at most max_line_ bytes of a line; count the rest as dropped.
    const std::size_t room = max_line_ - pending_.size();
    if (chunk.size() <= room) {
      pending_.append(chunk);
    } else {
      pending_.append(chunk.substr(0, room));
      dropped_ += chunk.size() - room;
      dropping_ = true;
    }
    if (end == std::string_view::npos) return;
    ready_.push_back(std::move(pending_));
    pending_.clear();
    dropping_ = false;
    after_cr_ = bytes[end] == '\r';
    i = end + 1;
  }
}

COPYETA_INLINE std::optional<std::string> line_splitter::next() {
  if (next_ready_ >= ready_.size()) return std::nullopt;
  return std::move(ready_[next_ready_++]);
}

COPYETA_INLINE std::optional<std::string> line_splitter::finish() {
  after_cr_ = false;
  dropping_ = false;
  if (pending_.empty()) return std::nullopt;
  std::string last = std::move(pending_);
  pending_.clear();
  return last;
}

}  // namespace copyeta

#include <copyeta/parsers/aws_s3.hpp>
#include <copyeta/parsers/curl.hpp>
#include <copyeta/parsers/dd.hpp>
#include <copyeta/parsers/ddrescue.hpp>
#include <copyeta/parsers/etcher.hpp>
#include <copyeta/parsers/generic.hpp>
#include <copyeta/parsers/ghost.hpp>
#include <copyeta/parsers/nx_migrator.hpp>
#include <copyeta/parsers/ovirt_img.hpp>
#include <copyeta/parsers/proxcenter.hpp>
#include <copyeta/parsers/proxmox.hpp>
#include <copyeta/parsers/pv.hpp>
#include <copyeta/parsers/qemu_img.hpp>
#include <copyeta/parsers/rclone.hpp>
#include <copyeta/parsers/rsync.hpp>
#include <copyeta/parsers/s3p.hpp>
#include <copyeta/parsers/tqdm.hpp>
#include <copyeta/parsers/wget.hpp>
#include <copyeta/parsers/zfs_send.hpp>
#include <copyeta/parsers/zuluscsi.hpp>
