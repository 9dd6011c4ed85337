/* The C API (include/copyeta/copyeta.h), compiled as C99 and linked twice: against the shared
 * libcopyeta_c (c.api) and against the compiled C++ library (c.api_static).
 *
 *   test_c_api <scratch directory>      (run with TZ=UTC: the clock texts below are in UTC)
 *
 * Every function of the header is called, on its success and error paths. */
#include <copyeta/copyeta.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    ++checks;                                                              \
    if (!(cond)) {                                                         \
      ++failures;                                                          \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

#define CHECK_CODE(call, code)                                                        \
  do {                                                                                \
    copyeta_error got_ = (call);                                                      \
    ++checks;                                                                         \
    if (got_ != (code)) {                                                             \
      ++failures;                                                                     \
      fprintf(stderr, "%s:%d: %s returned %d, expected %s (last error: %s)\n", __FILE__, \
              __LINE__, #call, (int)got_, #code, copyeta_last_error());               \
    }                                                                                 \
  } while (0)

#define CHECK_STR(got, expected)                                                         \
  do {                                                                                   \
    const char* got_ = (got);                                                            \
    ++checks;                                                                            \
    if (got_ == NULL || strcmp(got_, (expected)) != 0) {                                 \
      ++failures;                                                                        \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got, \
              got_ ? got_ : "(null)", (expected));                                       \
    }                                                                                    \
  } while (0)

/* The latest error message contains `part`. */
#define CHECK_MESSAGE(part)                                                              \
  do {                                                                                   \
    ++checks;                                                                            \
    if (strstr(copyeta_last_error(), (part)) == NULL) {                                  \
      ++failures;                                                                        \
      fprintf(stderr, "%s:%d: last error \"%s\" lacks \"%s\"\n", __FILE__, __LINE__,      \
              copyeta_last_error(), (part));                                             \
    }                                                                                    \
  } while (0)

static const char* scratch = ".";

static void path_in_scratch(char* out, size_t size, const char* name) {
  snprintf(out, size, "%s/%s", scratch, name);
}

static copyeta_estimate fresh_estimate(void) {
  copyeta_estimate e;
  memset(&e, 0, sizeof e);
  e.struct_size = (uint32_t)sizeof e;
  return e;
}

/* 10 MB/s of a 1 GB copy, one sample a second for 10 seconds. */
static void feed_steady(copyeta_monitor* m) {
  const uint64_t total = 1000000000u;
  int s;
  for (s = 0; s <= 10; ++s) CHECK_CODE(copyeta_monitor_add(m, s, (uint64_t)s * 10000000u, &total), COPYETA_OK);
}

static void test_version_and_names(void) {
  size_t i;
  static const char* const states[] = {"warming_up", "unknown_total", "ok",      "stalled",
                                       "flushing",   "finished",      "rejected"};
  CHECK_STR(copyeta_version(), COPYETA_VERSION_STRING);
  CHECK(copyeta_abi_version() == COPYETA_C_ABI_VERSION);
  CHECK(copyeta_estimate_size() == sizeof(copyeta_estimate));
  CHECK(sizeof(copyeta_estimate) == COPYETA_ESTIMATE_SIZE_V1);
  CHECK(offsetof(copyeta_estimate, remaining) == 32);
  CHECK(offsetof(copyeta_estimate, has_total) == 104);

  for (i = 0; i < 7; ++i) CHECK_STR(copyeta_state_name((int)i), states[i]);
  CHECK(copyeta_state_name(-1) == NULL);
  CHECK(copyeta_state_name(7) == NULL);

  CHECK_STR(copyeta_model_name(0), "default");
  for (i = 0; copyeta_model_name(i) != NULL; ++i) continue;
  CHECK(i == 11); /* default, 3 components, 7 peers (docs/CONTRACTS.md) */
  CHECK_STR(copyeta_model_name(10), "rich");
  CHECK(copyeta_model_name((size_t)-1) == NULL);

  CHECK_STR(copyeta_error_string(COPYETA_OK), "success");
  for (i = 1; i <= COPYETA_ERROR_INTERNAL; ++i) {
    CHECK(strcmp(copyeta_error_string((int)i), "unknown error") != 0);
    CHECK(strcmp(copyeta_error_string((int)i), copyeta_error_string((int)(i - 1))) != 0);
  }
  CHECK_STR(copyeta_error_string(99), "unknown error");
}

static void test_create_errors(void) {
  copyeta_monitor* m = (copyeta_monitor*)&m; /* not NULL: a failed create must reset it */
  CHECK_CODE(copyeta_monitor_create("fast", 0.8, NULL, &m), COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK(m == NULL);
  CHECK_MESSAGE("unknown model 'fast'");
  CHECK_MESSAGE("known models: default");

  CHECK_CODE(copyeta_monitor_create("default", 1.5, NULL, &m), COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK(m == NULL);
  CHECK_MESSAGE("level = 1.5");
  CHECK_CODE(copyeta_monitor_create("default", NAN, NULL, &m), COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_MESSAGE("level = nan");
  CHECK_CODE(copyeta_monitor_create("default", 0.0, NULL, &m), COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_CODE(copyeta_monitor_create("default", 0.8, NULL, NULL), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_MESSAGE("copyeta_monitor_create: `out` is NULL");

  /* A failure leaves the message; a success leaves it too. */
  CHECK_CODE(copyeta_monitor_create(NULL, 0.9, NULL, &m), COPYETA_OK);
  CHECK(m != NULL);
  CHECK_MESSAGE("copyeta_monitor_create: `out` is NULL");
  copyeta_monitor_destroy(m);
}

static void test_estimates(void) {
  copyeta_monitor* m = NULL;
  copyeta_estimate e = fresh_estimate(), before = fresh_estimate();
  uint64_t accepted = 0, rejected = 0;
  const uint64_t total = 1000000000u;

  CHECK_CODE(copyeta_monitor_create("default", 0.8, NULL, &m), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_estimate(m, 0.0, &e), COPYETA_OK);
  CHECK(e.state == COPYETA_STATE_WARMING_UP);
  CHECK(e.remaining == 0.0 && e.lo == 0.0 && e.hi == 0.0);
  CHECK(e.has_total == 0 && e.has_rate == 0);

  feed_steady(m);
  CHECK_CODE(copyeta_monitor_estimate(m, 10.0, &e), COPYETA_OK);
  CHECK(e.struct_size == COPYETA_ESTIMATE_SIZE_V1);
  CHECK(e.state == COPYETA_STATE_OK);
  CHECK(e.t == 10.0);
  CHECK(e.done == 100000000u);
  CHECK(e.has_total == 1 && e.total == total);
  CHECK(e.level == 0.8);
  CHECK(e.has_rate == 1 && fabs(e.rate - 1e7) < 1e5);
  /* 900 MB left at 10 MB/s: 90 s, which the interval holds (the calibrated median sits a little
   * below it). */
  CHECK(fabs(e.remaining - 90.0) < 20.0);
  CHECK(0.0 <= e.lo && e.lo < e.remaining && e.remaining < e.hi);
  CHECK(e.lo < 90.0 && 90.0 < e.hi);
  CHECK(e.reserved == 0);

  /* Rejected samples: an error code and a message, counted, and nothing else changes. */
  before = e;
  CHECK_CODE(copyeta_monitor_add(m, NAN, 200000000u, &total), COPYETA_ERROR_SAMPLE_REJECTED);
  CHECK_MESSAGE("[copyeta.sample.time_not_finite]");
  CHECK_CODE(copyeta_monitor_add(m, INFINITY, 200000000u, NULL), COPYETA_ERROR_SAMPLE_REJECTED);
  CHECK_MESSAGE("time_not_finite");
  CHECK_CODE(copyeta_monitor_add(m, 5.0, 200000000u, NULL), COPYETA_ERROR_SAMPLE_REJECTED);
  CHECK_MESSAGE("[copyeta.sample.time_backwards] t = 5");
  CHECK_MESSAGE("previous sample's t = 10");
  CHECK_CODE(copyeta_monitor_add(m, 1e300, 200000000u, NULL), COPYETA_ERROR_SAMPLE_REJECTED);
  CHECK_MESSAGE("time_too_large");
  CHECK_CODE(copyeta_monitor_estimate(m, 10.0, &e), COPYETA_OK);
  CHECK(memcmp(&e, &before, sizeof e) == 0);
  CHECK_CODE(copyeta_monitor_counts(m, &accepted, &rejected), COPYETA_OK);
  CHECK(accepted == 11 && rejected == 4);
  CHECK_CODE(copyeta_monitor_counts(m, NULL, &rejected), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_counts(m, NULL, NULL), COPYETA_OK);

  /* A NaN `now` is the latest sample's time. */
  CHECK_CODE(copyeta_monitor_estimate(m, NAN, &e), COPYETA_OK);
  CHECK(memcmp(&e, &before, sizeof e) == 0);

  /* No total given: the last known one is kept. Then done reaches it: finished, 0 0 0. */
  CHECK_CODE(copyeta_monitor_add(m, 11.0, 110000000u, NULL), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_estimate(m, 11.0, &e), COPYETA_OK);
  CHECK(e.has_total == 1 && e.total == total && e.state == COPYETA_STATE_OK);
  CHECK_CODE(copyeta_monitor_add(m, 12.0, total, NULL), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_estimate(m, 12.0, &e), COPYETA_OK);
  CHECK(e.state == COPYETA_STATE_FINISHED);
  CHECK(e.remaining == 0.0 && e.lo == 0.0 && e.hi == 0.0);
  copyeta_monitor_destroy(m);

  /* Without any total: unknown_total, with a rate. */
  CHECK_CODE(copyeta_monitor_create("tqdm", 0.8, NULL, &m), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_add(m, 0.0, 0u, NULL), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_add(m, 1.0, 1000u, NULL), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_add(m, 2.0, 2000u, NULL), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_estimate(m, 2.0, &e), COPYETA_OK);
  CHECK(e.state == COPYETA_STATE_UNKNOWN_TOTAL && e.has_total == 0 && e.has_rate == 1);
  copyeta_monitor_destroy(m);
}

/* A caller built against a newer header has a larger struct: the library fills what it knows
 * and says how much; one with a struct smaller than version 1 gets an error. */
static void test_struct_size(void) {
  struct newer {
    copyeta_estimate v1;
    double added_later;
  } big;
  copyeta_monitor* m = NULL;
  copyeta_estimate e = fresh_estimate();

  CHECK_CODE(copyeta_monitor_create(NULL, 0.8, NULL, &m), COPYETA_OK);
  feed_steady(m);
  memset(&big, 0xAB, sizeof big);
  big.v1.struct_size = (uint32_t)sizeof big;
  CHECK_CODE(copyeta_monitor_estimate(m, 10.0, &big.v1), COPYETA_OK);
  CHECK(big.v1.struct_size == COPYETA_ESTIMATE_SIZE_V1);
  CHECK(big.v1.state == COPYETA_STATE_OK);
  {
    double untouched;
    memset(&untouched, 0xAB, sizeof untouched);
    CHECK(memcmp(&big.added_later, &untouched, sizeof untouched) == 0);
  }

  e.struct_size = 64;
  e.state = 77;
  CHECK_CODE(copyeta_monitor_estimate(m, 10.0, &e), COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_MESSAGE("struct_size = 64 is below 120");
  CHECK(e.state == 77); /* untouched */
  e.struct_size = 0;
  CHECK_CODE(copyeta_monitor_estimate(m, 10.0, &e), COPYETA_ERROR_INVALID_ARGUMENT);
  copyeta_monitor_destroy(m);
}

static copyeta_estimate hand_made(void) {
  /* 57 of 100 done; 1 hour 15 minutes to go, between 15 minutes and 2 hours 15 minutes. */
  copyeta_estimate e = fresh_estimate();
  e.state = COPYETA_STATE_OK;
  e.done = 57;
  e.total = 100;
  e.has_total = 1;
  e.remaining = 4500.0;
  e.lo = 900.0;
  e.hi = 8100.0;
  e.level = 0.8;
  return e;
}

/* 2023-11-14 22:13:20 UTC. */
#define WALL 1700000000.0

static void test_format(void) {
  char buffer[128];
  char tiny[10];
  size_t length = 12345;
  copyeta_estimate e = hand_made();

  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, buffer, sizeof buffer, &length),
             COPYETA_OK);
  CHECK_STR(buffer, "57%  ETA 11:30pm \xC2\xB1 1 hour");
  CHECK(length == strlen(buffer));
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_FINISH, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_OK);
  CHECK_STR(buffer, "11:30pm \xC2\xB1 1 hour");
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_FINISH, WALL, COPYETA_FORMAT_24H, buffer,
                            sizeof buffer, NULL),
             COPYETA_OK);
  CHECK_STR(buffer, "23:30 \xC2\xB1 1 hour");
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_REMAINING, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_OK);
  CHECK_STR(buffer, "1 hour 15 minutes \xC2\xB1 1 hour");

  /* snprintf's rules: truncated, NUL-terminated, the full length reported; never half a "±". */
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_FINISH, WALL, 0, tiny, sizeof tiny, &length),
             COPYETA_ERROR_BUFFER_TOO_SMALL);
  CHECK(length == strlen("11:30pm \xC2\xB1 1 hour"));
  CHECK_STR(tiny, "11:30pm ");
  CHECK_MESSAGE("needs 17 bytes and a NUL, the buffer holds 10");
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_FINISH, WALL, 0, tiny, 1, &length),
             COPYETA_ERROR_BUFFER_TOO_SMALL);
  CHECK_STR(tiny, "");
  /* Asking for the length alone. */
  length = 0;
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, NULL, 0, &length),
             COPYETA_ERROR_BUFFER_TOO_SMALL);
  CHECK(length == strlen("57%  ETA 11:30pm \xC2\xB1 1 hour"));
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, NULL, 5, &length),
             COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_MESSAGE("`buffer` is NULL");
  /* Exactly enough room. */
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_FINISH, WALL, 0, buffer, 18, &length), COPYETA_OK);
  CHECK_STR(buffer, "11:30pm \xC2\xB1 1 hour");

  /* The other states in words. */
  e.state = COPYETA_STATE_FINISHED;
  e.done = 100;
  e.remaining = e.lo = e.hi = 0.0;
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_OK);
  CHECK_STR(buffer, "100%  finished");
  e = hand_made();
  e.state = COPYETA_STATE_WARMING_UP;
  e.done = 3;
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_OK);
  CHECK_STR(buffer, "3%  warming up");

  /* Estimates and arguments that break the rules. */
  e = hand_made();
  CHECK_CODE(copyeta_format(&e, 99, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_MESSAGE("kind = 99");
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 4u, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_MESSAGE("flags = 0x4");
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, NAN, 0, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_MESSAGE("wall_at_t = nan");
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, 1e300, 0, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_INVALID_ARGUMENT);
  e.state = 42;
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_MESSAGE("state = 42 is not a copyeta_state");
  e = hand_made();
  e.remaining = NAN;
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_MESSAGE("needs 0 <= lo <= remaining <= hi");
  e = hand_made();
  e.struct_size = 8;
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK_CODE(copyeta_format(NULL, COPYETA_FORMAT_STATUS, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_NULL_ARGUMENT);

  CHECK_CODE(copyeta_format_duration(4800.0, buffer, sizeof buffer, &length), COPYETA_OK);
  CHECK_STR(buffer, "1 hour 20 minutes");
  CHECK(length == 17);
  CHECK_CODE(copyeta_format_duration(NAN, buffer, sizeof buffer, NULL), COPYETA_OK);
  CHECK_STR(buffer, "0 seconds");
  CHECK_CODE(copyeta_format_duration(4800.0, tiny, sizeof tiny, &length),
             COPYETA_ERROR_BUFFER_TOO_SMALL);
  CHECK_STR(tiny, "1 hour 20");
  CHECK_CODE(copyeta_format_amount((uint64_t)12 << 30, 0, buffer, sizeof buffer, NULL), COPYETA_OK);
  CHECK_STR(buffer, "12 GiB");
  CHECK_CODE(copyeta_format_amount(12345u, COPYETA_FORMAT_COUNTS, buffer, sizeof buffer, NULL),
             COPYETA_OK);
  CHECK_STR(buffer, "12,345");
  CHECK_CODE(copyeta_format_amount(12345u, 8u, buffer, sizeof buffer, NULL),
             COPYETA_ERROR_INVALID_ARGUMENT);
}

/* A live estimate formats as its C++ counterpart would: through the same struct. */
static void test_format_live(void) {
  char buffer[128];
  copyeta_monitor* m = NULL;
  copyeta_estimate e = fresh_estimate();
  CHECK_CODE(copyeta_monitor_create(NULL, 0.8, NULL, &m), COPYETA_OK);
  feed_steady(m);
  CHECK_CODE(copyeta_monitor_estimate(m, 10.0, &e), COPYETA_OK);
  CHECK_CODE(copyeta_format(&e, COPYETA_FORMAT_STATUS, WALL, 0, buffer, sizeof buffer, NULL),
             COPYETA_OK);
  CHECK(strncmp(buffer, "10%  ETA 10:1", 13) == 0); /* 90 s after 10:13:20pm */
  copyeta_monitor_destroy(m);
}

static char* read_text(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* text;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = (char*)malloc((size_t)n + 1);
  if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
    free(text);
    text = NULL;
  }
  fclose(f);
  if (text) text[n] = '\0';
  *size = (size_t)n;
  return text;
}

