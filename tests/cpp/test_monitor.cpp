#include <copyeta/errors.hpp>
#include <copyeta/monitor.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace {

using copyeta::monitor;
using copyeta::reject_reason;
using copyeta::state;

TEST(monitor, counts_rejections_by_reason_instead_of_throwing) {
  monitor m;
  EXPECT_TRUE(m.add({0.0, 0, 1000}).accepted());
  EXPECT_TRUE(m.add({1.0, 10, 1000}).accepted());
  EXPECT_EQ(m.add({0.5, 20, 1000}).reason, reject_reason::time_backwards);
  EXPECT_EQ(m.add({std::nan(""), 20, 1000}).reason, reject_reason::time_not_finite);
  EXPECT_EQ(m.add({0.2, 20, 1000}).reason, reject_reason::time_backwards);
  EXPECT_EQ(m.accepted(), 2u);
  EXPECT_EQ(m.rejected(), 3u);
  EXPECT_EQ(m.rejected(reject_reason::time_backwards), 2u);
  EXPECT_EQ(m.rejected(reject_reason::time_not_finite), 1u);
  EXPECT_EQ(m.last_rejection(), reject_reason::time_backwards);
  EXPECT_EQ(m.model().last()->t, 1.0);
}

TEST(monitor, a_restart_is_accepted_not_rejected) {
  monitor m;
  m.add({0.0, 0, 1000});
  m.add({1.0, 500, 1000});
  EXPECT_TRUE(m.add({2.0, 100, 1000}).restart);
  EXPECT_EQ(m.rejected(), 0u);
  EXPECT_EQ(m.model().restarts(), 1u);
}

TEST(monitor, estimate_never_throws_on_a_bad_now) {
  monitor m;
  EXPECT_EQ(m.estimate(std::nan("")).state, state::warming_up);
  m.add({0.0, 0, 1000});
  m.add({4.0, 100, 1000});
  const auto e = m.estimate(std::nan(""));
  EXPECT_EQ(e.t, 4.0);
  EXPECT_EQ(e.state, state::ok);
  EXPECT_EQ(m.estimate(HUGE_VAL).t, 4.0);
}

TEST(monitor, uses_the_named_model) {
  copyeta::monitor_options o;
  o.model = "default";
  EXPECT_EQ(monitor(o).model().name(), "default");
  o.model = "no-such-model";
  EXPECT_THROW(o.validate(), copyeta::options_error);
  EXPECT_THROW(monitor{o}, copyeta::options_error);
}

}  // namespace
