/* date.c — see date.h. */
#include "date.h"

#include <stdio.h>

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int qdate_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* Two digits at s within [0, max]; -1 otherwise. */
static int field(const char *s, int max)
{
    int v = digits(s, 2);
    return v > max ? -1 : v;
}

/* A zone designator, the whole rest of s: Z, +hh, +hh:mm, +hhmm (or -). */
static int valid_zone(const char *s)
{
    if (*s == '\0' || ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0'))
        return 1;
    if (*s != '+' && *s != '-')
        return 0;
    if (field(s + 1, 23) < 0)
        return 0;
    s += 3;
    if (*s == ':')
        s++;
    else if (*s == '\0')
        return 1;
    return field(s, 59) >= 0 && s[2] == '\0';
}

/* A time of day and an optional zone, the whole of s (see date.h). */
static int valid_time(const char *s)
{
    if (field(s, 23) < 0)
        return 0;
    s += 2;
    int colons = *s == ':';
    for (int part = 0; part < 2; part++) {
        /* minutes, then seconds: "hh:mm:ss" or "hhmmss", not mixed */
        if (colons ? *s != ':' : !(*s >= '0' && *s <= '9'))
            break;
        s += colons;
        if (field(s, part == 0 ? 59 : 60) < 0)
            return 0;
        s += 2;
        if (part == 1 && (*s == '.' || *s == ',')) {
            if (!(s[1] >= '0' && s[1] <= '9'))
                return 0;
            for (s++; *s >= '0' && *s <= '9'; s++)
                ;
        }
    }
    return valid_zone(s);
}

int qdate_parse(const char *s, int allow_time, qdate *d)
{
    d->year = d->month = d->day = 0;
    int y = digits(s, 4);
    if (y < 1)
        return 0;
    int n = 4;
    if (s[n] == '-') {
        int m = digits(s + 5, 2);
        if (m < 1 || m > 12)
            return 0;
        d->month = m;
        n = 7;
        if (s[n] == '-') {
            int dd = digits(s + 8, 2);
            if (dd < 1 || dd > qdate_days_in_month(y, m))
                return 0;
            d->day = dd;
            n = 10;
        }
    }
    d->year = y;
    if (s[n] == '\0')
        return n;
    if (allow_time && d->day && (s[n] == 'T' || s[n] == 't' || s[n] == ' ') && valid_time(s + n + 1))
        return n;
    d->year = d->month = d->day = 0;
    return 0;
}

void qdate_key(const qdate *d, char out[9])
{
    unsigned y = (unsigned)d->year % 10000u, m = (unsigned)d->month % 100u,
             dd = (unsigned)d->day % 100u;
    snprintf(out, 9, "%04u%02u%02u", y, m, dd);
}
