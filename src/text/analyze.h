/*
 * analyze.h - turning a name as written into comparable tokens.
 *
 * The pipeline, for every name of every entity and every query name:
 *   1. normalise: NFKC, case folding, marks stripped (utf8proc); invisible characters
 *      (zero-width, soft hyphen, bidi marks, variation selectors) removed; look-alike
 *      Cyrillic/Greek letters inside otherwise-Latin words folded to Latin (and Latin
 *      look-alikes inside Cyrillic words folded to Cyrillic); punctuation and symbols
 *      become spaces, apostrophes and similar marks are dropped ("Sha'ari" -> "shaari"),
 *      spaces collapsed;
 *   2. transliterate what is not Latin to Latin ASCII: Cyrillic with the common English
 *      (BGN/PCGN-like) romanisation (Юрий -> yuriy, Щ -> shch, Х -> kh), Arabic, Persian,
 *      Greek, Armenian, Georgian, Hebrew, Chinese (pinyin, without tones), Korean, Japanese
 *      kana — through ICU behind translit.c, cached;
 *   3. tokenise on spaces; classify each token: a word, an initial (one letter), a number
 *      (any digit), a legal form (a token or phrase from the legal-form table, reduced to
 *      one comparable form: ООО = OOO = LLC-type -> "llc"), or a stopword or title
 *      ("mr", "dr", "the", "of"). Name particles ("al", "bin", "de", "van") stay WORDs: the
 *      matcher weighs them by rarity;
 *   4. attach to each word its phonetic key and the ids of the name-variant clusters it
 *      belongs to (../shared/data/names/names_wikidata_clusters.txt.gz: a Cyrillic, Arabic,
 *      Hebrew or Han spelling and its Latin spellings share a cluster).
 *
 * Ownership: an emb_analyzer owns its tables and ICU objects; it is NOT thread-safe (use one
 * per thread; emb_analyzer_clone() shares the read-only tables). Tokens and their strings are
 * allocated in the caller's arena and live as long as it does.
 */
#ifndef EMB_TEXT_ANALYZE_H
#define EMB_TEXT_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "embargo.h"

typedef enum {
  EMB_TK_WORD = 0,
  EMB_TK_INITIAL, /* a single letter, "j" of "J. Smith" */
  EMB_TK_NUMBER, /* digits, or a number rewritten to digits: "1965", "a320", "3" from "Three", "1st"
                    or "III" */
  EMB_TK_LEGAL,  /* a legal form, reduced: text is the comparable form ("llc", "jsc", "ltd") */
  EMB_TK_STOP    /* a stopword or title: "mr", "the", "of", "and" */
} emb_token_kind;

typedef enum {
  EMB_TO_ASIS = 0, /* Latin as written (after normalisation) */
  EMB_TO_TRANSLIT, /* transliterated from another script */
  EMB_TO_FOLDED    /* look-alike letters were folded to make it Latin */
} emb_token_origin;

typedef struct emb_token {
  const char *text; /* comparable form: lowercase ASCII letters and digits, NUL-terminated */
  uint16_t len;
  uint8_t kind;             /* emb_token_kind */
  uint8_t origin;           /* emb_token_origin */
  const char *phon;         /* phonetic key (emb_phonetic_key), "" for non-words */
  const uint32_t *variants; /* name-variant cluster ids this word belongs to, sorted */
  uint16_t n_variants;
  uint16_t src_start; /* byte span in the original name, for explanations */
  uint16_t src_len;
} emb_token;

typedef struct emb_analyzer emb_analyzer;

typedef struct emb_analyzer_opts {
  const char *variants_path; /* names_wikidata_clusters.txt(.gz); NULL: the bundled default
                                DIR/names/names_wikidata_clusters.txt.gz where DIR is
                                $EMBARGO_DATA_DIR, else the compile-time EMB_DATA_DIR, else
                                "data" (relative to the working directory); "" : no
                                variant table */
} emb_analyzer_opts;

emb_analyzer_opts emb_analyzer_opts_default(void);
/* Creates an analyzer, loading its tables (about 0.3 s with the variant table). Returns 0,
 * EMB_EIO (the variants file missing or unreadable), EMB_EFORMAT (not a cluster file) or
 * EMB_ENOMEM; *out is NULL on failure. */
int emb_analyzer_new(const emb_analyzer_opts *o, emb_analyzer **out);
/* A second analyzer for another thread, sharing the read-only tables of `a` (reference
 * counted: analyzers and clones may be freed in any order). */
int emb_analyzer_clone(const emb_analyzer *a, emb_analyzer **out);
void emb_analyzer_free(emb_analyzer *a);

/*
 * Analyses one name. Tokens (and their strings) are allocated in `arena`; *tokens points at
 * *n of them in name order. A name with no letters or digits gives n = 0. `schema` lets
 * organisations get legal-form reduction and persons get titles dropped (EMB_SCHEMA_UNKNOWN:
 * both). Never fails on odd input: invalid UTF-8 bytes are skipped.
 */
int emb_analyze_name(emb_analyzer *a, const char *name, size_t len, emb_schema schema,
                     emb_arena *arena, emb_token **tokens, size_t *n);

/* Step 1 alone: the normalised UTF-8 form of s (appended to out). */
int emb_text_normalize(const char *s, size_t len, emb_buf *out);
/* Steps 1-2: Latin ASCII form of s (appended to out). */
int emb_text_to_latin(emb_analyzer *a, const char *s, size_t len, emb_buf *out);

/*
 * Phonetic key of one comparable-form token (ASCII lowercase): a consonant skeleton that
 * equates common transliteration variants (kh/h, ph/f, ck/k/c/q, w/v, y/i/j, z/s, dzh/j,
 * doubled letters, vowels after the first letter dropped), so that "mohammed",
 * "muhammad" and "mukhammad" share a key. Writes a NUL-terminated key of at most size-1 bytes.
 */
void emb_phonetic_key(const char *tok, size_t len, char *out, size_t size);

/*
 * The comparable legal form of one comparable-form word when that word alone is a
 * legal-form alias ("pao" -> "jsc", "ooo" -> "llc", "gmbh" -> "llc"), else NULL; the
 * string is owned by the analyzer's tables. For scorers: the same written word is an
 * EMB_TK_LEGAL token in an organisation (or unknown-schema) name and an EMB_TK_WORD in
 * a person's name ("PAO, Yu Yi"), and this tells that the two meet.
 */
const char *emb_legal_form_of(const emb_analyzer *a, const char *word, size_t len);

/* Variant-cluster ids of a comparable-form or original-script word (sorted), n = 0 if none. */
const uint32_t *emb_name_variants(const emb_analyzer *a, const char *word, size_t len, size_t *n);

#endif
