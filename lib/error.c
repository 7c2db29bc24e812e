/* error.c — see error.h; also the status strings and version calls. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

quire_status qerr_set(char *buf, quire_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, QERR_MAX, fmt, ap);
    va_end(ap);
    return status;
}

quire_status qerr_from_shim(char *buf, const qx_err *e, const char *context)
{
    snprintf(buf, QERR_MAX, "%s: %s", context, e->msg);
    return (quire_status)e->code;
}

const char *qerr_path(const char *path, char *buf)
{
    size_t len = strlen(path);
    if (len <= QERR_PATH_KEEP)
        return path;
    /* The shortest tail made of whole components that still holds the
     * last component, grown while it fits. */
    const char *tail = path + len;
    while (tail > path && tail[-1] == '/')
        tail--;
    while (tail > path && tail[-1] != '/')
        tail--;
    for (const char *p = tail; p > path;) {
        const char *q = p - 1; /* the '/' before p */
        while (q > path && q[-1] != '/')
            q--;
        if ((size_t)(path + len - q) > QERR_PATH_KEEP)
            break;
        tail = p = q;
    }
    if (tail == path)
        return path;
    snprintf(buf, QERR_PATH_SHOWN, "\u2026/%s", tail);
    return buf;
}

void qerr_begin(char *buf, quire_status *code)
{
    buf[0] = '\0';
    *code = QUIRE_OK;
}

quire_status qerr_end(char *buf, quire_status *code, quire_status st)
{
    *code = st;
    if (st == QUIRE_OK || st == QUIRE_DONE)
        buf[0] = '\0';
    else if (!buf[0])
        qerr_set(buf, st, "%s", quire_status_str(st));
    return st;
}

const char *quire_status_str(quire_status s)
{
    switch (s) {
    case QUIRE_OK: return "ok";
    case QUIRE_ERROR: return "internal error";
    case QUIRE_EINVAL: return "invalid argument";
    case QUIRE_ENOMEM: return "out of memory";
    case QUIRE_EIO: return "I/O error";
    case QUIRE_ENOTFOUND: return "not found";
    case QUIRE_EEXIST: return "already exists";
    case QUIRE_ELOCKED: return "index is locked by another writer";
    case QUIRE_ECORRUPT: return "index is corrupt";
    case QUIRE_EVERSION: return "index version not supported";
    case QUIRE_ENOTINDEX: return "not a quire index";
    case QUIRE_ESYNTAX: return "query syntax error";
    case QUIRE_ELIMIT: return "limit exceeded";
    case QUIRE_EMODIFIED: return "index modified during the operation";
    case QUIRE_ENETWORK: return "remote database failed";
    case QUIRE_ECONFIG: return "option conflicts with the index configuration";
    case QUIRE_EINPUT: return "malformed input skipped";
    case QUIRE_DONE: return "done";
    }
    return "unknown status";
}

const char *quire_version(void)
{
    return QUIRE_VERSION_STRING;
}

int quire_version_number(void)
{
    return QUIRE_VERSION_NUMBER;
}
