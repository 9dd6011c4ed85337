// gh-ost's row-copy status lines (flag "rows" in the traces: amounts are rows, not bytes).
//
//   Copy: 89000/20959400 0.4%; Applied: 1; Backlog: 0/1000; Time: 4s(total), 4s(copy); ...; ETA: N/A
//   Copy: 1186001/72539939 1.6%; Applied: 354; Backlog: 0/100; Elapsed: 43s(copy), 1m25s(total); ETA: N/A   (2016)
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta {
namespace parsers {

// One reading per "Copy: a/b" line: done = rows copied, total = gh-ost's current row estimate
// (it changes during the run, e.g. when the exact COUNT arrives), t = the "(total)" time,
// tool_eta = "ETA:" (nullopt for "N/A", "due", cut-off lines). Stateless.
class ghost_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "ghost"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_ghost_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/ghost-inl.hpp>
#endif
