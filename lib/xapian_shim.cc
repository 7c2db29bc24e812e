// xapian_shim.cc — the only C++ in quire: extern "C" wrappers over libxapian.
//
// Every entry point catches every exception (Xapian's, the standard
// library's, anything) and reports it as a quire_status plus message in the
// caller's qx_err, so no exception ever unwinds into C frames.

#include "xapian_shim.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <unistd.h>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "quire.h"

namespace {

// The documents of a counting pass, whose values are then counted from
// the database's value table (ValueTable below). It has no name, so it
// cannot run on a remote server; qx_search uses Xapian's
// ValueCountMatchSpy there.
class DocidSpy : public Xapian::MatchSpy {
  public:
    std::vector<Xapian::docid> ids;
    void operator()(const Xapian::Document &doc, double) override { ids.push_back(doc.get_docid()); }
};

// The values of one slot of a whole local database, read once: each
// distinct value gets a number and each document the number of its value,
// so counting the values of a search's matches costs an array lookup per
// match. Reading them per match instead (Document::get_value() in a match
// spy, or the value stream) and hashing each one made facets 2.5 times the
// search without them on the bench corpus; with the table, 1.8 times.
// 4 bytes per document; not kept for more than MAX_DOCS documents (the
// value stream is read per search then). Built on first use, dropped when
// the database moves to a new revision.
class ValueTable {
  public:
    static const Xapian::docid MAX_DOCS = 16u << 20;
    Xapian::valueno slot = 0;
    bool built = false;
    std::vector<uint32_t> number_of; // docid -> value number (0: none)
    std::vector<std::string> values; // value number - 1 -> value

    bool build(const Xapian::Database &db, Xapian::valueno s)
    {
        clear();
        Xapian::docid last = db.get_lastdocid();
        if (last >= MAX_DOCS)
            return false;
        std::unordered_map<std::string, uint32_t> numbers;
        number_of.assign(last + 1, 0);
        for (Xapian::ValueIterator v = db.valuestream_begin(s); v != db.valuestream_end(s); ++v) {
            auto it = numbers.emplace(*v, uint32_t(values.size() + 1));
            if (it.second)
                values.push_back(it.first->first);
            if (v.get_docid() <= last)
                number_of[v.get_docid()] = it.first->second;
        }
        slot = s;
        built = true;
        return true;
    }
    void clear()
    {
        built = false;
        number_of.clear();
        number_of.shrink_to_fit();
        values.clear();
    }
};

// Add the values in slot of the documents ids (the counting pass's) to
// counts, which may hold another shard's already.
void count_values(const Xapian::Database &db, ValueTable &table, Xapian::valueno slot,
                  std::vector<Xapian::docid> &ids, std::unordered_map<std::string, Xapian::doccount> &counts)
{
    if ((table.built && table.slot == slot) || table.build(db, slot)) {
        std::vector<Xapian::doccount> n(table.values.size() + 1, 0);
        for (Xapian::docid did : ids)
            if (did < table.number_of.size())
                ++n[table.number_of[did]];
        for (size_t k = 1; k < n.size(); ++k)
            if (n[k])
                counts[table.values[k - 1]] += n[k];
        return;
    }
    // Too big for a table: the value stream, in docid order.
    std::sort(ids.begin(), ids.end());
    Xapian::ValueIterator v = db.valuestream_begin(slot), end = db.valuestream_end(slot);
    for (Xapian::docid did : ids) {
        if (v == end)
            break;
        if (v.get_docid() < did)
            v.skip_to(did);
        if (v != end && v.get_docid() == did)
            ++counts[*v];
    }
}

} // namespace

struct qx_mset_counters {
    std::vector<std::unordered_map<std::string, Xapian::doccount>> local;
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> remote;
};

struct qx_db {
    Xapian::Database rdb;                          // read view (or the writer)
    std::unique_ptr<Xapian::WritableDatabase> wdb; // set when writable
    bool remote = false;                           // holds a remote database
    ValueTable facet_values;                       // for counting (qx_search)
    std::vector<Xapian::Database> parts;           // a multi's local databases
    std::vector<ValueTable> part_values;           // and their tables
    Xapian::Database &reader() { return wdb ? *wdb : rdb; }
};

struct qx_doc {
    Xapian::Document doc;
    std::map<std::string, Xapian::termcount> spelling; // word -> occurrences
    std::string term; // reused: most terms repeat, so this saves a malloc each
};

struct qx_query {
    Xapian::Query q;
};

