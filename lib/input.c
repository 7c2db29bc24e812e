/* input.c — see input.h. zlib's gzread does the buffering and the
 * decompression; this file adds peeking, bounded line splitting and error
 * messages that name the file. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "error.h"
#include "strbuf.h"

enum { CHUNK = 64 * 1024 };

struct input {
    gzFile gz;
    char *name;
    char *buf;           /* decompressed bytes not yet consumed */
    size_t beg, end;
    int eof;
    char *line;          /* line buffer for input_getline */
    size_t line_cap;
    int again;           /* a second descriptor of the file, to read it
                            again from the start (salvage); -1 for stdin */
    uint64_t delivered;  /* bytes zlib has given us so far */
    char *failed;        /* salvaged: the error, for once rest is used up */
    char *unread;        /* bytes after the gzip data (check_trailing) */
    char *rest;          /* salvaged bytes not yet in buf */
    size_t rest_len, rest_at;
};

input *input_open(const char *path, char *err)
{
    int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        char shown[QERR_PATH_SHOWN];
        qerr_set(err, QUIRE_EIO, "%s: %s", qerr_path(path, shown), strerror(errno));
        return NULL;
    }
    input *in = calloc(1, sizeof *in);
    if (in)
        in->buf = malloc(CHUNK);
    char shown[QERR_PATH_SHOWN];
    if (in) /* for messages only */
        in->name = strdup(strcmp(path, "-") == 0 ? "(stdin)" : qerr_path(path, shown));
    if (in) /* the same open file, not the name (it may be replaced) */
        in->again = strcmp(path, "-") != 0 ? dup(fd) : -1;
    if (!in || !in->buf || !in->name) {
        if (in) {
            free(in->buf);
            free(in->name);
            if (in->again >= 0)
                close(in->again);
        }
        free(in);
        close(fd);
        qerr_set(err, QUIRE_ENOMEM, "out of memory");
        return NULL;
    }
    in->gz = gzdopen(fd, "rb");
    if (!in->gz) {
        close(fd);
        if (in->again >= 0)
            close(in->again);
        free(in->buf);
        free(in->name);
        free(in);
        qerr_set(err, QUIRE_ENOMEM, "%s: cannot start reading", path);
        return NULL;
    }
    gzbuffer(in->gz, 128 * 1024);
    return in;
}

void input_close(input *in)
{
    if (!in)
        return;
    gzclose(in->gz);
    free(in->buf);
    free(in->name);
    if (in->again >= 0)
        close(in->again);
    free(in->failed);
    free(in->unread);
    free(in->rest);
    free(in->line);
    free(in);
}

/* zlib's message without the "<fd:N>: " it puts before it for a stream
 * opened with gzdopen (the file's name is ours to give). */
static const char *zlib_says(input *in)
{
    int code;
    const char *m = gzerror(in->gz, &code);
    if (code == Z_ERRNO)
        return strerror(errno);
    if (strncmp(m, "<fd:", 4) == 0 && strstr(m, ": "))
        m = strstr(m, ": ") + 2;
    return strcmp(m, "incorrect data check") == 0 ? "the compressed data is damaged (its checksum does not match)" : m;
}

/* What inflate_again() found. */
typedef struct rescan {
    uint64_t skip;       /* output bytes to drop before keeping any */
    strbuf *keep;        /* the output after them; NULL: keep none */
    uint64_t member_end; /* file offset just after the last whole member */
} rescan;

/* Inflate the file open as fd from its start, member after member, by
 * hand: zlib's gzread() says nothing of what it did not read, this does.
 * pread() leaves the offset gzread() shares with fd alone. 0, or -1 when
 * it could not be done. */
static int inflate_again(int fd, rescan *r)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return -1;
    unsigned char *src = malloc(CHUNK), *dst = malloc(CHUNK);
    uint64_t skip = r->skip, at = 0;
    int ret = Z_OK;
    ssize_t got = 0;
    while (src && dst && ret != Z_DATA_ERROR && ret != Z_MEM_ERROR && (got = pread(fd, src, CHUNK, (off_t)at)) > 0) {
        at += (uint64_t)got;
        z.next_in = src;
        z.avail_in = (uInt)got;
        while (z.avail_in > 0) {
            z.next_out = dst;
            z.avail_out = CHUNK;
            ret = inflate(&z, Z_NO_FLUSH);
            size_t out = CHUNK - z.avail_out, from = skip < out ? (size_t)skip : out;
            skip -= from;
            if (r->keep)
                sb_add(r->keep, (const char *)dst + from, out - from);
            if (ret == Z_STREAM_END) { /* another member may follow */
                r->member_end = at - z.avail_in;
                ret = inflateReset(&z);
            }
            if (ret != Z_OK && ret != Z_BUF_ERROR)
                break;
            if (ret == Z_BUF_ERROR && z.avail_in == 0)
                break;
        }
    }
    inflateEnd(&z);
    int done = src && dst && got >= 0;
    free(src);
    free(dst);
    return done ? 0 : -1;
}

