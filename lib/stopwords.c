/* stopwords.c — lookup over the generated table. */
#include "stopwords.h"

#include <string.h>

const char *stopwords_for(const char *lang)
{
    for (const struct stopword_list *l = stopword_lists; l->lang; l++)
        if (strcmp(l->lang, lang) == 0)
            return l->words;
    return NULL;
}
