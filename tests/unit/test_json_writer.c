/* test_json_writer.c — common/json_writer.c writes exactly what jansson's
 * json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER) writes for the same
 * tree: random trees of objects, arrays, strings with every ASCII control
 * character and multi-byte UTF-8, integers and reals of every magnitude.
 * quire-query's JSON output keeps its bytes because of this. */
#include <jansson.h>
#include <math.h>

#include "harness.h"
#include "json_writer.h"

static unsigned long long rng = 88172645463325252ULL;

static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* A random valid UTF-8 string of up to 12 characters. */
static void random_string(char *s)
{
    static const char *const pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\b", "\f", "\r", "\x01", "\x1f", "\x7f",
                                         "\xc3\xa9", "\xe2\x80\xa8", "\xe5\x8c\x97", "\xf0\x9f\x98\x80", "{", "0"};
    size_t n = next() % 13, len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = pieces[next() % (sizeof pieces / sizeof *pieces)];
        memcpy(s + len, p, strlen(p));
        len += strlen(p);
    }
    s[len] = '\0';
}

static double random_real(void)
{
    static const double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.1, 1e20, 1e-7, 123456789.123, 1.5900155645275256,
                                   1e300, 5e-324, 2.5, 100.0};
    if (next() % 2)
        return fixed[next() % (sizeof fixed / sizeof *fixed)];
    return ldexp((double)(next() % 1000000) - 500000, (int)(next() % 200) - 100);
}

/* Build the same random value as a jansson tree and through the writer. */
static json_t *random_value(jw *w, int depth)
{
    unsigned kind = depth >= 4 ? 2 + next() % 4 : next() % 6;
    char s[64];
    switch (kind) {
    case 0: {
        json_t *o = json_object();
        jw_object(w);
        for (unsigned i = 0, n = next() % 4; i < n; i++) {
            snprintf(s, sizeof s, "k%u", i);
            if (next() % 3 == 0)
                random_string(s);
            if (json_object_get(o, s))
                continue;
            jw_key(w, s);
            json_object_set_new(o, s, random_value(w, depth + 1));
        }
        jw_object_end(w);
        return o;
    }
    case 1: {
        json_t *a = json_array();
        jw_array(w);
        for (unsigned i = 0, n = next() % 4; i < n; i++)
            json_array_append_new(a, random_value(w, depth + 1));
        jw_array_end(w);
        return a;
    }
    case 2:
        random_string(s);
        jw_string(w, s);
        return json_string(s);
    case 3: {
        long long v = (long long)next() - 2000000000LL * (next() % 3);
        jw_int(w, v);
        return json_integer(v);
    }
    case 4: {
        double d = random_real();
        jw_real(w, d);
        return json_real(d);
    }
    default: {
        int b = next() % 2;
        jw_bool(w, b);
        return json_boolean(b);
    }
    }
}

static void same_as_jansson(void)
{
    for (int i = 0; i < 3000; i++) {
        jw w;
        memset(&w, 0, sizeof w);
        json_t *tree = random_value(&w, 0);
        size_t len;
        char *mine = jw_finish(&w, &len);
        char *theirs = json_dumps(tree, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        int same = mine && theirs && strlen(mine) == len && len == strlen(theirs) + 1 &&
                   memcmp(mine, theirs, len - 1) == 0 && mine[len - 1] == '\n';
        if (!same) {
            char msg[600];
            snprintf(msg, sizeof msg, "tree %d: writer [%.200s] jansson [%.200s]", i, mine ? mine : "(null)",
                     theirs ? theirs : "(null)");
            free(mine);
            free(theirs);
            json_decref(tree);
            FAIL_AT("%s", msg);
        }
        free(mine);
        free(theirs);
        json_decref(tree);
    }
}

static void int_extremes(void)
{
    jw w;
    memset(&w, 0, sizeof w);
    jw_array(&w);
    jw_int(&w, 0);
    jw_int(&w, -9223372036854775807LL - 1);
    jw_int(&w, 9223372036854775807LL);
    jw_array_end(&w);
    char *s = jw_finish(&w, NULL);
    CHECK_STR(s, "[\n  0,\n  -9223372036854775808,\n  9223372036854775807\n]\n");
    free(s);
}

/* Each control character (the short escapes \b \f \n \r \t and the
 * \u00XX ones) and DEL, alone in a string, as jansson writes it. */
static void every_control_character(void)
{
    for (int c = 1; c <= 0x7f; c = c == 0x1f ? 0x7f : c + 1) {
        char s[4] = {'<', (char)c, '>', '\0'};
        jw w;
        memset(&w, 0, sizeof w);
        jw_string(&w, s);
        char *mine = jw_finish(&w, NULL);
        json_t *t = json_string(s);
        char *theirs = json_dumps(t, JSON_ENCODE_ANY);
        json_decref(t);
        char want[32];
        snprintf(want, sizeof want, "%s\n", theirs ? theirs : "(null)");
        free(theirs);
        CHECK_STR(mine, want);
        free(mine);
    }
}

TEST_MAIN("json_writer", T(same_as_jansson), T(int_extremes), T(every_control_character))
