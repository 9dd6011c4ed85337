#include "columns.hpp"
#include "register.hpp"

#include <copyeta/errors.hpp>
#include <copyeta/progress_line.hpp>
#include <copyeta/trace.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace copyeta::python {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Columns gathered without the GIL, handed to numpy afterwards (one copy each).
struct row_columns {
  std::vector<std::uint64_t> line;
  std::vector<double> t;
  std::vector<std::uint64_t> done;
  std::vector<std::uint64_t> total;
  std::vector<bool> has_total;
  std::vector<double> tool_eta;

  void add(std::size_t line_no, std::optional<double> t_, std::optional<amount> done_,
           std::optional<amount> total_, std::optional<double> eta) {
    line.push_back(line_no);
    t.push_back(t_.value_or(nan));
    done.push_back(done_.value_or(0));
    total.push_back(total_.value_or(0));
    has_total.push_back(total_.has_value());
    tool_eta.push_back(eta.value_or(nan));
  }

  py::dict to_dict() const {
    py::dict out;
    out["line"] = py::array_t<std::uint64_t>(static_cast<py::ssize_t>(line.size()), line.data());
    out["t"] = py::array_t<double>(static_cast<py::ssize_t>(t.size()), t.data());
    out["done"] = py::array_t<std::uint64_t>(static_cast<py::ssize_t>(done.size()), done.data());
    out["total"] = py::array_t<std::uint64_t>(static_cast<py::ssize_t>(total.size()), total.data());
    out["has_total"] = bool_array(has_total);
    out["tool_eta"] = py::array_t<double>(static_cast<py::ssize_t>(tool_eta.size()), tool_eta.data());
    return out;
  }

  // std::vector<bool> is packed, so it is copied element by element.
  static py::array_t<bool> bool_array(const std::vector<bool>& values) {
    py::array_t<bool> out(static_cast<py::ssize_t>(values.size()));
    auto view = out.mutable_unchecked<1>();
    for (std::size_t i = 0; i < values.size(); ++i) view(static_cast<py::ssize_t>(i)) = values[i];
    return out;
  }
};

// A recorded tool log, read the way `copyeta pipe` reads stdin.
struct tool_log {
  row_columns rows;
  std::vector<bool> percent_only;
  std::string format;
  std::size_t lines = 0;
  std::size_t skipped = 0;  // lines that gave no reading with an amount
  std::size_t dropped_bytes = 0;
};

tool_log parse_tool_log(const std::string& text, const std::string& name, const std::string& forced) {
  progress_detector detector(forced);
  line_splitter splitter;
  tool_log log;
  const auto feed = [&](const std::string& line) {
    ++log.lines;
    const auto reading = detector.feed(line);
    if (!reading || !reading->done) {
      ++log.skipped;
      return;
    }
    log.rows.add(log.lines, reading->t, reading->done, reading->total, reading->tool_eta);
    log.percent_only.push_back(reading->percent_only);
  };
  splitter.append(text);
  while (auto line = splitter.next()) feed(*line);
  if (auto last = splitter.finish()) feed(*last);
  log.dropped_bytes = splitter.dropped();

  if (log.rows.line.empty())
    throw input_error(fmt::format("[copyeta.input] {}: no progress line recognised in {} lines "
                                  "(formats: {})",
                                  name, log.lines, fmt::join(progress_formats(), ", ")));
  log.format = std::string(*detector.format());
  if (std::all_of(log.rows.t.begin(), log.rows.t.end(), [](double t) { return std::isnan(t); }))
    throw input_error(fmt::format(
        "[copyeta.input] {}: the tool prints no times: its {} progress lines ({} of them) carry "
        "no elapsed time, so a recorded log has no clock (copyeta pipe adds its own as the lines "
        "arrive; a saved log lacks it). Record a trace CSV with t_seconds instead.",
        name, log.format, log.rows.line.size()));
  return log;
}

}  // namespace

