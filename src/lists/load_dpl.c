/*
 * load_dpl.c - the BIS Denied Persons List as published (tab-separated text).
 *
 * The file has a header line `"Name" "Street_Address" "City" "State" "Country"
 * "Postal_Code" "Effective_Date" "Expiration_Date" "Standard_Order" "Last_Update"
 * "Action" "FR_Citation"` (tab-separated, every field quoted) and one row per name
 * and address of a denial order: a person with two addresses has two rows, and the
 * other names an order covers (aliases, related companies) have rows of their own.
 *
 * The list carries no identifier, so one is derived (docs/formats/dpl.md explains
 * the choice and the measurements behind it):
 *
 *   dpl:<first 16 hex digits of SHA-256("<NAME>|<order>")>
 *
 * where NAME is the name upper-cased with runs of white space collapsed, and order
 * is the earliest Federal Register notice cited in FR_Citation, written "76FR12318"
 * ("eff:2023-10-31", the effective date, when no citation can be read). The earliest
 * notice is the one that published the order; later notices (renewals of temporary
 * denial orders, corrections) are appended to the field and change neither it nor the
 * id, whereas the effective date moves with every renewal. Rows that share the key
 * are one entity with several addresses; two orders naming the same person give two
 * entities. Rows of one entity that disagree on Expiration_Date are reported, and the
 * latest date is kept.
 *
 * Ownership: the loader owns its reader and scratch buffers; everything it adds
 * belongs to ctx->set.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/sha256.h"
#include "lists/date.h"
#include "lists/loader.h"

#define SOURCE "dpl"
#define LIST_NAME "Denied Persons List"
#define SCRATCH_CAP ((size_t)8 << 20)

#define TRY(x)                                                                                     \
  do {                                                                                             \
    int rc_ = (x);                                                                                 \
    if (rc_)                                                                                       \
      return rc_;                                                                                  \
  } while (0)

/* ------------------------------------------------------------------ sniffing */

bool emb__sniff_dpl(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
    head += 3;
    n -= 3;
  }
  size_t len = 0;
  while (len < n && head[len] != '\n' && head[len] != '\r')
    len++;
  bool start = (len >= 7 && memcmp(head, "\"Name\"\t", 7) == 0) ||
               (len >= 5 && memcmp(head, "Name\t", 5) == 0);
  if (!start)
    return false;
  static const char key[] = "Effective_Date";
  for (size_t i = 0; i + sizeof(key) - 1 <= len; i++)
    if (memcmp(head + i, key, sizeof(key) - 1) == 0)
      return true;
  return false;
}

/* ------------------------------------------------------------------ text */

/* Copies s into b with the ends trimmed and runs of white space collapsed; returns the
 * text or NULL. */
static const char *clean(emb_buf *b, const char *s) {
  return emb__clean_space_buf(b, s, strlen(s));
}

/* Upper-cases ASCII letters in place. */
static void upper(char *s) {
  for (; *s; s++)
    if (*s >= 'a' && *s <= 'z')
      *s = (char)(*s - 'a' + 'A');
}

/*
 * The earliest Federal Register notice cited in text ("67 F.R. 56530 9/4/02 67 F.R.
 * 10890 3/11/02") as "67FR10890"; false when there is none. Volume and page are
 * compared as numbers: a lower volume is an earlier year.
 */
static bool earliest_notice(const char *text, char out[32]) {
  unsigned long best_v = 0, best_p = 0;
  bool found = false;
  for (const char *p = text; *p; p++) {
    if (!(*p >= '0' && *p <= '9') || (p > text && p[-1] >= '0' && p[-1] <= '9'))
      continue;
    const char *q = p;
    unsigned long vol = 0, page = 0;
    int nd = 0;
    while (*q >= '0' && *q <= '9' && nd < 4) {
      vol = vol * 10 + (unsigned long)(*q++ - '0');
      nd++;
    }
    if (*q >= '0' && *q <= '9')
      continue;
    if (*q == '.') /* "81.F.R. 22576" */
      q++;
    while (*q == ' ')
      q++;
    if (*q != 'F')
      continue;
    q++;
    if (*q == '.')
      q++;
    while (*q == ' ')
      q++;
    if (*q != 'R')
      continue;
    q++;
    if (*q == '.')
      q++;
    while (*q == ' ')
      q++;
    nd = 0;
    while (*q >= '0' && *q <= '9' && nd < 7) {
      page = page * 10 + (unsigned long)(*q++ - '0');
      nd++;
    }
    if (nd == 0 || (*q >= '0' && *q <= '9') || vol == 0)
      continue;
    if (!found || vol < best_v || (vol == best_v && page < best_p)) {
      best_v = vol;
      best_p = page;
      found = true;
    }
  }
  if (found)
    snprintf(out, 32, "%luFR%lu", best_v, best_p);
  return found;
}

