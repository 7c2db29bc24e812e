// slotbytes.cc — bytes held by one value slot of a Xapian database, summed
// over its documents: how the benchmark report counts quire's stored
// bodies (value slot 2, lib/bodystore.h), which live inside postlist.glass
// and so cannot be measured as a file.
//
// Usage: slotbytes DB SLOT
#include <xapian.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: slotbytes DB SLOT\n");
        return 2;
    }
    try {
        Xapian::Database db(argv[1]);
        Xapian::valueno slot = static_cast<Xapian::valueno>(std::atoi(argv[2]));
        unsigned long long total = 0;
        for (Xapian::ValueIterator v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v)
            total += (*v).size();
        std::printf("%llu\n", total);
        return 0;
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "slotbytes: %s: %s\n", argv[1], e.get_description().c_str());
        return 1;
    }
}
