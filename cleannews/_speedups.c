/* cleannews._speedups: the per-line loops of the pipeline in C. Optional: each function here has a Python
 * twin that defines it and runs where this module is not built (cleannews/accel.py chooses), and a test
 * that checks the two agree:
 *
 *   StopwordTable    stopwords.PyStopwordTable                     tests/test_stopwords.py
 *   normalize_lines  normalize.py_normalize_lines                  tests/test_normalize_c.py
 *   line_shapes      features.word_counts, features.sentence_ends  tests/test_shapes_c.py
 *   prose_prefix     kinds.py_prose_prefix                         tests/test_shapes_c.py
 *   line_verdicts    classify.py_line_verdicts                     tests/test_region_c.py
 *   run_weights      classify._run_weights                         tests/test_region_c.py
 *   kadane           classify._kadane                              tests/test_region_c.py
 *   index_scan       ruleset.IndexedLineRules.py_scan              tests/test_rule_speed_equiv.py
 *
 * and tests/test_accel.py runs the whole pipeline both ways. Change a twin and its C function together,
 * and bump SPEEDUPS_API (and accel.API) when what the module offers changes.
 *
 * The stopword table: counting stopwords costs a Python set lookup per token (splitting a line makes a
 * string object per token; hashing and looking it up costs about 900 CPython instructions). Here a token is
 * never copied: its bounds are found in the string's own memory, its hash is read off its length and its two
 * first and two last code points, and it is compared in full only with the table entries of the same hash.
 * Semantics (those of PyStopwordTable):
 *   tokens of a line  = line.split()  (str.split(): runs of Py_UNICODE_ISSPACE code points)
 *   a token is a stopword of language l if it is one of l's words, or one of them with one of the
 *   suffixes after it or one of the prefixes before it (the word never empty).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define LOWEST_BIT(b) __builtin_ctz(b)
#else
static int LOWEST_BIT(uint32_t b) {
    int n = 0;
    while (!(b & 1)) b >>= 1, n++;
    return n;
}
#endif

/* The version of what this module offers; cleannews/accel.py uses the module only if it matches there. */
#define SPEEDUPS_API 1

#define MAX_LANGS 32
#define MAX_AFFIX 8     /* the longest prefix or suffix */
#define MAX_AFFIXES 64  /* how many of each */
#define MAX_WORD 256    /* the longest word */
#define BLOOM_BITS 16   /* a 2**16-bit filter of the words' hashes, checked before the table */

typedef struct {
    uint32_t hash;
    uint32_t len;     /* 0: an empty slot */
    uint32_t offset;  /* where the word's code points start in keys */
    uint32_t langs;   /* bit l: a word of language l */
} Slot;

typedef struct {
    Py_UCS4 text[MAX_AFFIX];
    Py_ssize_t len;
} Affix;

typedef struct {
    PyObject_HEAD
    int nlang;
    Py_ssize_t mask;     /* capacity - 1, capacity a power of two */
    Slot *slots;         /* NULL until initialised */
    Py_UCS4 *keys;
    Py_ssize_t maxword;  /* the longest word */
    Py_ssize_t longest;  /* the longest token that can be a stopword: maxword plus the longest affixes */
    uint64_t bloom[(1 << BLOOM_BITS) / 64];
    Affix suffixes[MAX_AFFIXES], prefixes[MAX_AFFIXES];
    int nsuffix, nprefix;
    /* can a token ending (starting) with this code point carry a suffix (prefix)? [256]: any above 255 */
    unsigned char suffix_end[257], prefix_start[257];
} Table;

static unsigned char space1[256]; /* Py_UNICODE_ISSPACE of the code points below 256 */

/* A span of a str: code point i of the span is READ(i). */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t start, len;
} Span;

static inline Py_UCS4 at(const Span *s, Py_ssize_t i) { return PyUnicode_READ(s->kind, s->data, s->start + i); }

static inline uint32_t hash_of(Py_ssize_t len, Py_UCS4 a, Py_UCS4 b, Py_UCS4 y, Py_UCS4 z) {
    uint32_t h = (uint32_t)len * 0x9E3779B1u;
    h = (h ^ a) * 0x85EBCA77u;
    h = (h ^ b) * 0xC2B2AE3Du;
    h = (h ^ y) * 0x27D4EB2Fu;
    h = (h ^ z) * 0x165667B1u;
    return h ^ (h >> 15);
}

/* The hash of a span: its length and its first two and last two code points (len >= 1). */
static inline uint32_t span_hash(const Span *s) {
    Py_ssize_t n = s->len;
    return hash_of(n, at(s, 0), n > 1 ? at(s, 1) : 0, n > 1 ? at(s, n - 2) : 0, at(s, n - 1));
}

static inline int bloom_has(const Table *t, uint32_t h) {
    uint32_t b = h >> (32 - BLOOM_BITS);
    return (t->bloom[b >> 6] >> (b & 63)) & 1;
}

static inline int same(const Table *t, const Slot *slot, const Span *s) {
    const Py_UCS4 *key = t->keys + slot->offset;
    for (Py_ssize_t i = 0; i < s->len; i++)
        if (key[i] != at(s, i)) return 0;
    return 1;
}

/* The slot of the span: its own, or the empty one where it would go. */
static Py_ssize_t probe(const Table *t, const Span *s, uint32_t h) {
    Py_ssize_t i = h & t->mask;
    for (;;) {
        const Slot *slot = &t->slots[i];
        if (!slot->len) return i;
        if (slot->hash == h && slot->len == (uint32_t)s->len && same(t, slot, s)) return i;
        i = (i + 1) & t->mask;
    }
}

