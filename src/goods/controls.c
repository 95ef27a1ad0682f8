/*
 * controls.c - control lists and goods screening (see controls.h).
 *
 * The controls of every loaded list live in one array sorted by code (then list), with
 * their strings in the set's arena. A record code of n digits finds its controls with
 * one binary search per prefix length (2..n), and the controls under a too-coarse code
 * are one contiguous range of the sorted array. Duplicate (list, code) pairs are found
 * through a hash map keyed "list\x1f code".
 */
#include "goods/controls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/strmap.h"

struct emb_goods {
  emb_arena arena;       /* control strings and duplicate keys */
  emb_control *controls; /* sorted by code, then list */
  size_t count;
  size_t cap;
  emb_strmap seen; /* "list\x1f" "code" -> 1 */
  emb_hs_corr *corr;
  emb_goods_rules *rules;
  /* One pseudo-control per description rule (by rule index), for rule hits whose
   * suggested codes meet no control: list EMB_RULES_LIST, the rule's first code. */
  emb_control *rule_controls;
  size_t n_rule_controls;
};

emb_goods *emb__goods_new(void) {
  emb_goods *g = calloc(1, sizeof(*g));
  if (!g)
    return NULL;
  emb__arena_init(&g->arena, 16384);
  emb__strmap_init(&g->seen);
  g->corr = emb__hs_corr_new();
  g->rules = emb__rules_new();
  if (!g->corr || !g->rules) {
    emb__goods_free(g);
    return NULL;
  }
  return g;
}

void emb__goods_free(emb_goods *g) {
  if (!g)
    return;
  emb__hs_corr_free(g->corr);
  emb__rules_free(g->rules);
  free(g->rule_controls);
  emb__strmap_fini(&g->seen);
  emb__arena_fini(&g->arena);
  free(g->controls);
  free(g);
}

size_t emb__controls_count(const emb_goods *g) {
  return g ? g->count : 0;
}

const emb_control *emb__controls_get(const emb_goods *g, size_t i) {
  return g && i < g->count ? &g->controls[i] : NULL;
}

const emb_hs_corr *emb__goods_correlation(const emb_goods *g) {
  return g ? g->corr : NULL;
}
const emb_goods_rules *emb__goods_rules(const emb_goods *g) {
  return g ? g->rules : NULL;
}

const char *emb__goods_via_name(emb_goods_via v) {
  switch (v) {
  case EMB_GOODS_VIA_CODE: return "code";
  case EMB_GOODS_VIA_CORRELATION: return "correlation";
  case EMB_GOODS_VIA_DESCRIPTION: return "description";
  }
  return "?";
}

static int control_cmp(const void *a, const void *b) {
  const emb_control *x = a, *y = b;
  int c = strcmp(x->code, y->code);
  return c ? c : strcmp(x->list, y->list);
}

/* ------------------------------------------------------------ loading */

static const char *const ctl_cols[] = {"list", "code", "tier", "description", "source"};
enum { NCOLS = sizeof(ctl_cols) / sizeof(ctl_cols[0]) };

/* Adds one parsed row; returns 0, 1 (a duplicate, reported) or EMB_ENOMEM. */
static int add_control(emb_goods *g, const char *f[NCOLS], const char *code, size_t len,
                       const char *fname, unsigned long line, emb_diags *diags) {
  size_t ln = strlen(f[0]);
  char *key = emb__arena_alloc(&g->arena, ln + len + 2);
  if (!key)
    return EMB_ENOMEM;
  memcpy(key, f[0], ln);
  key[ln] = '\x1f';
  memcpy(key + ln + 1, code, len + 1);
  size_t v;
  if (emb__strmap_get(&g->seen, key, ln + 1 + len, &v)) {
    emb__warn(diags, EMB_EFORMAT, fname, line, 0, "code",
              "List '%s' already has code %s (line %zu); this row is skipped.", f[0], code, v);
    return 1;
  }
  if (g->count == g->cap) {
    size_t ncap = g->cap ? g->cap * 2 : 64;
    emb_control *nc = realloc(g->controls, ncap * sizeof(*nc));
    if (!nc)
      return EMB_ENOMEM;
    g->controls = nc;
    g->cap = ncap;
  }
  emb_control *c = &g->controls[g->count];
  c->list = emb__arena_strdup(&g->arena, f[0]);
  c->code = emb__arena_strndup(&g->arena, code, len);
  c->len = len;
  c->tier = emb__arena_strdup(&g->arena, f[2]);
  c->description = emb__arena_strdup(&g->arena, f[3]);
  c->source = emb__arena_strdup(&g->arena, f[4]);
  c->file = emb__arena_strdup(&g->arena, fname);
  c->line = line;
  if (!c->list || !c->code || !c->tier || !c->description || !c->source || !c->file)
    return EMB_ENOMEM;
  if (emb__strmap_put(&g->seen, key, ln + 1 + len, line))
    return EMB_ENOMEM;
  g->count++;
  return 0;
}

