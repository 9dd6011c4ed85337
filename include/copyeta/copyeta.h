/* copyeta.h: copyeta's stable C API, for C programs and for FFI (Python ctypes, Rust, Go, ...).
 *
 * A pure C header: it compiles as C89 (with <stdint.h>, which every current compiler has), C99
 * and later, and as C++. It is implemented in src/c_api.cpp, which is part of the compiled
 * library (copyeta::copyeta, libcopyeta) and of libcopyeta_c, a shared library that holds the C
 * API alone (CMake: copyeta::c; pkg-config: copyeta_c) and is what FFI loads. The header-only
 * flavour (copyeta::header_only) does not provide the C API: link one of those two.
 *
 *   copyeta_monitor* m = NULL;
 *   if (copyeta_monitor_create("default", 0.8, NULL, &m) != COPYETA_OK) {
 *     fprintf(stderr, "%s\n", copyeta_last_error());
 *     return 1;
 *   }
 *   copyeta_monitor_add(m, t, bytes_done, &bytes_total);   (t: seconds, a monotonic clock)
 *   copyeta_estimate e;
 *   e.struct_size = sizeof e;
 *   copyeta_monitor_estimate(m, t, &e);
 *   copyeta_format(&e, COPYETA_FORMAT_STATUS, time(NULL), 0, line, sizeof line, NULL);
 *   copyeta_monitor_destroy(m);
 *
 * Conventions
 * - Errors: every function that can fail returns a copyeta_error, COPYETA_OK (0) on success. A
 *   failure also sets a message for the calling thread, read with copyeta_last_error(); calls
 *   that succeed leave it as it was. No C++ exception ever crosses this API.
 * - Handles are opaque. Whoever receives one from a *_create, *_load, *_from_json or *_builtin
 *   function owns it and frees it with the matching *_destroy, which accepts NULL. On failure
 *   the output handle is set to NULL, so destroying it is always safe.
 * - Every pointer argument is checked: NULL where one is required gives
 *   COPYETA_ERROR_NULL_ARGUMENT, never a crash.
 * - Threads: a monitor is used by one thread at a time (lock around it to share it). A
 *   calibration never changes once made, so any number of threads and monitors may share it.
 * - Time is passed in, never read: t and now are seconds on the caller's clock (any origin, a
 *   monotonic one in practice). Amounts are uint64_t: bytes, rows, files or mailboxes.
 *
 * ABI stability
 * - Only additions: new functions, new enum values, new fields at the end of copyeta_estimate.
 *   Nothing here is renamed, removed or changes meaning while COPYETA_C_ABI_VERSION stays 1 (it
 *   is also the SOVERSION of libcopyeta_c).
 * - Structs have fixed-width fields and no implicit padding, so their layout is the same on every
 *   platform: copyeta_estimate is 120 bytes (COPYETA_ESTIMATE_SIZE_V1), offsets as commented.
 * - copyeta_estimate starts with struct_size, set by the caller to sizeof(copyeta_estimate) as
 *   its header knows it. The library fills at most that many bytes and sets struct_size to what
 *   it filled, so a program built against a newer header (a larger struct) works with an older
 *   library and can tell which fields it got, and the other way round.
 * - Enum values travel as int (int32_t in structs), never as enum types, so an enum's size
 *   never matters and a value from a newer header is an error code, not undefined behaviour.
 */
#ifndef COPYETA_H
#define COPYETA_H

#include <stddef.h>
#include <stdint.h>

/* The library version; the same values as config.hpp (copyeta_version() gives the library's at
 * run time, which may be newer than the header's). */
#define COPYETA_VERSION_MAJOR 0
#define COPYETA_VERSION_MINOR 1
#define COPYETA_VERSION_PATCH 0
#define COPYETA_VERSION_STRING "0.1.0"
/* The version of this C ABI: raised only if it ever has to break; additions keep it. */
#define COPYETA_C_ABI_VERSION 1

