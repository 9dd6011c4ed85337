// Compiles every definition of the library once (fmt's format.cc, spdlog's spdlog.cpp).
// Header-only users get the same code inline through COPYETA_HEADER_ONLY.
#ifdef COPYETA_HEADER_ONLY
#error "src/copyeta.cpp is the compiled library; do not build it with COPYETA_HEADER_ONLY"
#endif

#include <copyeta/errors-inl.hpp>
#include <copyeta/estimate-inl.hpp>
#include <copyeta/estimator-inl.hpp>
#include <copyeta/input_policy-inl.hpp>
#include <copyeta/models-inl.hpp>
#include <copyeta/models/default_model-inl.hpp>
#include <copyeta/sample-inl.hpp>
