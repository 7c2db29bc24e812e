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

#endif
