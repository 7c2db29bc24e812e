/*
 * error.h — status + message, the way every handle reports its last error.
 */
#ifndef QUIRE_ERROR_H
#define QUIRE_ERROR_H

#include <stddef.h>

#include "quire.h"
#include "xapian_shim.h"

enum { QERR_MAX = 1024 };

/* Format a message into buf (QERR_MAX bytes) and return status. */
quire_status qerr_set(char *buf, quire_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Paths in messages: one longer than QERR_PATH_KEEP bytes is shown as
 * "…/last/parts" (whole components, at least the last one), so that a
 * message never loses its cause to a path thousands of bytes long. buf
 * needs QERR_PATH_SHOWN bytes; returns buf, or path when it is short. */
enum { QERR_PATH_KEEP = 160, QERR_PATH_SHOWN = 512 };
const char *qerr_path(const char *path, char *buf);

/* Copy a shim error into buf with a leading context ("opening news.idx"),
 * and return its status. */
quire_status qerr_from_shim(char *buf, const qx_err *e, const char *context);

/*
 * The rule every handle follows (SQLite's): its message and code describe
 * the most recent call made on it. A public call starts with
 * qerr_begin() and returns through qerr_end(), which records the status in
 * *code and leaves the message "" after a success (QUIRE_OK, or
 * QUIRE_DONE from a reader), or the status's description if a failure set
 * no message of its own.
 */
void qerr_begin(char *buf, quire_status *code);
quire_status qerr_end(char *buf, quire_status *code, quire_status st);

#endif
