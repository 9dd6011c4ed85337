#include "format_files.hpp"

#include <copyeta/parsers/proxmox.hpp>
#include <copyeta/progress_line.hpp>
#include <copyeta/trace.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copyeta::testing;  // format_files.hpp

using copyeta::progress_reading;
using copyeta::parsers::proxmox_parser;

std::vector<progress_reading> parse_file(const std::string& rel) {
  proxmox_parser p;
  return feed_all(p, file_lines(rel));
}

TEST(parsers_proxmox, format_name) { EXPECT_EQ(proxmox_parser().format(), "proxmox"); }

TEST(parsers_proxmox, drive_mirror_takes_the_finer_of_size_and_percent) {
  const auto r = parse_file("formats/proxmox_drive_mirror_1.txt");
  ASSERT_EQ(r.size(), 10u);  // 0..8 s and 10 s
  EXPECT_DOUBLE_EQ(*r[0].t, 0.0);
  EXPECT_EQ(*r[0].done, 0u);
  EXPECT_EQ(*r[0].total, 34359738368u);  // 32.0 GiB
  EXPECT_EQ(*r[1].done, 401604608u);     // 383.0 MiB: 0.1 MiB steps beat 0.01% of 32 GiB
  EXPECT_DOUBLE_EQ(*r[1].t, 1.0);
  EXPECT_EQ(*r[2].done, 1106383575u);    // "1.0 GiB (3.22%)": 3.22% of 32 GiB is finer
  EXPECT_EQ(*r[6].done, 2154355596u);    // 6.27%
  EXPECT_DOUBLE_EQ(*r[9].t, 10.0);
  EXPECT_EQ(*r[9].done, 3490949418u);    // 10.16%
  EXPECT_FALSE(r[9].tool_eta);
  EXPECT_FALSE(r[9].percent_only);
}

TEST(parsers_proxmox, importdisk_without_times) {
  const auto r = parse_file("formats/proxmox_importdisk_1.txt");
  ASSERT_EQ(r.size(), 8u);
  EXPECT_FALSE(r[0].t);
  EXPECT_EQ(*r[0].done, 0u);
  EXPECT_EQ(*r[0].total, 1395864371u);  // 1.3 GiB
  EXPECT_EQ(*r[1].done, 14680064u);     // 14.0 MiB
  EXPECT_EQ(*r[4].done, 58615398u);     // 55.9 MiB
  EXPECT_EQ(*r[7].done, 102760448u);    // 98.0 MiB
}

TEST(parsers_proxmox, legacy_drive_mirror_follows_the_unfinished_drive) {
  const auto r = parse_file("formats/proxmox_drive_mirror_legacy_1.txt");
  // efidisk0 x3 (the drive followed while it is the only one), then scsi0 x3; efidisk0's
  // repeated 100% lines in between are skipped.
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(*r[0].done, 131072u);
  EXPECT_EQ(*r[0].total, 131072u);
  EXPECT_FALSE(r[0].t);
  EXPECT_EQ(*r[3].done, 2162688u);
  EXPECT_EQ(*r[3].total, 8589934592u);
  EXPECT_EQ(*r[4].done, 1338572800u);
  EXPECT_EQ(*r[5].done, 2897018880u);
  EXPECT_EQ(*r[5].total, 8589934592u);
}

TEST(parsers_proxmox, vma_extract_total_from_dev_lines) {
  const auto r = parse_file("formats/proxmox_qmrestore_1.txt");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_DOUBLE_EQ(*r[0].t, 5.0);
  EXPECT_EQ(*r[0].done, 1363673088u);
  EXPECT_EQ(*r[0].total, 136365211648u);
  EXPECT_DOUBLE_EQ(*r[2].t, 19.0);
  EXPECT_EQ(*r[2].done, 4091019264u);
}

TEST(parsers_proxmox, legacy_vzdump_status) {
  const auto r = parse_file("formats/proxmox_vzdump_1.txt");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_DOUBLE_EQ(*r[0].t, 7750.0);
  EXPECT_EQ(*r[0].done, 146157010944u);
  EXPECT_EQ(*r[0].total, 270582939648u);
  EXPECT_DOUBLE_EQ(*r[1].t, 7771.0);
  EXPECT_EQ(*r[1].done, 148900282368u);
}