void register_trace(py::module_& m) {
  // Traces cross into C++ as copyeta::trace values: built from columns here.
  py::class_<trace>(m, "_Trace")
      .def_readonly("name", &trace::name)
      .def("__len__", [](const trace& t) { return t.rows.size(); })
      .def("__repr__", [](const trace& t) {
        return fmt::format("_Trace(name='{}', rows={})", t.name, t.rows.size());
      });

  m.def(
      "_trace_from_columns",
      [](std::string name, const py::array_t<double, py::array::forcecast>& t,
         const py::object& done, const py::object& total, const py::object& has_total) {
        trace out = to_trace(std::move(name), t, done, total);
        if (has_total.is_none()) return out;
        // An exact uint64 total cannot say "unknown"; the mask does.
        if (total.is_none()) throw py::value_error("has_total needs a total array");
        const auto known = py::array_t<bool, py::array::forcecast>::ensure(has_total);
        if (!known || known.ndim() != 1 || static_cast<std::size_t>(known.size()) != out.rows.size())
          throw py::value_error(fmt::format("has_total must be a bool array of {} values", out.rows.size()));
        const auto view = known.unchecked<1>();
        for (std::size_t i = 0; i < out.rows.size(); ++i)
          if (!view(static_cast<py::ssize_t>(i))) out.rows[i].total.reset();
        return out;
      },
      py::arg("name"), py::arg("t"), py::arg("done"), py::arg("total") = py::none(),
      py::arg("has_total") = py::none(),
      "A trace from columns (the rules of replay()); `has_total`, a bool mask, marks which "
      "entries of an exact uint64 `total` are known.");

  m.def(
      "_parse_tool_log",
      [](const py::object& text, const std::string& name, const std::optional<std::string>& format) {
        // str is read as UTF-8; bytes go through unchanged (logs are not always valid UTF-8).
        if (!py::isinstance<py::bytes>(text) && !py::isinstance<py::str>(text))
          throw py::type_error(fmt::format("text must be str or bytes, not {}",
                                           py::repr(py::type::of(text)).cast<std::string>()));
        const std::string bytes = text.cast<std::string>();
        tool_log log;
        {
          py::gil_scoped_release release;
          log = parse_tool_log(bytes, name, format.value_or(""));
        }
        py::dict out = log.rows.to_dict();
        out["percent_only"] = row_columns::bool_array(log.percent_only);
        out["format"] = log.format;
        out["lines"] = log.lines;
        out["skipped"] = log.skipped;
        out["dropped_bytes"] = log.dropped_bytes;
        return out;
      },
      py::arg("text"), py::arg("name"), py::arg("format") = py::none(),
      "Reads a recorded tool log (str or bytes) with the CLI's parsers, cut into lines at \\n "
      "and \\r as `copyeta pipe` does. Returns one entry per progress line: line (1-based), t "
      "(the tool's elapsed seconds; NaN where the line gives none), done, total with has_total, "
      "tool_eta (NaN where none), percent_only; and format, lines, skipped (lines without a "
      "reading), dropped_bytes (of over-long lines). Raises ValueError when no line is a "
      "progress line, when the tool prints no times, or for an unknown format.");

  m.def(
      "_read_trace_csv",
      [](const std::string& path) {
        row_columns rows;
        std::vector<std::uint8_t> reason;
        std::vector<std::string> error;
        std::string name;
        {
          py::gil_scoped_release release;
          const trace input = read_trace_csv_file(path);
          name = input.name;
          for (const trace_row& row : input.rows) {
            rows.add(row.line, row.t, row.done, row.total, row.tool_eta);
            reason.push_back(static_cast<std::uint8_t>(row.reason));
            error.push_back(row.error);
          }
        }
        py::dict out = rows.to_dict();
        out["reason"] = py::array_t<std::uint8_t>(static_cast<py::ssize_t>(reason.size()), reason.data());
        out["error"] = error;
        out["name"] = name;
        return out;
      },
      py::arg("path"),
      "Reads a trace CSV (t_seconds, bytes_done, bytes_total): one entry per data row, rejected "
      "rows included: line, t, done, total with has_total, tool_eta (NaN where not parsed or "
      "empty), reason (codes into reject_reason_names()) and error (the message; '' when "
      "accepted). Raises ValueError when the file cannot be opened or lacks a required column.");
}

}  // namespace copyeta::python
