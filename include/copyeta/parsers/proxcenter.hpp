// ProxCenter (adminsyspro/proxcenter-ui) migration job logs, one JSON object per line:
//   {"ts":"2026-07-29T10:18:12.713Z","msg":"Disk 1: target FC:vm-169-disk-2 → /dev/... (3174.4 GB)",...}
//   {"ts":"2026-07-29T12:09:34.401Z","msg":"Disk 1: copying 1089.2 GB at 181 MB/s",...}
// "GB" are decimal. The "progress" field stays 0 during copies and is not used.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace copyeta {
namespace parsers {

// done = "copying X GB" of disk N, total = that disk's "(S GB)" from its "target" line, t = "ts"
// minus the first reading's. Disks are copied one after another, so done restarts per disk.
class proxcenter_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "proxcenter"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;
 private:
  std::optional<double> origin_;
  std::vector<std::optional<amount>> disk_sizes_;  // by disk number
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_proxcenter_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/proxcenter-inl.hpp>
#endif
