// Reading the tool output excerpts of tests/data/formats for the parser tests.
#pragma once

#include <gtest/gtest.h>

#include <copyeta/progress_line.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace copyeta::testing {

// Reads a tests/data file, skips its "# source:" lines, and feeds every line
// through a line_splitter and `parser`; returns each reading with its line.
struct parsed_line {
  std::string line;
  copyeta::progress_reading reading;
};

inline std::string read_data(const std::string &relative) {
  std::ifstream in(std::string(COPYETA_TEST_DATA_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in) << relative;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<parsed_line> parse_text(copyeta::line_parser &parser, const std::string &text) {
  copyeta::line_splitter splitter;
  splitter.append(text);
  std::vector<parsed_line> out;
  const auto feed = [&](const std::string &line) {
    if (line.rfind("# source:", 0) == 0) return;
    if (auto r = parser.feed(line)) out.push_back({line, *r});
  };
  while (auto line = splitter.next()) feed(*line);
  if (auto line = splitter.finish()) feed(*line);
  return out;
}

inline std::vector<parsed_line> parse_file(copyeta::line_parser &parser,
                                           const std::string &relative) {
  return parse_text(parser, read_data(relative));
}

inline std::string data_path(const std::string &rel) {
  return std::string(COPYETA_TEST_DATA_DIR) + "/" + rel;
}

// The file's lines, cut at '\n' and '\r' (the shared line_splitter is tested
// elsewhere); the leading "# source: ..." lines are provenance, not tool
// output.
inline std::vector<std::string> file_lines(const std::string &rel) {
  std::ifstream in(data_path(rel), std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<std::string> lines;
  std::string cur;
  bool head = true;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!(head && cur.rfind("# ", 0) == 0)) {
        head = false;
        lines.push_back(cur);
      }
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

inline std::vector<copyeta::progress_reading> feed_all(copyeta::line_parser &p,
                                                       const std::vector<std::string> &lines) {
  std::vector<copyeta::progress_reading> out;
  for (const auto &l : lines)
    if (auto r = p.feed(l)) out.push_back(*r);
  return out;
}

}  // namespace copyeta::testing