/* After damaged compressed data: gzread() drops everything it inflated
 * in the call that met the damage (up to its 256 KiB output buffer), good
 * lines included. Inflate the file again by hand, which keeps all output
 * up to the damage, and keep what comes after the bytes already delivered
 * in in->rest; fill() hands it out and then reports the error. Returns
 * 0, or -1 when that cannot be done (report the error now). */
static int salvage(input *in, const char *why)
{
    if (in->again < 0)
        return -1;
    strbuf rest = {0};
    rescan r = {.skip = in->delivered, .keep = &rest};
    inflate_again(in->again, &r); /* whatever it got before failing */
    in->failed = strdup(why);
    if (!in->failed) {
        sb_free(&rest);
        return -1;
    }
    in->rest_len = rest.len;
    in->rest = sb_take(&rest);
    in->rest_at = 0;
    in->eof = 1;
    return 0;
}

/* At the end of gzip data: zlib stops, without a word, at bytes after a
 * member that do not start another one (gzip -d says "trailing garbage
 * ignored"), such as JSON lines appended to a .gz file by mistake. The
 * last member's trailer ends the file with the length of its output, so
 * when the file's last 4 bytes are what was delivered, nothing follows;
 * otherwise (several members, or something after them) inflate the file
 * again to find where the members end. Zero bytes after them (padding)
 * are accepted, as gzip does. Anything else is described in in->unread. */
