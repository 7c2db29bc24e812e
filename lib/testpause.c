/* testpause.c — see testpause.h. */
#include "testpause.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void test_pause(const char *point)
{
    const char *want = getenv("QUIRE_TEST_PAUSE");
    if (!want || strcmp(want, point) != 0)
        return;
    fprintf(stderr, "quire: test pause at %s\n", point);
    fflush(stderr);
    /* QUIRE_TEST_PAUSE_SECONDS: a short pause for tests that change files
     * under a running process rather than kill it. */
    const char *secs = getenv("QUIRE_TEST_PAUSE_SECONDS");
    struct timespec ts = {secs && atoi(secs) > 0 ? atoi(secs) : 30, 0};
    nanosleep(&ts, NULL);
}