/* ------------------------------------------------------------------ names */

/*
 * Legal-form words that make a name a company ("ACME TRADING CO., LTD." ->
 * Company). Dots are dropped before matching, so "S.A." is "SA" and "L.L.C." "LLC".
 */
static const char *const LEGAL_FORMS[] = {
    "INC",     "INCORPORATED", "LLC", "LLP",  "LTD", "LIMITED", "CO",  "CORP", "CORPORATION",
    "COMPANY", "GMBH",         "AG",  "SA",   "SAS", "SARL",    "SL",  "SRL",  "SPA",
    "BV",      "NV",           "PLC", "OOO",  "ZAO", "OAO",     "JSC", "PJSC", "OJSC",
    "CJSC",    "FZE",          "FZC", "FZCO", "PTE", "PTY",     "BHD", "KFT"};

static bool company_like(const char *name) {
  char tok[32];
  size_t k = 0;
  for (size_t i = 0;; i++) {
    char c = name[i];
    if (c == '.')
      continue;
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) {
      if (k + 1 < sizeof(tok))
        tok[k++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      continue;
    }
    if (k) {
      tok[k] = '\0';
      for (size_t j = 0; j < sizeof(LEGAL_FORMS) / sizeof(LEGAL_FORMS[0]); j++)
        if (strcmp(tok, LEGAL_FORMS[j]) == 0)
          return true;
      k = 0;
    }
    if (!c)
      return false;
  }
}

/* ------------------------------------------------------------------ columns */

typedef struct dpl_cols {
  int name, street, city, state, country, postal, effective, expiration, citation;
} dpl_cols;

typedef struct dpl_state {
  emb_load_ctx *ctx;
  const char *file;
  dpl_cols c;
  emb_csv_row cur; /* the record being read */
  const emb_csv_row *row;
  emb_buf b[4];
  emb_buf name;
} dpl_state;

static const char *get(const dpl_state *st, int col) {
  if (col < 0 || (size_t)col >= st->row->count)
    return "";
  return st->row->fields[col];
}

static bool us_state(const char *s) {
  static const char *const STATES =
      "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
      "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP ";
  if (strlen(s) != 2)
    return false;
  for (const char *p = STATES; *p; p += 3)
    if (p[0] == s[0] && p[1] == s[1])
      return true;
  return false;
}

/*
 * Names besides the one listed: "FUYI SUN A/K/A FRANK SUN" and "X D/B/A Y" give
 * aliases; quoted nicknames and parentheses ("SHAOHUA \"ERIC\" WANG", "SPORTS ZONE
 * (MNC GROUP INTERNATIONAL, INC.)") give a variation without them.
 */