/* The languages of which the span is a word (0: none). */
static inline uint32_t word_langs(const Table *t, const Span *s) {
    if (s->len <= 0 || s->len > t->maxword) return 0;
    uint32_t h = span_hash(s);
    if (!bloom_has(t, h)) return 0;
    const Slot *slot = &t->slots[probe(t, s, h)];
    return slot->len ? slot->langs : 0;
}

/* The languages of which the span is a stopword token: a word, or a word with one affix. */
static uint32_t token_langs(const Table *t, const Span *s) {
    uint32_t bits = word_langs(t, s);
    Py_UCS4 last = at(s, s->len - 1), first = at(s, 0);
    if (t->suffix_end[last < 256 ? last : 256]) {
        for (int k = 0; k < t->nsuffix; k++) {
            const Affix *a = &t->suffixes[k];
            Py_ssize_t w = s->len - a->len, i = 0;
            if (w <= 0) continue;
            while (i < a->len && at(s, w + i) == a->text[i]) i++;
            if (i == a->len) {
                Span word = {s->kind, s->data, s->start, w};
                bits |= word_langs(t, &word);
            }
        }
    }
    if (t->prefix_start[first < 256 ? first : 256]) {
        for (int k = 0; k < t->nprefix; k++) {
            const Affix *a = &t->prefixes[k];
            Py_ssize_t w = s->len - a->len, i = 0;
            if (w <= 0) continue;
            while (i < a->len && at(s, i) == a->text[i]) i++;
            if (i == a->len) {
                Span word = {s->kind, s->data, s->start + a->len, w};
                bits |= word_langs(t, &word);
            }
        }
    }
    return bits;
}

static void Table_free(Table *t) {
    PyMem_Free(t->slots);
    PyMem_Free(t->keys);
    t->slots = NULL;
    t->keys = NULL;
}

static void Table_dealloc(Table *t) {
    Table_free(t);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static int read_affixes(PyObject *given, Affix *out, int *n, unsigned char *flags, int from_end, const char *what) {
    PyObject *seq = PySequence_Fast(given, "affixes must be a sequence of str");
    if (!seq) return -1;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    if (count > MAX_AFFIXES) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "at most %d %s", MAX_AFFIXES, what);
        return -1;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *a = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyUnicode_Check(a) || PyUnicode_GET_LENGTH(a) < 1 || PyUnicode_GET_LENGTH(a) > MAX_AFFIX) {
            Py_DECREF(seq);
            PyErr_Format(PyExc_ValueError, "%s must be str of 1 to %d characters", what, MAX_AFFIX);
            return -1;
        }
        out[k].len = PyUnicode_GET_LENGTH(a);
        if (!PyUnicode_AsUCS4(a, out[k].text, MAX_AFFIX, 0)) {
            Py_DECREF(seq);
            return -1;
        }
        Py_UCS4 c = out[k].text[from_end ? out[k].len - 1 : 0];
        flags[c < 256 ? c : 256] = 1;
    }
    *n = (int)count;
    Py_DECREF(seq);
    return 0;
}

