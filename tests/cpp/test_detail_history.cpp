#include <copyeta/detail/history.hpp>

#include <gtest/gtest.h>

namespace {

using history = copyeta::detail::history<16>;

TEST(history, keeps_points_resolution_apart_and_tracks_the_newest) {
  history h(1.0);
  h.push(0.0, 0);
  h.push(0.5, 5);
  h.push(0.9, 9);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h.back().done, 9u);
  h.push(1.2, 12);  // 1.2 s past the first point: a new slot
  EXPECT_EQ(h.size(), 3u);
}

TEST(history, thinning_bounds_the_size_and_covers_the_whole_run) {
  history h(1.0);
  for (int t = 0; t < 100000; ++t) h.push(double(t), copyeta::amount(t));
  EXPECT_LE(h.size(), 16u);
  EXPECT_EQ(h.front().t, 0.0);
  EXPECT_EQ(h.back().t, 99999.0);
  for (std::size_t i = 1; i < h.size(); ++i) EXPECT_LT(h[i - 1].t, h[i].t);
  EXPECT_GE(h.resolution(), 100000.0 / 16.0);
  EXPECT_LE(sizeof(copyeta::detail::history<256>), 256 * 16 + 32);
}

TEST(history, interpolates_done_between_points) {
  history h(1.0);
  h.push(0.0, 0);
  h.push(10.0, 100);
  EXPECT_DOUBLE_EQ(h.done_at(2.5), 25.0);
  EXPECT_DOUBLE_EQ(h.done_at(-1.0), 0.0);
  EXPECT_DOUBLE_EQ(h.done_at(20.0), 100.0);
  EXPECT_EQ(h.index_at_or_before(9.9), 0u);
  EXPECT_EQ(h.index_at_or_before(10.0), 1u);
}

}  // namespace