static int add_other_names(dpl_state *st, emb_entity *e, const char *name) {
  emb_entity_set *set = st->ctx->set;
  static const char *const seps[] = {" A/K/A ", " AKA ", " D/B/A ", " DBA ", " F/K/A "};
  for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
    const char *p = strstr(name, seps[i]);
    if (!p)
      continue;
    const char *a = emb__clean_space_buf(&st->b[0], name, (size_t)(p - name));
    if (!a)
      return EMB_ENOMEM;
    TRY(emb__entity_add_name_simple(set, e, a, EMB_NAME_ALIAS, EMB_STRONG));
    const char *b = clean(&st->b[0], p + strlen(seps[i]));
    if (!b)
      return EMB_ENOMEM;
    TRY(emb__entity_add_name_simple(set, e, b, EMB_NAME_ALIAS, EMB_STRONG));
  }
  emb_buf *v = &st->b[1];
  emb__buf_reset(v);
  size_t depth = 0;
  bool quoted = false;
  for (const char *p = name; *p; p++) {
    if (*p == '(') {
      depth++;
    } else if (*p == ')' && depth) {
      depth--;
    } else if (*p == '"') {
      quoted = !quoted;
    } else if (!depth && !quoted && emb__buf_putc(v, *p)) {
      return EMB_ENOMEM;
    }
  }
  const char *x = clean(&st->b[0], emb__buf_str(v));
  if (!x)
    return EMB_ENOMEM;
  if (*x && strcmp(x, name) != 0)
    TRY(emb__entity_add_name_simple(set, e, x, EMB_NAME_VARIATION, EMB_STRONG));
  return 0;
}

/* Parses an MM/DD/YYYY column; warns naming the field when it is not a date. */
static bool read_date(dpl_state *st, int col, const char *field, emb_date *out) {
  const char *v = get(st, col);
  if (!*v)
    return false;
  if (emb__date_parse(v, strlen(v), EMB_DATE_ORDER_MDY, out) == 0)
    return true;
  emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, field,
            "date not understood: \"%.40s\"", v);
  return false;
}

static int date_cmp(const emb_date *a, const emb_date *b) {
  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  if (a->month != b->month)
    return a->month < b->month ? -1 : 1;
  return a->day == b->day ? 0 : (a->day < b->day ? -1 : 1);
}

static int read_row(dpl_state *st, bool *lost);

/* emb__csv_each_row's callback. */
static int each_row(void *ud, bool *lost) {
  return read_row(ud, lost);
}

static int read_row(dpl_state *st, bool *lost) {
  emb_load_ctx *ctx = st->ctx;
  emb_entity_set *set = ctx->set;
  const char *name = clean(&st->name, get(st, st->c.name));
  if (!name)
    return EMB_ENOMEM;
  if (!*name) {
    emb__error(ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, "Name",
               "the name is empty; record skipped");
    *lost = true;
    return 0;
  }
  emb_date eff = {0}, exp = {0};
  bool has_eff = read_date(st, st->c.effective, "Effective_Date", &eff);
  bool has_exp = read_date(st, st->c.expiration, "Expiration_Date", &exp);

  /* The id: see the top of the file. */
  char order[32];
  if (!earliest_notice(get(st, st->c.citation), order)) {
    if (has_eff) {
      char d[24];
      emb_date_format(&eff, d, sizeof(d));
      snprintf(order, sizeof(order), "eff:%s", d);
    } else {
      snprintf(order, sizeof(order), "none");
    }
  }
  emb_buf *key = &st->b[2];
  emb__buf_reset(key);
  if (emb__buf_printf(key, "%s|%s", name, order))
    return EMB_ENOMEM;
  upper(key->data);
  emb_sha256 h;
  emb__sha256_init(&h);
  emb__sha256_update(&h, key->data, key->len);
  char hex[65];
  emb__sha256_final_hex(&h, hex);
  char id[24];
  snprintf(id, sizeof(id), "dpl:%.16s", hex);

  bool created = false;
  emb_entity *e = emb__set_upsert(set, id, &created);
  if (!e)
    return EMB_ENOMEM;
  if (created) {
    TRY(emb__entity_set_source(set, e, SOURCE));
    TRY(emb__entity_add_str(set, &e->lists, LIST_NAME));
    e->schema = company_like(name) ? EMB_SCHEMA_COMPANY : EMB_SCHEMA_LEGAL_ENTITY;
    if (has_eff)
      e->listed_on = eff;
    if (has_exp)
      e->end_date = exp;
  } else {
    /* A later row of the same denial: its expiry should be the same. */
    bool had = e->end_date.precision != EMB_DATE_NONE;
    int c = had && has_exp ? date_cmp(&exp, &e->end_date) : (had == has_exp ? 0 : 1);
    if (c != 0) {
      char a[24], b[24];
      emb_date_format(&e->end_date, a, sizeof(a));
      emb_date_format(&exp, b, sizeof(b));
      emb__warn(ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, "Expiration_Date",
                "rows of the same denial disagree on the expiration date (%s, %s); the "
                "later one is kept",
                had ? a : "none", has_exp ? b : "none");
      if (has_exp && c > 0)
        e->end_date = exp;
    }
  }
  TRY(emb__entity_add_name_simple(set, e, name, EMB_NAME_PRIMARY, EMB_STRONG));
  TRY(add_other_names(st, e, name));

  emb_address a = {0};
  a.street = clean(&st->b[0], get(st, st->c.street));
  a.city = clean(&st->b[1], get(st, st->c.city));
  a.region = clean(&st->b[2], get(st, st->c.state));
  a.postal_code = clean(&st->b[3], get(st, st->c.postal));
  if (!a.street || !a.city || !a.region || !a.postal_code)
    return EMB_ENOMEM;
  const char *country = get(st, st->c.country);
  /* A US state with no country is in the US (the list leaves Country empty there). */
  a.country = *country ? country : (us_state(a.region) ? "US" : NULL);
  TRY(emb__entity_add_address(set, e, &a));

  const char *cit = clean(&st->b[0], get(st, st->c.citation));
  if (!cit)
    return EMB_ENOMEM;
  if (*cit) {
    emb_buf *r = &st->b[1];
    emb__buf_reset(r);
    if (emb__buf_printf(r, "Federal Register: %s", cit))
      return EMB_ENOMEM;
    TRY(emb__entity_add_str(set, &e->remarks, emb__buf_str(r)));
  }
  return 0;
}

