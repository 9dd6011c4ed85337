#include <security.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

namespace copyeta::cli {
namespace {

using ::testing::HasSubstr;

TEST(security, only_the_users_own_privileges_are_accepted) {
  EXPECT_EQ(privilege_problem({1000, 1000, 1000, 1000, false}), std::nullopt);
  EXPECT_EQ(privilege_problem({0, 0, 0, 0, false}), std::nullopt);  // root, run as root
  EXPECT_THAT(privilege_problem({1000, 0, 1000, 1000, false}).value_or(""),
              HasSubstr("running setuid (user 1000, effective user 0)"));
  EXPECT_THAT(privilege_problem({1000, 1000, 1000, 0, false}).value_or(""),
              HasSubstr("running setgid (group 1000, effective group 0)"));
  EXPECT_THAT(privilege_problem({1000, 1000, 1000, 1000, true}).value_or(""),
              HasSubstr("raised privileges (file capabilities)"));
}

TEST(security, this_test_runs_with_its_own_privileges) {
  const credentials c = current_credentials();
  EXPECT_EQ(c.uid, ::getuid());
  EXPECT_EQ(c.euid, ::geteuid());
  EXPECT_FALSE(c.secure_exec);
  EXPECT_EQ(privilege_problem(c), std::nullopt);
}

}  // namespace
}  // namespace copyeta::cli
