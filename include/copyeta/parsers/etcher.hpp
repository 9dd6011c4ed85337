// Etcher / balenaEtcher DevTools log lines (flashing progress, percent only).
//
//   Sun Aug 20 2017 21:44:46 GMT+0900 (JST) Progress (write): 0% at 4.83 MB/s (eta 356s)
//   ... Fri Sep 20 2019 04:12:42 GMT+0900 (JST) Flashing 1 devices, 7% at 46.7 MB/s (total 46.7 MB/s) eta in 43.31s with 0 failed devices
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta {
namespace parsers {

// percent_only readings of the write phase; tool_eta = "eta Ns" / "eta in Xs"; t = the line's
// JavaScript Date timestamp minus the first reading's (1 s resolution), nullopt without one.
// The percentage can jump back (Etcher 1.5 restarting a pass); readings report it as printed.
class etcher_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "etcher"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;
 private:
  std::optional<double> origin_;  // timestamp of the first reading, Unix seconds
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_etcher_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/etcher-inl.hpp>
#endif