/* StopwordTable(languages, suffixes=(), prefixes=()) */
static int Table_init(Table *t, PyObject *args, PyObject *kwds) {
    PyObject *languages, *suffixes = NULL, *prefixes = NULL, *seq = NULL, *words = NULL, *owner = NULL;
    static char *kwlist[] = {"languages", "suffixes", "prefixes", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|OO:StopwordTable", kwlist, &languages, &suffixes, &prefixes))
        return -1;
    Table_free(t);
    t->nsuffix = t->nprefix = 0;
    memset(t->suffix_end, 0, sizeof t->suffix_end);
    memset(t->prefix_start, 0, sizeof t->prefix_start);
    memset(t->bloom, 0, sizeof t->bloom);
    if (suffixes && read_affixes(suffixes, t->suffixes, &t->nsuffix, t->suffix_end, 1, "suffixes") < 0) return -1;
    if (prefixes && read_affixes(prefixes, t->prefixes, &t->nprefix, t->prefix_start, 0, "prefixes") < 0) return -1;
    seq = PySequence_Fast(languages, "languages must be a sequence");
    if (!seq) return -1;
    Py_ssize_t nlang = PySequence_Fast_GET_SIZE(seq);
    if (nlang > MAX_LANGS) {
        PyErr_Format(PyExc_ValueError, "at most %d languages", MAX_LANGS);
        goto fail;
    }
    /* the words as one list, with each one's language */
    words = PyList_New(0);
    owner = PyList_New(0);
    if (!words || !owner) goto fail;
    Py_ssize_t npoints = 0;
    for (Py_ssize_t l = 0; l < nlang; l++) {
        PyObject *it = PyObject_GetIter(PySequence_Fast_GET_ITEM(seq, l)), *w;
        if (!it) goto fail;
        while ((w = PyIter_Next(it))) {
            int ok = PyUnicode_Check(w) && PyUnicode_GET_LENGTH(w) <= MAX_WORD;
            if (!PyUnicode_Check(w))
                PyErr_SetString(PyExc_TypeError, "stopwords must be str");
            else if (!ok)
                PyErr_Format(PyExc_ValueError, "stopwords must be at most %d characters long", MAX_WORD);
            PyObject *lang = ok ? PyLong_FromSsize_t(l) : NULL;
            ok = ok && lang && PyList_Append(words, w) == 0 && PyList_Append(owner, lang) == 0;
            if (ok) npoints += PyUnicode_GET_LENGTH(w);
            Py_XDECREF(lang);
            Py_DECREF(w);
            if (!ok) {
                Py_DECREF(it);
                goto fail;
            }
        }
        Py_DECREF(it);
        if (PyErr_Occurred()) goto fail;
    }
    Py_ssize_t nkeys = PyList_GET_SIZE(words), cap = 16;
    while (cap < 2 * nkeys + 16) cap <<= 1;
    t->nlang = (int)nlang;
    t->mask = cap - 1;
    t->maxword = 0;
    t->slots = PyMem_Calloc(cap, sizeof(Slot));
    t->keys = PyMem_Calloc(npoints + 1, sizeof(Py_UCS4));
    if (!t->slots || !t->keys) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t used = 0;
    for (Py_ssize_t k = 0; k < nkeys; k++) {
        PyObject *w = PyList_GET_ITEM(words, k);
        Py_ssize_t len = PyUnicode_GET_LENGTH(w), l = PyLong_AsSsize_t(PyList_GET_ITEM(owner, k));
        if (len == 0) continue; /* "" is never a token */
        Py_UCS4 *buf = t->keys + used;
        if (!PyUnicode_AsUCS4(w, buf, len, 0)) goto fail;
        Span s = {PyUnicode_4BYTE_KIND, buf, 0, len};
        uint32_t h = span_hash(&s);
        Slot *slot = &t->slots[probe(t, &s, h)];
        if (!slot->len) {
            slot->hash = h;
            slot->offset = (uint32_t)used;
            slot->len = (uint32_t)len;
            used += len;
            if (len > t->maxword) t->maxword = len;
            uint32_t b = h >> (32 - BLOOM_BITS);
            t->bloom[b >> 6] |= (uint64_t)1 << (b & 63);
        }
        slot->langs |= (uint32_t)1 << l;
    }
    Py_ssize_t p = 0, q = 0;
    for (int k = 0; k < t->nsuffix; k++)
        if (t->suffixes[k].len > p) p = t->suffixes[k].len;
    for (int k = 0; k < t->nprefix; k++)
        if (t->prefixes[k].len > q) q = t->prefixes[k].len;
    t->longest = t->maxword + (p > q ? p : q); /* a token carries one affix at most */
    Py_DECREF(words);
    Py_DECREF(owner);
    Py_DECREF(seq);
    return 0;
fail:
    Py_XDECREF(words);
    Py_XDECREF(owner);
    Py_XDECREF(seq);
    Table_free(t);
    return -1;
}

/* For each white-space token of the str (str.split()), VISIT(its languages) when it has some; ntok counts
 * the tokens. A macro over the three string kinds, so the loop reads the string's memory directly. */
#define SCAN_KIND(TYPE, ISSPACE)                                                                        \
    {                                                                                                   \
        const TYPE *s_ = (const TYPE *)data_;                                                           \
        Py_ssize_t k_ = 0;                                                                              \
        for (;;) {                                                                                      \
            while (k_ < n_ && ISSPACE(s_[k_])) k_++;                                                    \
            if (k_ >= n_) break;                                                                        \
            Py_ssize_t start_ = k_;                                                                     \
            while (k_ < n_ && !ISSPACE(s_[k_])) k_++;                                                   \
            ntok++;                                                                                     \
            if (k_ - start_ <= longest) {                                                               \
                Span span_ = {kind_, data_, start_, k_ - start_};                                       \
                uint32_t bits_ = token_langs(t, &span_);                                                \
                if (bits_) VISIT(bits_);                                                                \
            }                                                                                           \
        }                                                                                               \
    }

#define SPACE1(c) (space1[(c)])
#define SCAN(str)                                                                                       \
    {                                                                                                   \
        int kind_ = PyUnicode_KIND(str);                                                                \
        const void *data_ = PyUnicode_DATA(str);                                                        \
        Py_ssize_t n_ = PyUnicode_GET_LENGTH(str);                                                      \
        if (kind_ == PyUnicode_1BYTE_KIND)                                                              \
            SCAN_KIND(Py_UCS1, SPACE1)                                                                  \
        else if (kind_ == PyUnicode_2BYTE_KIND)                                                         \
            SCAN_KIND(Py_UCS2, Py_UNICODE_ISSPACE)                                                      \
        else                                                                                            \
            SCAN_KIND(Py_UCS4, Py_UNICODE_ISSPACE)                                                      \
    }

static int check_lines(const Table *t, PyObject *lines) {
    if (!t->slots) {
        PyErr_SetString(PyExc_ValueError, "StopwordTable not initialised");
        return -1;
    }
    if (!PyList_Check(lines)) {
        PyErr_SetString(PyExc_TypeError, "lines must be a list of str");
        return -1;
    }
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(lines); j++) {
        if (!PyUnicode_Check(PyList_GET_ITEM(lines, j))) {
            PyErr_SetString(PyExc_TypeError, "lines must be a list of str");
            return -1;
        }
    }
    return 0;
}

/* totals(lines) -> (tokens, [hits of language 0, 1, ...]) over all the lines. */
static PyObject *Table_totals(Table *t, PyObject *lines) {
    if (check_lines(t, lines) < 0) return NULL;
    Py_ssize_t longest = t->longest, ntok = 0, hits[MAX_LANGS] = {0};
#define VISIT(bits)                                                                                     \
    {                                                                                                   \
        for (uint32_t b_ = (bits); b_; b_ &= b_ - 1) hits[LOWEST_BIT(b_)]++;                         \
    }
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(lines); j++) {
        PyObject *str = PyList_GET_ITEM(lines, j);
        SCAN(str)
    }
