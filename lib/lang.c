/* lang.c — see lang.h. The table lists the Snowball stemmers Xapian 1.4
 * ships, by ISO 639-1 code (639-3 where there is no 639-1 code). */
#include "lang.h"

#include <ctype.h>
#include <string.h>

static const struct {
    const char *code, *name;
} stemmers[] = {
    {"ar", "arabic"},     {"hy", "armenian"},   {"eu", "basque"},
    {"ca", "catalan"},    {"da", "danish"},     {"nl", "dutch"},
    {"en", "english"},    {"fi", "finnish"},    {"fr", "french"},
    {"de", "german"},     {"hu", "hungarian"},  {"id", "indonesian"},
    {"ga", "irish"},      {"it", "italian"},    {"lt", "lithuanian"},
    {"ne", "nepali"},     {"no", "norwegian"},  {"nb", "norwegian"},
    {"nn", "norwegian"},  {"pt", "portuguese"}, {"ro", "romanian"},
    {"ru", "russian"},    {"es", "spanish"},    {"sv", "swedish"},
    {"ta", "tamil"},      {"tr", "turkish"},
};

int lang_canonical(const char *in, char out[LANG_CODE_MAX])
{
    out[0] = '\0';
    if (!in)
        return -1;
    char buf[LANG_CODE_MAX];
    size_t n = 0;
    for (const char *p = in; *p && *p != '-' && *p != '_'; p++) {
        if (!isalpha((unsigned char)*p) || n + 1 >= sizeof buf)
            return -1;
        buf[n++] = (char)tolower((unsigned char)*p);
    }
    buf[n] = '\0';
    if (n < 2)
        return -1;
    if (strcmp(buf, "none") == 0) {
        strcpy(out, "none");
        return 0;
    }
    for (size_t i = 0; i < sizeof stemmers / sizeof stemmers[0]; i++)
        if (strcmp(buf, stemmers[i].name) == 0) {
            strcpy(out, stemmers[i].code);
            return 0;
        }
    if (n > 3)
        return -1; /* not a code and not a language name we know */
    memcpy(out, buf, n + 1);
    return 0;
}

const char *lang_stemmer(const char *code)
{
    for (size_t i = 0; i < sizeof stemmers / sizeof stemmers[0]; i++)
        if (strcmp(code, stemmers[i].code) == 0)
            return stemmers[i].name;
    return NULL;
}
