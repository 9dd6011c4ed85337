#include <copyeta/sample.hpp>

#include <gtest/gtest.h>

namespace {

TEST(sample, equality_compares_every_field) {
  copyeta::sample a{1.0, 2, 3};
  copyeta::sample b = a;
  EXPECT_EQ(a, b);
  b.total.reset();
  EXPECT_NE(a, b);
}

}  // namespace
