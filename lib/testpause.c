/* testpause.c — see testpause.h. Without QUIRE_TEST_HOOKS (every build
 * but the tests' own copy) this is an empty function. */
#include "testpause.h"

#ifdef QUIRE_TEST_HOOKS

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Times the wanted point was reached since QUIRE_TEST_PAUSE last changed
 * (a test process may pause at one point, then at another). */
static unsigned reached;
static char counted_for[128];
static pthread_mutex_t reached_lock = PTHREAD_MUTEX_INITIALIZER;

/* 1 if this is the time `want` asks to pause at. */
static int nth_time(const char *want, unsigned nth)
{
    pthread_mutex_lock(&reached_lock);
    if (strncmp(counted_for, want, sizeof counted_for) != 0) {
        snprintf(counted_for, sizeof counted_for, "%s", want);
        reached = 0;
    }
    int now = ++reached == nth;
    pthread_mutex_unlock(&reached_lock);
    return now;
}

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void test_pause(const char *point)
{
    const char *want = getenv("QUIRE_TEST_PAUSE");
    if (!want)
        return;
    size_t len = strlen(point);
    if (strncmp(want, point, len) != 0 || (want[len] != '\0' && want[len] != ':'))
        return;
    unsigned nth = want[len] == ':' ? (unsigned)atoi(want + len + 1) : 1;
    if (!nth_time(want, nth))
        return;
    fprintf(stderr, "quire: test pause at %s\n", point);
    fflush(stderr);
    const char *paused = getenv("QUIRE_TEST_PAUSED");
    FILE *f = paused && *paused ? fopen(paused, "w") : NULL;
    if (f)
        fclose(f);
    const char *hang = getenv("QUIRE_TEST_HANG");
    if (hang && *hang == '1')
        for (;;)
            nap(1000);
    const char *resume = getenv("QUIRE_TEST_RESUME");
    if (resume && *resume) {
        struct stat st;
        while (stat(resume, &st) != 0)
            nap(10);
        return;
    }
    /* QUIRE_TEST_PAUSE_SECONDS: a short pause for tests that change files
     * under a running process rather than kill it. */
    const char *secs = getenv("QUIRE_TEST_PAUSE_SECONDS");
    struct timespec ts = {secs && atoi(secs) > 0 ? atoi(secs) : 30, 0};
    nanosleep(&ts, NULL);
}

#else

void test_pause(const char *point)
{
    (void)point;
}

#endif