struct qx_mset {
    qx_mset_counters spies;
    Xapian::doccount counted = 0; // every match, counted (has_counted)
    bool has_counted = false;
    Xapian::Enquire enquire; // kept alive with the MSet it made
    Xapian::MSet mset;
    explicit qx_mset(const Xapian::Database &db) : enquire(db) {}
};

struct qx_stem {
    Xapian::Stem stem;
};

namespace {

// Terms with one prefix and not another, for qx_db_eset.
class PrefixDecider : public Xapian::ExpandDecider {
    std::string want, skip;

  public:
    PrefixDecider(const char *w, const char *s) : want(w ? w : ""), skip(s ? s : "") {}
    bool operator()(const std::string &t) const override
    {
        return t.compare(0, want.size(), want) == 0 && (skip.empty() || t.compare(0, skip.size(), skip) != 0);
    }
};

void set_err(qx_err *e, int code, const std::string &msg)
{
    if (!e)
        return;
    e->code = code;
    std::snprintf(e->msg, sizeof e->msg, "%s", msg.c_str());
}

// Map an exception in flight to a status. Called only from catch(...).
int map_current_exception(qx_err *e)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &x) {
        set_err(e, QUIRE_ELOCKED, x.get_description());
    } catch (const Xapian::DatabaseNotFoundError &x) {
        set_err(e, QUIRE_ENOTFOUND, x.get_description());
    } catch (const Xapian::DatabaseVersionError &x) {
        set_err(e, QUIRE_EVERSION, x.get_description());
    } catch (const Xapian::DatabaseOpeningError &x) {
        set_err(e, QUIRE_ENOTINDEX, x.get_description());
    } catch (const Xapian::DatabaseCorruptError &x) {
        set_err(e, QUIRE_ECORRUPT, x.get_description());
    } catch (const Xapian::DatabaseModifiedError &) {
        // Xapian's text tells the caller to call Database::reopen(), which
        // a user of quire cannot: say it in quire's terms.
        set_err(e, QUIRE_EMODIFIED, "the index changed while it was being read (a writer committed twice since "
                                    "this reader's revision); reopen and try again");
    } catch (const Xapian::DatabaseError &x) {
        set_err(e, QUIRE_EIO, x.get_description());
    } catch (const Xapian::NetworkError &x) {
        set_err(e, QUIRE_ENETWORK, x.get_description());
    } catch (const Xapian::WildcardError &x) {
        set_err(e, QUIRE_ELIMIT, x.get_description());
    } catch (const Xapian::DocNotFoundError &x) {
        set_err(e, QUIRE_ENOTFOUND, x.get_description());
    } catch (const Xapian::InvalidArgumentError &x) {
        set_err(e, QUIRE_EINVAL, x.get_description());
    } catch (const Xapian::InvalidOperationError &x) {
        set_err(e, QUIRE_EINVAL, x.get_description());
    } catch (const Xapian::Error &x) {
        set_err(e, QUIRE_ERROR, x.get_description());
    } catch (const std::bad_alloc &) {
        set_err(e, QUIRE_ENOMEM, "out of memory");
    } catch (const std::exception &x) {
        set_err(e, QUIRE_ERROR, x.what());
    } catch (...) {
        set_err(e, QUIRE_ERROR, "unknown C++ exception in Xapian shim");
    }
    return e ? e->code : QUIRE_ERROR;
}

char *copy_out(const std::string &s, size_t *len)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    if (len)
        *len = s.size();
    return p;
}

int null_arg(qx_err *e, const char *what)
{
    set_err(e, QUIRE_EINVAL, std::string("NULL argument: ") + what);
    return QUIRE_EINVAL;
}

} // namespace

// Run body; on exception, map it. Used as: TRY { ... } CATCH(e)
#define TRY try
#define CATCH_STATUS(e)                                                        \
    catch (...) { return map_current_exception(e); }
#define CATCH_NULL(e)                                                          \
    catch (...) { map_current_exception(e); return nullptr; }

