/*
 * listen.h — socket addresses as the user writes them: --listen
 * HOST:PORT (IPv4, [IPv6] or a name), and peers for the access log.
 */
#ifndef QUIRE_SERVE_LISTEN_H
#define QUIRE_SERVE_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

/* Parse "HOST:PORT", "[V6]:PORT" or "PORT" (loopback) into *out. 0, or -1
 * with a message in err. */
int listen_parse(const char *spec, struct sockaddr_storage *out, char *err, size_t errlen);

/* "ADDR" of sa into buf (n bytes). */
void listen_format_peer(const struct sockaddr *sa, char *buf, size_t n);

/* "http://ADDR:PORT/" for sa with port, into buf (n bytes). */
void listen_format_url(const struct sockaddr_storage *sa, unsigned port, char *buf, size_t n);

#endif
