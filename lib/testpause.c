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
    struct timespec ts = {30, 0};
    nanosleep(&ts, NULL);
}