#if defined(_WIN32) && !defined(COPYETA_C_STATIC)
#if defined(COPYETA_C_BUILDING)
#define COPYETA_C_API __declspec(dllexport)
#else
#define COPYETA_C_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define COPYETA_C_API __attribute__((visibility("default")))
#else
#define COPYETA_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ---------------------------------------------------------------------------- */

typedef enum copyeta_error {
  COPYETA_OK = 0,
  COPYETA_ERROR_NULL_ARGUMENT = 1,    /* a required pointer was NULL */
  COPYETA_ERROR_INVALID_ARGUMENT = 2, /* unknown model, level outside (0, 1), a calibration for a
                                         model other than "default", a bad struct_size, state or
                                         format kind */
  COPYETA_ERROR_SAMPLE_REJECTED = 3,  /* the sample broke the input policy (NaN or infinite t, t
                                         before the previous one, ...): it was ignored and
                                         counted, and the monitor goes on as before */
  COPYETA_ERROR_IO = 4,               /* a file could not be opened, read or written */
  COPYETA_ERROR_BAD_INPUT = 5,        /* a calibration file or text is not a valid calibration */
  COPYETA_ERROR_BUFFER_TOO_SMALL = 6, /* the text was truncated to fit the caller's buffer */
  COPYETA_ERROR_OUT_OF_MEMORY = 7,
  COPYETA_ERROR_INTERNAL = 8          /* a bug in copyeta: please report it with the message */
} copyeta_error;

/* The message of the latest call that failed on this thread, e.g.
 *   "[copyeta.options] unknown model 'fast'; known models: default, robust_window, ..."
 *   "[copyeta.sample.time_not_finite] t = nan is not a finite number"
 * "" when none has failed yet. Owned by copyeta: valid until the next call that fails on the
 * same thread; copy it to keep it. Never NULL. */
COPYETA_C_API const char* copyeta_last_error(void);

/* A static description of a copyeta_error ("the text was truncated ..."); "unknown error" for a
 * value that is not in the enum. Never NULL. */
COPYETA_C_API const char* copyeta_error_string(int error);

/* ---- version ----------------------------------------------------------------------------- */

/* The library's version, "0.1.0": static storage, never NULL. */
COPYETA_C_API const char* copyeta_version(void);
/* The library's COPYETA_C_ABI_VERSION. A program can refuse to run on a different one. */
COPYETA_C_API int copyeta_abi_version(void);

/* ---- states and models ------------------------------------------------------------------- */

/* The closed list of docs/CONTRACTS.md, in its order; only additions are allowed. */
typedef enum copyeta_state {
  COPYETA_STATE_WARMING_UP = 0,    /* too little data for an estimate */
  COPYETA_STATE_UNKNOWN_TOTAL = 1, /* no total known, so no finish (a rate may be known) */
  COPYETA_STATE_OK = 2,            /* a normal estimate */
  COPYETA_STATE_STALLED = 3,       /* no progress for a while; the interval widens with it */
  COPYETA_STATE_FLUSHING = 4,      /* writer done, data still being written back */
  COPYETA_STATE_FINISHED = 5,      /* done >= total: remaining, lo and hi are 0 */
  COPYETA_STATE_REJECTED = 6       /* an input row broke the input policy (replay, pipe) */
} copyeta_state;

/* The contract name ("warming_up", "ok", ...), or NULL for a value outside the enum. Static. */
COPYETA_C_API const char* copyeta_state_name(int state);

/* The model names of docs/CONTRACTS.md by index, "default" first; NULL past the last one.
 * Static. */
COPYETA_C_API const char* copyeta_model_name(size_t index);

/* ---- calibration ------------------------------------------------------------------------- */

/* A calibration of the default model (docs/CONTRACTS.md, "Calibration files"), as written by
 * `copyeta calibrate`. Immutable once made. */
typedef struct copyeta_calibration copyeta_calibration;

/* Reads a calibration file. COPYETA_ERROR_IO when it cannot be opened or read,
 * COPYETA_ERROR_BAD_INPUT when it is not a valid calibration (the message names the file and
 * what is wrong). */
