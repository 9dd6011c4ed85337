// JSON lines in the shape of contracts.md: one object per estimate.
#pragma once

#include <copyeta/estimate.hpp>
#include <copyeta/trace.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace copyeta::cli {

// {"t", "done", "total", "state", "remaining", "lo", "hi", "level", "rate", "shift"}: amounts
// as integers, null where the state carries no number; "shift" is the latest regime shift,
// {"t", "fraction", "factor"}, or null.
nlohmann::ordered_json estimate_json(const estimate& e);

// A rejected input row: the fields that parsed (null where they did not), state "rejected",
// "reason" (the input-policy name) and "error" (the message naming line and column).
nlohmann::ordered_json rejected_json(const trace_row& row, double level, reject_reason reason,
                                     std::string_view error);

// One JSON line, with its "\n". Text that is not UTF-8 (a rejected row's bytes quoted in its
// error, a file name in another encoding) is written with U+FFFD in place of the bad bytes:
// dump() would throw, and the line (or the whole command) would be lost.
std::string json_line(const nlohmann::ordered_json& j);

}  // namespace copyeta::cli
