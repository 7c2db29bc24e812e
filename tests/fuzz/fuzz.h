/* fuzz.h — shared by the fuzz targets in tests/fuzz: the libFuzzer entry
 * point's prototype and a language picked from an input byte, so every
 * stemmer, stopword list and script path gets exercised.
 *
 * Each target is built two ways: with clang's libFuzzer (make fuzz) and,
 * with driver.c as main(), by the normal build, which replays the seeds
 * and every past crash in tests/fuzz/<target>/ on each make test. */
#ifndef QUIRE_FUZZ_H
#define QUIRE_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_langs[] = {"en", "de", "fr", "es", "it", "pt", "nl", "ru", "sv",
                                         "fi", "da", "no", "tr", "ar", "el", "zh", "ja", "ko", "th", NULL};

/* A language code from byte b (NULL: the analyzer's default). */
static inline const char *fuzz_lang(uint8_t b)
{
    size_t n = sizeof fuzz_langs / sizeof fuzz_langs[0];
    return fuzz_langs[b % n];
}
#endif