#undef VISIT
    PyObject *out = PyList_New(t->nlang);
    if (!out) return NULL;
    for (int l = 0; l < t->nlang; l++) {
        PyObject *v = PyLong_FromSsize_t(hits[l]);
        if (!v) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, l, v);
    }
    return Py_BuildValue("(nN)", ntok, out);
}

/* densities(lines, lang) -> [hits / tokens of each line (0.0 for a line with no token)] for one language. */
static PyObject *Table_densities(Table *t, PyObject *args) {
    PyObject *lines;
    int lang;
    if (!PyArg_ParseTuple(args, "Oi:densities", &lines, &lang)) return NULL;
    if (check_lines(t, lines) < 0) return NULL;
    if (lang < 0 || lang >= t->nlang) {
        PyErr_SetString(PyExc_IndexError, "language index out of range");
        return NULL;
    }
    Py_ssize_t longest = t->longest, nlines = PyList_GET_SIZE(lines);
    PyObject *out = PyList_New(nlines);
    if (!out) return NULL;
    for (Py_ssize_t j = 0; j < nlines; j++) {
        PyObject *str = PyList_GET_ITEM(lines, j);
        Py_ssize_t ntok = 0, hit = 0;
#define VISIT(bits) hit += ((bits) >> lang) & 1;
        SCAN(str)
#undef VISIT
        PyObject *v = PyFloat_FromDouble(ntok ? (double)hit / (double)ntok : 0.0);
        if (!v) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, j, v);
    }
    return out;
}

static PyMethodDef Table_methods[] = {
    {"totals", (PyCFunction)Table_totals, METH_O,
     "totals(lines) -> (tokens, hits): the white-space tokens in all the lines, and how many of them are "
     "stopwords of each language."},
    {"densities", (PyCFunction)Table_densities, METH_VARARGS,
     "densities(lines, lang) -> for each line, the share of its white-space tokens that are stopwords of "
     "language lang (0.0 for a line with no token)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "cleannews._speedups.StopwordTable",
    .tp_basicsize = sizeof(Table),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "StopwordTable(languages, suffixes=(), prefixes=()): the words of each language (a sequence of "
              "collections of str), and the affixes a stopword token may carry (see cleannews/stopwords.py).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Table_init,
    .tp_dealloc = (destructor)Table_dealloc,
    .tp_methods = Table_methods,
};


/* ---- normalize_lines ------------------------------------------------------------------------------------
 * normalize_lines(text, zero_width, spaces) -> list[str]: cleannews.normalize.py_normalize_lines (the
 * reference) in one pass: str.splitlines(), then in each line the characters of zero_width removed, those of
 * spaces read as " ", runs of spaces folded to one, and str.strip(). A line that needs none of this is a
 * plain substring of text. */
enum { LB = 1, ZW = 2, SP = 4, WS = 8 };

static unsigned char bmp_space[0x10000 / 8]; /* Py_UNICODE_ISSPACE of the BMP, a bit each (set at import) */

typedef struct {
    unsigned char low[256];           /* flags of the code points below 256 */
    unsigned char high[0x10000 / 8];  /* from 256 up in the BMP: white space or one of the given characters? */
    const Py_UCS4 *zw, *sp;           /* the given characters */
    Py_ssize_t nzw, nsp;
} Flags;

static inline int bit(const unsigned char *bits, Py_UCS4 c) { return (bits[c >> 3] >> (c & 7)) & 1; }

/* The flags of any code point (the slow path: a given character, or white space, or past the BMP). */
static int flags_of(const Flags *f, Py_UCS4 c) {
    if (c < 256) return f->low[c];
    int out = (c == 0x2028 || c == 0x2029) ? LB : 0;
    for (Py_ssize_t k = 0; k < f->nzw; k++)
        if (f->zw[k] == c) out |= ZW;
    for (Py_ssize_t k = 0; k < f->nsp; k++)
        if (f->sp[k] == c) out |= SP;
    if (c < 0x10000 ? bit(bmp_space, c) : Py_UNICODE_ISSPACE(c)) out |= WS;
    return out;
}

/* Is c special for normalising (a line break, white space, a given character)? Code points past the BMP
 * are checked the slow way. */
static inline int special(const Flags *f, Py_UCS4 c) {
    if (c < 256) return f->low[c] != 0;
    if (c < 0x10000) return bit(f->high, c);
    return flags_of(f, c) != 0;
}

/* The end of the line starting at i (the next line break, or n), and whether the line needs any change:
 * a character to remove, map or strip, or two spaces in a row. A macro over the three string kinds. */
#define LINE_END(TYPE)                                                                                  \
    {                                                                                                   \
        const TYPE *s_ = (const TYPE *)data;                                                            \
        Py_UCS4 prev_ = ' '; /* a leading space needs stripping */                                      \
        for (j = i; j < n; j++) {                                                                       \
            Py_UCS4 c_ = s_[j];                                                                         \
            if (special(f, c_)) {                                                                      \
                if (c_ == ' ') {                                                                        \
                    if (prev_ == ' ') change = 1;                                                       \
                } else if (flags_of(f, c_) & LB) {                                                     \
                    break;                                                                              \
                } else {                                                                                \
                    change = 1;                                                                         \
                }                                                                                       \
            }                                                                                           \
            prev_ = c_;                                                                                 \
        }                                                                                               \
        if (j > i && s_[j - 1] == ' ') change = 1; /* a trailing space */                               \
    }

/* The normalised text[start:end] (a line that needs a change): appended to out. buf: room for the line. */
static int add_changed_line(PyObject *out, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
                            const Flags *f, Py_UCS4 *buf) {
    Py_ssize_t n = 0;
    for (Py_ssize_t k = start; k < end; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        int fl = special(f, c) ? flags_of(f, c) : 0;
        if (fl & ZW) continue;
        if (fl & SP) c = ' ';
        if (c == ' ' && n && buf[n - 1] == ' ') continue;
        buf[n++] = c;
    }
    Py_ssize_t a = 0, b = n;
    while (a < b && (flags_of(f, buf[a]) & WS)) a++;
    while (b > a && (flags_of(f, buf[b - 1]) & WS)) b--;
    PyObject *line = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf + a, b - a);
    if (!line) return -1;
    int rc = PyList_Append(out, line);
    Py_DECREF(line);
    return rc;
}

