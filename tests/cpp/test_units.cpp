#include <copyeta/units.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

namespace {

using copyeta::amount;
using copyeta::parse_duration;
using copyeta::parse_size;
using copyeta::unit_convention;

constexpr amount Ki = 1024u, Mi = Ki * 1024u, Gi = Mi * 1024u, Ti = Gi * 1024u;

TEST(parse_size, command_line_convention_follows_dd_and_pv) {
  // contracts.md: K M G T and KiB.. are 1024^n, KB MB GB TB are 1000^n.
  EXPECT_EQ(parse_size("32G"), 32 * Gi);
  EXPECT_EQ(parse_size("1K"), Ki);
  EXPECT_EQ(parse_size("1k"), Ki);
  EXPECT_EQ(parse_size("2M"), 2 * Mi);
  EXPECT_EQ(parse_size("3T"), 3 * Ti);
  EXPECT_EQ(parse_size("1P"), 1024 * Ti);
  EXPECT_EQ(parse_size("1E"), 1024 * 1024 * Ti);
  EXPECT_EQ(parse_size("1.5 GiB"), 1610612736u);
  EXPECT_EQ(parse_size("1KiB"), Ki);
  EXPECT_EQ(parse_size("1MiB"), Mi);
  EXPECT_EQ(parse_size("1TiB"), Ti);
  EXPECT_EQ(parse_size("118 GB"), 118000000000u);
  EXPECT_EQ(parse_size("1KB"), 1000u);
  EXPECT_EQ(parse_size("1kB"), 1000u);
  EXPECT_EQ(parse_size("1MB"), 1000000u);
  EXPECT_EQ(parse_size("1TB"), 1000000000000u);
  EXPECT_EQ(parse_size("74.996 MBytes"), 74996000u);
  EXPECT_EQ(parse_size("512"), 512u);
  EXPECT_EQ(parse_size("512B"), 512u);
  EXPECT_EQ(parse_size("512 bytes"), 512u);
  EXPECT_EQ(parse_size("  7 Bytes  "), 7u);
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_EQ(parse_size("105.45M"), 110572339u);  // 110572339.2 rounds to the nearest byte
  EXPECT_EQ(parse_size("4077k"), 4174848u);
}

TEST(parse_size, binary_and_decimal_si_conventions) {
  EXPECT_EQ(parse_size("1MB", unit_convention::binary), Mi);
  EXPECT_EQ(parse_size("74.996 MBytes", unit_convention::binary), 78639006u);  // .7 up
  EXPECT_EQ(parse_size("32.183Mi", unit_convention::binary), 33746321u);      // .4 down
  EXPECT_EQ(parse_size("136.232 GiByte", unit_convention::binary), 146277996167u);
  EXPECT_EQ(parse_size("11.5G", unit_convention::binary), 12348030976u);
  EXPECT_EQ(parse_size("1GiB", unit_convention::binary), Gi);
  EXPECT_EQ(parse_size("1kB", unit_convention::decimal_si), 1000u);
  EXPECT_EQ(parse_size("1M", unit_convention::decimal_si), 1000000u);
  EXPECT_EQ(parse_size("1MiB", unit_convention::decimal_si), Mi);
  EXPECT_EQ(parse_size("118 GB", unit_convention::decimal_si), 118000000000u);
}

TEST(parse_size, exact_up_to_two_to_the_64_and_no_further) {
  EXPECT_EQ(parse_size("18446744073709551615"), 18446744073709551615u);
  EXPECT_FALSE(parse_size("18446744073709551616"));
  EXPECT_EQ(parse_size("15E"), 15u * 1024u * 1024u * Ti);
  EXPECT_FALSE(parse_size("16E"));  // 2^64
  EXPECT_FALSE(parse_size("16.0E"));
  EXPECT_EQ(parse_size("9007199254740993"), 9007199254740993u);  // not through a double
}

TEST(parse_size, rejects_bad_inputs) {
  for (const std::string_view text :
       {"", " ", "G", "-1", "-1K", "+1K", "1.2.3", "1,5M", "1e3", "nan", "inf", "1X", "1 K B",
        "1Kib", "1kibytes", "1 Kbits", "1GBs", "1 G G", ".", "1.", ".5"})
    EXPECT_FALSE(parse_size(text)) << text;
}

TEST(parse_duration, clock_forms) {
  EXPECT_EQ(parse_duration("0:02:50"), 170.0);
  EXPECT_EQ(parse_duration("2:50"), 170.0);
  EXPECT_EQ(parse_duration("05:31"), 331.0);
  EXPECT_EQ(parse_duration("1:02:03:04"), 93784.0);
  EXPECT_EQ(parse_duration("1:15:26:23"), 141983.0);
  EXPECT_EQ(parse_duration("100:00:00"), 360000.0);  // curl prints up to 99:59:59, rsync more
  EXPECT_EQ(parse_duration("0:00:01.5"), 1.5);
}

TEST(parse_duration, unit_forms) {
  EXPECT_EQ(parse_duration("11m49s"), 709.0);
  EXPECT_EQ(parse_duration("1h2m3s"), 3723.0);
  EXPECT_EQ(parse_duration("19.8s"), 19.8);
  EXPECT_EQ(parse_duration("3058 s"), 3058.0);
  EXPECT_EQ(parse_duration("5d 03h"), 442800.0);
  EXPECT_EQ(parse_duration("117d 05h"), 10126800.0);
  EXPECT_EQ(parse_duration("8m 3s"), 483.0);
  EXPECT_EQ(parse_duration("250ms"), 0.25);
  EXPECT_EQ(parse_duration("1s 6ms"), 1.006);
  EXPECT_EQ(parse_duration("0.012 secs"), 0.012);
  EXPECT_EQ(parse_duration("42"), 42.0);  // a bare number is seconds
}

TEST(parse_duration, rejects_bad_inputs) {
  for (const std::string_view text :
       {"", "--:--:--", "??:??:??", "1:2:3:4:5", "1:60", "1:60:00", "2:25:00:00", "-1s", "1x",
        "1s2m", "1m 1m", "5m 3", "abc", "1::2", ":30", "1.5:00", "s", "1h 2x"})
    EXPECT_FALSE(parse_duration(text)) << text;
}

TEST(text_helpers, grouped_integers_and_words) {
  using namespace copyeta::detail::text;
  EXPECT_EQ(grouped_integer("15,446,610,948"), 15446610948u);
  EXPECT_EQ(grouped_integer("948"), 948u);
  EXPECT_FALSE(grouped_integer("12,34"));
  EXPECT_FALSE(grouped_integer(",123"));
  EXPECT_FALSE(grouped_integer("1,2345"));
  EXPECT_FALSE(grouped_integer("18,446,744,073,709,551,616"));
  EXPECT_EQ(words("  a bb\tc \r").size(), 3u);
  EXPECT_FALSE(plain_number("1e5"));
  EXPECT_FALSE(plain_number("-1"));
}

}  // namespace
