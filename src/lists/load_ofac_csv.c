/*
 * load_ofac_csv.c - OFAC's legacy CSV file sets: sdn.csv + add.csv + alt.csv +
 * sdn_comments.csv (the SDN list) and cons_prim.csv + cons_add.csv + cons_alt.csv +
 * cons_comments.csv (the non-SDN consolidated list).
 *
 * The files have no header; "-0-" (often followed by a space) is null; values are
 * quoted; the files end with a DOS EOF byte 0x1A that the CSV reader ignores. One row
 * of the main file is one entity "ofac:<ent_num>"; the other files refer to it by
 * ent_num: addresses, aliases, and the continuation of remarks longer than OFAC's
 * 1000-character field. The same ent_num on the SDN and the non-SDN list is one
 * party, so both loads land on the same entity (emb__set_upsert merges) and it carries
 * both list names. docs/formats/ofac-csv.md has the full field mapping.
 *
 * ctx->path is either a directory (the file set: each group's comments are read
 * first, so remarks are joined before they are parsed, then the main file, then
 * addresses and aliases) or one file, recognised by its name (or, failing that, by
 * the field count of its first record). A lone companion file attaches to entities
 * already in the set; rows whose entity is not there are counted and reported in one
 * warning per file.
 *
 * The reader runs with trim off: the loader trims every value itself, except the
 * remarks and their continuation, which are joined byte for byte (OFAC cuts them in
 * the middle of a word, sometimes right before a space).
 *
 * Bad rows: a main row with the wrong field count is reported (file, line, "field
 * count") and read best-effort when it has at least an ent_num and a name - only
 * those two are taken, since a stray comma shifts everything after it; a companion
 * row with the wrong field count is reported and skipped; a non-numeric ent_num is
 * reported naming the field and the row is skipped. Any such loss makes the loader
 * return EMB_EFORMAT after reading everything else.
 *
 * Memory and time: the CSV reader bounds fields and records; the loader keeps the
 * comments of one group (bounded by that file) and one byte per entity to count the
 * entities it touched; everything else goes into the set. Entities drop duplicate
 * values by a linear scan, so a row is skipped (with an error) once its entity holds
 * ENTITY_VALUE_CAP values of one kind, and the remarks parser reads at most 1,024 facts
 * of one text: hostile input stays linear.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/strmap.h"
#include "lists/loader.h"
#include "lists/ofac_remarks.h"

#define MAX_ID_DIGITS 18
#define FIELD_CAP ((size_t)2 << 20)   /* a trimmed copy of one field */
#define COMMENT_CAP ((size_t)4 << 20) /* one entity's remarks continuation */
#define OFAC_REMARKS_LIMIT 1000       /* OFAC cuts the remarks field here */
#define N_SCRATCH 12
/* Values of one kind an entity may collect; real entities have at most a few hundred.
   Entities dedupe values linearly, so this bound keeps hostile input linear. */
#define ENTITY_VALUE_CAP 4096

typedef enum { K_MAIN = 0, K_ADD, K_ALT, K_COMMENTS, K_COUNT, K_NONE = K_COUNT } file_kind;

static const size_t KIND_FIELDS[K_COUNT] = {12, 6, 5, 2};
static const char *const KIND_NAMES[K_COUNT] = {"main", "address", "alias", "comments"};

/* The two file groups: a directory may hold either or both. */
typedef struct group {
  const char *files[K_COUNT]; /* file names per kind */
  const char *list;           /* list name given to the entities */
} group;

