// Fuzz target: calibration loading (calibration::from_json, behind `--calibration FILE` and
// calibration::load).
//
// Checked: the only exception is input_error naming the source; a calibration that loads is
// whole and usable: to_json() reads back to the same calibration and is byte-stable, its
// quantiles are finite and never decrease with p, and the default model fed with it keeps the
// estimate contract.
#include "estimate_contract.hpp"
#include "fuzz_check.hpp"

#include <copyeta/calibration.hpp>
#include <copyeta/errors.hpp>
#include <copyeta/monitor.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::shared_ptr<const copyeta::calibration> c;
  try {
    c = std::make_shared<const copyeta::calibration>(
        copyeta::calibration::from_json(text, "fuzz.json"));
  } catch (const copyeta::input_error& e) {
    FUZZ_CHECK(std::string_view(e.what()).find("fuzz.json") != std::string_view::npos,
               "the error does not name the source: %s", e.what());
    return 0;
  }

  // Loaded: it must be whole.
  const double sum = c->weights()[0] + c->weights()[1] + c->weights()[2];
  FUZZ_CHECK(std::abs(sum - 1.0) <= 1e-6, "weights sum to %g", sum);
  const std::string json = c->to_json();
  FUZZ_CHECK(c->to_json() == json, "to_json() is not byte-stable");
  // The text holds 9 significant digits, so what it reads back writes the same text.
  const auto again = copyeta::calibration::from_json(json, "round trip");
  FUZZ_CHECK(again.to_json() == json, "to_json() does not read back to itself");

  for (const double fraction : {0.0, 0.1, 0.35, 0.5, 0.65, 0.9, 1.0}) {
    double previous = -HUGE_VAL;
    for (const double p : {1e-9, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0 - 1e-9}) {
      const double q = c->quantile(fraction, p);
      FUZZ_CHECK(std::isfinite(q), "quantile(%g, %g) = %g", fraction, p, q);
      FUZZ_CHECK(q >= previous, "quantile(%g, %g) = %.17g below %.17g at a smaller p", fraction, p,
                 q, previous);
      previous = q;
    }
  }

  // The default model with it, on a steady copy with a wobble and a stall.
  copyeta::monitor_options options;
  options.calibration = c;
  copyeta::monitor monitor(options);
  copyeta_fuzz::expected_estimate x;
  x.level = options.estimator.level;
  const copyeta::amount total = 1'000'000;
  for (int i = 0; i <= 60; ++i) {
    const double t = i;
    const copyeta::amount done = i < 40 ? static_cast<copyeta::amount>(i * 10'000 + (i % 3) * 3'000)
                                        : static_cast<copyeta::amount>(400'000 + (i - 40) * 30'000);
    const copyeta::sample s{t, done < total ? done : total, total};
    FUZZ_CHECK(monitor.add(s).accepted(), "a valid sample was rejected");
    x.any_accepted = true;
    x.done = s.done;
    x.total = total;
    x.t = t;
    copyeta_fuzz::check_estimate(monitor.estimate(t), x, "default (fuzzed calibration)");
    x.t = t + 30.0;
    copyeta_fuzz::check_estimate(monitor.estimate(t + 30.0), x, "default (fuzzed calibration)");
  }
  return 0;
}
