/*
 * describe.h - rules on goods descriptions: keywords and phrases in several languages
 * that name UAVs and their parts (or any other goods family) when the HS code is
 * missing, too coarse or implausible.
 *
 * A rules file (data/controls/goods_rules.tsv; format in docs/GOODS.md) has one rule
 * per line, five tab-separated fields: id, category, lang, hs (the HS codes the rule
 * suggests, comma-separated, "-" for none) and patterns. Patterns are alternatives
 * separated by '|'; an alternative is one or more terms joined by '&', all of which must
 * occur; a term is a phrase of words, each of which may end in '*' to match any word
 * that starts with it ("беспилотн*" matches "беспилотный", "беспилотника"). Terms are
 * matched on whole words of the normalised description (emb_text_normalize: NFKC,
 * case folding, Latin marks stripped, punctuation as spaces; then Cyrillic 'ё' as 'е');
 * a term written in Han, kana or Hangul script is matched as a substring, since those
 * languages do not separate words.
 *
 * Ownership: an emb_goods_rules owns every rule and string it loaded until
 * emb__rules_free(); a loaded rule set is read-only and may be shared by threads. The
 * matcher writes into a caller-owned emb_rules_scratch (one per thread).
 */
#ifndef EMB_GOODS_DESCRIBE_H
#define EMB_GOODS_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "embargo.h"
#include "goods/hs.h"

/* One rule as loaded. */
typedef struct emb_goods_rule {
  const char *id;        /* "uav.en" */
  const char *category;  /* "uav", "flight_controller", ... */
  const char *lang;      /* "en", "ru", "zh", ... */
  const char *const *hs; /* suggested HS codes (digits), n_hs of them */
  size_t n_hs;
  const char *patterns; /* the patterns field as written, for explanations */
  unsigned long line;   /* line in the rules file */
  size_t index;         /* position in the rule set */
} emb_goods_rule;

typedef struct emb_goods_rules emb_goods_rules;

/* A new, empty rule set (NULL when out of memory). */
emb_goods_rules *emb__rules_new(void);
void emb__rules_free(emb_goods_rules *r);

/*
 * Adds the rules of a rules file. A bad line (wrong number of fields, an empty id, a
 * duplicate id, a bad HS code, a pattern with no words) is reported to diags with file,
 * line and field and skipped; the other lines are kept. Returns 0, EMB_EFORMAT when a
 * line was bad, EMB_EIO when the file cannot be read, EMB_ENOMEM.
 */
int emb__rules_load(emb_goods_rules *r, const char *path, emb_diags *diags);

size_t emb__rules_count(const emb_goods_rules *r);
const emb_goods_rule *emb__rules_get(const emb_goods_rules *r, size_t i);
/* The rule with this id, or NULL. */
const emb_goods_rule *emb__rules_find(const emb_goods_rules *r, const char *id);

#define EMB_RULE_MATCH_MAX 96 /* bytes kept of the matched words (cut at a UTF-8 boundary) */

/* One rule that hit a description. */
typedef struct emb_rule_hit {
  const emb_goods_rule *rule;
  char matched[EMB_RULE_MATCH_MAX]; /* the normalised words that matched, "a + b" for '&' */
} emb_rule_hit;

/* Per-thread scratch for matching: the normalised text and its word spans. */
typedef struct emb_rules_scratch {
  emb_buf norm;
  size_t *word_start;
  size_t *word_len;
  size_t n_words;
  size_t cap_words;
} emb_rules_scratch;

void emb__rules_scratch_init(emb_rules_scratch *s);
void emb__rules_scratch_fini(emb_rules_scratch *s);

/*
 * Matches one description (UTF-8; invalid bytes are skipped by the normaliser; only the
 * first 64 KiB are read) against every rule. Writes up to max hits into out, in rule
 * order, and returns the number of rules that hit (which may exceed max). A rule hits
 * at most once, naming its first matching alternative.
 */
size_t emb__rules_match(const emb_goods_rules *r, emb_rules_scratch *s, const char *text,
                        size_t len, emb_rule_hit *out, size_t max);

#endif