static PyObject *normalize_lines(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *text, *zw, *sp, *out = NULL;
    if (!PyArg_ParseTuple(args, "UUU:normalize_lines", &text, &zw, &sp)) return NULL;
    Flags *f = PyMem_Calloc(1, sizeof(Flags)); /* 8 KB: not on the stack */
    if (!f) return PyErr_NoMemory();
    Py_UCS4 *zwbuf = PyUnicode_AsUCS4Copy(zw), *spbuf = PyUnicode_AsUCS4Copy(sp), *buf = NULL;
    if (!zwbuf || !spbuf) goto done;
    f->zw = zwbuf, f->sp = spbuf, f->nzw = PyUnicode_GET_LENGTH(zw), f->nsp = PyUnicode_GET_LENGTH(sp);
    for (int c = 0; c < 256; c++) {
        if (c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x85)
            f->low[c] |= LB;
        if (Py_UNICODE_ISSPACE(c)) f->low[c] |= WS;
    }
    memcpy(f->high, bmp_space, sizeof f->high);
    for (Py_ssize_t k = 0; k < f->nzw + f->nsp; k++) {
        Py_UCS4 c = k < f->nzw ? f->zw[k] : f->sp[k - f->nzw];
        if (c < 256)
            f->low[c] |= k < f->nzw ? ZW : SP;
        else if (c < 0x10000)
            f->high[c >> 3] |= 1 << (c & 7);
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    out = PyList_New(0);
    if (!out) goto done;
    while (i < n) {
        Py_ssize_t j;
        int change = 0;
        if (kind == PyUnicode_1BYTE_KIND)
            LINE_END(Py_UCS1)
        else if (kind == PyUnicode_2BYTE_KIND)
            LINE_END(Py_UCS2)
        else
            LINE_END(Py_UCS4)
        int rc;
        if (!change) {
            PyObject *line = PyUnicode_Substring(text, i, j);
            rc = line ? PyList_Append(out, line) : -1;
            Py_XDECREF(line);
        } else {
            if (!buf) {
                buf = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_UCS4)); /* room for any line */
                if (!buf) PyErr_NoMemory();
            }
            rc = buf ? add_changed_line(out, kind, data, i, j, f, buf) : -1;
        }
        if (rc < 0) {
            Py_CLEAR(out);
            goto done;
        }
        if (j >= n) break;
        Py_UCS4 c = PyUnicode_READ(kind, data, j);
        i = j + 1;
        if (c == '\r' && i < n && PyUnicode_READ(kind, data, i) == '\n') i++;
    }
done:
    PyMem_Free(zwbuf);
    PyMem_Free(spbuf);
    PyMem_Free(buf);
    PyMem_Free(f);
    return out;
}


/* ---- H10's region search (cleannews/classify.py: _run_weights and _kadane are the reference) ------------ */

/* run_weights(scored, run_kinds, cap) -> list[float]: the weight of each (verdict, weight) pair, the k-th of a
 * run of pairs whose verdict is one of run_kinds counting min(k, cap) times. */
static PyObject *run_weights(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *scored, *kinds;
    Py_ssize_t cap;
    if (!PyArg_ParseTuple(args, "O!O!n:run_weights", &PyList_Type, &scored, &PyTuple_Type, &kinds, &cap)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(scored), run = 0;
    PyObject *out = PyList_New(n);
    if (!out) return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = PyList_GET_ITEM(scored, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            Py_DECREF(out);
            PyErr_SetString(PyExc_TypeError, "scored must be a list of (verdict, weight) pairs");
            return NULL;
        }
        double w = PyFloat_AsDouble(PyTuple_GET_ITEM(pair, 1));
        if (w == -1.0 && PyErr_Occurred()) {
            Py_DECREF(out);
            return NULL;
        }
        int in_run = PySequence_Contains(kinds, PyTuple_GET_ITEM(pair, 0));
        if (in_run < 0) {
            Py_DECREF(out);
            return NULL;
        }
        if (in_run) {
            run++;
            w *= (double)(run < cap ? run : cap);
        } else {
            run = 0;
        }
        PyObject *v = PyFloat_FromDouble(w);
        if (!v) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k, v);
    }
    return out;
}

/* kadane(weights, a, b) -> (sum, first, last): the maximum-sum contiguous run within weights[a:b]; last is -1
 * where no run weighs more than 0. */
