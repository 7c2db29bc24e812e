/* caret.c — see caret.h. The width table covers the blocks terminals and
 * browsers draw double width (CJK, Hangul, fullwidth forms); it is a
 * display aid, not a full East Asian Width implementation. */
#include "caret.h"

#include <string.h>

/* Display width of the character at s (2 for wide East Asian ones); *adv
 * gets its length in bytes (1 for a stray byte). */
static int char_width(const unsigned char *s, size_t *adv)
{
    unsigned c = s[0];
    *adv = 1;
    if (c < 0x80)
        return 1;
    unsigned cp = 0;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    cp = c & (0xFF >> (n + 1));
    for (size_t i = 1; i < n && (s[i] & 0xC0) == 0x80; i++)
        cp = (cp << 6) | (s[i] & 0x3F), *adv = i + 1;
    int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
               (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
               (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
               (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
    return wide ? 2 : 1;
}

size_t caret_column(const char *query, size_t off)
{
    size_t len = strlen(query), col = 0;
    for (size_t i = 0; i < off && i < len;) {
        size_t adv;
        col += (size_t)char_width((const unsigned char *)query + i, &adv);
        i += adv;
    }
    return col;
}