int emb__controls_load(emb_goods *g, const char *path, emb_diags *diags) {
  if (!g || !path)
    return EMB_EINVAL;
  emb_input *in = NULL;
  int rc = emb__input_open(path, &in, diags);
  if (rc)
    return rc;
  const char *fname = emb__input_name(in);
  emb_csv_opts o = emb__csv_opts_default();
  o.max_field = 8192;
  o.trim = true;
  emb_csv *csv = NULL;
  rc = emb__csv_new(in, &o, diags, &csv);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  emb_csv_row row;
  int col[NCOLS];
  bool bad = false;
  rc = emb__csv_next(csv, &row);
  if (rc <= 0) {
    if (rc == 0)
      emb__error(diags, EMB_EFORMAT, fname, 1, 0, NULL, "The control list is empty.");
    rc = rc ? rc : EMB_EFORMAT;
    goto out;
  }
  for (size_t i = 0; i < NCOLS; i++) {
    col[i] = emb__csv_col(&row, ctl_cols[i]);
    if (i < 2 && col[i] < 0) {
      emb__error(diags, EMB_EFORMAT, fname, row.line, 0, ctl_cols[i],
                 "The header has no column '%s'.", ctl_cols[i]);
      bad = true;
    }
  }
  if (bad) {
    rc = EMB_EFORMAT;
    goto out;
  }
  while ((rc = emb__csv_next(csv, &row)) == 1) {
    if (row.bad) {
      bad = true;
      continue;
    }
    const char *f[NCOLS];
    for (size_t i = 0; i < NCOLS; i++)
      f[i] = col[i] >= 0 && (size_t)col[i] < row.count ? row.fields[col[i]] : "";
    if (!*f[0]) {
      emb__error(diags, EMB_EFORMAT, fname, row.line, (unsigned long)col[0] + 1, "list",
                 "The list name is empty.");
      bad = true;
      continue;
    }
    char code[EMB_HS_MAX + 1];
    size_t len;
    if (emb__hs_normalize(f[1], strlen(f[1]), code, &len) != EMB_HS_OK) {
      emb__error(diags, EMB_EFORMAT, fname, row.line, (unsigned long)col[1] + 1, "code",
                 "'%s' is not a control code (2 to %d digits; dots and spaces allowed).", f[1],
                 EMB_HS_MAX);
      bad = true;
      continue;
    }
    int arc = add_control(g, f, code, len, fname, row.line, diags);
    if (arc < 0) {
      rc = arc;
      break;
    }
  }
  if (rc == 0 && bad)
    rc = EMB_EFORMAT;
out:
  if (g->count)
    qsort(g->controls, g->count, sizeof(*g->controls), control_cmp);
  emb__csv_free(csv);
  emb__input_close(in);
  return rc;
}

int emb__goods_load_correlation(emb_goods *g, const char *path, emb_diags *diags) {
  return g ? emb__hs_corr_load(g->corr, path, diags) : EMB_EINVAL;
}

