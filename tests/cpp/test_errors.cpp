#include <copyeta/errors.hpp>
#include <copyeta/input_policy.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

TEST(errors, contract_violations_derive_from_invalid_argument) {
  const copyeta::sample_error e(copyeta::reject_reason::amount_too_large, "done", 2e19,
                                std::nullopt);
  const std::invalid_argument& base = e;
  EXPECT_STREQ(base.what(), "[copyeta.sample.amount_too_large] done = 2e+19 is above 2^64-1");
  const copyeta::options_error o("[copyeta.options] x");
  EXPECT_NE(dynamic_cast<const std::invalid_argument*>(&o), nullptr);
}

TEST(errors, input_errors_are_runtime_errors) {
  const copyeta::input_error e("[copyeta.input] a.csv: cannot open the file");
  const std::runtime_error& base = e;
  EXPECT_STREQ(base.what(), "[copyeta.input] a.csv: cannot open the file");
}

}  // namespace
