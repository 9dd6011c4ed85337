// NX-Migrator(-Pro) migration_engine log lines.
//
//   2026-03-07 17:34:24,628 [INFO] core.migration_engine: Copying: 41.07 GB / 41.45 GB (95.0%) at 22.7 MB/s
//   2026-02-17 14:52:38,369 [INFO] core.migration_engine: Copied 12318.0 MB / 12318.0 MB (100.0%) at 29.2 MB/s - ETA: 0m 0s
// Its "GB"/"MB" are 1024-based (41.45 GB = 44,506,259,167 bytes in its own summary).
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta {
namespace parsers {

// done/total from "X / Y", tool_eta from "ETA:", t = the log timestamp minus the first
// reading's (milliseconds). The percent column is the overall job's (capped at 95% while
// copying), so it is not used.
class nx_migrator_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "nx_migrator"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;
 private:
  std::optional<double> origin_;
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_nx_migrator_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/nx_migrator-inl.hpp>
#endif