int emb__goods_load_rules(emb_goods *g, const char *path, emb_diags *diags) {
  if (!g)
    return EMB_EINVAL;
  int rc = emb__rules_load(g->rules, path, diags);
  if (rc == EMB_ENOMEM || rc == EMB_EIO)
    return rc;
  /* (Re)builds the pseudo-controls of every rule loaded so far. */
  size_t n = emb__rules_count(g->rules);
  emb_control *rc_arr = realloc(g->rule_controls, (n ? n : 1) * sizeof(*rc_arr));
  if (!rc_arr)
    return EMB_ENOMEM;
  g->rule_controls = rc_arr;
  g->n_rule_controls = n;
  for (size_t i = 0; i < n; i++) {
    const emb_goods_rule *ru = emb__rules_get(g->rules, i);
    const char *code = ru->n_hs ? ru->hs[0] : "";
    rc_arr[i] = (emb_control){.list = EMB_RULES_LIST,
                              .code = code,
                              .len = strlen(code),
                              .tier = "",
                              .description = ru->category,
                              .source = "goods description rule",
                              .file = path,
                              .line = ru->line};
  }
  return rc;
}

int emb__goods_load_default(emb_goods *g, const char *dir, emb_diags *diags) {
  char base[4096];
  if (!dir) {
    const char *env = getenv("EMBARGO_DATA_DIR");
#ifdef EMB_DATA_DIR
    const char *root = env && *env ? env : EMB_DATA_DIR;
#else
    const char *root = env && *env ? env : "data";
#endif
    if (snprintf(base, sizeof(base), "%s/controls", root) >= (int)sizeof(base))
      return EMB_EINVAL;
    dir = base;
  }
  static const char *const files[3] = {"chpl.csv", "hs_correlation.csv", "goods_rules.tsv"};
  int first = 0;
  for (int i = 0; i < 3; i++) {
    char path[4200];
    if (snprintf(path, sizeof(path), "%s/%s", dir, files[i]) >= (int)sizeof(path))
      return EMB_EINVAL;
    int rc = i == 0   ? emb__controls_load(g, path, diags)
             : i == 1 ? emb__goods_load_correlation(g, path, diags)
                      : emb__goods_load_rules(g, path, diags);
    if (rc == EMB_ENOMEM)
      return rc;
    if (rc && !first)
      first = rc;
  }
  return first;
}

/* ------------------------------------------------------------ screening */

