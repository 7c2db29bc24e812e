/* article_text.c — see article_text.h. */
#include "article_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

enum { HEADLINE_MAX_CHARS = 200, DERIVED_TITLE_CHARS = 100 };

static int is_blank_line(const char *s, const char *end)
{
    for (; s < end; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

static char *line_end(char *s)
{
    char *nl = strchr(s, '\n');
    return nl ? nl : s + strlen(s);
}

static char *trim(char *s, char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    *end = '\0';
    return s;
}

/* "Key: value" with a key of letters and '-'; returns the key length. */
static size_t header_key(const char *s, const char *end)
{
    size_t n = 0;
    while (s + n < end && (isalpha((unsigned char)s[n]) || (n && s[n] == '-')))
        n++;
    return (n && s + n < end && s[n] == ':') ? n : 0;
}

static const char **known_key(text_article *a, const char *k, size_t n)
{
    static const struct { const char *name; size_t off; } keys[] = {
        {"title", offsetof(text_article, title)},   {"date", offsetof(text_article, date)},
        {"author", offsetof(text_article, author)}, {"source", offsetof(text_article, source)},
        {"lang", offsetof(text_article, lang)},     {"language", offsetof(text_article, lang)},
        {"url", offsetof(text_article, url)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i].name) == n && strncasecmp(keys[i].name, k, n) == 0)
            return (const char **)((char *)a + keys[i].off);
    return NULL;
}

/* Parse a header block at text; returns where the body starts, or text
 * itself when there is no header block. */
static char *parse_header(char *text, text_article *a)
{
    char *p = text;
    char *e = line_end(p);
    size_t kl = header_key(p, e);
    if (!kl || !known_key(a, p, kl))
        return text;
    /* Every line up to the blank one must look like a header line. */
    for (char *q = p; *q;) {
        char *qe = line_end(q);
        if (is_blank_line(q, qe))
            break;
        if (!header_key(q, qe))
            return text;
        q = *qe ? qe + 1 : qe;
    }
    while (*p) {
        e = line_end(p);
        if (is_blank_line(p, e))
            return *e ? e + 1 : e;
        char *next = *e ? e + 1 : e;
        kl = header_key(p, e);
        const char **slot = known_key(a, p, kl);
        if (slot)
            *slot = trim(p + kl + 1, e);
        p = next;
    }
    return p;
}

static char *skip_blank_lines(char *p)
{
    for (;;) {
        char *e = line_end(p);
        if (!*e || !is_blank_line(p, e))
            return is_blank_line(p, e) ? e : p;
        p = e + 1;
    }
}

/* Is the line at p a headline candidate (short, then a blank line)? Sets
 * *after to the text after its blank line. */
static int headline_at(char *p, char **after)
{
    char *e = line_end(p);
    if (!*e || is_blank_line(p, e) || utf8_chars(p, (size_t)(e - p)) > HEADLINE_MAX_CHARS)
        return 0;
    char *n = e + 1, *ne = line_end(n);
    if (!is_blank_line(n, ne))
        return 0;
    *after = skip_blank_lines(n);
    return 1;
}

static int word_count(const char *s, const char *end)
{
    int n = 0, in = 0;
    for (; s < end; s++) {
        int sp = isspace((unsigned char)*s);
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

/* First sentence of body, at most DERIVED_TITLE_CHARS characters. */
static char *derive_title(const char *body)
{
    const char *end = body;
    while (*end && *end != '\n' &&
           !((*end == '.' || *end == '!' || *end == '?') && (end[1] == ' ' || end[1] == '\n' || !end[1])))
        end++;
    size_t len = (size_t)(end - body);
    int cut = 0;
    if (utf8_chars(body, len) > DERIVED_TITLE_CHARS) {
        size_t chars = 0, i = 0, last_space = 0;
        while (i < len && chars < DERIVED_TITLE_CHARS) {
            if (body[i] == ' ')
                last_space = i;
            size_t adv;
            if (utf8_decode(body + i, len - i, &adv) < 0)
                adv = 1;
            i += adv;
            chars++;
        }
        len = last_space ? last_space : i;
        cut = 1;
    }
    while (len && (body[len - 1] == ' ' || body[len - 1] == ','))
        len--;
    char *t = malloc(len + 4);
    if (!t)
        return NULL;
    memcpy(t, body, len);
    if (cut)
        memcpy(t + len, "\xE2\x80\xA6", 3), len += 3; /* … */
    t[len] = '\0';
    return t;
}

int text_article_parse(char *text, text_article *a)
{
    memset(a, 0, sizeof *a);
    a->title = a->date = a->author = a->source = a->lang = a->url = "";
    char *p = skip_blank_lines(parse_header(text, a));
    char *after;
    if (!*a->title && headline_at(p, &after)) {
        char *e = line_end(p), *after2;
        if (word_count(p, e) <= 2 && headline_at(after, &after2)) {
            /* Boilerplate line, then the real headline: keep the
             * boilerplate as the start of the body. */
            char *e2 = line_end(after);
            size_t bl = (size_t)(e - p), rl = strlen(after2);
            a->owned_body = malloc(bl + 2 + rl + 1);
            if (!a->owned_body)
                return -1;
            memcpy(a->owned_body, p, bl);
            memcpy(a->owned_body + bl, "\n\n", 2);
            memcpy(a->owned_body + bl + 2, after2, rl + 1);
            a->title = trim(after, e2);
            a->body = a->owned_body;
        } else {
            a->title = trim(p, e);
            a->body = after;
        }
    } else {
        a->body = p;
    }
    char *b = (char *)a->body; /* points into text or owned_body */
    a->body = trim(b, b + strlen(b));
    if (!*a->title && *a->body) {
        a->owned_title = derive_title(a->body);
        if (!a->owned_title)
            return -1;
        a->title = a->owned_title;
    }
    return 0;
}

void text_article_free(text_article *a)
{
    free(a->owned_title);
    free(a->owned_body);
    a->owned_title = a->owned_body = NULL;
}