static void check_trailing(input *in)
{
    struct stat st;
    unsigned char tail[4];
    if (in->again < 0 || gzdirect(in->gz) || fstat(in->again, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 4 ||
        pread(in->again, tail, 4, st.st_size - 4) != 4)
        return;
    uint32_t isize = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;
    if (isize == (uint32_t)in->delivered)
        return;
    rescan r = {0};
    if (inflate_again(in->again, &r) != 0 || r.member_end == 0 ||
        r.member_end >= (uint64_t)st.st_size)
        return;
    unsigned char b[4096];
    uint64_t at = r.member_end;
    ssize_t got = 0;
    while (at < (uint64_t)st.st_size && (got = pread(in->again, b, sizeof b, (off_t)at)) > 0) {
        for (ssize_t i = 0; i < got; i++)
            if (b[i]) {
                char why[200];
                uint64_t n = (uint64_t)st.st_size - r.member_end;
                snprintf(why, sizeof why, "%llu %s after the end of the gzip data (from byte %llu) %s not gzip data and %s not read",
                         (unsigned long long)n, n == 1 ? "byte" : "bytes", (unsigned long long)r.member_end,
                         n == 1 ? "is" : "are", n == 1 ? "was" : "were");
                in->unread = strdup(why);
                return;
            }
        at += (uint64_t)got;
    }
}

/* Refill buf (moving unconsumed bytes to the front). Returns bytes added, 0
 * at EOF, -1 on error. */
static long fill(input *in, char *err)
{
    if (in->failed && in->rest_at == in->rest_len && in->beg == in->end) {
        qerr_set(err, QUIRE_EIO, "%s: %s", in->name, in->failed);
        return -1;
    }
    if (in->beg > 0) {
        memmove(in->buf, in->buf + in->beg, in->end - in->beg);
        in->end -= in->beg;
        in->beg = 0;
    }
    if (in->failed) { /* hand out what salvage() kept */
        size_t take = in->rest_len - in->rest_at;
        if (take > CHUNK - in->end)
            take = CHUNK - in->end;
        if (in->rest)
            memcpy(in->buf + in->end, in->rest + in->rest_at, take);
        in->end += take;
        in->rest_at += take;
        return (long)take;
    }
    if (in->eof)
        return 0;
    if (in->end == CHUNK)
        return 0;
    int n = gzread(in->gz, in->buf + in->end, (unsigned)(CHUNK - in->end));
    if (n < 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", zlib_says(in));
        if (salvage(in, why) == 0)
            return fill(in, err);
        qerr_set(err, QUIRE_EIO, "%s: %s", in->name, why);
        return -1;
    }
    in->delivered += (uint64_t)n;
    if (n == 0) {
        int code;
        gzerror(in->gz, &code);
        if (code != Z_OK && code != Z_STREAM_END) {
            qerr_set(err, QUIRE_EIO, "%s: %s", in->name, zlib_says(in));
            return -1;
        }
        in->eof = 1;
        check_trailing(in);
    }
    in->end += (size_t)n;
    return n;
}

long input_peek(input *in, char *out, size_t n)
{
    char err[QERR_MAX];
    while (in->end - in->beg < n && !in->eof)
        if (fill(in, err) < 0)
            return -1;
        else if (in->end == CHUNK && in->beg == 0)
            break;
    size_t have = in->end - in->beg;
    if (have > n)
        have = n;
    memcpy(out, in->buf + in->beg, have);
    return (long)have;
}

const char *input_unread(const input *in)
{
    return in->unread;
}

int input_is_gzip(input *in)
{
    return gzdirect(in->gz) == 0;
}

int input_read_all(input *in, size_t max, char **out, size_t *len,
                   int *truncated, char *err)
{
    size_t cap = 0, n = 0;
    char *b = NULL;
    *truncated = 0;
    for (;;) {
        size_t have = in->end - in->beg;
        if (have) {
            size_t take = have;
            if (n + take > max) {
                take = max - n;
                *truncated = 1;
            }
            if (n + take + 1 > cap) {
                size_t nc = cap ? cap : CHUNK;
                while (nc < n + take + 1)
                    nc *= 2;
                char *nb = realloc(b, nc);
                if (!nb) {
                    free(b);
                    qerr_set(err, QUIRE_ENOMEM, "%s: out of memory", in->name);
                    return -1;
                }
                b = nb;
                cap = nc;
            }
            memcpy(b + n, in->buf + in->beg, take);
            n += take;
            in->beg += take;
            if (*truncated)
                break;
        }
        long r = fill(in, err);
        if (r < 0) {
            free(b);
            return -1;
        }
        if (r == 0 && in->end == in->beg)
            break;
    }
    if (!b) {
        b = malloc(1);
        if (!b) {
            qerr_set(err, QUIRE_ENOMEM, "%s: out of memory", in->name);
            return -1;
        }
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return 0;
}

int input_getline(input *in, size_t max, char **line, size_t *len,
                  int *too_long, char *err)
{
    size_t n = 0;
    int skipping = 0;
    *too_long = 0;
    *line = NULL;
    for (;;) {
        char *s = in->buf + in->beg;
        size_t have = in->end - in->beg;
        char *nl = have ? memchr(s, '\n', have) : NULL;
        size_t take = nl ? (size_t)(nl - s) : have;
        if (!skipping && n + take > max)
            skipping = 1;
        if (!skipping) {
            if (n + take + 1 > in->line_cap) {
                size_t nc = in->line_cap ? in->line_cap : 4096;
                while (nc < n + take + 1)
                    nc *= 2;
                char *nb = realloc(in->line, nc);
                if (!nb) {
                    qerr_set(err, QUIRE_ENOMEM, "%s: out of memory", in->name);
                    return -1;
                }
                in->line = nb;
                in->line_cap = nc;
            }
            memcpy(in->line + n, s, take);
            n += take;
        }
        in->beg += take + (nl ? 1 : 0);
        if (nl)
            break;
        long r = fill(in, err);
        if (r < 0)
            return -1;
        if (r == 0 && in->end == in->beg) {
            if (n == 0 && !skipping)
                return 0;
            break;
        }
    }
    if (skipping) {
        *too_long = 1;
        return 1;
    }
    in->line[n] = '\0';
    *line = in->line;
    *len = n;
    return 1;
}

uint64_t input_offset(input *in)
{
    /* Compressed bytes read, which progress compares with the file size;
     * a pipe cannot tell (no lseek), so the bytes it delivered instead. */
    z_off_t o = gzoffset(in->gz);
    if (o < 0)
        o = gztell(in->gz);
    return o < 0 ? 0 : (uint64_t)o;
}

uint64_t input_text_offset(input *in)
{
    /* What zlib has delivered, less what waits in our buffer. */
    z_off_t o = gztell(in->gz);
    size_t waiting = in->end - in->beg;
    return o < 0 || (uint64_t)o < waiting ? 0 : (uint64_t)o - waiting;
}
