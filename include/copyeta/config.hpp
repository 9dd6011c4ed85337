// Build configuration: header-only or compiled, and the version.
#pragma once

#define COPYETA_VERSION_MAJOR 0
#define COPYETA_VERSION_MINOR 1
#define COPYETA_VERSION_PATCH 0
#define COPYETA_VERSION_STRING "0.1.0"

// Like fmt and spdlog: definitions live in the *-inl.hpp files. copyeta::copyeta compiles them
// once in src/copyeta.cpp; copyeta::header_only defines COPYETA_HEADER_ONLY, and every header
// then includes its -inl.hpp with the definitions marked inline.
#ifdef COPYETA_HEADER_ONLY
#define COPYETA_INLINE inline
#else
#define COPYETA_INLINE
#endif

// Keeps a function out of its callers. For estimator::estimate's body: inlined into a loop that
// estimates every row (replay, header-only), it made the loop over a third slower per row.
#if defined(__GNUC__) || defined(__clang__)
#define COPYETA_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define COPYETA_NOINLINE __declspec(noinline)
#else
#define COPYETA_NOINLINE
#endif
