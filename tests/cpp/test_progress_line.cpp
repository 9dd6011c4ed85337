#include <copyeta/errors.hpp>
#include <copyeta/progress_line.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using copyeta::amount;
using copyeta::line_splitter;

std::vector<std::string> drain(line_splitter& s) {
  std::vector<std::string> out;
  while (auto line = s.next()) out.push_back(*line);
  return out;
}

TEST(line_splitter, newlines_carriage_returns_and_crlf) {
  line_splitter s;
  s.append("a\nb\rc\r\nd\n\ne");
  EXPECT_EQ(drain(s), (std::vector<std::string>{"a", "b", "c", "d", ""}));
  EXPECT_EQ(s.finish(), std::string("e"));
  EXPECT_FALSE(s.finish());
  EXPECT_EQ(s.dropped(), 0u);
}

TEST(line_splitter, redraws_with_carriage_returns_become_lines) {
  line_splitter s;
  s.append("  1% 10M\r  2% 20M\r  3% 30M\r");
  EXPECT_EQ(drain(s), (std::vector<std::string>{"  1% 10M", "  2% 20M", "  3% 30M"}));
  EXPECT_FALSE(s.finish());
}

TEST(line_splitter, pieces_split_anywhere_including_inside_crlf) {
  const std::string text = "first\r\nsecond\rthird\n\r\nfourth";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    line_splitter s;
    s.append(text.substr(0, cut));
    auto lines = drain(s);
    s.append(text.substr(cut));
    for (auto& l : drain(s)) lines.push_back(l);
    EXPECT_EQ(lines, (std::vector<std::string>{"first", "second", "third", ""})) << cut;
    EXPECT_EQ(s.finish(), std::string("fourth"));
  }
  // Byte by byte.
  line_splitter s;
  std::vector<std::string> lines;
  for (const char c : text) {
    s.append(std::string_view(&c, 1));
    for (auto& l : drain(s)) lines.push_back(l);
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"first", "second", "third", ""}));
}

TEST(line_splitter, a_10_mb_line_without_newline_stays_bounded) {
  line_splitter s(1024);
  const std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 10; ++i) {
    s.append(chunk);
    EXPECT_FALSE(s.next());
  }
  EXPECT_EQ(s.dropped(), 10u * (1u << 20) - 1024u);
  const auto last = s.finish();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->size(), 1024u);
  // After a cut line, the next line is whole again.
  s.append(std::string(3000, 'y') + "\nshort\n");
  const auto lines = drain(s);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], std::string(1024, 'y'));
  EXPECT_EQ(lines[1], "short");
  EXPECT_EQ(s.dropped(), 10u * (1u << 20) - 1024u + 3000u - 1024u);
}

TEST(line_splitter, default_limit_is_64_kib) {
  line_splitter s;
  s.append(std::string(100000, 'z') + "\n");
  const auto line = s.next();
  ASSERT_TRUE(line);
  EXPECT_EQ(line->size(), 64u * 1024u);
  EXPECT_EQ(s.dropped(), 100000u - 64u * 1024u);
}

TEST(progress_formats, registry_names_and_errors) {
  const auto& formats = copyeta::progress_formats();
  for (const std::string_view name : {"dd", "rsync", "pv", "curl", "wget", "generic"})
    EXPECT_NE(std::find(formats.begin(), formats.end(), name), formats.end()) << name;
  EXPECT_EQ(formats.back(), "generic");  // the fallback is tried last
  for (const auto name : formats) {
    const auto parser = copyeta::make_line_parser(name);
    ASSERT_TRUE(parser);
    EXPECT_EQ(parser->format(), name);
  }
  try {
    copyeta::make_line_parser("scp");
    FAIL() << "no exception";
  } catch (const copyeta::options_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[copyeta.options] progress format 'scp' is unknown", 0),
              0u)
        << e.what();
  }
}

TEST(progress_reading_helpers, percent_reading_and_total_from_percent) {
  using namespace copyeta::detail;
  const auto r = percent_reading(57.25);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->done, amount{57250000});
  EXPECT_EQ(r->total, amount{100000000});
  EXPECT_TRUE(r->percent_only);
  EXPECT_FALSE(percent_reading(100.5));
  EXPECT_FALSE(percent_reading(-1));
  EXPECT_EQ(total_from_percent(1000, 100), amount{1000});
  EXPECT_FALSE(total_from_percent(1000, 0));
  EXPECT_FALSE(total_from_percent(1000, 101));
  EXPECT_EQ(total_from_percent(13, 13), amount{96});   // 1300 / 13.5 = 96.3
  EXPECT_EQ(total_from_percent(995, 99), amount{1000});
  EXPECT_EQ(total_from_percent(1, 99), amount{1});     // never below done
}

