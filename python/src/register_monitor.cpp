#include "convert.hpp"
#include "register.hpp"

#include <copyeta/calibration.hpp>
#include <copyeta/models.hpp>
#include <copyeta/monitor.hpp>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace py = pybind11;

namespace copyeta::python {
namespace {

// A monitor that remembers what it was fed, so that it can be pickled: unpickling feeds the
// same samples to a new monitor, which (every model being deterministic) ends in the same state.
class py_monitor {
 public:
  py_monitor(std::string model, double level, std::shared_ptr<const calibration> cal)
      : model_(std::move(model)), level_(level), calibration_(std::move(cal)) {
    monitor_options options;
    options.model = model_;
    options.estimator.level = level;
    options.calibration = calibration_;
    options.validate();
    monitor_ = std::make_unique<monitor>(options);
  }

  // Returns the reason's name: "none" when accepted.
  std::string add(double t, const py::handle& done, const py::handle& total) {
    reject_reason why = reject_reason::none;
    const auto d = to_amount(done, why);
    std::optional<amount> tot;
    if (d && !total.is_none()) tot = to_amount(total, why);
    if (!d || (!total.is_none() && !tot)) {
      // An amount that is no amount never reaches the monitor; it is counted here.
      ++unconverted_[static_cast<std::size_t>(why)];
      return std::string(to_string(why));
    }
    const sample s{t, *d, tot};
    history_.push_back(s);
    return std::string(to_string(monitor_->add(s).reason));
  }

  estimate at(std::optional<double> now) const {
    return monitor_->estimate(now ? *now : std::numeric_limits<double>::quiet_NaN());
  }

  std::uint64_t accepted() const { return monitor_->accepted(); }
  std::uint64_t rejected() const {
    std::uint64_t n = monitor_->rejected();
    for (const auto count : unconverted_) n += count;
    return n;
  }
  const std::string& model() const { return model_; }
  double level() const { return level_; }
  std::size_t samples() const { return history_.size(); }

  py::tuple state() const {
    py::list history;
    for (const sample& s : history_)
      history.append(py::make_tuple(s.t, s.done, s.total ? py::object(py::int_(*s.total)) : py::object(py::none())));
    const py::object cal = calibration_ ? py::object(py::str(calibration_->to_json())) : py::object(py::none());
    return py::make_tuple(1, model_, level_, cal, history, unconverted_);
  }

  static py_monitor restore(const py::tuple& t) {
    if (t.size() != 6 || t[0].cast<int>() != 1)
      throw py::value_error("not a pickled copyeta.Monitor of format 1");
    std::shared_ptr<const calibration> cal;
    if (!t[3].is_none())
      cal = std::make_shared<const calibration>(calibration::from_json(t[3].cast<std::string>(), "pickle"));
    py_monitor m(t[1].cast<std::string>(), t[2].cast<double>(), cal);
    for (const py::handle item : t[4].cast<py::list>()) {
      const auto row = item.cast<py::tuple>();
      m.add(row[0].cast<double>(), row[1], row[2]);
    }
    m.unconverted_ = t[5].cast<std::array<std::uint64_t, reject_reason_count>>();
    return m;
  }

 private:
  std::string model_;
  double level_;
  std::shared_ptr<const calibration> calibration_;
  std::unique_ptr<monitor> monitor_;
  std::vector<sample> history_;
  std::array<std::uint64_t, reject_reason_count> unconverted_{};
};

}  // namespace

void register_monitor(py::module_& m) {
  m.def("model_names", [] {
    std::vector<std::string> names;
    for (const auto name : model_names()) names.emplace_back(name);
    return names;
  }, "Model names of contracts.md: copyeta's first, then the peers.");

  py::class_<py_monitor>(m, "Monitor",
                         "The lenient front end: samples that break the input policy are counted, "
                         "never raised.")
      .def(py::init([](std::string model, double level, std::shared_ptr<calibration> cal) {
             return py_monitor(std::move(model), level, std::move(cal));
           }),
           py::arg("model") = "default", py::arg("level") = 0.8, py::arg("calibration") = nullptr)
      .def("add", &py_monitor::add, py::arg("t"), py::arg("done"), py::arg("total") = py::none(),
           "Adds a sample; returns the input policy's verdict: 'none' when accepted, else the "
           "reason ('time_backwards', 'amount_negative', ...).")
      .def("estimate", &py_monitor::at, py::arg("now") = py::none(),
           "The estimate at `now` (seconds, the samples' clock); None: the latest sample's time.")
      .def_property_readonly("accepted", &py_monitor::accepted)
      .def_property_readonly("rejected", &py_monitor::rejected)
      .def_property_readonly("model", &py_monitor::model)
      .def_property_readonly("level", &py_monitor::level)
      .def("__len__", &py_monitor::samples)
      .def("__repr__", [](const py_monitor& self) {
        return fmt::format("Monitor(model='{}', level={}, samples={}, accepted={})", self.model(),
                           self.level(), self.samples(), self.accepted());
      })
      .def(py::pickle([](const py_monitor& self) { return self.state(); },
                      [](const py::tuple& t) { return py_monitor::restore(t); }));
}

}  // namespace copyeta::python