// Each trace row appears among the readings of its raw log (cut lines give none), in order, with the same t and
// total, and bytes equal up to `tol` (the traces of drive-mirror logs took the printed size
// or the percentage, whichever their author chose; the parser takes the finer one).
void expect_trace_rows(const std::string& name, double tol) {
  const auto r = parse_file("traces/" + name + ".raw");
  const auto tr = copyeta::read_trace_csv_file(data_path("traces/" + name + ".csv"));
  ASSERT_FALSE(tr.rows.empty());
  // Every progress line is a row, except in the pbs-restore trace (first line of each second).
  if (name.rfind("pbs_", 0) != 0) {
    EXPECT_EQ(r.size(), tr.rows.size()) << name;
  }
  std::size_t j = 0;
  for (std::size_t i = 0; i < tr.rows.size(); ++i) {
    SCOPED_TRACE(name + " row " + std::to_string(i));
    while (j < r.size() && !(r[j].t && *r[j].t == *tr.rows[i].t)) ++j;
    ASSERT_LT(j, r.size()) << "no reading at t = " << *tr.rows[i].t;
    EXPECT_LE(std::fabs(static_cast<double>(*r[j].done) - static_cast<double>(*tr.rows[i].done)), tol);
    EXPECT_EQ(r[j].total, tr.rows[i].total);
    EXPECT_FALSE(r[j].tool_eta);
    ++j;
  }
}

TEST(parsers_proxmox, raw_logs_match_their_traces) {
  // Exact bytes printed: exact equality.
  expect_trace_rows("proxmox_qmrestore_vma_lzo_136GB_forum38703", 0);
  expect_trace_rows("proxmox_vzdump_legacy_status_270GB_checkmk4", 0);
  expect_trace_rows("pbs_restore_qmrestore_8GiB_nfsrdma_13s_complete_scaleoutsean", 0);
  // vzdump: whole percent, so the 0.1 GiB size is the finer display, as in the traces.
  expect_trace_rows("proxmox_vzdump_vm1020_25GiB", 0);
  expect_trace_rows("proxmox_vzdump_pbs_20GiB_sparse_burst_22s_complete_joulenap61", 0);
  expect_trace_rows("proxmox_vzdump_pbs_256GiB_rbd_start_virtiowin756", 0);
  // drive-mirror: within half a 0.1 GiB step plus one 0.01% step of 32 GiB.
  const double tol = 0.05 * 1073741824.0 + 3.5e6;
  expect_trace_rows("proxmox_move_disk_mirror_32GiB_moosefs27", tol);
  expect_trace_rows("proxmox_clone_mirror_32GiB_moosefs46", tol);
  expect_trace_rows("proxmox_livemigrate_drive_mirror_30GiB_pxvirt77", tol);
  expect_trace_rows("proxmox_move_disk_mirror_20GiB_btrfs_cancelled_at_99pct_linuxbtrfs", tol);
  expect_trace_rows("proxmox_move_disk_mirror_8GiB_drbd_rdma_9s_complete_cybersecurityall", tol);
}

TEST(parsers_proxmox, cut_progress_line_gives_nothing) {
  // The forum paste ends in "progress 21% (read 28636741632 bytes, duration": no time, no reading.
  EXPECT_EQ(parse_file("traces/proxmox_qmrestore_vma_lzo_136GB_forum38703.raw").size(), 20u);
}

TEST(parsers_proxmox, pbs_restore_total_and_final_line) {
  const auto r = parse_file("traces/pbs_restore_qmrestore_8GiB_nfsrdma_13s_complete_scaleoutsean.raw");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(*r.front().total, 8589934592u);  // from "Formatting '...' size=8589934592"
  EXPECT_DOUBLE_EQ(*r.back().t, 13.44);      // "restore image complete (..., duration=13.44s"
  EXPECT_EQ(*r.back().done, 8589934592u);
}

TEST(parsers_proxmox, current_vzdump_and_minutes) {
  proxmox_parser p;
  auto r = p.feed("1020: 21:04:29 INFO:  13% (3.4 GiB of 25.0 GiB) in 3s, read: 1.1 GiB/s, write: 350.2 MiB/s");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->done, 3650722202u);
  EXPECT_EQ(*r->total, 26843545600u);
  EXPECT_DOUBLE_EQ(*r->t, 3.0);
  r = p.feed("mirror-scsi0: transferred 25.7 GiB of 32.0 GiB (80.26%) in 6m 14s");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->t, 374.0);
  EXPECT_EQ(*r->done, 27577126014u);  // 80.26% of 32 GiB
  // Another drive's finished line while mirror-scsi0 is unfinished: not followed.
  EXPECT_FALSE(p.feed("drive-efidisk0: transferred 528.0 KiB of 528.0 KiB (100.00%) in 0s, ready"));
  p.reset();
  r = p.feed("drive-scsi0: transferred 8.0 GiB of 8.0 GiB (100.00%) in 9s, ready");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->done, 8589934592u);
  EXPECT_FALSE(p.feed("INFO: transferred 20.00 GiB in 23 seconds (890.4 MiB/s)"));
  EXPECT_FALSE(p.feed("INFO: status = running"));
  EXPECT_FALSE(p.feed("progress report follows"));
}

TEST(parsers_proxmox, no_readings_from_other_tools) {
  for (const auto& e : std::filesystem::directory_iterator(data_path("formats"))) {
    const std::string file = e.path().filename().string();
    if (file.rfind("proxmox_", 0) == 0) continue;
    EXPECT_EQ(parse_file("formats/" + file).size(), 0u) << file;
  }
}

}  // namespace