/* ------------------------------------------------------------------ driver */

static int load(dpl_state *st, emb_csv *csv) {
  emb_load_ctx *ctx = st->ctx;
  size_t errors0 = ctx->diags ? ctx->diags->n_errors : 0;
  emb_csv_row *row = &st->cur;
  st->row = row;
  int r = emb__csv_next(csv, row);
  if (r < 0)
    return r;
  if (r == 0) {
    emb__error(ctx->diags, EMB_EFORMAT, st->file, 0, 0, NULL, "the file is empty: no header line");
    return EMB_EFORMAT;
  }
  dpl_cols *c = &st->c;
  c->name = emb__csv_col(row, "Name");
  c->street = emb__csv_col(row, "Street_Address");
  c->city = emb__csv_col(row, "City");
  c->state = emb__csv_col(row, "State");
  c->country = emb__csv_col(row, "Country");
  c->postal = emb__csv_col(row, "Postal_Code");
  c->effective = emb__csv_col(row, "Effective_Date");
  c->expiration = emb__csv_col(row, "Expiration_Date");
  c->citation = emb__csv_col(row, "FR_Citation");
  if (c->name < 0) {
    emb__error(ctx->diags, EMB_EFORMAT, st->file, row->line, 0, "Name",
               "the header has no \"Name\" column; nothing was loaded from this file");
    return EMB_EFORMAT;
  }
  return emb__csv_each_row(ctx, csv, row, st->file, errors0, each_row, st);
}

int emb__load_dpl(emb_load_ctx *ctx) {
  emb_input *in = NULL;
  emb_csv *csv = NULL;
  int rc = emb__load_open_csv(ctx, '\t', &in, &csv);
  if (rc)
    return rc;
  dpl_state st;
  memset(&st, 0, sizeof(st));
  st.ctx = ctx;
  st.file = emb__input_name(in);
  for (size_t i = 0; i < sizeof(st.b) / sizeof(st.b[0]); i++)
    emb__buf_init(&st.b[i], SCRATCH_CAP);
  emb__buf_init(&st.name, SCRATCH_CAP);
  rc = load(&st, csv);
  for (size_t i = 0; i < sizeof(st.b) / sizeof(st.b[0]); i++)
    emb__buf_fini(&st.b[i]);
  emb__buf_fini(&st.name);
  emb__csv_free(csv);
  emb__input_close(in);
  return rc;
}