extern "C" {

/* ---- Databases ---------------------------------------------------------- */

qx_db *qx_db_open_write(const char *path, int mode, qx_err *e)
{
    if (!path) {
        null_arg(e, "path");
        return nullptr;
    }
    TRY {
        int action = Xapian::DB_OPEN;
        if (mode == QX_CREATE_OR_OPEN)
            action = Xapian::DB_CREATE_OR_OPEN;
        else if (mode == QX_CREATE_OR_OVERWRITE)
            action = Xapian::DB_CREATE_OR_OVERWRITE;
        std::unique_ptr<qx_db> db(new qx_db);
        db->wdb.reset(new Xapian::WritableDatabase(path, action | Xapian::DB_BACKEND_GLASS));
        return db.release();
    }
    CATCH_NULL(e)
}

qx_db *qx_db_open_read(const char *path, qx_err *e)
{
    if (!path) {
        null_arg(e, "path");
        return nullptr;
    }
    TRY {
        std::unique_ptr<qx_db> db(new qx_db);
        db->rdb = Xapian::Database(path);
        return db.release();
    }
    CATCH_NULL(e)
}

qx_db *qx_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                         qx_err *e)
{
    if (!host) {
        null_arg(e, "host");
        return nullptr;
    }
    TRY {
        std::unique_ptr<qx_db> db(new qx_db);
        db->rdb = Xapian::Remote::open(host, port, timeout_ms, timeout_ms);
        db->remote = true;
        return db.release();
    }
    CATCH_NULL(e)
}

qx_db *qx_db_new_multi(qx_err *e)
{
    TRY { return new qx_db; }
    CATCH_NULL(e)
}