static PyObject *kadane(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *weights;
    Py_ssize_t a, b;
    if (!PyArg_ParseTuple(args, "O!nn:kadane", &PyList_Type, &weights, &a, &b)) return NULL;
    if (a < 0 || b > PyList_GET_SIZE(weights)) {
        PyErr_SetString(PyExc_IndexError, "kadane: a and b must lie within the weights");
        return NULL;
    }
    double best = 0.0, cur = 0.0;
    Py_ssize_t best_lo = a, best_hi = -1, lo = a;
    for (Py_ssize_t k = a; k < b; k++) {
        double w = PyFloat_AsDouble(PyList_GET_ITEM(weights, k));
        if (w == -1.0 && PyErr_Occurred()) return NULL;
        if (cur <= 0) {
            cur = w;
            lo = k;
        } else {
            cur += w;
        }
        if (cur > best) {
            best = cur;
            best_lo = lo;
            best_hi = k;
        }
    }
    return Py_BuildValue("(dnn)", best, best_lo, best_hi);
}

/* ---- line_shapes(lines, closers, ends) -> (words, sentence ends) ---------------------------------------
 * features.word_counts and features.sentence_ends (the reference) in one pass: for each line, the number of
 * " " in it plus one, and whether its last character once the characters of closers are stripped from its
 * end is one of ends. */
static inline int holds(const Py_UCS4 *set, Py_ssize_t n, Py_UCS4 c) {
    for (Py_ssize_t k = 0; k < n; k++)
        if (set[k] == c) return 1;
    return 0;
}

static PyObject *line_shapes(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *lines, *closers, *ends, *words = NULL, *flags = NULL;
    if (!PyArg_ParseTuple(args, "O!UU:line_shapes", &PyList_Type, &lines, &closers, &ends)) return NULL;
    Py_UCS4 *cl = PyUnicode_AsUCS4Copy(closers), *en = PyUnicode_AsUCS4Copy(ends);
    Py_ssize_t ncl = PyUnicode_GET_LENGTH(closers), nen = PyUnicode_GET_LENGTH(ends), n = PyList_GET_SIZE(lines);
    if (!cl || !en) goto fail;
    words = PyList_New(n);
    flags = PyList_New(n);
    if (!words || !flags) goto fail;
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *line = PyList_GET_ITEM(lines, j);
        if (!PyUnicode_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "lines must be a list of str");
            goto fail;
        }
        int kind = PyUnicode_KIND(line);
        const void *data = PyUnicode_DATA(line);
        Py_ssize_t len = PyUnicode_GET_LENGTH(line), spaces = 0;
        if (kind == PyUnicode_1BYTE_KIND) {
            const Py_UCS1 *p = data, *e = p + len;
            while ((p = memchr(p, ' ', (size_t)(e - p)))) spaces++, p++;
        } else {
            for (Py_ssize_t k = 0; k < len; k++) spaces += PyUnicode_READ(kind, data, k) == ' ';
        }
        Py_ssize_t last = len;
        while (last > 0 && holds(cl, ncl, PyUnicode_READ(kind, data, last - 1))) last--;
        int end = last > 0 && holds(en, nen, PyUnicode_READ(kind, data, last - 1));
        PyObject *count = PyLong_FromSsize_t(spaces + 1);
        if (!count) goto fail;
        PyList_SET_ITEM(words, j, count);
        PyObject *flag = end ? Py_True : Py_False;
        Py_INCREF(flag);
        PyList_SET_ITEM(flags, j, flag);
    }
    PyMem_Free(cl);
    PyMem_Free(en);
    return Py_BuildValue("(NN)", words, flags);
fail:
    PyMem_Free(cl);
    PyMem_Free(en);
    Py_XDECREF(words);
    Py_XDECREF(flags);
    return NULL;
}

/* ---- prose_prefix(lines, words, ends, min_words, long_words) -> list[int] ------------------------------
 * kinds.prose_prefix (the reference): P[0] = 0, P[i + 1] = P[i] + len(lines[i]) if the line is prose (at
 * least long_words words, or at least min_words and a sentence end), else P[i]. */
static PyObject *prose_prefix(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *lines, *words, *ends;
    Py_ssize_t min_words, long_words;
    if (!PyArg_ParseTuple(args, "O!O!O!nn:prose_prefix", &PyList_Type, &lines, &PyList_Type, &words, &PyList_Type,
                          &ends, &min_words, &long_words))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lines), total = 0;
    if (PyList_GET_SIZE(words) != n || PyList_GET_SIZE(ends) != n) {
        PyErr_SetString(PyExc_ValueError, "lines, words and ends must have the same length");
        return NULL;
    }
    PyObject *out = PyList_New(n + 1), *v = PyLong_FromSsize_t(0);
    if (!out || !v) {
        Py_XDECREF(out);
        Py_XDECREF(v);
        return NULL;
    }
    PyList_SET_ITEM(out, 0, v);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *line = PyList_GET_ITEM(lines, k);
        Py_ssize_t w = PyLong_AsSsize_t(PyList_GET_ITEM(words, k));
        int end = PyObject_IsTrue(PyList_GET_ITEM(ends, k));
        if ((w == -1 && PyErr_Occurred()) || end < 0 || !PyUnicode_Check(line)) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "lines must be a list of str");
            Py_DECREF(out);
            return NULL;
        }
        if (w >= long_words || (w >= min_words && end)) total += PyUnicode_GET_LENGTH(line);
        v = PyLong_FromSsize_t(total);
        if (!v) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k + 1, v);
    }
    return out;
}

/* ---- line_verdicts(lines, words, ends, densities, verdicts, short, params, unspaced, bad_word, bad_shape) ----
 * The loop of classify.py_line_verdicts (the reference), with its three shape tests called back in Python:
 * verdicts = (GOOD, NEAR, SHORT, BAD) (the str objects to return), short = the (SHORT, -short_cost) pair,
 * params = (short_words, short_chars, long_words, good_words, headline_max_words, sw_good, sw_bad, bad_cost,
 * bad_weight, near_weight, good_weight_cap). */