// Each format file, read by each of our parsers: a parser reads only its own tool's files. The
// generic parser is the fallback and reads any "N/M" or "NN%" (overlaps listed below).
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t readings(copyeta::line_parser& parser, const std::string& text) {
  line_splitter s;
  s.append(text);
  std::size_t n = 0;
  auto feed = [&](const std::string& line) {
    if (line.rfind("# source:", 0) == 0) return;
    if (parser.feed(line)) ++n;
  };
  while (auto line = s.next()) feed(*line);
  if (auto line = s.finish()) feed(*line);
  return n;
}

TEST(progress_formats, no_false_positives_across_format_files) {
  const std::string dir = std::string(COPYETA_TEST_DATA_DIR) + "/formats/";
  const std::vector<std::string> files = {
      "aws_s3_cp_1", "curl_progress_meter_1", "curl_progress_meter_2", "curl_progress_meter_3",
      "curl_progress_meter_4", "dd_status_progress_1", "dd_status_progress_2",
      "dd_status_progress_3", "dd_status_progress_4", "ddrescue_1", "etcher_log_1",
      "etcher_log_2", "ghost_status_1", "ghost_status_2", "ghost_status_3", "nx_migrator_1",
      "nx_migrator_2", "ovirt_img_json_1", "ovirt_img_text_1", "proxcenter_json_1",
      "proxmox_drive_mirror_1", "proxmox_drive_mirror_legacy_1", "proxmox_importdisk_1",
      "proxmox_qmrestore_1", "proxmox_vzdump_1", "pv_default_1", "pv_default_2", "pv_default_3",
      "pv_default_4", "pv_timer_format_1", "qemu_img_convert_p_1", "qemu_img_convert_p_2",
      "qemu_img_convert_p_3", "rclone_stats_1", "rclone_stats_2", "rclone_stats_3",
      "rclone_stats_4", "rsync_info_progress2_1", "rsync_info_progress2_2", "rsync_progress_1",
      "rsync_progress_2", "rsync_progress_3", "s3p_1", "s3p_2", "tqdm_1", "tqdm_2", "wget_bar_1",
      "wget_dot_1", "wget_dot_2", "wget_dot_3", "zfs_send_verbose_1", "zuluscsi_initiator_1"};
  const std::map<std::string, std::string> owner_prefix = {
      {"dd", "dd_"}, {"rsync", "rsync_"}, {"pv", "pv_"}, {"curl", "curl_"}, {"wget", "wget_"}};
  for (const auto& [format, prefix] : owner_prefix) {
    for (const auto& file : files) {
      const std::string text = read_file(dir + file + ".txt");
      ASSERT_FALSE(text.empty()) << file;
      const auto parser = copyeta::make_line_parser(format);
      const std::size_t n = readings(*parser, text);
      if (file == "pv_timer_format_1") {  // its '\r's are written "^M": see test_parsers_pv
        EXPECT_EQ(n, 0u) << format << " on " << file;
      } else if (file.rfind(prefix, 0) == 0) {
        EXPECT_GT(n, 0u) << format << " on its own " << file;
      } else {
        EXPECT_EQ(n, 0u) << format << " on " << file;
      }
    }
  }
  // generic: no readings from dd's and curl's files (no "N/M", no "NN%"); it does read the
  // percent or pair of most other tools (its purpose), and the shell's "84% cpu" in
  // pv_default_3 - which is why it is tried last.
  const auto generic = copyeta::make_line_parser("generic");
  for (const auto& file : files) {
    const std::size_t n = readings(*generic, read_file(dir + file + ".txt"));
    if (file.rfind("dd_", 0) == 0 || file.rfind("curl_", 0) == 0) {
      EXPECT_EQ(n, 0u) << "generic on " << file;
    }
    if (file.rfind("tqdm_", 0) == 0) {
      EXPECT_GT(n, 0u) << "generic on " << file;
    }
  }
}