int qx_db_add(qx_db *multi, qx_db *sub, qx_err *e)
{
    if (!multi || !sub || multi->wdb)
        return null_arg(e, "multi/sub");
    TRY {
        multi->rdb.add_database(sub->reader());
        multi->remote = multi->remote || sub->remote;
        multi->parts.push_back(sub->reader());
        multi->part_values.emplace_back();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

void qx_db_release(qx_db *db)
{
    try {
        delete db;
    } catch (...) {
        // a destructor that throws leaves nothing to clean up
    }
}

void qx_db_forget_values(qx_db *db)
{
    if (!db)
        return;
    db->facet_values.clear();
    for (ValueTable &t : db->part_values)
        t.clear();
}

int qx_db_reopen(qx_db *db, int *changed, qx_err *e)
{
    if (!db)
        return null_arg(e, "db");
    TRY {
        bool c;
        try {
            c = db->reader().reopen();
        } catch (...) {
            // Part-way: some tables moved, and a retry that then finds
            // nothing newer says "unchanged". Forget the counts now.
            qx_db_forget_values(db);
            throw;
        }
        if (c) // documents may have changed
            qx_db_forget_values(db);
        if (changed)
            *changed = c ? 1 : 0;
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_commit(qx_db *db, qx_err *e)
{
    if (!db || !db->wdb)
        return null_arg(e, "writable db");
    TRY {
        db->wdb->commit();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_begin_tx(qx_db *db, qx_err *e)
{
    if (!db || !db->wdb)
        return null_arg(e, "writable db");
    TRY {
        db->wdb->begin_transaction(true);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_commit_tx(qx_db *db, qx_err *e)
{
    if (!db || !db->wdb)
        return null_arg(e, "writable db");
    TRY {
        db->wdb->commit_transaction();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_cancel_tx(qx_db *db, qx_err *e)
{
    if (!db || !db->wdb)
        return null_arg(e, "writable db");
    TRY {
        db->wdb->cancel_transaction();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_close(qx_db *db, qx_err *e)
{
    if (!db)
        return QUIRE_OK;
    int rc = QUIRE_OK;
    TRY {
        if (db->wdb)
            db->wdb->close(); // commits pending changes, releases the lock
        else
            db->rdb.close();
    }
    catch (...) {
        rc = map_current_exception(e);
    }
    TRY { delete db; }
    catch (...) {
        if (rc == QUIRE_OK)
            rc = map_current_exception(e);
    }
    return rc;
}

int qx_db_doc_count(qx_db *db, uint64_t *count, qx_err *e)
{
    if (!db || !count)
        return null_arg(e, "db/count");
    TRY {
        *count = db->reader().get_doccount();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_total_length(qx_db *db, uint64_t *len, qx_err *e)
{
    if (!db || !len)
        return null_arg(e, "db/len");
    TRY {
        *len = db->reader().get_total_length();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_size(qx_db *db, size_t *n, qx_err *e)
{
    if (!db || !n)
        return null_arg(e, "db/n");
    TRY {
        *n = db->wdb ? 1 : db->rdb.size();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_term_freq(qx_db *db, const char *term, uint64_t *freq, qx_err *e)
{
    if (!db || !term || !freq)
        return null_arg(e, "db/term/freq");
    TRY {
        *freq = db->reader().get_termfreq(term);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_find_term(qx_db *db, const char *term, uint32_t *docid, qx_err *e)
{
    if (!db || !term || !docid)
        return null_arg(e, "db/term/docid");
    TRY {
        Xapian::Database &r = db->reader();
        Xapian::PostingIterator it = r.postlist_begin(term);
        *docid = (it == r.postlist_end(term)) ? 0 : *it;
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_get_metadata(qx_db *db, const char *key, char **value, size_t *len,
                       qx_err *e)
{
    if (!db || !key || !value)
        return null_arg(e, "db/key/value");
    TRY {
        *value = copy_out(db->reader().get_metadata(key), len);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_set_metadata(qx_db *db, const char *key, const char *value,
                       size_t len, qx_err *e)
{
    if (!db || !db->wdb || !key || !value)
        return null_arg(e, "writable db/key/value");
    TRY {
        db->wdb->set_metadata(key, std::string(value, len));
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_get_value(qx_db *db, uint32_t docid, unsigned slot, char **value,
                    size_t *len, qx_err *e)
{
    if (!db || !value)
        return null_arg(e, "db/value");
    TRY {
        Xapian::Document d = db->reader().get_document(docid, Xapian::DOC_ASSUME_VALID);
        *value = copy_out(d.get_value(slot), len);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_doc_has_terms(qx_db *db, uint32_t docid, const char *const *terms, size_t n,
                        unsigned char *present, qx_err *e)
{
    if (!db || (!terms && n) || (!present && n))
        return null_arg(e, "db/terms/present");
    if (db->remote) {
        std::memset(present, 1, n);
        return QUIRE_OK;
    }
    TRY {
        Xapian::Database &r = db->reader();
        Xapian::TermIterator t = r.termlist_begin(docid), end = r.termlist_end(docid);
        for (size_t i = 0; i < n; i++) {
            present[i] = 0;
            if (t == end)
                continue;
            t.skip_to(terms[i]);
            present[i] = t != end && *t == terms[i];
        }
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_positions(qx_db *db, uint32_t docid, const char *term, size_t len,
                    uint32_t **pos, size_t *n, qx_err *e)
{
    if (!db || !term || !pos || !n)
        return null_arg(e, "db/term/pos/n");
    *pos = nullptr;
    *n = 0;
    TRY {
        Xapian::Database &r = db->reader();
        std::string t(term, len);
        Xapian::PositionIterator it = r.positionlist_begin(docid, t);
        Xapian::PositionIterator end = r.positionlist_end(docid, t);
        std::vector<uint32_t> v;
        for (; it != end; ++it)
            v.push_back(*it);
        if (v.empty())
            return QUIRE_OK;
        uint32_t *arr = static_cast<uint32_t *>(std::malloc(v.size() * sizeof(uint32_t)));
        if (!arr)
            throw std::bad_alloc();
        std::memcpy(arr, v.data(), v.size() * sizeof(uint32_t));
        *pos = arr;
        *n = v.size();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_replace(qx_db *db, const char *unique_term, qx_doc *doc,
                  uint32_t *docid, qx_err *e)
{
    if (!db || !db->wdb || !unique_term || !doc)
        return null_arg(e, "writable db/term/doc");
    TRY {
        Xapian::docid id = db->wdb->replace_document(unique_term, doc->doc);
        for (const auto &w : doc->spelling)
            db->wdb->add_spelling(w.first, w.second);
        if (docid)
            *docid = id;
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_delete(qx_db *db, const char *unique_term, qx_err *e)
{
    if (!db || !db->wdb || !unique_term)
        return null_arg(e, "writable db/term");
    TRY {
        db->wdb->delete_document(unique_term);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_terms_with_prefix(qx_db *db, const char *prefix, size_t limit,
                            int (*fn)(void *, const char *, size_t), void *ctx,
                            int *more, qx_err *e)
{
    if (!db || !prefix || !fn)
        return null_arg(e, "db/prefix/fn");
    TRY {
        Xapian::Database &r = db->reader();
        size_t n = 0;
        if (more)
            *more = 0;
        for (Xapian::TermIterator t = r.allterms_begin(prefix);
             t != r.allterms_end(prefix); ++t) {
            if (n == limit) {
                if (more)
                    *more = 1;
                break;
            }
            std::string term = *t;
            ++n;
            if (fn(ctx, term.data(), term.size()))
                break;
        }
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_clear_synonyms(qx_db *db, qx_err *e)
{
    if (!db || !db->wdb)
        return null_arg(e, "writable db");
    TRY {
        // Keys first: the table is not changed while it is walked.
        std::vector<std::string> keys;
        for (Xapian::TermIterator k = db->wdb->synonym_keys_begin(); k != db->wdb->synonym_keys_end(); ++k)
            keys.push_back(*k);
        for (const std::string &k : keys)
            db->wdb->clear_synonyms(k);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_add_synonym(qx_db *db, const char *key, const char *synonym, qx_err *e)
{
    if (!db || !db->wdb || !key || !synonym)
        return null_arg(e, "writable db/key/synonym");
    TRY {
        db->wdb->add_synonym(key, synonym);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_db_eset(qx_db *db, uint32_t docid, unsigned max, const char *prefix,
               const char *skip, int (*fn)(void *, const char *, size_t, double),
               void *ctx, qx_err *e)
{
    if (!db || !fn)
        return null_arg(e, "db/fn");
    TRY {
        Xapian::Enquire enquire(db->reader());
        Xapian::RSet rset;
        rset.add_document(docid);
        PrefixDecider decider(prefix, skip);
        // Exact term frequencies: for a multi-database Xapian otherwise
        // scales those of the document's own shard, and the terms chosen
        // would depend on the layout.
        Xapian::ESet eset = enquire.get_eset(max, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        for (Xapian::ESetIterator t = eset.begin(); t != eset.end(); ++t) {
            std::string term = *t;
            if (fn(ctx, term.data(), term.size(), t.get_weight()))
                break;
        }
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

char *qx_db_spelling_suggestion(qx_db *db, const char *word, unsigned max,
                                qx_err *e)
{
    if (!db || !word) {
        null_arg(e, "db/word");
        return nullptr;
    }
    TRY { return copy_out(db->reader().get_spelling_suggestion(word, max), nullptr); }
    CATCH_NULL(e)
}

int qx_compact(const char *src, const char *dst, qx_err *e)
{
    if (!src || !dst)
        return null_arg(e, "src/dst");
    TRY {
        Xapian::Database db(src);
        db.compact(dst);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_compact_many(const char *const *srcs, size_t n, const char *dst,
                    qx_err *e)
{
    if (!srcs || !n || !dst)
        return null_arg(e, "srcs/dst");
    TRY {
        Xapian::Database db;
        for (size_t i = 0; i < n; i++)
            db.add_database(Xapian::Database(srcs[i]));
        db.compact(dst, n > 3 ? Xapian::DBCOMPACT_MULTIPASS : 0);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

/* ---- Documents ---------------------------------------------------------- */

qx_doc *qx_doc_new(qx_err *e)
{
    TRY { return new qx_doc; }
    CATCH_NULL(e)
}

void qx_doc_free(qx_doc *doc)
{
    delete doc;
}

int qx_doc_add_posting(qx_doc *doc, const char *term, size_t len, uint32_t pos,
                       uint32_t wdf_inc, qx_err *e)
{
    if (!doc || !term)
        return null_arg(e, "doc/term");
    TRY {
        doc->term.assign(term, len);
        doc->doc.add_posting(doc->term, pos, wdf_inc);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_doc_add_spelling(qx_doc *doc, const char *word, size_t len, qx_err *e)
{
    if (!doc || !word)
        return null_arg(e, "doc/word");
    TRY {
        doc->spelling[std::string(word, len)]++;
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_doc_add_term(qx_doc *doc, const char *term, size_t len, uint32_t wdf_inc,
                    qx_err *e)
{
    if (!doc || !term)
        return null_arg(e, "doc/term");
    TRY {
        doc->term.assign(term, len);
        doc->doc.add_term(doc->term, wdf_inc);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_doc_add_boolean(qx_doc *doc, const char *term, size_t len, qx_err *e)
{
    if (!doc || !term)
        return null_arg(e, "doc/term");
    TRY {
        doc->term.assign(term, len);
        doc->doc.add_boolean_term(doc->term);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_doc_set_value(qx_doc *doc, unsigned slot, const char *v, size_t len,
                     qx_err *e)
{
    if (!doc || !v)
        return null_arg(e, "doc/value");
    TRY {
        doc->doc.add_value(slot, std::string(v, len));
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

/* ---- Queries ------------------------------------------------------------ */

qx_query *qx_query_term(const char *term, size_t len, uint32_t wqf,
                        uint32_t pos, qx_err *e)
{
    if (!term) {
        null_arg(e, "term");
        return nullptr;
    }
    TRY { return new qx_query{Xapian::Query(std::string(term, len), wqf, pos)}; }
    CATCH_NULL(e)
}

qx_query *qx_query_combine(int op, qx_query *const *subs, size_t n,
                           unsigned window, qx_err *e)
{
    if (!subs && n) {
        null_arg(e, "subs");
        return nullptr;
    }
    TRY {
        Xapian::Query::op xop;
        switch (op) {
        case QX_AND: xop = Xapian::Query::OP_AND; break;
        case QX_OR: xop = Xapian::Query::OP_OR; break;
        case QX_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case QX_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
        case QX_FILTER: xop = Xapian::Query::OP_FILTER; break;
        case QX_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
        case QX_NEAR: xop = Xapian::Query::OP_NEAR; break;
        case QX_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
        default:
            set_err(e, QUIRE_EINVAL, "unknown query operator");
            return nullptr;
        }
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; ++i)
            v.push_back(subs[i]->q);
        return new qx_query{Xapian::Query(xop, v.begin(), v.end(), window)};
    }
    CATCH_NULL(e)
}

qx_query *qx_query_value_range(unsigned slot, const char *lo, const char *hi,
                               qx_err *e)
{
    TRY {
        Xapian::Query q;
        if (lo && hi)
            q = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
        else if (lo)
            q = Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
        else if (hi)
            q = Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
        else
            q = Xapian::Query::MatchAll;
        return new qx_query{q};
    }
    CATCH_NULL(e)
}

qx_query *qx_query_match_all(qx_err *e)
{
    TRY { return new qx_query{Xapian::Query::MatchAll}; }
    CATCH_NULL(e)
}

qx_query *qx_query_match_nothing(qx_err *e)
{
    TRY { return new qx_query{Xapian::Query::MatchNothing}; }
    CATCH_NULL(e)
}

qx_query *qx_query_unweighted(qx_query *q, qx_err *e)
{
    return qx_query_scaled(q, 0.0, e);
}

qx_query *qx_query_scaled(qx_query *q, double factor, qx_err *e)
{
    if (!q) {
        null_arg(e, "query");
        return nullptr;
    }
    TRY { return new qx_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)}; }
    CATCH_NULL(e)
}

char *qx_query_describe(const qx_query *q)
{
    if (!q)
        return nullptr;
    try {
        return copy_out(q->q.get_description(), nullptr);
    } catch (...) {
        return nullptr;
    }
}

void qx_query_free(qx_query *q)
{
    delete q;
}

/* ---- Matching ----------------------------------------------------------- */

namespace {

// An unweighted pass over the matches of query in db, all of them or the
// first at_least (half the cost of a ranked pass over them all, measured):
// nothing is scored, and optional parts (proximity pairs under AND_MAYBE)
// weigh nothing, so Xapian drops them instead of reading positions. (The
// MSet is an out parameter: this file's helpers have C linkage, which
// cannot return a C++ type.)
void count_all(const Xapian::Database &db, const Xapian::Query &query,
               const std::vector<Xapian::MatchSpy *> &spies, Xapian::doccount at_least,
               double time_limit, Xapian::MSet &out)
{
    Xapian::Enquire counter(db);
    counter.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query, 0.0));
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_docid_order(Xapian::Enquire::DONT_CARE);
    if (time_limit > 0)
        counter.set_time_limit(time_limit);
    for (Xapian::MatchSpy *spy : spies)
        counter.add_matchspy(spy);
    out = counter.get_mset(0, 0, at_least ? at_least : db.get_doccount());
}

// The number of matches, every one seen by spies.
Xapian::doccount count_pass(const Xapian::Database &db, const Xapian::Query &query,
                            const std::vector<Xapian::MatchSpy *> &spies)
{
    Xapian::MSet m;
    count_all(db, query, spies, 0, 0, m);
    return m.get_matches_lower_bound();
}

// Count every match of query and the values in p's count slots: on a
// remote server with Xapian's ValueCountMatchSpy (the only spy
// xapian-tcpsrv knows); locally shard by shard, since a spy sees a shard's
// own document numbers, from each shard's value table.
void count_matches(qx_db *db, const Xapian::Query &query, const qx_search_params *p, qx_mset &m)
{
    m.has_counted = true;
    if (db->remote) {
        std::vector<Xapian::MatchSpy *> spies;
        for (size_t k = 0; k < p->ncount_slots; ++k) {
            m.spies.remote.emplace_back(new Xapian::ValueCountMatchSpy(p->count_slots[k]));
            spies.push_back(m.spies.remote.back().get());
        }
        m.counted = count_pass(db->reader(), query, spies);
        return;
    }
    m.spies.local.resize(p->ncount_slots);
    bool whole = db->parts.empty();
    for (size_t i = 0; i < (whole ? 1 : db->parts.size()); ++i) {
        const Xapian::Database &part = whole ? db->reader() : db->parts[i];
        ValueTable &table = whole ? db->facet_values : db->part_values[i];
        DocidSpy spy;
        m.counted += count_pass(part, query, {&spy});
        for (size_t k = 0; k < p->ncount_slots; ++k)
            count_values(part, table, p->count_slots[k], spy.ids, m.spies.local[k]);
    }
}

} // namespace

qx_mset *qx_search(qx_db *db, const qx_query *q, const qx_search_params *p,
                   qx_err *e)
{
    if (!db || !q || !p) {
        null_arg(e, "db/query/params");
        return nullptr;
    }
    TRY {
        std::unique_ptr<qx_mset> m(new qx_mset(db->reader()));
        m->enquire.set_query(q->q);
        if (p->k1 >= 0 && p->b >= 0)
            m->enquire.set_weighting_scheme(Xapian::BM25Weight(p->k1, 0, 1, p->b, 0.5));
        // Plain value sorts only, locally as remotely: the schema has slots
        // whose byte order is the order wanted (schema.h).
        if (p->sort == QX_SORT_VALUE_ASC || p->sort == QX_SORT_VALUE_DESC)
            m->enquire.set_sort_by_value_then_relevance(p->sort_slot, p->sort == QX_SORT_VALUE_DESC);
        else if (p->sort == QX_SORT_RELEVANCE_VALUE)
            m->enquire.set_sort_by_relevance_then_value(p->sort_slot, false);
        if (p->time_limit > 0)
            m->enquire.set_time_limit(p->time_limit);
        if (p->weight_cutoff > 0)
            m->enquire.set_cutoff(0, p->weight_cutoff);
        m->mset = m->enquire.get_mset(p->offset, p->limit, p->check_at_least);
        if (p->ncount_slots)
            count_matches(db, q->q, p, *m);
        return m.release();
    }
    CATCH_NULL(e)
}

int qx_count(qx_db *db, const qx_query *q, unsigned at_least, double time_limit,
             uint64_t *lower, uint64_t *upper, qx_err *e)
{
    if (!db || !q || !lower || !upper)
        return null_arg(e, "db/query/counts");
    TRY {
        Xapian::MSet m;
        count_all(db->reader(), q->q, {}, at_least, time_limit, m);
        *lower = m.get_matches_lower_bound();
        *upper = m.get_matches_upper_bound();
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

void qx_mset_free(qx_mset *m)
{
    delete m;
}

size_t qx_mset_size(const qx_mset *m)
{
    return m ? m->mset.size() : 0;
}

void qx_mset_counts(const qx_mset *m, uint64_t *lower, uint64_t *estimated,
                    uint64_t *upper)
{
    bool c = m && m->has_counted;
    if (lower)
        *lower = c ? m->counted : m ? m->mset.get_matches_lower_bound() : 0;
    if (estimated)
        *estimated = c ? m->counted : m ? m->mset.get_matches_estimated() : 0;
    if (upper)
        *upper = c ? m->counted : m ? m->mset.get_matches_upper_bound() : 0;
}

uint32_t qx_mset_docid(const qx_mset *m, size_t i)
{
    if (!m || i >= m->mset.size())
        return 0;
    return *(m->mset[static_cast<Xapian::doccount>(i)]);
}

double qx_mset_weight(const qx_mset *m, size_t i)
{
    if (!m || i >= m->mset.size())
        return 0.0;
    return m->mset[static_cast<Xapian::doccount>(i)].get_weight();
}

int qx_mset_sort_key(qx_mset *m, size_t i, char **key, size_t *len, qx_err *e)
{
    if (!m || !key || i >= m->mset.size())
        return null_arg(e, "mset/key/index");
    TRY {
        *key = copy_out(m->mset[static_cast<Xapian::doccount>(i)].get_sort_key(), len);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_mset_value(qx_mset *m, size_t i, unsigned slot, char **value,
                  size_t *len, qx_err *e)
{
    if (!m || !value || i >= m->mset.size())
        return null_arg(e, "mset/value/index");
    TRY {
        Xapian::Document d = m->mset[static_cast<Xapian::doccount>(i)].get_document();
        *value = copy_out(d.get_value(slot), len);
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

int qx_mset_values(qx_mset *m, size_t i, unsigned slot_a, char **a, size_t *alen,
                   unsigned slot_b, char **b, size_t *blen, qx_err *e)
{
    if (!m || !a || !b || i >= m->mset.size())
        return null_arg(e, "mset/values/index");
    *a = *b = nullptr;
    TRY {
        Xapian::Document d = m->mset[static_cast<Xapian::doccount>(i)].get_document();
        *a = copy_out(d.get_value(slot_a), alen);
        *b = copy_out(d.get_value(slot_b), blen);
        return QUIRE_OK;
    }
    catch (...) {
        std::free(*a);
        *a = nullptr;
        return map_current_exception(e);
    }
}

int qx_mset_slot_counts(qx_mset *m, size_t k,
                        int (*fn)(void *, const char *, size_t, uint64_t),
                        void *ctx, qx_err *e)
{
    if (!m || !fn || k >= m->spies.local.size() + m->spies.remote.size())
        return null_arg(e, "mset/fn/slot");
    TRY {
        if (k < m->spies.local.size()) {
            for (const auto &c : m->spies.local[k])
                if (fn(ctx, c.first.data(), c.first.size(), c.second))
                    break;
            return QUIRE_OK;
        }
        const Xapian::ValueCountMatchSpy &spy = *m->spies.remote[k];
        for (Xapian::TermIterator t = spy.values_begin(); t != spy.values_end(); ++t) {
            std::string v = *t;
            if (fn(ctx, v.data(), v.size(), t.get_termfreq()))
                break;
        }
        return QUIRE_OK;
    }
    CATCH_STATUS(e)
}

/* ---- Stemming ----------------------------------------------------------- */

qx_stem *qx_stem_new(const char *lang, qx_err *e)
{
    if (!lang) {
        null_arg(e, "lang");
        return nullptr;
    }
    TRY { return new qx_stem{Xapian::Stem(lang)}; }
    catch (const Xapian::InvalidArgumentError &) {
        set_err(e, QUIRE_ENOTFOUND, std::string("no stemmer for language '") + lang + "'");
        return nullptr;
    }
    CATCH_NULL(e)
}

void qx_stem_free(qx_stem *s)
{
    delete s;
}

long qx_stem_apply(qx_stem *s, const char *word, size_t len, char *out,
                   size_t cap)
{
    if (!s || !word || !out || cap == 0)
        return -1;
    try {
        std::string r = s->stem(std::string(word, len));
        size_t n = r.size() < cap - 1 ? r.size() : cap - 1;
        std::memcpy(out, r.data(), n);
        out[n] = '\0';
        return static_cast<long>(r.size());
    } catch (...) {
        return -1;
    }
}

} // extern "C"

/* ---- Checking (added for issue 13) -------------------------------------- */

namespace {

// Check one table (or, with table empty, the whole database); "" if
// sound, else what is wrong.
std::string check_one(const std::string &path, const std::string &table)
{
    std::ostringstream out;
    try {
        size_t errors = Xapian::Database::check(table.empty() ? path : path + "/" + table, 0, &out);
        if (!errors)
            return "";
        // The report ends with the error lines; keep the first.
        std::istringstream lines(out.str());
        std::string line, first;
        while (std::getline(lines, line))
            if (first.empty() && !line.empty() && line.find("rror") != std::string::npos)
                first = line;
        return first.empty() ? std::to_string(errors) + " errors found" : first;
    } catch (const Xapian::Error &x) {
        return x.get_msg().empty() ? x.get_description() : x.get_msg();
    }
}

} // namespace

extern "C" int qx_db_check(const char *path, qx_err *e)
{
    if (!path)
        return null_arg(e, "path");
    TRY {
        std::string whole = check_one(path, "");
        if (whole.empty())
            return QUIRE_OK;
        // Name the table, when one on its own shows the damage.
        static const char *const tables[] = {"postlist.glass", "termlist.glass", "docdata.glass",
                                             "position.glass", "spelling.glass", "synonym.glass"};
        for (const char *t : tables) {
            std::string f = std::string(path) + "/" + t;
            if (access(f.c_str(), F_OK) != 0)
                continue;
            std::string why = check_one(path, t);
            if (!why.empty()) {
                set_err(e, QUIRE_ECORRUPT, std::string(t) + ": " + why);
                return QUIRE_ECORRUPT;
            }
        }
        set_err(e, QUIRE_ECORRUPT, whole);
        return QUIRE_ECORRUPT;
    }
    CATCH_STATUS(e)
}