static const group GROUPS[2] = {
    {{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"}, "SDN"},
    {{"cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"}, "Non-SDN"},
};

/* A remarks continuation waiting for its entity. */
typedef struct comment {
  char *id;     /* "ofac:<ent_num>", malloc'ed (the map's key) */
  emb_buf text; /* the continuation as written, rows of one ent_num joined */
  unsigned long line;
  bool used;
} comment;

typedef struct state {
  emb_load_ctx *ctx;
  int fatal;            /* first I/O or memory error */
  bool lost;            /* a record was lost or only partly read */
  emb_buf f[N_SCRATCH]; /* trimmed copies of the current row's fields */
  emb_buf join;         /* remarks + continuation */
  comment *cm;
  size_t n_cm, cap_cm;
  emb_strmap cm_map;
  char *cm_file;          /* the comments file the pending comments came from */
  unsigned char *touched; /* one byte per entity index: this load contributed to it */
  size_t cap_touched;
  size_t n_touched;
  size_t n_records;   /* rows of main files */
  size_t n_companion; /* rows of companion files */
  size_t n_orphans;   /* rows of the current companion file without an entity */
  char first_orphan[MAX_ID_DIGITS + 1];
} state;

/* ---------------------------------------------------------------- helpers */

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* True if s (trimmed) is 1..MAX_ID_DIGITS decimal digits; copies them into out. */
static bool parse_ent_num(const char *s, size_t len, char out[MAX_ID_DIGITS + 1]) {
  while (len && is_space(*s)) {
    s++;
    len--;
  }
  while (len && is_space(s[len - 1]))
    len--;
  if (len == 0 || len > MAX_ID_DIGITS)
    return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  memcpy(out, s, len);
  out[len] = '\0';
  return true;
}

/*
 * Field i of the row, trimmed and copied into scratch buffer `slot`; NULL when the
 * field is absent, blank or OFAC's null "-0-".
 */
static const char *field(state *st, const emb_csv_row *r, size_t i, size_t slot) {
  if (i >= r->count || slot >= N_SCRATCH)
    return NULL;
  const char *s = r->fields[i];
  size_t n = r->lens[i];
  while (n && is_space(*s)) {
    s++;
    n--;
  }
  while (n && is_space(s[n - 1]))
    n--;
  emb_buf *b = &st->f[slot];
  emb__buf_reset(b);
  if (emb__buf_append(b, s, n))
    return NULL; /* cannot happen: the reader caps fields below FIELD_CAP */
  const char *v = emb__buf_str(b);
  return emb__is_null_value(v) ? NULL : v;
}

/* Case-insensitive substring test. */
static bool contains_ci(const char *s, const char *word) {
  size_t n = strlen(word);
  for (; *s; s++)
    if (strncasecmp(s, word, n) == 0)
      return true;
  return false;
}

/* True when one of e's value lists has reached ENTITY_VALUE_CAP. */
static bool entity_full(const emb_entity *e) {
  const size_t n[] = {
      e->n_names,       e->n_birth_dates,   e->n_countries,        e->n_ids,
      e->n_addresses,   e->lists.count,     e->birth_places.count, e->programs.count,
      e->remarks.count, e->linked_to.count, e->titles.count};
  for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
    if (n[i] >= ENTITY_VALUE_CAP)
      return true;
  return false;
}

/* Reports a row skipped because its entity is full. */
static void report_full(state *st, const char *file, unsigned long line, const char *id) {
  emb__error(st->ctx->diags, EMB_ETOOBIG, file, line, 0, NULL,
             "%s already holds %d values of one kind; the record was skipped", id,
             ENTITY_VALUE_CAP);
  st->lost = true;
}

/* snprintf(buf, size, "ofac:%s", num), spelt out: it runs for every row of every file. */
static void make_id(char *buf, size_t size, const char *num) {
  size_t n = strlen(num);
  if (n > size - 6)
    n = size - 6;
  memcpy(buf, "ofac:", 5);
  memcpy(buf + 5, num, n);
  buf[5 + n] = '\0';
}

/* Marks entity idx as contributed to by this load. */
static int touch(state *st, size_t idx) {
  if (idx >= st->cap_touched) {
    size_t n = st->cap_touched ? st->cap_touched : 1024;
    while (n <= idx)
      n *= 2;
    unsigned char *p = realloc(st->touched, n);
    if (!p)
      return EMB_ENOMEM;
    memset(p + st->cap_touched, 0, n - st->cap_touched);
    st->touched = p;
    st->cap_touched = n;
  }
  if (!st->touched[idx]) {
    st->touched[idx] = 1;
    st->n_touched++;
  }
  return 0;
}

static void set_fatal(state *st, int rc) {
  if (rc && !st->fatal)
    st->fatal = rc;
}

/* Basename of a path, for recognising files and naming lists. */
static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* The kind of a file from its name (sdn.csv, cons_add.csv, ... optionally .gz/.zip). */
static file_kind kind_from_name(const char *path, const char **list) {
  const char *b = base_name(path);
  size_t n = strlen(b);
  if (n > 3 && strcasecmp(b + n - 3, ".gz") == 0)
    n -= 3;
  else if (n > 4 && strcasecmp(b + n - 4, ".zip") == 0)
    n -= 4;
  for (size_t g = 0; g < 2; g++)
    for (size_t k = 0; k < K_COUNT; k++)
      if (strlen(GROUPS[g].files[k]) == n && strncasecmp(b, GROUPS[g].files[k], n) == 0) {
        *list = GROUPS[g].list;
        return (file_kind)k;
      }
  *list = strncasecmp(b, "cons", 4) == 0 ? "Non-SDN" : "SDN";
  return K_NONE;
}

/* ------------------------------------------------------------ first line */

#define SNIFF_FIELDS 16

typedef struct sfield {
  size_t off, len;
  bool quoted;
} sfield;

/*
 * Splits the first line of h[0..n) into up to SNIFF_FIELDS fields. Returns the field
 * count (SNIFF_FIELDS + 1 when there are more); *complete is false when the line does
 * not end within the bytes; *tab when a tab occurs outside quotes.
 */
static size_t split_first_line(const unsigned char *h, size_t n, sfield *f, bool *complete,
                               bool *tab) {
  size_t i = 0, count = 0;
  *complete = false;
  *tab = false;
  if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
    i = 3;
  for (;;) {
    sfield cur = {i, 0, false};
    if (i < n && h[i] == '"') {
      cur.quoted = true;
      cur.off = ++i;
      while (i < n) {
        if (h[i] == '"') {
          if (i + 1 < n && h[i + 1] == '"') {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      cur.len = i - cur.off;
      if (i < n)
        i++; /* the closing quote */
      while (i < n && h[i] != ',' && h[i] != '\n' && h[i] != '\r') {
        if (h[i] == '\t')
          *tab = true;
        i++;
      }
    } else {
      while (i < n && h[i] != ',' && h[i] != '\n' && h[i] != '\r') {
        if (h[i] == '\t')
          *tab = true;
        i++;
      }
      cur.len = i - cur.off;
    }
    if (count < SNIFF_FIELDS)
      f[count] = cur;
    count++;
    if (i >= n)
      return count > SNIFF_FIELDS ? SNIFF_FIELDS + 1 : count;
    if (h[i] == ',') {
      i++;
      if (count > SNIFF_FIELDS)
        return SNIFF_FIELDS + 1;
      continue;
    }
    *complete = true; /* a line end */
    return count > SNIFF_FIELDS ? SNIFF_FIELDS + 1 : count;
  }
}

/* The field's bytes without surrounding spaces. */
static void sfield_trim(const unsigned char *h, const sfield *f, const char **s, size_t *n) {
  const char *p = (const char *)h + f->off;
  size_t len = f->len;
  while (len && is_space(*p)) {
    p++;
    len--;
  }
  while (len && is_space(p[len - 1]))
    len--;
  *s = p;
  *n = len;
}

static bool sfield_is(const unsigned char *h, const sfield *f, const char *word) {
  const char *s;
  size_t n;
  sfield_trim(h, f, &s, &n);
  return n == strlen(word) && strncasecmp(s, word, n) == 0;
}

static bool sfield_digits(const unsigned char *h, const sfield *f) {
  const char *s;
  size_t n;
  char tmp[MAX_ID_DIGITS + 1];
  sfield_trim(h, f, &s, &n);
  return !f->quoted && parse_ent_num(s, n, tmp);
}

/* A value OFAC writes: quoted text or the null marker. */
static bool sfield_value(const unsigned char *h, const sfield *f) {
  return f->quoted || sfield_is(h, f, "-0-");
}

/*
 * The kind of file whose first line is in h[0..n), judged by content: ent_num first,
 * the field count of one of the four files, quoted values or "-0-" everywhere else.
 * `strict` also requires the kind-specific markers (the type of a main row, the alias
 * type); a two-field comments line is only accepted when `comments_name` is true.
 */
static file_kind kind_from_content(const unsigned char *h, size_t n, bool strict,
                                   bool comments_name) {
  sfield f[SNIFF_FIELDS];
  bool complete, tab;
  size_t count = split_first_line(h, n, f, &complete, &tab);
  if (tab || count > SNIFF_FIELDS || (!complete && n >= 65536))
    return K_NONE;
  if (count < 2 || !sfield_digits(h, &f[0]))
    return K_NONE;
  file_kind k = K_NONE;
  for (size_t i = 0; i < K_COUNT; i++)
    if (KIND_FIELDS[i] == count)
      k = (file_kind)i;
  if (k == K_NONE)
    return K_NONE;
  size_t first_value = (k == K_ADD || k == K_ALT) ? 2 : 1;
  if (k == K_ADD || k == K_ALT)
    if (!sfield_digits(h, &f[1]))
      return K_NONE;
  for (size_t i = first_value; i < count; i++)
    if (!sfield_value(h, &f[i]))
      return K_NONE;
  if (!strict)
    return k;
  switch (k) {
  case K_MAIN:
    if (!f[1].quoted || f[1].len == 0)
      return K_NONE;
    if (!(sfield_is(h, &f[2], "-0-") || sfield_is(h, &f[2], "individual") ||
          sfield_is(h, &f[2], "vessel") || sfield_is(h, &f[2], "aircraft")))
      return K_NONE;
    return k;
  case K_ALT:
    if (!(sfield_is(h, &f[2], "aka") || sfield_is(h, &f[2], "fka") || sfield_is(h, &f[2], "nka")) ||
        !f[3].quoted)
      return K_NONE;
    return k;
  case K_ADD: return k;
  case K_COMMENTS: return comments_name && f[1].quoted ? k : K_NONE;
  default: return K_NONE;
  }
}

bool emb__sniff_ofac_csv(const unsigned char *head, size_t n, const char *path) {
  if (!head || n == 0)
    return false;
  bool comments_name = path && strstr(base_name(path), "comments") != NULL;
  return kind_from_content(head, n, true, comments_name) != K_NONE;
}

/* ------------------------------------------------------------- main file */

/* Adds the programmes of "SDGT] [IRGC" (OFAC joins several with "] ["). */
static int add_programs(emb_entity_set *set, emb_entity *e, const char *s) {
  char buf[256];
  while (*s) {
    while (*s == '[' || *s == ']' || is_space(*s))
      s++;
    size_t n = 0;
    while (s[n] && s[n] != '[' && s[n] != ']')
      n++;
    size_t m = n;
    while (m && is_space(s[m - 1]))
      m--;
    if (m) {
      if (m >= sizeof(buf)) {
        m = sizeof(buf) - 1;
        while (m && ((unsigned char)s[m] & 0xC0) == 0x80)
          m--; /* cut between characters, never inside one */
      }
      memcpy(buf, s, m);
      buf[m] = '\0';
      int rc = emb__entity_add_str(set, &e->programs, buf);
      if (rc)
        return rc;
    }
    s += n;
  }
  return 0;
}

static emb_schema schema_of(const char *type) {
  if (!type)
    return EMB_SCHEMA_ORGANIZATION;
  if (strcasecmp(type, "individual") == 0)
    return EMB_SCHEMA_PERSON;
  if (strcasecmp(type, "vessel") == 0)
    return EMB_SCHEMA_VESSEL;
  if (strcasecmp(type, "aircraft") == 0)
    return EMB_SCHEMA_AIRPLANE;
  return EMB_SCHEMA_UNKNOWN;
}

static comment *find_comment(state *st, const char *id) {
  size_t v;
  if (st->n_cm && emb__strmap_get(&st->cm_map, id, strlen(id), &v))
    return &st->cm[v];
  return NULL;
}

/* Joins the raw remarks and their continuation, trims, parses, and keeps the text. */
static int add_remarks(state *st, emb_entity *e, const emb_csv_row *r, const char *file,
                       const char *id) {
  emb_entity_set *set = st->ctx->set;
  const char *raw = r->count > 11 ? r->fields[11] : "";
  size_t raw_len = r->count > 11 ? r->lens[11] : 0;
  if (emb__is_null_value(raw)) {
    raw = "";
    raw_len = 0;
  }
  comment *c = find_comment(st, id);
  emb__buf_reset(&st->join);
  int rc = emb__buf_append(&st->join, raw, raw_len);
  if (!rc && c) {
    c->used = true;
    rc = emb__buf_append(&st->join, c->text.data ? c->text.data : "", c->text.len);
  }
  if (rc) {
    emb__error(st->ctx->diags, rc, file, r->line, 0, "Remarks",
               "the remarks and their continuation are too long to join; they were not read");
    st->lost = true;
    return 0;
  }
  if (!st->join.data)
    return 0;
  char *text = st->join.data;
  size_t len = st->join.len;
  while (len && is_space(*text)) {
    text++;
    len--;
  }
  while (len && is_space(text[len - 1]))
    len--;
  if (!len)
    return 0;
  unsigned flags = 0;
  if (!c && raw_len >= OFAC_REMARKS_LIMIT && text[len - 1] != '.')
    flags |= EMB_OFAC_REMARKS_TRUNCATED;
  emb_ofac_where w = {st->ctx->diags, file, r->line, "Remarks"};
  text[len] = '\0'; /* the trimmed end; the buffer is ours until the next row */
  rc = emb__ofac_remarks_apply(set, e, text, len, flags, &w);
  if (rc)
    return rc;
  return emb__entity_add_str(set, &e->remarks, text);
}

static int main_row(state *st, const emb_csv_row *r, const char *file, const char *list) {
  emb_diags *dg = st->ctx->diags;
  emb_entity_set *set = st->ctx->set;
  char num[MAX_ID_DIGITS + 1], id[MAX_ID_DIGITS + 8];
  st->n_records++;
  if (r->bad) { /* the reader reported it */
    st->lost = true;
    return 0;
  }
  if (!parse_ent_num(r->fields[0], r->lens[0], num)) {
    emb__error(dg, EMB_EFORMAT, file, r->line, 1, "ent_num",
               "ent_num is not a number (\"%.40s\"); the record was skipped", r->fields[0]);
    st->lost = true;
    return 0;
  }
  bool partial = r->count != KIND_FIELDS[K_MAIN];
  if (partial) {
    st->lost = true;
    if (r->count < 2) {
      emb__error(dg, EMB_EFORMAT, file, r->line, 0, NULL,
                 "field count: expected 12 fields, found %zu; the record of ent_num %s was "
                 "skipped",
                 r->count, num);
      return 0;
    }
    emb__error(dg, EMB_EFORMAT, file, r->line, 0, NULL,
               "field count: expected 12 fields, found %zu; only ent_num %s and the name "
               "were read",
               r->count, num);
  }
  const char *name = field(st, r, 1, 1);
  if (!name) {
    emb__error(dg, EMB_EFORMAT, file, r->line, 0, "SDN_Name",
               "the name of ent_num %s is empty; the record was skipped", num);
    st->lost = true;
    return 0;
  }
  const char *type = field(st, r, 2, 2);
  emb_schema schema = schema_of(type);
  if (schema == EMB_SCHEMA_UNKNOWN) {
    if (!partial)
      emb__warn(dg, EMB_EFORMAT, file, r->line, 0, "SDN_Type",
                "unknown SDN_Type \"%.40s\" for ent_num %s; read as an organization", type, num);
    schema = EMB_SCHEMA_ORGANIZATION;
  }
  make_id(id, sizeof(id), num);
  bool created = false;
  emb_entity *e = emb__set_upsert(set, id, &created);
  if (!e)
    return EMB_ENOMEM;
  if (entity_full(e)) {
    report_full(st, file, r->line, id);
    return 0;
  }
  int rc = touch(st, emb__set_index(set, id));
  if (rc)
    return rc;
  if (created || e->schema == EMB_SCHEMA_UNKNOWN)
    e->schema = schema;
  if ((rc = emb__entity_set_source(set, e, "ofac")) ||
      (rc = emb__entity_add_str(set, &e->lists, list)) ||
      (rc = emb__ofac_add_name(set, e, name, EMB_NAME_PRIMARY, EMB_STRONG)))
    return rc;
  if (partial)
    return 0;

  const char *v;
  if ((v = field(st, r, 3, 3)) && (rc = add_programs(set, e, v)))
    return rc;
  if ((v = field(st, r, 4, 4)) && (rc = emb__entity_add_str(set, &e->titles, v)))
    return rc;
  if ((v = field(st, r, 5, 5)) && (rc = emb__entity_add_id(set, e, "other", v, NULL, "Call Sign")))
    return rc;
  static const char *const VESSEL_LABELS[3] = {"Vessel type", "Tonnage",
                                               "Gross registered tonnage"};
  for (size_t i = 0; i < 3; i++) {
    if ((v = field(st, r, 6 + i, 6 + i))) {
      char line[512];
      snprintf(line, sizeof(line), "%s: %s", VESSEL_LABELS[i], v);
      if ((rc = emb__entity_add_str(set, &e->remarks, line)))
        return rc;
    }
  }
  if ((v = field(st, r, 9, 9)) &&
      (rc = emb__entity_add_country(set, e, v, EMB_COUNTRY_JURISDICTION)))
    return rc;
  if ((v = field(st, r, 10, 10)) && (rc = emb__entity_add_str(set, &e->linked_to, v)))
    return rc;
  return add_remarks(st, e, r, file, id);
}

/* ------------------------------------------------------------ companions */

/* Common start of a companion row: field count and ent_num; NULL when skipped. */
static emb_entity *companion_entity(state *st, const emb_csv_row *r, const char *file,
                                    file_kind k) {
  emb_diags *dg = st->ctx->diags;
  char num[MAX_ID_DIGITS + 1], id[MAX_ID_DIGITS + 8];
  if (r->bad) {
    st->lost = true;
    return NULL;
  }
  if (r->count != KIND_FIELDS[k]) {
    emb__error(dg, EMB_EFORMAT, file, r->line, 0, NULL,
               "field count: expected %zu fields in an OFAC %s file, found %zu; the record "
               "was skipped",
               KIND_FIELDS[k], KIND_NAMES[k], r->count);
    st->lost = true;
    return NULL;
  }
  if (!parse_ent_num(r->fields[0], r->lens[0], num)) {
    emb__error(dg, EMB_EFORMAT, file, r->line, 1, "ent_num",
               "ent_num is not a number (\"%.40s\"); the record was skipped", r->fields[0]);
    st->lost = true;
    return NULL;
  }
  make_id(id, sizeof(id), num);
  size_t idx = emb__set_index(st->ctx->set, id);
  if (idx == (size_t)-1) {
    if (!st->n_orphans++)
      snprintf(st->first_orphan, sizeof(st->first_orphan), "%s", num);
    return NULL;
  }
  emb_entity *e = emb__set_at(st->ctx->set, idx);
  if (entity_full(e)) {
    report_full(st, file, r->line, id);
    return NULL;
  }
  int rc = touch(st, idx);
  if (rc) {
    set_fatal(st, rc);
    return NULL;
  }
  return e;
}

static int add_row(state *st, const emb_csv_row *r, const char *file) {
  emb_entity *e = companion_entity(st, r, file, K_ADD);
  if (!e)
    return st->fatal;
  emb_address a = {0};
  a.street = field(st, r, 2, 2);
  a.city = field(st, r, 3, 3);
  a.country = field(st, r, 4, 4);
  int rc = emb__entity_add_address(st->ctx->set, e, &a);
  const char *rem = field(st, r, 5, 5);
  if (!rc && rem)
    rc = emb__entity_add_str(st->ctx->set, &e->remarks, rem);
  return rc;
}

static int alt_row(state *st, const emb_csv_row *r, const char *file) {
  emb_entity *e = companion_entity(st, r, file, K_ALT);
  if (!e)
    return st->fatal;
  const char *type = field(st, r, 2, 2);
  const char *name = field(st, r, 3, 3);
  const char *rem = field(st, r, 4, 4);
  if (!name) {
    emb__error(st->ctx->diags, EMB_EFORMAT, file, r->line, 0, "alt_name",
               "the alias name is empty; the record was skipped");
    st->lost = true;
    return 0;
  }
  emb_name_kind kind = EMB_NAME_ALIAS;
  if (type && (strcasecmp(type, "fka") == 0 || strcasecmp(type, "f.k.a.") == 0)) {
    kind = EMB_NAME_FORMER;
  } else if (type && strcasecmp(type, "aka") && strcasecmp(type, "a.k.a.") &&
             strcasecmp(type, "nka") && strcasecmp(type, "n.k.a.")) {
    emb__warn(st->ctx->diags, EMB_EFORMAT, file, r->line, 0, "alt_type",
              "unknown alias type \"%.20s\"; read as a.k.a.", type);
  }
  /* OFAC puts weak a.k.a.s into the remarks; alt.csv holds the strong ones, unless its
     own remark says otherwise. */
  emb_strength strength = EMB_STRONG;
  if (rem && (contains_ci(rem, "weak") || contains_ci(rem, "low quality")))
    strength = EMB_WEAK;
  int rc = emb__ofac_add_name(st->ctx->set, e, name, kind, strength);
  if (!rc && rem)
    rc = emb__entity_add_str(st->ctx->set, &e->remarks, rem);
  return rc;
}

/* Stores a remarks continuation row for the main file still to come. */
static int comment_row(state *st, const emb_csv_row *r, const char *file) {
  char num[MAX_ID_DIGITS + 1], id[MAX_ID_DIGITS + 8];
  if (r->bad) {
    st->lost = true;
    return 0;
  }
  if (r->count != KIND_FIELDS[K_COMMENTS]) {
    emb__error(st->ctx->diags, EMB_EFORMAT, file, r->line, 0, NULL,
               "field count: expected 2 fields in an OFAC comments file, found %zu; the "
               "record was skipped",
               r->count);
    st->lost = true;
    return 0;
  }
  if (!parse_ent_num(r->fields[0], r->lens[0], num)) {
    emb__error(st->ctx->diags, EMB_EFORMAT, file, r->line, 1, "ent_num",
               "ent_num is not a number (\"%.40s\"); the record was skipped", r->fields[0]);
    st->lost = true;
    return 0;
  }
  if (emb__is_null_value(r->fields[1]))
    return 0;
  make_id(id, sizeof(id), num);
  comment *c = find_comment(st, id);
  if (!c) {
    if (st->n_cm == st->cap_cm) {
      size_t n = st->cap_cm ? st->cap_cm * 2 : 16;
      comment *p = realloc(st->cm, n * sizeof(*p));
      if (!p)
        return EMB_ENOMEM;
      st->cm = p;
      st->cap_cm = n;
    }
    c = &st->cm[st->n_cm];
    memset(c, 0, sizeof(*c));
    c->id = strdup(id);
    if (!c->id)
      return EMB_ENOMEM;
    emb__buf_init(&c->text, COMMENT_CAP);
    c->line = r->line;
    st->n_cm++;
    int rc = emb__strmap_put(&st->cm_map, c->id, strlen(c->id), st->n_cm - 1);
    if (rc)
      return rc;
  }
  int rc = emb__buf_append(&c->text, r->fields[1], r->lens[1]);
  if (rc == EMB_ETOOBIG) {
    emb__error(st->ctx->diags, rc, file, r->line, 0, "remarks_extended",
               "the remarks continuation of ent_num %s exceeds %zu bytes; this part was "
               "skipped",
               num, COMMENT_CAP);
    st->lost = true;
    return 0;
  }
  return rc;
}

static void clear_comments(state *st) {
  for (size_t i = 0; i < st->n_cm; i++) {
    free(st->cm[i].id);
    emb__buf_fini(&st->cm[i].text);
  }
  st->n_cm = 0;
  emb__strmap_fini(&st->cm_map);
  emb__strmap_init(&st->cm_map);
}

/*
 * A continuation whose entity was loaded earlier (another file or call): joined to
 * the entity's truncated remarks when it has them, and the joined last fact parsed;
 * else kept as a remark of its own, its first (cut) fact not parsed.
 */
static int attach_continuation(state *st, emb_entity *e, const comment *c) {
  emb_entity_set *set = st->ctx->set;
  emb_ofac_where w = {st->ctx->diags, st->cm_file, c->line, "remarks_extended"};
  const char *cont = c->text.data ? c->text.data : "";
  for (size_t i = 0; i < e->remarks.count; i++) {
    const char *old = e->remarks.items[i];
    size_t ol = strlen(old);
    if (ol < OFAC_REMARKS_LIMIT || old[ol - 1] == '.')
      continue;
    emb__buf_reset(&st->join);
    int rc = emb__buf_append(&st->join, old, ol);
    if (!rc)
      rc = emb__buf_append(&st->join, cont, c->text.len);
    if (rc)
      return rc == EMB_ETOOBIG ? 0 : rc;
    const char *semi = strrchr(old, ';');
    size_t from = semi ? (size_t)(semi - old) + 1 : 0;
    const char *joined = emb__buf_str(&st->join);
    size_t jl = st->join.len;
    while (jl && is_space(joined[jl - 1]))
      jl--;
    rc = emb__ofac_remarks_apply(set, e, joined + from, jl - from, 0, &w);
    if (rc)
      return rc;
    const char *copy = emb__set_strn(set, joined, jl);
    if (!copy)
      return EMB_ENOMEM;
    e->remarks.items[i] = copy;
    return 0;
  }
  int rc = emb__ofac_remarks_apply(set, e, cont, c->text.len, EMB_OFAC_REMARKS_CONTINUATION, &w);
  if (rc)
    return rc;
  return emb__entity_add_str(set, &e->remarks, cont);
}

/* Pending continuations that no main row took: attach them or count them as orphans. */
static void flush_comments(state *st) {
  size_t orphans = 0;
  const char *first = NULL;
  for (size_t i = 0; i < st->n_cm && !st->fatal; i++) {
    comment *c = &st->cm[i];
    if (c->used)
      continue;
    size_t idx = emb__set_index(st->ctx->set, c->id);
    if (idx == (size_t)-1) {
      if (!orphans++)
        first = c->id + 5;
      continue;
    }
    emb_entity *e = emb__set_at(st->ctx->set, idx);
    if (entity_full(e)) {
      report_full(st, st->cm_file, c->line, c->id);
      continue;
    }
    int rc = touch(st, idx);
    if (!rc)
      rc = attach_continuation(st, e, c);
    set_fatal(st, rc);
  }
  if (orphans)
    emb__warn(st->ctx->diags, EMB_ENOTFOUND, st->cm_file, 0, 0, NULL,
              "%zu remarks continuations refer to an ent_num with no entity in the set "
              "(the first is %s); they were skipped",
              orphans, first);
  clear_comments(st);
}

/* ----------------------------------------------------------------- files */

/* Reads one file of kind k; rows go to the entity set (or, for comments, to pending). */
static int read_file(state *st, const char *path, file_kind k, const char *list) {
  emb_input *in = NULL;
  int rc = emb__load_open(st->ctx, path, &in);
  if (rc)
    return rc; /* reported by the input layer */
  emb_csv_opts o = emb__csv_opts_default();
  o.delimiter = ',';
  o.allow_cp1252 = true;
  o.trim = false;
  o.max_fields = 64;
  emb_csv *csv = NULL;
  rc = emb__csv_new(in, &o, st->ctx->diags, &csv);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  const char *file = emb__input_name(in);
  char *file_copy = strdup(file);
  if (!file_copy) {
    emb__csv_free(csv);
    emb__input_close(in);
    return EMB_ENOMEM;
  }
  st->n_orphans = 0;
  emb_csv_row r;
  int got;
  while ((got = emb__csv_next(csv, &r)) == 1) {
    if (r.count == 1 && !field(st, &r, 0, 0))
      continue; /* a line of spaces */
    if (k != K_MAIN)
      st->n_companion++;
    switch (k) {
    case K_MAIN: rc = main_row(st, &r, file_copy, list); break;
    case K_ADD: rc = add_row(st, &r, file_copy); break;
    case K_ALT: rc = alt_row(st, &r, file_copy); break;
    case K_COMMENTS: rc = comment_row(st, &r, file_copy); break;
    default: rc = EMB_EINVAL; break;
    }
    if (rc)
      break;
  }
  if (!rc && got < 0)
    rc = got;
  if (st->n_orphans)
    emb__warn(st->ctx->diags, EMB_ENOTFOUND, file_copy, 0, 0, NULL,
              "%zu %s records refer to an ent_num with no entity in the set (the first is "
              "%s); they were skipped",
              st->n_orphans, KIND_NAMES[k], st->first_orphan);
  if (k == K_COMMENTS) {
    free(st->cm_file);
    st->cm_file = file_copy;
  } else {
    free(file_copy);
  }
  emb__csv_free(csv);
  emb__input_close(in);
  return rc;
}

/* Loads one group of files; paths[k] is NULL for a file that is absent. */
static void load_group(state *st, const char *const paths[K_COUNT], const char *list) {
  if (paths[K_COMMENTS])
    set_fatal(st, read_file(st, paths[K_COMMENTS], K_COMMENTS, list));
  if (paths[K_MAIN] && !st->fatal)
    set_fatal(st, read_file(st, paths[K_MAIN], K_MAIN, list));
  if (!st->fatal)
    flush_comments(st);
  for (int k = K_ADD; k <= K_ALT && !st->fatal; k++)
    if (paths[k])
      set_fatal(st, read_file(st, paths[k], (file_kind)k, list));
}

static int load_dir(state *st) {
  const char *dir = st->ctx->path;
  char *paths[2][K_COUNT] = {{NULL}};
  DIR *d = opendir(dir);
  if (!d) {
    emb__error(st->ctx->diags, EMB_EIO, dir, 0, 0, NULL, "cannot open the directory");
    return EMB_EIO;
  }
  bool any = false;
  struct dirent *de;
  while ((de = readdir(d))) {
    for (size_t g = 0; g < 2; g++)
      for (size_t k = 0; k < K_COUNT; k++)
        if (!paths[g][k] && strcasecmp(de->d_name, GROUPS[g].files[k]) == 0) {
          size_t n = strlen(dir) + strlen(de->d_name) + 2;
          paths[g][k] = malloc(n);
          if (!paths[g][k]) {
            set_fatal(st, EMB_ENOMEM);
            continue;
          }
          snprintf(paths[g][k], n, "%s/%s", dir, de->d_name);
          any = true;
        }
  }
  closedir(d);
  if (!any && !st->fatal) {
    emb__error(st->ctx->diags, EMB_ENOTFOUND, dir, 0, 0, NULL,
               "the directory holds no OFAC CSV file (sdn.csv, add.csv, alt.csv, "
               "sdn_comments.csv, cons_prim.csv, cons_add.csv, cons_alt.csv, "
               "cons_comments.csv)");
    st->fatal = EMB_ENOTFOUND;
  }
  for (size_t g = 0; g < 2 && !st->fatal; g++) {
    const char *gp[K_COUNT];
    for (size_t k = 0; k < K_COUNT; k++)
      gp[k] = paths[g][k];
    load_group(st, gp, GROUPS[g].list);
  }
  for (size_t g = 0; g < 2; g++)
    for (size_t k = 0; k < K_COUNT; k++)
      free(paths[g][k]);
  return st->fatal;
}

/* A single file: its kind from the name, else from its first line. */
static int load_file(state *st) {
  const char *path = st->ctx->path;
  const char *list = "SDN";
  file_kind k = kind_from_name(path, &list);
  if (k == K_NONE) {
    emb_input *in = NULL;
    int rc = emb__load_open(st->ctx, path, &in);
    if (rc)
      return rc;
    const unsigned char *head = NULL;
    size_t n = 0;
    rc = emb__input_peek(in, 65536, &head, &n);
    if (!rc)
      k = kind_from_content(head, n, false, true);
    emb__input_close(in);
    if (rc)
      return rc;
    if (k == K_NONE) {
      emb__error(st->ctx->diags, EMB_EFORMAT, path, 1, 0, NULL,
                 "not an OFAC legacy CSV file: the first record should start with a numeric "
                 "ent_num and have 12 (sdn.csv), 6 (add.csv), 5 (alt.csv) or 2 "
                 "(sdn_comments.csv) fields");
      return EMB_EFORMAT;
    }
  }
  const char *paths[K_COUNT] = {NULL};
  paths[k] = path;
  load_group(st, paths, list);
  return st->fatal;
}

int emb__load_ofac_csv(emb_load_ctx *ctx) {
  state st;
  memset(&st, 0, sizeof(st));
  st.ctx = ctx;
  for (size_t i = 0; i < N_SCRATCH; i++)
    emb__buf_init(&st.f[i], FIELD_CAP);
  emb__buf_init(&st.join, FIELD_CAP + COMMENT_CAP);
  emb__strmap_init(&st.cm_map);

  int rc = (!ctx->mem && emb__is_directory(ctx->path)) ? load_dir(&st) : load_file(&st);

  clear_comments(&st);
  emb__strmap_fini(&st.cm_map);
  free(st.cm);
  free(st.cm_file);
  free(st.touched);
  for (size_t i = 0; i < N_SCRATCH; i++)
    emb__buf_fini(&st.f[i]);
  emb__buf_fini(&st.join);
  if (ctx->source) {
    ctx->source->n_records = st.n_records ? st.n_records : st.n_companion;
    ctx->source->n_entities = st.n_touched;
  }
  if (rc)
    return rc;
  return st.lost ? EMB_EFORMAT : 0;
}
