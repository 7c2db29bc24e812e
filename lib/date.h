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
 * Parse YYYY, YYYY-MM or YYYY-MM-DD, the whole of s. When allow_time, a
 * full date may be followed by 'T' (or 't' or ' ') and a time, which is
 * checked and then ignored: hh, hh:mm or hh:mm:ss (also hhmm, hhmmss),
 * seconds optionally with a fraction (.123 or ,123), then optionally a
 * zone: Z, +hh, +hh:mm or +hhmm (or -). Hours 00-23, minutes 00-59,
 * seconds 00-60 (a leap second); zone hours 00-23. Returns the number of
 * bytes of the date part, or 0 if s is not a valid date (month 13,
 * February 30, 25:99, +99:99, trailing text, ... are invalid).
 */
int qdate_parse(const char *s, int allow_time, qdate *d);

/* "YYYYMMDD" with 00 for an unknown month/day; out needs 9 bytes. */
void qdate_key(const qdate *d, char out[9]);

/* The last day of d's month (d->month must be set). */
int qdate_days_in_month(int year, int month);

#endif
