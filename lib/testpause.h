/*
 * testpause.h — fault injection for the crash tests.
 *
 * At a few points where a crash matters (just before a commit, between
 * compacting and switching versions, in the middle of a switch), the
 * library calls test_pause(point). In the copy of the library the tests
 * link (testpause.c compiled with -DQUIRE_TEST_HOOKS, see the Makefile),
 * when the environment variable QUIRE_TEST_PAUSE names that point, it says
 * so on stderr and waits, so a test can kill -9 the process exactly there.
 * The library that is built for installing does nothing here and reads
 * none of these variables.
 * Points: "commit" (before a batch is committed, also by each thread of a
 * parallel build), "merging" (a parallel build, all committed, before its
 * merge), "merged" (a new index merged, before it is moved into place),
 * "compacted" (a rebuild, before the switch), "exchanged" and "switched"
 * (during and after a switch), "walked" (files listed, none read),
 * "lock-opened" (the lock file opened, not yet locked), "searcher-opened"
 * (a searcher's database opened, its settings not yet read), "searcher-moved"
 * (a search moved to a newer revision, its languages not yet read again).
 *
 *   QUIRE_TEST_PAUSE=POINT      pause the first time POINT is reached
 *   QUIRE_TEST_PAUSE=POINT:N    pause the N-th time instead (counted
 *                               from when the variable last changed)
 *   QUIRE_TEST_RESUME=FILE      wait until FILE exists (instead of a
 *                               30-second sleep), then go on
 *   QUIRE_TEST_PAUSE_SECONDS=S  sleep S seconds instead of 30
 *   QUIRE_TEST_PAUSED=FILE      create FILE on pausing (for a test in the
 *                               same process, which cannot read stderr)
 *   QUIRE_TEST_HANG=1           never go on, whatever signals arrive
 *                               (stands in for a writer stuck in Xapian)
 */
#ifndef QUIRE_TESTPAUSE_H
#define QUIRE_TESTPAUSE_H

void test_pause(const char *point);

#endif