static void write_text(const char* path, const char* text) {
  FILE* f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static void test_calibration(void) {
  char path[1024], bad[1024], missing[1024], nowhere[1024];
  char* saved;
  char* json;
  size_t saved_size = 0, length = 0;
  uint64_t jobs = 0, loaded_jobs = 0;
  copyeta_calibration* builtin = NULL;
  copyeta_calibration* loaded = (copyeta_calibration*)&loaded;
  copyeta_calibration* parsed = NULL;
  copyeta_monitor* with = NULL;
  copyeta_monitor* without = NULL;
  copyeta_estimate a = fresh_estimate(), b = fresh_estimate();

  path_in_scratch(path, sizeof path, "c_api_calibration.json");
  path_in_scratch(bad, sizeof bad, "c_api_bad_calibration.json");
  path_in_scratch(missing, sizeof missing, "c_api_no_such_file.json");
  path_in_scratch(nowhere, sizeof nowhere, "no_such_directory/calibration.json");
  remove(missing);

  CHECK_CODE(copyeta_calibration_builtin(&builtin), COPYETA_OK);
  CHECK_CODE(copyeta_calibration_jobs(builtin, &jobs), COPYETA_OK);
  CHECK(jobs > 0);
  CHECK_CODE(copyeta_calibration_save(builtin, path), COPYETA_OK);
  CHECK_CODE(copyeta_calibration_load(path, &loaded), COPYETA_OK);
  CHECK(loaded != NULL);
  CHECK_CODE(copyeta_calibration_jobs(loaded, &loaded_jobs), COPYETA_OK);
  CHECK(loaded_jobs == jobs);

  /* to_json gives the file's bytes; from_json reads them back. */
  saved = read_text(path, &saved_size);
  CHECK(saved != NULL);
  CHECK_CODE(copyeta_calibration_to_json(loaded, NULL, 0, &length), COPYETA_ERROR_BUFFER_TOO_SMALL);
  CHECK(length == saved_size);
  json = (char*)malloc(length + 1);
  CHECK_CODE(copyeta_calibration_to_json(loaded, json, length + 1, &length), COPYETA_OK);
  CHECK(saved && json && strcmp(saved, json) == 0);
  CHECK_CODE(copyeta_calibration_from_json(json, length, &parsed), COPYETA_OK);
  CHECK(parsed != NULL);
  free(json);
  free(saved);

  /* A monitor with the loaded calibration equals one with the shipped calibration, and keeps
   * its own reference: the handle can go at once. */
  CHECK_CODE(copyeta_monitor_create("default", 0.8, loaded, &with), COPYETA_OK);
  copyeta_calibration_destroy(loaded);
  CHECK_CODE(copyeta_monitor_create("default", 0.8, NULL, &without), COPYETA_OK);
  feed_steady(with);
  feed_steady(without);
  CHECK_CODE(copyeta_monitor_estimate(with, 10.0, &a), COPYETA_OK);
  CHECK_CODE(copyeta_monitor_estimate(without, 10.0, &b), COPYETA_OK);
  CHECK(a.state == COPYETA_STATE_OK && memcmp(&a, &b, sizeof a) == 0);
  copyeta_monitor_destroy(with);
  copyeta_monitor_destroy(without);

  /* A calibration is for the default model only. */
  with = (copyeta_monitor*)&with;
  CHECK_CODE(copyeta_monitor_create("tqdm", 0.8, parsed, &with), COPYETA_ERROR_INVALID_ARGUMENT);
  CHECK(with == NULL);
  CHECK_MESSAGE("a calibration is for the default model, not for 'tqdm'");

  /* Bad files: missing, not JSON, JSON but not a calibration, a directory; a save that cannot
   * happen. */
  loaded = (copyeta_calibration*)&loaded;
  CHECK_CODE(copyeta_calibration_load(missing, &loaded), COPYETA_ERROR_IO);
  CHECK(loaded == NULL);
  CHECK_MESSAGE(missing);
  CHECK_MESSAGE("No such file or directory");
  write_text(bad, "{\"format\": \"copyeta.calibration\", \"version\": 1, \"weights\": [");
  CHECK_CODE(copyeta_calibration_load(bad, &loaded), COPYETA_ERROR_BAD_INPUT);
  CHECK(loaded == NULL);
  CHECK_MESSAGE(bad);
  CHECK_MESSAGE("not valid JSON");
  write_text(bad, "{\"format\": \"copyeta.calibration\", \"version\": 7}");
  CHECK_CODE(copyeta_calibration_load(bad, &loaded), COPYETA_ERROR_BAD_INPUT);
  CHECK_MESSAGE("version 7 is not supported");
  CHECK_CODE(copyeta_calibration_load(scratch, &loaded), COPYETA_ERROR_IO);
  CHECK_MESSAGE("Is a directory");
  CHECK_CODE(copyeta_calibration_from_json("[]", 2, &loaded), COPYETA_ERROR_BAD_INPUT);
  CHECK_MESSAGE("not a copyeta calibration");
  CHECK_CODE(copyeta_calibration_from_json(NULL, 0, &loaded), COPYETA_ERROR_BAD_INPUT);
  CHECK_CODE(copyeta_calibration_save(parsed, nowhere), COPYETA_ERROR_IO);
  CHECK_MESSAGE("no_such_directory");

  /* NULL arguments. */
  CHECK_CODE(copyeta_calibration_load(NULL, &loaded), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_load(path, NULL), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_from_json(NULL, 3, &loaded), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_from_json("{}", 2, NULL), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_builtin(NULL), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_save(NULL, path), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_save(parsed, NULL), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_to_json(NULL, NULL, 0, NULL), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_jobs(NULL, &jobs), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_CODE(copyeta_calibration_jobs(parsed, NULL), COPYETA_ERROR_NULL_ARGUMENT);

  copyeta_calibration_destroy(parsed);
  copyeta_calibration_destroy(builtin);
  copyeta_calibration_destroy(NULL);
  remove(path);
  remove(bad);
}

static void test_null_handles(void) {
  copyeta_estimate e = fresh_estimate();
  const uint64_t total = 1;
  CHECK_CODE(copyeta_monitor_add(NULL, 0.0, 0u, &total), COPYETA_ERROR_NULL_ARGUMENT);
  CHECK_MESSAGE("copyeta_monitor_add: `monitor` is NULL");
  CHECK_CODE(copyeta_monitor_estimate(NULL, 0.0, &e), COPYETA_ERROR_NULL_ARGUMENT);
  {
    copyeta_monitor* m = NULL;
    CHECK_CODE(copyeta_monitor_create(NULL, 0.8, NULL, &m), COPYETA_OK);
    CHECK_CODE(copyeta_monitor_estimate(m, 0.0, NULL), COPYETA_ERROR_NULL_ARGUMENT);
    CHECK_MESSAGE("`out` is NULL");
    copyeta_monitor_destroy(m);
  }
  CHECK_CODE(copyeta_monitor_counts(NULL, NULL, NULL), COPYETA_ERROR_NULL_ARGUMENT);
  copyeta_monitor_destroy(NULL);
}

int main(int argc, char** argv) {
  if (argc > 1) scratch = argv[1];
  /* Nothing has failed yet on this thread. */
  CHECK_STR(copyeta_last_error(), "");
  test_version_and_names();
  test_create_errors();
  test_estimates();
  test_struct_size();
  test_format();
  test_format_live();
  test_calibration();
  test_null_handles();
  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("copyeta %s C API: all %d checks passed\n", copyeta_version(), checks);
  return 0;
}
