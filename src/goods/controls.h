/*
 * controls.h - HS control lists (the CHPL, national annexes keyed by HS, CN or HTS codes)
 * and goods screening: one record's HS code and description in, the controls it hits out.
 *
 * A control-list file (data/controls/chpl.csv; format in docs/GOODS.md) is a CSV with a
 * header naming at least the columns list, code, tier, description and source; other
 * columns are ignored. Several files, and several lists, go into one emb_goods set,
 * together with an HS correlation table (hs.h) and description rules (describe.h).
 *
 * Matching (docs/GOODS.md): a control code matches every record code that starts with
 * it (control 880730 matches 880730 and 8807300000); a record code shorter than a
 * control does not match it; a record code of 2 to 5 digits is "too coarse" and the
 * description rules decide. The record code is read both as given (the current HS
 * version) and, through the correlation table, as a code of an older version, since a
 * record rarely says which HS version it uses. Each hit says how it was found.
 *
 * Ownership: an emb_goods owns its controls, correlation rows and rules until
 * emb__goods_free(); once loaded it is read-only and may be shared by threads, each with
 * its own emb_goods_result. Pointers in a result point into the set and stay valid
 * until the set is freed.
 */
#ifndef EMB_GOODS_CONTROLS_H
#define EMB_GOODS_CONTROLS_H

#include <stdbool.h>
#include <stddef.h>

#include "embargo.h"
#include "goods/describe.h"
#include "goods/hs.h"

/* One row of a control list. */
typedef struct emb_control {
  const char *list;        /* "CHPL" */
  const char *code;        /* digits, 2..EMB_HS_MAX */
  size_t len;              /* strlen(code) */
  const char *tier;        /* tier or category as the list names it ("1", "3a"), may be "" */
  const char *description; /* may be "" */
  const char *source;      /* where the row comes from */
  const char *file;        /* the file it was loaded from */
  unsigned long line;
} emb_control;

typedef struct emb_goods emb_goods;

/*
 * The list name of a description rule standing as its own control: a rule hit whose
 * suggested codes meet no loaded control (UAV motors, HS 8501, are on no CHPL tier) still
 * makes a hit, with this list, the rule's first code, an empty tier and the rule's
 * category as the description, so that goods the rules name (drone motors,
 * frames, batteries) count as controlled goods for the route rules.
 */
#define EMB_RULES_LIST "UAV-RULES"

/* A new, empty set (NULL when out of memory). */
emb_goods *emb__goods_new(void);
void emb__goods_free(emb_goods *g);

/*
 * Adds the controls of one control-list file. A bad row (an invalid code, an empty list
 * name) is reported to diags with file, line and field and skipped; a row repeating a
 * (list, code) pair already loaded is a warning and is skipped. Returns 0, EMB_EFORMAT
 * (a bad row, or the header lacks list or code), EMB_EIO or EMB_ENOMEM.
 */
int emb__controls_load(emb_goods *g, const char *path, emb_diags *diags);
/* Adds an HS correlation file (see emb__hs_corr_load). */
int emb__goods_load_correlation(emb_goods *g, const char *path, emb_diags *diags);
/* Adds a description-rules file (see emb__rules_load). */
int emb__goods_load_rules(emb_goods *g, const char *path, emb_diags *diags);

/*
 * Loads the bundled data: chpl.csv, hs_correlation.csv and goods_rules.tsv from `dir`
 * (NULL: $EMBARGO_DATA_DIR/controls, else EMB_DATA_DIR/controls, else data/controls).
 */
int emb__goods_load_default(emb_goods *g, const char *dir, emb_diags *diags);

size_t emb__controls_count(const emb_goods *g);
/* Controls in code order (then list name). */
const emb_control *emb__controls_get(const emb_goods *g, size_t i);
const emb_hs_corr *emb__goods_correlation(const emb_goods *g);
const emb_goods_rules *emb__goods_rules(const emb_goods *g);

typedef enum {
  EMB_GOODS_VIA_CODE = 0,    /* the record code, read as given, starts with the control */
  EMB_GOODS_VIA_CORRELATION, /* the record code read as an older HS version maps onto it */
  EMB_GOODS_VIA_DESCRIPTION  /* a description rule suggests a code in the control's family */
} emb_goods_via;

const char *emb__goods_via_name(emb_goods_via v); /* "code", "correlation", "description" */

/* One control hit, with the way it was found. */
typedef struct emb_goods_hit {
  const emb_control *control;
  emb_goods_via via;
  const emb_hs_corr_row *corr; /* VIA_CORRELATION: the row used (from_version says which
                                  reading of the record code it was) */
  const emb_goods_rule *rule;  /* VIA_DESCRIPTION: the rule */
  const char *suggested;       /* VIA_DESCRIPTION: the rule's HS code that met the control */
} emb_goods_hit;

#define EMB_GOODS_MAX_HITS 32
#define EMB_GOODS_MAX_RULE_HITS 16

typedef struct emb_goods_result {
  emb_hs_status code_status; /* EMB_HS_OK, EMB_HS_EMPTY (missing) or EMB_HS_INVALID */
  char code[EMB_HS_MAX + 1]; /* the normalised record code ("" unless OK) */
  size_t code_len;
  bool too_coarse;                        /* a valid code of fewer than 6 digits */
  size_t n_covered;                       /* controls whose code starts with the record code (the
                                             ones a too-coarse code could be) */
  emb_goods_hit hits[EMB_GOODS_MAX_HITS]; /* one per control, best way first: code,
                                             correlation, description */
  size_t n_hits;
  bool hits_truncated;                             /* more hits than EMB_GOODS_MAX_HITS */
  emb_rule_hit rule_hits[EMB_GOODS_MAX_RULE_HITS]; /* every rule that hit the description */
  size_t n_rule_hits;
  bool rule_hits_truncated;
  emb_rules_scratch scratch; /* internal */
} emb_goods_result;

void emb__goods_result_init(emb_goods_result *r);
void emb__goods_result_fini(emb_goods_result *r);

/*
 * Screens one record's goods: its HS code as written (NULL or "" when missing) and its
 * description (NULL when missing). Fills res (resetting it first). A bad code is no
 * error: it sets code_status. Description rules always run, so that a description can
 * confirm a code or stand in for a missing, too coarse, invalid or implausible one.
 * Returns 0, or EMB_EINVAL when g or res is NULL.
 */
int emb__goods_check(const emb_goods *g, const char *hs_code_text, size_t hs_len,
                     const char *description, size_t desc_len, emb_goods_result *res);

#endif