/* Index of the first control whose code is >= key[0..n) as a string. */
static size_t lower_bound(const emb_goods *g, const char *key, size_t n) {
  size_t lo = 0, hi = g->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const emb_control *c = &g->controls[mid];
    int cmp = memcmp(c->code, key, c->len < n ? c->len : n);
    if (cmp == 0)
      cmp = c->len < n ? -1 : c->len > n;
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Records a hit unless the control already has one (the earlier way wins). */
static void add_hit(emb_goods_result *res, const emb_control *c, emb_goods_via via,
                    const emb_hs_corr_row *corr, const emb_goods_rule *rule,
                    const char *suggested) {
  for (size_t i = 0; i < res->n_hits; i++)
    if (res->hits[i].control == c)
      return;
  if (res->n_hits == EMB_GOODS_MAX_HITS) {
    res->hits_truncated = true;
    return;
  }
  emb_goods_hit *h = &res->hits[res->n_hits++];
  h->control = c;
  h->via = via;
  h->corr = corr;
  h->rule = rule;
  h->suggested = suggested;
}

/* Adds a hit for every control whose code is a prefix of code[0..n). */
static void hit_prefixes(const emb_goods *g, emb_goods_result *res, const char *code, size_t n,
                         emb_goods_via via, const emb_hs_corr_row *corr, const emb_goods_rule *rule,
                         const char *suggested) {
  for (size_t k = 2; k <= n; k++)
    for (size_t i = lower_bound(g, code, k); i < g->count; i++) {
      const emb_control *c = &g->controls[i];
      if (c->len != k || memcmp(c->code, code, k) != 0)
        break;
      add_hit(res, c, via, corr, rule, suggested);
    }
}

/* True if some control's code and code[0..n) start one with the other. */
static bool has_control_meeting(const emb_goods *g, const char *code, size_t n) {
  for (size_t k = 2; k <= n; k++) {
    size_t i = lower_bound(g, code, k);
    if (i < g->count && g->controls[i].len == k && !memcmp(g->controls[i].code, code, k))
      return true;
  }
  size_t i = lower_bound(g, code, n);
  return i < g->count && emb__hs_has_prefix(g->controls[i].code, g->controls[i].len, code, n);
}

void emb__goods_result_init(emb_goods_result *r) {
  memset(r, 0, sizeof(*r));
  emb__rules_scratch_init(&r->scratch);
}

void emb__goods_result_fini(emb_goods_result *r) {
  if (r)
    emb__rules_scratch_fini(&r->scratch);
}

int emb__goods_check(const emb_goods *g, const char *hs_code_text, size_t hs_len,
                     const char *description, size_t desc_len, emb_goods_result *res) {
  if (!g || !res)
    return EMB_EINVAL;
  res->code[0] = '\0';
  res->code_len = 0;
  res->too_coarse = false;
  res->n_covered = 0;
  res->n_hits = 0;
  res->hits_truncated = false;
  res->n_rule_hits = 0;
  res->rule_hits_truncated = false;

  res->code_status =
      emb__hs_normalize(hs_code_text, hs_code_text ? hs_len : 0, res->code, &res->code_len);
  if (res->code_status == EMB_HS_OK) {
    const char *code = res->code;
    size_t n = res->code_len;
    res->too_coarse = n < EMB_HS_COARSE;
    for (size_t i = lower_bound(g, code, n);
         i < g->count && emb__hs_has_prefix(g->controls[i].code, g->controls[i].len, code, n); i++)
      if (g->controls[i].len > n)
        res->n_covered++;
    /* Reading 1: the code as given, in the current HS version. */
    hit_prefixes(g, res, code, n, EMB_GOODS_VIA_CODE, NULL, NULL, NULL);
    /* Reading 2: the code as an older HS version, through the correlation table. */
    const emb_hs_corr_row *rows[32];
    size_t nr = emb__hs_corr_find(g->corr, code, n, rows, 32);
    for (size_t i = 0; i < nr && i < 32; i++)
      hit_prefixes(g, res, rows[i]->to_code, strlen(rows[i]->to_code), EMB_GOODS_VIA_CORRELATION,
                   rows[i], NULL, NULL);
  }

  if (description && desc_len) {
    size_t nh = emb__rules_match(g->rules, &res->scratch, description, desc_len, res->rule_hits,
                                 EMB_GOODS_MAX_RULE_HITS);
    res->rule_hits_truncated = nh > EMB_GOODS_MAX_RULE_HITS;
    res->n_rule_hits = nh < EMB_GOODS_MAX_RULE_HITS ? nh : EMB_GOODS_MAX_RULE_HITS;
    /* A suggested code meets a control when either starts with the other: a rule names a
     * family ("8806"), a control may be finer or coarser. */
    for (size_t i = 0; i < res->n_rule_hits; i++) {
      const emb_goods_rule *ru = res->rule_hits[i].rule;
      size_t before = res->n_hits;
      bool met = false;
      for (size_t j = 0; j < ru->n_hs; j++) {
        const char *s = ru->hs[j];
        size_t sn = strlen(s);
        hit_prefixes(g, res, s, sn, EMB_GOODS_VIA_DESCRIPTION, NULL, ru, s);
        for (size_t k = lower_bound(g, s, sn);
             k < g->count && emb__hs_has_prefix(g->controls[k].code, g->controls[k].len, s, sn);
             k++)
          add_hit(res, &g->controls[k], EMB_GOODS_VIA_DESCRIPTION, NULL, ru, s);
        met |= has_control_meeting(g, s, sn);
      }
      /* UAV goods the control lists do not name (a drone motor, HS 8501): the rule itself
       * stands as the control, so that the description still counts. */
      if (!met && res->n_hits == before && ru->index < g->n_rule_controls)
        add_hit(res, &g->rule_controls[ru->index], EMB_GOODS_VIA_DESCRIPTION, NULL, ru,
                ru->n_hs ? ru->hs[0] : "");
    }
  }
  return 0;
}
