#include <copyeta/detail/first_passage.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace {

using copyeta::detail::first_passage;
using copyeta::detail::log_normal_cdf;
using copyeta::detail::mills_ratio;

// The closed-form density of the uncertain-drift passage time, written out independently.
double density(double w, double m, double v, double s2, double t) {
  const double pi = 3.14159265358979323846;
  const double d = t * (v + s2 * t);
  return w / std::sqrt(2.0 * pi * t * t * d) * std::exp(-(w - m * t) * (w - m * t) / (2.0 * d));
}

// P(T <= t) by Simpson's rule on log t: an independent check of the closed-form CDF.
double integrated_cdf(double w, double m, double v, double s2, double t) {
  const double u0 = std::log(t) - 30.0;
  const double u1 = std::log(t);
  const int n = 20000;
  const double h = (u1 - u0) / n;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double u = u0 + h * i;
    const double f = density(w, m, v, s2, std::exp(u)) * std::exp(u);
    sum += f * (i == 0 || i == n ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0));
  }
  return sum * h / 3.0;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// The textbook inverse Gaussian CDF for mean mu and shape lambda, fine for moderate values.
double ig_cdf(double mu, double lambda, double t) {
  const double r = std::sqrt(lambda / t);
  return normal_cdf(r * (t / mu - 1.0)) +
         std::exp(2.0 * lambda / mu) * normal_cdf(-r * (t / mu + 1.0));
}

TEST(first_passage, log_normal_cdf_matches_reference_values_in_both_tails) {
  // From mpmath at 40 digits.
  const std::pair<double, double> cases[] = {
      {-40.0, -804.6084420137538}, {-30.0, -454.3212439563432}, {-26.0, -342.17850892992783},
      {-24.0, -292.0987210032078}, {-10.0, -53.23128515051247}, {-1.0, -1.8410216450092636},
      {0.0, -0.6931471805599453},  {3.0, -0.0013508099647481938}, {10.0, -7.619853024160525e-24}};
  for (const auto& [x, expected] : cases)
    EXPECT_NEAR(log_normal_cdf(x) / expected, 1.0, 1e-12) << "x = " << x;
  EXPECT_TRUE(std::isfinite(log_normal_cdf(-1e10)));
}

TEST(first_passage, mills_ratio_is_continuous_where_the_series_takes_over) {
  EXPECT_NEAR(mills_ratio(0.0), 1.2533141373155003, 1e-14);
  EXPECT_NEAR(mills_ratio(1.0), 0.6556795424187984, 1e-14);
  EXPECT_NEAR(mills_ratio(24.9) / 0.04009617930409761, 1.0, 1e-12);
  EXPECT_NEAR(mills_ratio(25.1) / 0.039777698112265926, 1.0, 1e-12);
  EXPECT_NEAR(mills_ratio(40.0) / 0.02498440420572057, 1.0, 1e-12);
}

TEST(first_passage, inverse_gaussian_known_values) {
  // w = 1, m = 1, sigma^2 = 1: IG with mean 1 and shape 1 (scipy.stats.invgauss(1)).
  const first_passage ig(1.0, 1.0, 1.0);
  EXPECT_NEAR(ig.quantile(0.5), 0.675841305695239, 1e-12);
  EXPECT_NEAR(ig.cdf(0.1), 0.004076111320711015, 1e-15);
  EXPECT_NEAR(ig.cdf(1.0), 0.6681020012231706, 1e-14);
  EXPECT_NEAR(ig.cdf(5.0), 0.9901152973996736, 1e-14);
  EXPECT_NEAR(std::exp(ig.log_pdf(2.0)), 0.1098478223669306, 1e-14);
  EXPECT_EQ(ig.log_finish_probability(), 0.0);

  // Mean 2, shape 5: w = 5, m = 2.5, sigma^2 = 5 (scipy.stats.invgauss(0.4, scale=5)).
  const first_passage b(5.0, 2.5, 5.0);
  EXPECT_NEAR(b.quantile(0.05), 0.6558683552426896, 1e-11);
  EXPECT_NEAR(b.quantile(0.5), 1.6731165396526309, 1e-11);
  EXPECT_NEAR(b.quantile(0.95), 4.458124509266689, 1e-11);
  EXPECT_NEAR(b.cdf(0.5), 0.014583769247848374, 1e-15);
  for (double t : {0.3, 1.0, 2.0, 6.0, 20.0}) EXPECT_NEAR(b.cdf(t), ig_cdf(2.0, 5.0, t), 1e-13);
}

