#include <copyeta/errors.hpp>
#include <copyeta/estimate.hpp>

#include <cmath>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

namespace {

using copyeta::state;

TEST(state, names_are_the_contract_names_and_round_trip) {
  const std::pair<state, const char*> expected[] = {
      {state::warming_up, "warming_up"}, {state::unknown_total, "unknown_total"},
      {state::ok, "ok"},                 {state::stalled, "stalled"},
      {state::flushing, "flushing"},     {state::finished, "finished"},
      {state::rejected, "rejected"},
  };
  for (const auto& [s, name] : expected) {
    EXPECT_EQ(copyeta::to_string(s), name);
    EXPECT_EQ(copyeta::state_from_string(name), s);
  }
  EXPECT_FALSE(copyeta::state_from_string("done").has_value());
}

TEST(confidence_level, validates_its_range) {
  EXPECT_THROW(copyeta::confidence_level{0.0}, copyeta::options_error);
  EXPECT_THROW(copyeta::confidence_level{1.0}, copyeta::options_error);
  EXPECT_THROW(copyeta::confidence_level{std::nan("")}, copyeta::options_error);
  EXPECT_EQ(copyeta::confidence_level{0.8}.value(), 0.8);
}

TEST(confidence_level, z_matches_the_normal_distribution) {
  EXPECT_NEAR(copyeta::confidence_level{0.8}.two_sided_z(), 1.2815515655446004, 1e-12);
  EXPECT_NEAR(copyeta::confidence_level{0.95}.two_sided_z(), 1.959963984540054, 1e-12);
  EXPECT_NEAR(copyeta::confidence_level{0.999}.two_sided_z(), 3.2905267314918945, 1e-10);
  EXPECT_NEAR(copyeta::confidence_level{0.01}.two_sided_z(), 0.012533469508069276, 1e-12);
}

TEST(estimate, has_remaining_only_for_states_with_numbers) {
  copyeta::estimate e;
  for (state s : {state::ok, state::stalled, state::flushing, state::finished}) {
    e.state = s;
    EXPECT_TRUE(e.has_remaining()) << copyeta::to_string(s);
  }
  for (state s : {state::warming_up, state::unknown_total, state::rejected}) {
    e.state = s;
    EXPECT_FALSE(e.has_remaining()) << copyeta::to_string(s);
  }
}

TEST(estimate, fraction_needs_a_non_zero_total_and_caps_at_one) {
  copyeta::estimate e;
  e.done = 25;
  EXPECT_FALSE(e.fraction().has_value());
  e.total = 0;
  EXPECT_FALSE(e.fraction().has_value());
  e.total = 100;
  EXPECT_DOUBLE_EQ(*e.fraction(), 0.25);
  e.done = 150;
  EXPECT_DOUBLE_EQ(*e.fraction(), 1.0);
}

TEST(estimate, finish_turns_remaining_into_wall_clock_times) {
  copyeta::estimate e;
  e.state = state::ok;
  e.remaining = 90.0;
  e.lo = 60.0;
  e.hi = 150.5;
  const auto wall = std::chrono::system_clock::time_point{} + std::chrono::hours(1000);
  const auto f = e.finish(wall);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->median - wall, std::chrono::seconds(90));
  EXPECT_EQ(f->lo - wall, std::chrono::seconds(60));
  EXPECT_EQ(f->hi - wall, std::chrono::milliseconds(150500));
  e.state = state::warming_up;
  EXPECT_FALSE(e.finish(wall).has_value());
}

}  // namespace