static int call_bool(PyObject *fn, PyObject *line) {
    PyObject *r = PyObject_CallOneArg(fn, line);
    if (!r) return -1;
    int t = PyObject_IsTrue(r);
    Py_DECREF(r);
    return t;
}

static PyObject *line_verdicts(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *lines, *words, *ends, *dens, *verdicts, *short_pair, *unspaced, *bad_word, *bad_shape, *out;
    Py_ssize_t short_words, short_chars, long_words, good_words, headline_words;
    double sw_good, sw_bad, bad_cost, bad_weight, near_weight, cap;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!(nnnnndddddd)OOO:line_verdicts", &PyList_Type, &lines, &PyList_Type,
                          &words, &PyList_Type, &ends, &PyList_Type, &dens, &PyTuple_Type, &verdicts, &PyTuple_Type,
                          &short_pair, &short_words, &short_chars, &long_words, &good_words, &headline_words,
                          &sw_good, &sw_bad, &bad_cost, &bad_weight, &near_weight, &cap, &unspaced, &bad_word,
                          &bad_shape))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(lines);
    if (PyList_GET_SIZE(words) != count || PyList_GET_SIZE(ends) != count || PyList_GET_SIZE(dens) != count ||
        PyTuple_GET_SIZE(verdicts) != 4) {
        PyErr_SetString(PyExc_ValueError, "line_verdicts: lists of one length, four verdicts");
        return NULL;
    }
    PyObject *GOOD = PyTuple_GET_ITEM(verdicts, 0), *NEAR = PyTuple_GET_ITEM(verdicts, 1),
             *BAD = PyTuple_GET_ITEM(verdicts, 3);
    out = PyList_New(count);
    if (!out) return NULL;
    for (Py_ssize_t j = 0; j < count; j++) {
        PyObject *line = PyList_GET_ITEM(lines, j), *pair = NULL;
        Py_ssize_t n = PyLong_AsSsize_t(PyList_GET_ITEM(words, j));
        int punct = PyObject_IsTrue(PyList_GET_ITEM(ends, j));
        double density = PyFloat_AsDouble(PyList_GET_ITEM(dens, j));
        if ((n == -1 || density == -1.0) && PyErr_Occurred()) goto fail;
        if (punct < 0 || !PyUnicode_Check(line)) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "lines must be a list of str");
            goto fail;
        }
        Py_ssize_t chars = PyUnicode_GET_LENGTH(line);
        double bad = -(bad_cost + (double)chars * bad_weight);
        if (chars > 6 * n && !PyUnicode_IS_ASCII(line)) { /* CJK, Thai: about 2 characters a word */
            int t = call_bool(unspaced, line);
            if (t < 0) goto fail;
            if (t && chars / 2 > n) n = chars / 2;
        }
        if (n < short_words && chars < short_chars) {
            int t = n == 1 ? call_bool(bad_word, line) : 0;
            if (t < 0) goto fail;
            if (t)
                pair = Py_BuildValue("(Od)", BAD, bad);
            else if (n >= 2 && punct)
                pair = Py_BuildValue("(Od)", NEAR, (double)chars * near_weight);
            else
                pair = Py_NewRef(short_pair);
        } else {
            int t = call_bool(bad_shape, line);
            if (t < 0) goto fail;
            if (t || density < sw_bad)
                pair = Py_BuildValue("(Od)", BAD, bad);
            else if ((punct || n >= long_words) && n >= good_words && density >= sw_good) {
                double ratio = density / sw_good;
                pair = Py_BuildValue("(Od)", GOOD, (double)chars * (ratio < cap ? ratio : cap));
            } else if (punct || n >= long_words)
                pair = Py_BuildValue("(Od)", NEAR, (double)chars * near_weight);
            else if (density >= sw_good)
                pair = Py_BuildValue("(Od)", NEAR, 0.0);
            else if (n <= headline_words)
                pair = Py_NewRef(short_pair);
            else
                pair = Py_BuildValue("(Od)", BAD, bad);
        }
        if (!pair) goto fail;
        PyList_SET_ITEM(out, j, pair);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ---- index_scan(texts, first, index, by_length, by_suffix, candidates, head, tail) ----------------------------
 * The loop of ruleset.IndexedLineRules.scan (the reference, py_scan), without the bytecode: each line not yet
 * in first is looked up in the rule index (first `head` and last `tail` characters, length), its candidate
 * rules' fullmatch called in order, and the first hit recorded in first[i]; a line met again takes its first
 * copy's verdict. Where a lookup misses, candidates(line) fills the index and gives the candidates. */
