/*
 * testpause.h — fault injection for the crash tests.
 *
 * At a few points where a crash matters (just before a commit, between
 * compacting and switching versions, in the middle of a switch), the
 * library calls test_pause(point). When the environment variable
 * QUIRE_TEST_PAUSE names that point, it says so on stderr and sleeps, so a
 * test can kill -9 the process exactly there. Otherwise it does nothing.
 */
#ifndef QUIRE_TESTPAUSE_H
#define QUIRE_TESTPAUSE_H

void test_pause(const char *point);

#endif