COPYETA_C_API copyeta_error copyeta_calibration_load(const char* path, copyeta_calibration** out);
/* The same from `size` bytes of JSON text (no NUL needed; text may be NULL when size is 0).
 * COPYETA_ERROR_BAD_INPUT when it is not a valid calibration. */
COPYETA_C_API copyeta_error copyeta_calibration_from_json(const char* text, size_t size,
                                                          copyeta_calibration** out);
/* A copy of the calibration copyeta ships (what a monitor uses without one). */
COPYETA_C_API copyeta_error copyeta_calibration_builtin(copyeta_calibration** out);
/* Writes the calibration atomically (a temporary file renamed over `path`). */
COPYETA_C_API copyeta_error copyeta_calibration_save(const copyeta_calibration* calibration,
                                                     const char* path);
/* The versioned JSON text, with snprintf's rules (see "text output" below). */
COPYETA_C_API copyeta_error copyeta_calibration_to_json(const copyeta_calibration* calibration,
                                                        char* buffer, size_t size,
                                                        size_t* length);
/* How many finished jobs it learned from. */
COPYETA_C_API copyeta_error copyeta_calibration_jobs(const copyeta_calibration* calibration,
                                                     uint64_t* jobs);
COPYETA_C_API void copyeta_calibration_destroy(copyeta_calibration* calibration);

/* ---- monitor ----------------------------------------------------------------------------- */

/* Follows one job: the lenient front end of the C++ copyeta::monitor. */
typedef struct copyeta_monitor copyeta_monitor;

/* A monitor for `model` (NULL means "default") with intervals at `level` (0 < level < 1; 0.8 is
 * the usual choice). `calibration` (NULL for the shipped one) is for the default model only; the
 * monitor keeps its own reference, so the caller may destroy the calibration at once. */
COPYETA_C_API copyeta_error copyeta_monitor_create(const char* model, double level,
                                                   const copyeta_calibration* calibration,
                                                   copyeta_monitor** out);
COPYETA_C_API void copyeta_monitor_destroy(copyeta_monitor* monitor);

/* One progress sample: at time t, `done` of `*total` (total NULL when it is not known; the last
 * known total is then kept). COPYETA_ERROR_SAMPLE_REJECTED for a sample the input policy
 * rejects: a NaN or infinite t, |t| above 2^53 s, or t before the previous sample's. Such a
 * sample is ignored and counted; nothing else changes. `done` going backwards is accepted as a
 * restart. */
COPYETA_C_API copyeta_error copyeta_monitor_add(copyeta_monitor* monitor, double t, uint64_t done,
                                                const uint64_t* total);

/* How many samples were accepted and rejected so far; either pointer may be NULL. */
COPYETA_C_API copyeta_error copyeta_monitor_counts(const copyeta_monitor* monitor,
                                                   uint64_t* accepted, uint64_t* rejected);

/* ---- estimates --------------------------------------------------------------------------- */

/* An estimate. Set struct_size = sizeof(copyeta_estimate) before passing one in. */
typedef struct copyeta_estimate {
  uint32_t struct_size; /*   0: in: the caller's sizeof; out: the bytes the library filled */
  int32_t state;        /*   4: a copyeta_state */
  double t;             /*   8: the time the estimate is for, on the samples' clock */
  uint64_t done;        /*  16: the latest accepted amount */
  uint64_t total;       /*  24: the latest known total, when has_total */
  /* Seconds from t to the finish: the median and the interval at `level`. Numbers for ok,
   * stalled, flushing and finished (0, 0, 0); 0 in the other states. Never negative, NaN or
   * infinite, and lo <= remaining <= hi. */
  double remaining;      /*  32 */
  double lo;             /*  40 */
  double hi;             /*  48 */
  double level;          /*  56: the probability that [lo, hi] holds the finish */
  double rate;           /*  64: amount per second, when has_rate */
  double stalled_for;    /*  72: seconds without progress, when stalled */
  double shift_t;        /*  80: the latest regime shift (when has_shift): when it began, */
  double shift_fraction; /*  88:   done / total then (0 without a total), */
  double shift_factor;   /*  96:   new rate / old rate (0.25: the rate fell 4x) */
  int32_t has_total;     /* 104: 1 when total holds the total, else 0 */
  int32_t has_rate;      /* 108 */
  int32_t has_shift;     /* 112 */
  int32_t reserved;      /* 116: 0; keeps the size a multiple of 8 everywhere */
} copyeta_estimate;