// Parsers never throw and never read out of bounds: every prefix and suffix of every line of the
// format files, and random bytes, through every parser (run under the sanitizers in CI).
TEST(progress_formats, any_cut_of_any_line_is_safe) {
  const std::string dir = std::string(COPYETA_TEST_DATA_DIR) + "/formats/";
  std::vector<std::unique_ptr<copyeta::line_parser>> parsers;
  for (const std::string_view name : copyeta::progress_formats())
    parsers.push_back(copyeta::make_line_parser(name));
  for (const std::string file : {"curl_progress_meter_3", "curl_progress_meter_4", "dd_status_progress_1",
                                 "dd_status_progress_4", "pv_default_2", "pv_default_3",
                                 "rsync_info_progress2_1", "rsync_progress_2", "tqdm_2", "wget_bar_1",
                                 "wget_dot_3", "rclone_stats_2", "ddrescue_1",
                                 "zfs_send_verbose_1", "zuluscsi_initiator_1"}) {
    line_splitter s;
    s.append(read_file(dir + file + ".txt"));
    while (auto line = s.next())
      for (std::size_t cut = 0; cut <= line->size(); ++cut)
        for (auto& p : parsers) {
          EXPECT_NO_THROW(p->feed(std::string_view(*line).substr(0, cut)));
          EXPECT_NO_THROW(p->feed(std::string_view(*line).substr(cut)));
        }
  }
  std::uint32_t state = 12345;
  const std::string alphabet = "0123456789.,:%/[]()<=>+- \tKMGTkiBbytesdhm^C\"xfr#eta";
  for (int n = 0; n < 20000; ++n) {
    std::string line;
    const auto len = static_cast<std::size_t>(1 + n % 60);
    for (std::size_t i = 0; i < len; ++i) {
      state = state * 1664525u + 1013904223u;
      line += alphabet[(state >> 8) % alphabet.size()];
    }
    for (auto& p : parsers) EXPECT_NO_THROW(p->feed(line));
  }
}

}  // namespace

namespace {

// Detection picks each format file's own tool (the format name is the file name's start).
TEST(progress_detector, finds_each_format_files_tool) {
  const std::string dir = std::string(COPYETA_TEST_DATA_DIR) + "/formats/";
  const std::vector<std::pair<std::string, std::string_view>> cases = {
      {"dd_status_progress_1", "dd"},       {"rsync_progress_1", "rsync"},
      {"rsync_info_progress2_1", "rsync"},  {"pv_default_1", "pv"},
      {"curl_progress_meter_1", "curl"},    {"wget_bar_1", "wget"},
      {"wget_dot_1", "wget"},               {"rclone_stats_1", "rclone"},
      {"ddrescue_1", "ddrescue"},           {"qemu_img_convert_p_1", "qemu_img"},
      {"proxmox_vzdump_1", "proxmox"},      {"proxmox_drive_mirror_1", "proxmox"},
      {"ghost_status_1", "ghost"},          {"ovirt_img_json_1", "ovirt_img"},
      {"etcher_log_1", "etcher"},           {"nx_migrator_1", "nx_migrator"},
      {"aws_s3_cp_1", "aws_s3"},            {"s3p_1", "s3p"},
      {"proxcenter_json_1", "proxcenter"},  {"tqdm_1", "tqdm"},
      {"zfs_send_verbose_1", "zfs_send"},   {"zuluscsi_initiator_1", "zuluscsi"}};
  for (const auto& [file, format] : cases) {
    copyeta::progress_detector detector;
    copyeta::line_splitter lines;
    lines.append(read_file(dir + file + ".txt"));
    std::size_t n = 0;
    while (auto line = lines.next()) n += detector.feed(*line).has_value();
    if (auto last = lines.finish()) n += detector.feed(*last).has_value();
    EXPECT_GT(n, 0u) << file;
    ASSERT_TRUE(detector.format()) << file;
    EXPECT_EQ(*detector.format(), format) << file;
  }
}

TEST(progress_detector, a_forced_format_reads_only_its_own_lines) {
  copyeta::progress_detector detector("dd");
  EXPECT_EQ(*detector.format(), "dd");
  EXPECT_FALSE(detector.feed("100/1000"));
  const auto r = detector.feed("117579644928 bytes (118 GB, 110 GiB) copied, 3058 s, 38.4 MB/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->done, 117579644928u);
  EXPECT_EQ(*r->t, 3058.0);
  EXPECT_THROW(copyeta::progress_detector("nope"), copyeta::options_error);
}

}  // namespace

namespace {

TEST(progress_detector, a_stray_percent_does_not_hide_the_tool) {
  copyeta::progress_detector detector;
  EXPECT_TRUE(detector.feed("user 84% cpu"));  // read by the generic fallback
  EXPECT_EQ(*detector.format(), "generic");
  const auto r = detector.feed("117579644928 bytes (118 GB, 110 GiB) copied, 3058 s, 38.4 MB/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(*detector.format(), "dd");
  EXPECT_FALSE(detector.feed("50/100"));  // dd keeps the stream now
}

}  // namespace
