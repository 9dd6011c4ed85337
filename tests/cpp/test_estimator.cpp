#include <copyeta/models.hpp>
#include <gtest/gtest.h>
TEST(smoke, builds) { auto e = copyeta::make_estimator("default"); e->add({0, 0, 100}); e->add({1, 10, 100}); auto r = e->estimate(1); EXPECT_EQ(r.state, copyeta::state::ok); }