static PyObject *index_scan(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *texts, *first, *index, *by_length, *by_suffix, *candidates_fn;
    Py_ssize_t head, tail;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!Onn:index_scan", &PyList_Type, &texts, &PyDict_Type, &first, &PyDict_Type,
                          &index, &PyList_Type, &by_length, &PyDict_Type, &by_suffix, &candidates_fn, &head, &tail))
        return NULL;
    PyObject *seen = PyDict_New();
    if (!seen) return NULL;
    int skip_first = PyDict_GET_SIZE(first) > 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(texts); i++) {
        PyObject *line = PyList_GET_ITEM(texts, i), *key = NULL, *cands = NULL, *hit = Py_None;
        if (!PyUnicode_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "texts must be a list of str");
            goto fail;
        }
        if (skip_first) {
            key = PyLong_FromSsize_t(i);
            if (!key) goto fail;
            int in = PyDict_Contains(first, key);
            Py_CLEAR(key);
            if (in < 0) goto fail;
            if (in) continue;
        }
        PyObject *known = PyDict_GetItemWithError(seen, line); /* borrowed */
        if (known) {
            if (known != Py_None) {
                key = PyLong_FromSsize_t(i);
                if (!key || PyDict_SetItem(first, key, known) < 0) goto fail;
                Py_CLEAR(key);
            }
            continue;
        }
        if (PyErr_Occurred()) goto fail;
        /* candidates = index[line[:head]][by_length[len(line)] & by_suffix[line[-tail:]]] */
        Py_ssize_t n = PyUnicode_GET_LENGTH(line);
        if (n < PyList_GET_SIZE(by_length)) {
            PyObject *h = PyUnicode_Substring(line, 0, n < head ? n : head);
            if (!h) goto fail;
            PyObject *narrowed = PyDict_GetItemWithError(index, h);
            Py_DECREF(h);
            if (!narrowed && PyErr_Occurred()) goto fail;
            if (narrowed) {
                PyObject *t = PyUnicode_Substring(line, n > tail ? n - tail : 0, n);
                if (!t) goto fail;
                PyObject *ends = PyDict_GetItemWithError(by_suffix, t);
                Py_DECREF(t);
                if (!ends && PyErr_Occurred()) goto fail;
                if (ends) {
                    PyObject *mask = PyNumber_And(PyList_GET_ITEM(by_length, n), ends);
                    if (!mask) goto fail;
                    cands = PyDict_GetItemWithError(narrowed, mask);
                    Py_DECREF(mask);
                    if (!cands && PyErr_Occurred()) goto fail;
                    Py_XINCREF(cands);
                }
            }
        }
        if (!cands) { /* a key not met yet, or a line longer than every rule allows */
            cands = PyObject_CallOneArg(candidates_fn, line);
            if (!cands) goto fail;
        }
        if (!PyTuple_Check(cands)) {
            Py_DECREF(cands);
            PyErr_SetString(PyExc_TypeError, "candidates must be a tuple");
            goto fail;
        }
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(cands); k++) {
            PyObject *entry = PyTuple_GET_ITEM(cands, k); /* (fullmatch, rule, need) */
            PyObject *need = PyTuple_GET_ITEM(entry, 2);
            if (need != Py_None) {
                int has = PyUnicode_Contains(line, need);
                if (has < 0) {
                    Py_DECREF(cands);
                    goto fail;
                }
                if (!has) continue;
            }
            PyObject *m = PyObject_CallOneArg(PyTuple_GET_ITEM(entry, 0), line);
            if (!m) {
                Py_DECREF(cands);
                goto fail;
            }
            int matched = m != Py_None;
            Py_DECREF(m);
            if (matched) {
                hit = PyTuple_GET_ITEM(entry, 1);
                key = PyLong_FromSsize_t(i);
                if (!key || PyDict_SetItem(first, key, hit) < 0) {
                    Py_DECREF(cands);
                    goto fail;
                }
                Py_CLEAR(key);
                break;
            }
        }
        Py_DECREF(cands);
        if (PyDict_SetItem(seen, line, hit) < 0) goto fail;
    }
    Py_DECREF(seen);
    Py_RETURN_NONE;
fail:
    Py_DECREF(seen);
    return NULL;
}

static PyMethodDef module_methods[] = {
    {"index_scan", index_scan, METH_VARARGS,
     "index_scan(texts, first, index, by_length, by_suffix, candidates, head, tail): the loop of "
     "IndexedLineRules.scan (see ruleset.py)."},
    {"line_verdicts", line_verdicts, METH_VARARGS,
     "line_verdicts(lines, words, ends, densities, verdicts, short, params, unspaced, bad_word, bad_shape): "
     "H10's (verdict, weight) of each line (see classify.py_line_verdicts)."},
    {"prose_prefix", prose_prefix, METH_VARARGS,
     "prose_prefix(lines, words, ends, min_words, long_words) -> list[int]: characters of prose before each line."},
    {"line_shapes", line_shapes, METH_VARARGS,
     "line_shapes(lines, closers, ends) -> (words, sentence_ends): features.word_counts and "
     "features.sentence_ends of the lines."},
    {"run_weights", run_weights, METH_VARARGS,
     "run_weights(scored, run_kinds, cap) -> list[float]: H10's line weights with the run penalty."},
    {"kadane", kadane, METH_VARARGS,
     "kadane(weights, a, b) -> (sum, first, last): the maximum-sum contiguous run within weights[a:b]."},
    {"normalize_lines", normalize_lines, METH_VARARGS,
     "normalize_lines(text, zero_width, spaces) -> list[str]: the lines of text (str.splitlines()), each without "
     "the characters of zero_width, with those of spaces read as ' ', runs of spaces folded and stripped."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_speedups",
    "Optional C speedups for cleannews: stopword counts (cleannews/stopwords.py), line normalising "
    "(cleannews/normalize.py).", -1, module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__speedups(void) {
    for (int c = 0; c < 256; c++) space1[c] = Py_UNICODE_ISSPACE(c) ? 1 : 0;
    for (Py_UCS4 c = 0; c < 0x10000; c++)
        if (Py_UNICODE_ISSPACE(c)) bmp_space[c >> 3] |= 1 << (c & 7);
    if (PyType_Ready(&TableType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    /* what cleannews/accel.py expects: a module built from older source is not used */
    if (PyModule_AddIntConstant(m, "API", SPEEDUPS_API) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&TableType);
    if (PyModule_AddObject(m, "StopwordTable", (PyObject *)&TableType) < 0) {
        Py_DECREF(&TableType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
