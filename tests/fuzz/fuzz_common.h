/* fuzz_common.h — a tiny quire index made once per fuzzing process (in a
 * fresh temporary directory, removed at exit), for the targets that need
 * a real database: the query path and snippets. */
#ifndef QUIRE_FUZZ_COMMON_H
#define QUIRE_FUZZ_COMMON_H
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quire.h"

static char fuzz_dir[64];

static int fuzz_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static void fuzz_cleanup(void)
{
    if (fuzz_dir[0])
        nftw(fuzz_dir, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Path of the index (created on first call), or exits. */
static const char *fuzz_index(void)
{
    static char path[128];
    if (path[0])
        return path;
    snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/quire-fuzz-XXXXXX");
    if (!mkdtemp(fuzz_dir)) {
        perror("mkdtemp");
        exit(1);
    }
    atexit(fuzz_cleanup);
    snprintf(path, sizeof path, "%s/idx", fuzz_dir);
    static const char *const docs[][4] = {
        {"en1", "North Korea deploys troops", "Kim Jong-un sent artillery shells to Russia. The minister of foreign affairs spoke.", "en"},
        {"de1", "Zürich Straßenbahn", "Die Straßenbahn in Zürich fährt über die Brücke; Müller läuft.", "de"},
        {"ru1", "Москва", "Министр обороны встретился в Москве с делегацией.", "ru"},
        {"zh1", "北京大学", "北京大学的学生在图书馆学习中文和日本語。", "zh"},
        {"th1", "ภาษาไทย", "ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำ", "th"},
        {"ko1", "서울", "서울에서 회의가 열렸다. 한국어 문장입니다.", "ko"},
    };
    quire_index *idx;
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.threads = 1;
    if (quire_index_open(path, &o, &idx) != QUIRE_OK) {
        fprintf(stderr, "fuzz: %s\n", quire_index_errmsg(idx));
        exit(1);
    }
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        quire_document d = QUIRE_DOCUMENT_INIT;
        d.id = docs[i][0];
        d.title = docs[i][1];
        d.body = docs[i][2];
        d.lang = docs[i][3];
        d.date = "2024-10-22";
        if (quire_index_add(idx, &d, NULL) != QUIRE_OK) {
            fprintf(stderr, "fuzz: %s\n", quire_index_errmsg(idx));
            exit(1);
        }
    }
    if (quire_index_close(idx) != QUIRE_OK)
        exit(1);
    return path;
}

/* A NUL-terminated copy of data (caller frees). */
static char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}
#endif