#define COPYETA_ESTIMATE_SIZE_V1 120

/* sizeof(copyeta_estimate) in the library, for FFI declarations to check theirs against. */
COPYETA_C_API size_t copyeta_estimate_size(void);

/* The estimate at `now` (seconds on the samples' clock). A NaN or infinite `now` is taken as the
 * latest sample's time. COPYETA_ERROR_INVALID_ARGUMENT when out->struct_size is below
 * COPYETA_ESTIMATE_SIZE_V1. */
COPYETA_C_API copyeta_error copyeta_monitor_estimate(const copyeta_monitor* monitor, double now,
                                                     copyeta_estimate* out);

/* ---- text output ------------------------------------------------------------------------- */

/* Every function that writes text follows snprintf: it writes at most `size` bytes including
 * the terminating NUL, always NUL-terminates when size > 0, never splits a UTF-8 character
 * (the texts use "±" and "–"), and stores in *length (when not NULL) the length the whole text
 * needs, without the NUL. It returns COPYETA_ERROR_BUFFER_TOO_SMALL when the text did not fit
 * (the buffer then holds a truncated prefix), COPYETA_OK when it did. buffer may be NULL when
 * size is 0, to ask for the length. Texts are UTF-8 and English whatever the locale. */

typedef enum copyeta_format_kind {
  /* One line for a terminal: "57%  ETA 3:30pm ± 1 hour", "3%  warming up", "100%  finished" */
  COPYETA_FORMAT_STATUS = 0,
  /* The finish as a local clock time: "3:30pm ± 1 hour", "3:30pm (2:50pm – 4:40pm)" */
  COPYETA_FORMAT_FINISH = 1,
  /* The remaining time: "40 minutes ± 10 minutes", "3 minutes 20 seconds" */
  COPYETA_FORMAT_REMAINING = 2
} copyeta_format_kind;

/* Flags for copyeta_format and copyeta_format_amount, or-ed together. */
#define COPYETA_FORMAT_24H 1u    /* "15:30" instead of "3:30pm" */
#define COPYETA_FORMAT_COUNTS 2u /* amounts are counts ("12,345"), not bytes ("12 GiB") */

/* Formats an estimate as `kind`, a copyeta_format_kind (format.hpp has the rounding rules).
 * `wall_at_t` is the wall-clock time, in seconds since the Unix epoch, at which the estimate's t
 * was observed; clock times are printed in the local time zone (TZ). `flags`: COPYETA_FORMAT_*.
 * COPYETA_ERROR_INVALID_ARGUMENT for an unknown kind or flag, a wall_at_t that is not finite or
 * beyond +-4.6e9 s (the years 1824 to 2116), or an estimate that breaks its own rules (a state
 * outside the enum, times that are NaN, negative or not ordered lo <= remaining <= hi). */
COPYETA_C_API copyeta_error copyeta_format(const copyeta_estimate* estimate, int kind,
                                           double wall_at_t, unsigned flags, char* buffer,
                                           size_t size, size_t* length);

/* A duration: "45 seconds", "1 hour 20 minutes" (negative and NaN count as 0). */
COPYETA_C_API copyeta_error copyeta_format_duration(double seconds, char* buffer, size_t size,
                                                    size_t* length);

/* An amount: "12 GiB", or with COPYETA_FORMAT_COUNTS "12,345". */
COPYETA_C_API copyeta_error copyeta_format_amount(uint64_t amount, unsigned flags, char* buffer,
                                                  size_t size, size_t* length);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* COPYETA_H */
