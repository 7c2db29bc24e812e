/*
 * date.h — ISO 8601 calendar dates as quire stores and queries them.
 */
#ifndef QUIRE_DATE_H
#define QUIRE_DATE_H

typedef struct qdate {
    int year;  /* 1..9999 */
    int month; /* 1..12, or 0 when not given */
    int day;   /* 1..31, or 0 when not given */
} qdate;

/*
 * Parse YYYY, YYYY-MM or YYYY-MM-DD at s, optionally followed (when
 * allow_time) by 'T' or ' ' and a time, which is ignored. Returns the
 * number of bytes of the date part consumed, or 0 if s does not start with
 * a valid date (month 13, February 30, ... are invalid).
 */
int qdate_parse(const char *s, int allow_time, qdate *d);

/* "YYYYMMDD" with 00 for an unknown month/day; out needs 9 bytes. */
void qdate_key(const qdate *d, char out[9]);

/* The last day of d's month (d->month must be set). */
int qdate_days_in_month(int year, int month);

#endif
