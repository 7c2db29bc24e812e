/*
 * bodystore.h — how a document's body is stored, so that a hit reads only
 * the part of it that it shows.
 *
 * The body lives in value slot SLOT_BODY (schema.h) as one blob:
 *
 *   'B' 1                        magic, layout version
 *   text_len chars words         varints: bytes and characters of the
 *                                body, and how many word positions it has
 *   first_pos block_size         position of the body's first word; bytes
 *                                of text per block
 *   ncheck (dpos dbyte)*ncheck   the position map: about every
 *                                BODYSTORE_CHECK_WORDS words, a word
 *                                position and the byte offset of that word,
 *                                as deltas from the previous entry (the
 *                                first is relative to first_pos, 0)
 *   (clen<<1 | raw)*nblocks      block directory: stored size, and whether
 *                                the block is kept raw (did not compress)
 *   blocks                       each a raw deflate stream of block_size
 *                                bytes of text (the last one shorter)
 *
 * Blocks are compressed independently, so a snippet inflates one or two of
 * them rather than the whole body. A value rather than the document data
 * holds them because Xapian compresses document data itself (a second,
 * useless deflate at index time and a whole-body inflate at search time)
 * but leaves values alone.
 *
 * Map entries sit at safe restart points where there are any: a word that
 * follows ASCII whitespace and is not part of a run of ideographs, so
 * analysing the text from an entry's byte offset, numbering words from its
 * position, gives the very tokens the whole-body analysis gave from there
 * on. Where none comes for 4 x BODYSTORE_CHECK_WORDS words (a long run of
 * ideographs), an entry goes at the next word start anyway: re-analysis
 * from it may segment its first words differently, which shifts positions
 * by a word or two there, no more. Positions only choose which text to
 * analyse; highlights come from analysing it (passage.h).
 */
#ifndef QUIRE_BODYSTORE_H
#define QUIRE_BODYSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "analyzer.h"

enum {
    BODYSTORE_BLOCK = 8192,       /* text bytes per block */
    BODYSTORE_CHECK_WORDS = 64    /* words between map entries, at least */
};

/* Reusable compression/decompression state (one per thread). */
typedef struct bs_zip {
    z_stream def, inf;
    int def_ok, inf_ok;
} bs_zip;

void bs_zip_init(bs_zip *z);
void bs_zip_free(bs_zip *z);

/*
 * Encode body (len bytes, valid UTF-8) into a malloc'd blob (*out, *outlen).
 * t holds the body's tokens as the analyzer produced them from the whole
 * body with positions from first_pos. Returns 0, or -1 when out of memory.
 */
int bs_encode(bs_zip *z, const char *body, size_t len, const qa_tokens *t,
              uint32_t first_pos, char **out, size_t *outlen);

/* A parsed blob. It points into the blob, which must outlive it; the
 * position map is copied out (free with bs_close). */
typedef struct bodystore {
    const unsigned char *blob;
    size_t blob_len;
    size_t text_len, nchars;
    uint32_t words, first_pos;
    size_t block_size, nblocks;
    size_t ncheck;
    uint32_t *check_pos;      /* ncheck + 1 entries; [0] = first_pos */
    size_t *check_byte;       /* [0] = 0 */
    const unsigned char *dir; /* block directory */
    size_t dir_len;
    size_t data_off;          /* where the blocks start in the blob */
} bodystore;

/* Parse and check blob. An empty blob (len 0) is an empty body. Returns 0,
 * or -1 when the blob is damaged or memory ran out (*oom says which). */
int bs_open(bodystore *b, const char *blob, size_t len, int *oom);
void bs_close(bodystore *b);

/* Index of the last map entry at or before word position pos. */
size_t bs_check_at(const bodystore *b, uint32_t pos);

/*
 * Bytes [from, to) of the body (to <= text_len) into a malloc'd,
 * NUL-terminated buffer, inflating only the blocks that hold them.
 * Returns 0, or -1 when a block is damaged or memory ran out (*oom).
 */
int bs_read(bs_zip *z, const bodystore *b, size_t from, size_t to, char **out,
            int *oom);

#endif