TEST(first_passage, a_probability_prepared_once_gives_the_same_quantile) {
  // Models ask for the same three probabilities at every estimate and prepare them once.
  using copyeta::detail::passage_probability;
  const first_passage f(300.0, 1.0, 0.01, 0.002);
  const first_passage g(2.0, -0.5, 0.7, 0.3);
  for (double p : {0.0, 1e-12, 0.1, 0.5, 0.9, 1.0 - 1e-9, 1.0}) {
    const passage_probability prepared(p);
    EXPECT_EQ(f.quantile(prepared), f.quantile(p)) << p;
    EXPECT_EQ(g.quantile(prepared), g.quantile(p)) << p;
  }
}

TEST(first_passage, uncertain_drift_cdf_matches_the_integrated_density) {
  struct params {
    double w, m, v, s2;
  };
  for (const params& p : {params{2.0, 1.5, 0.7, 0.3}, params{1.0, 1.0, 1.0, 0.01},
                          params{300.0, 1.0, 0.01, 0.002}, params{2.0, -0.5, 0.7, 0.3}}) {
    const first_passage f(p.w, p.m, p.v, p.s2);
    // The mass below a million mean times is the probability of finishing at all (the tail
    // beyond holds less than 1e-6 for these parameters).
    const double mass = integrated_cdf(p.w, p.m, p.v, p.s2, 1e6 * p.w / std::abs(p.m));
    EXPECT_NEAR(f.log_finish_probability(), std::log(mass), 1e-6) << p.w << " " << p.m;
    for (double share : {0.3, 0.7, 1.0, 1.5, 3.0}) {
      const double t = share * p.w / std::abs(p.m);
      const double expected = integrated_cdf(p.w, p.m, p.v, p.s2, t) /
                              std::exp(f.log_finish_probability());
      EXPECT_NEAR(f.cdf(t), expected, 1e-7) << p.w << " " << p.m << " t = " << t;
      EXPECT_NEAR(std::exp(f.log_pdf(t)),
                  density(p.w, p.m, p.v, p.s2, t) / std::exp(f.log_finish_probability()), 1e-12);
    }
  }
}

TEST(first_passage, negative_known_drift_finishes_with_probability_exp_2mw_over_sigma2) {
  const first_passage f(2.0, -0.5, 0.7);
  EXPECT_NEAR(f.log_finish_probability(), 2.0 * -0.5 * 2.0 / 0.7, 1e-15);
  // Given that it finishes, it behaves like the positive drift (a classic symmetry).
  const first_passage mirrored(2.0, 0.5, 0.7);
  for (double t : {1.0, 4.0, 10.0}) EXPECT_NEAR(f.cdf(t), mirrored.cdf(t), 1e-12);
}

TEST(first_passage, no_drift_uncertainty_is_the_inverse_gaussian) {
  const first_passage exact(5.0, 2.5, 5.0, 0.0);
  const first_passage almost(5.0, 2.5, 5.0, 1e-14);
  for (double p : {0.01, 0.1, 0.5, 0.9, 0.99})
    EXPECT_NEAR(almost.quantile(p) / exact.quantile(p), 1.0, 1e-9) << p;
}

TEST(first_passage, vanishing_noise_concentrates_on_distance_over_drift) {
  for (double v : {1e-2, 1e-6, 1e-12}) {
    const first_passage f(1e9, 1e6, v * 1e6, v * 1e-3);
    // Relative spread sqrt(sigma^2 / (m^2 T)) = 3.2e-5 sqrt(v).
    for (double p : {0.1, 0.5, 0.9})
      EXPECT_NEAR(f.quantile(p) / 1000.0, 1.0, 5e-5 * std::sqrt(v) + 1e-13) << v << " " << p;
  }
}

