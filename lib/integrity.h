/*
 * integrity.h — never writing into a damaged database.
 *
 * Xapian's glass format has no block checksums, and a writer that meets a
 * damaged block can overflow a buffer or loop for ever inside a commit
 * (issue 13), while readers cope. Xapian's own checker (qx_db_check) finds
 * such damage, but it reads every block: about 0.45 s for a 64 MB index,
 * more than a typical nightly update costs. So every quire writer leaves a
 * stamp in the database directory as it closes ("quire-verified": size,
 * modification and change times and inode of each file), and the next
 * writer runs the checker only when the files no longer match it — when
 * something other than a quire writer's clean finish touched them (a
 * writer killed mid-batch, a restore, a stray write, an index made by
 * another tool) — or when asked to (QUIRE_INDEX_VERIFY; quire-index
 * --verify and --check). Checking a matching database costs a stat per
 * file. Damage that leaves no trace in the file system's metadata (bit rot
 * below it) is found only when asked.
 */
#ifndef QUIRE_INTEGRITY_H
#define QUIRE_INTEGRITY_H

#include "quire.h"

/* Before writing the database in dir (named name in messages): check it
 * unless its stamp matches and !force. ECORRUPT, with a message saying
 * what is damaged and to rebuild, if the checker finds damage. */
quire_status integrity_before_write(const char *dir, const char *name, int force, char *err);

/* Record the database in dir as a quire writer left it (best effort; an
 * unchanged stamp is not rewritten). */
void integrity_stamp(const char *dir);

#endif
