// Fuzz target: calibration evidence loading (calibration_evidence::from_json, what workers send
// a coordinator, e.g. copyeta.dask).
//
// Checked: the only exception is input_error naming the source; evidence that loads is whole:
// to_json() is byte-stable and reads back to equal evidence, merging it with itself changes
// nothing, and what it fits is a calibration that loads (weights sum to 1, quantiles finite
// and never decreasing with p).
#include "fuzz_check.hpp"

#include <copyeta/calibration.hpp>
#include <copyeta/calibration_evidence.hpp>
#include <copyeta/errors.hpp>

#include <cmath>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  copyeta::calibration_evidence evidence;
  try {
    evidence = copyeta::calibration_evidence::from_json(text, "fuzz.json");
  } catch (const copyeta::input_error& e) {
    FUZZ_CHECK(std::string_view(e.what()).find("fuzz.json") != std::string_view::npos,
               "the error does not name the source: %s", e.what());
    return 0;
  }

  const std::string json = evidence.to_json();
  FUZZ_CHECK(evidence.to_json() == json, "to_json() is not byte-stable");
  const auto again = copyeta::calibration_evidence::from_json(json, "round trip");
  FUZZ_CHECK(again == evidence, "to_json() does not read back to equal evidence");
  FUZZ_CHECK(again.to_json() == json, "to_json() does not read back to itself");
  copyeta::calibration_evidence twice = evidence;
  twice.merge(evidence);
  FUZZ_CHECK(twice == evidence, "merging evidence with itself changed it");

  const copyeta::calibration c = evidence.fit();
  const double sum = c.weights()[0] + c.weights()[1] + c.weights()[2];
  FUZZ_CHECK(std::abs(sum - 1.0) <= 1e-6, "fitted weights sum to %g", sum);
  FUZZ_CHECK(c.jobs() == evidence.jobs(), "fit learned from %zu jobs of %zu", c.jobs(),
             evidence.jobs());
  for (const double fraction : {0.0, 0.5, 1.0}) {
    double previous = -HUGE_VAL;
    for (const double p : {1e-9, 0.1, 0.5, 0.9, 1.0 - 1e-9}) {
      const double q = c.quantile(fraction, p);
      FUZZ_CHECK(std::isfinite(q), "quantile(%g, %g) = %g", fraction, p, q);
      FUZZ_CHECK(q >= previous, "quantile(%g, %g) = %.17g below %.17g", fraction, p, q,
                 previous);
      previous = q;
    }
  }
  // What it fits is a calibration file that loads.
  copyeta::calibration::from_json(c.to_json(), "fitted");
  return 0;
}