TEST(first_passage, drift_uncertainty_widens_the_interval_and_skews_it_right) {
  const first_passage known(100.0, 1.0, 1.0);
  const first_passage uncertain(100.0, 1.0, 1.0, 0.01);
  EXPECT_GT(uncertain.quantile(0.9) - uncertain.quantile(0.1),
            known.quantile(0.9) - known.quantile(0.1));
  EXPECT_GT(uncertain.quantile(0.9) - uncertain.quantile(0.5),
            uncertain.quantile(0.5) - uncertain.quantile(0.1));
}

TEST(first_passage, quantiles_are_monotone_from_p_near_0_to_p_near_1) {
  struct params {
    double w, m, v, s2;
  };
  const std::vector<double> ps{1e-12, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-6, 1 - 1e-9};
  for (const params& p : {params{1.0, 1.0, 1.0, 0.0}, params{1.0, 1.0, 1e3, 0.0},
                          params{2.0, 1.5, 0.7, 0.3}, params{1e15, 1e9, 1e15, 1e13},
                          params{1e15, 1e9, 1e-6, 0.0}, params{1e15, 1e9, 1e18, 1e16},
                          params{10.0, 1e-3, 1.0, 1e-2}}) {
    const first_passage f(p.w, p.m, p.v, p.s2);
    double previous = 0.0;
    for (double q : ps) {
      const double t = f.quantile(q);
      EXPECT_TRUE(std::isfinite(t) && t > 0.0) << p.w << " " << p.v << " p = " << q;
      // Rounding limits the steepest case (sigma^2 = 1e-6) to about 1e-15 relative.
      EXPECT_GE(t, previous * (1.0 - 1e-12)) << p.w << " " << p.v << " p = " << q;
      previous = t;
      // The steepest case is narrower than a double can resolve around 1e6 s.
      if (p.v > 1e-3) {
        EXPECT_NEAR(f.cdf(t) / q, 1.0, 1e-8) << p.w << " " << p.v << " p = " << q;
      }
    }
  }
  const first_passage ig(1.0, 1.0, 1.0);
  EXPECT_NEAR(ig.quantile(1e-12), 0.01894311817192387, 1e-12);  // scipy
  EXPECT_NEAR(ig.quantile(1 - 1e-9) / 32.36579226536658, 1.0, 1e-6);
  EXPECT_EQ(ig.quantile(0.0), 0.0);
  EXPECT_EQ(ig.quantile(1.0), std::numeric_limits<double>::infinity());
}

TEST(first_passage, multi_day_copies_at_gigabytes_per_second_stay_finite) {
  // 1 PB at 1 GB/s (11.6 days): lambda / mu = w m / sigma^2 is 1e9 and beyond, so exp(2 lambda/mu)
  // would overflow if it were ever formed.
  for (double v : {1e15, 1e9, 1e-6}) {
    for (double s2 : {0.0, 1e10, 1e14}) {
      const first_passage f(1e15, 1e9, v, s2);
      const double lo = f.quantile(0.1);
      const double median = f.quantile(0.5);
      const double hi = f.quantile(0.9);
      EXPECT_TRUE(std::isfinite(lo) && std::isfinite(hi)) << v << " " << s2;
      EXPECT_LE(lo, median);
      EXPECT_LE(median, hi);
      EXPECT_NEAR(median / 1e6, 1.0, 1e-3) << v << " " << s2;
      EXPECT_TRUE(std::isfinite(f.log_cdf(1e6)));
      EXPECT_TRUE(std::isfinite(f.log_cdf(1.0)));
      EXPECT_TRUE(std::isfinite(f.log_pdf(1e6)));
    }
  }
  // Known drift, sigma^2 = 1e15: the IG is nearly normal with sd sqrt(w sigma^2 / m^3) = 31.6 s.
  const first_passage f(1e15, 1e9, 1e15);
  EXPECT_NEAR(f.quantile(0.9) - f.quantile(0.5), 1.2815515655446004 * std::sqrt(1e3), 0.2);
}

}  // namespace
