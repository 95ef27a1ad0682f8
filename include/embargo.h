/*
 * embargo.h - the public API of libembargo.
 *
 * libembargo reads sanctions and export-control lists as the authorities publish
 * them and turns them into one entity model. The CLI (src/cli) and the server only
 * use what this header declares.
 *
 * Ownership, stated once for the whole API: an emb_entity_set owns every entity,
 * name, date and string reachable from it; pointers handed out by the set stay
 * valid until emb_set_free(). An emb_diags owns its messages until emb_diags_fini().
 * Functions return 0 or a negative EMB_E... code; results come back through
 * out-pointers. The library never prints and never exits.
 */
#ifndef EMBARGO_H
#define EMBARGO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EMB_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors */

/* One table yields both the enum and emb_strerror(). */
#define EMB_ERRNO_MAP(X)                                                                           \
  X(NOMEM, "out of memory")                                                                        \
  X(IO, "file could not be read")                                                                  \
  X(FORMAT, "malformed input")                                                                     \
  X(ENCODING, "invalid text encoding")                                                             \
  X(TOOBIG, "input exceeds a size limit")                                                          \
  X(TRUNCATED, "input ends early")                                                                 \
  X(UNSUPPORTED, "unsupported file kind")                                                          \
  X(SECURITY, "input refused for safety (entity declarations, external entities)")                 \
  X(INVAL, "invalid argument")                                                                     \
  X(NOTFOUND, "not found")

enum {
  EMB_OK = 0,
#define EMB__ERR_ENUM(name, msg) EMB_E##name,
  EMB__ERR_FIRST_ = -100,
  EMB_ERRNO_MAP(EMB__ERR_ENUM)
#undef EMB__ERR_ENUM
};

/* Returns a static message for an EMB_E... code (or "success" for 0). */
const char *emb_strerror(int rc);

/* ----------------------------------------------------------- diagnostics */

typedef enum { EMB_SEV_WARNING = 1, EMB_SEV_ERROR = 2 } emb_severity;

/* One problem found in an input: where it is and what it is. */
typedef struct emb_diag {
  emb_severity severity;
  int code;             /* EMB_E... */
  char *file;           /* file name as given (may be "path!member" for archives) */
  unsigned long line;   /* 1-based; 0 when unknown */
  unsigned long column; /* 1-based; 0 when unknown */
  char *field;          /* field or element name; NULL when not applicable */
  char *message;        /* a full sentence */
} emb_diag;

/* Diagnostics accumulate here; the first `max_kept` are kept verbatim, the rest counted. */
typedef struct emb_diags {
  emb_diag *items;
  size_t count;
  size_t cap;
  size_t max_kept;   /* 0 means the default (1000) */
  size_t n_errors;   /* all errors, kept or not */
  size_t n_warnings; /* all warnings, kept or not */
  size_t n_dropped;  /* diagnostics beyond max_kept */
} emb_diags;

void emb_diags_init(emb_diags *d);
void emb_diags_fini(emb_diags *d);
/* Formats one diagnostic as "file:line:col: error: field 'x': message" into buf. */
void emb_diag_format(const emb_diag *d, char *buf, size_t size);

/* ---------------------------------------------------------- entity model */

typedef enum {
  EMB_SCHEMA_UNKNOWN = 0,
  EMB_SCHEMA_PERSON,
  EMB_SCHEMA_ORGANIZATION,
  EMB_SCHEMA_COMPANY,
  EMB_SCHEMA_LEGAL_ENTITY,
  EMB_SCHEMA_VESSEL,
  EMB_SCHEMA_AIRPLANE,
  EMB_SCHEMA_COUNT_
} emb_schema;
const char *emb_schema_name(emb_schema s);  /* "Person", ... */
emb_schema emb_schema_parse(const char *s); /* case-insensitive; UNKNOWN if not known */

typedef enum {
  EMB_NAME_PRIMARY = 0, /* the listed name */
  EMB_NAME_ALIAS,       /* a.k.a. */
  EMB_NAME_FORMER,      /* f.k.a. */
  EMB_NAME_VARIATION    /* UK "primary name variation", spelling variants */
} emb_name_kind;
const char *emb_name_kind_name(emb_name_kind k);

typedef enum { EMB_STRONG = 0, EMB_WEAK = 1 } emb_strength;

typedef struct emb_name {
  const char *full;  /* the name as the source writes it */
  const char *given; /* name parts where the source gives them, else NULL */
  const char *middle;
  const char *family;
  const char *patronymic;
  const char *script; /* ISO 15924 code detected from the text: Latn, Cyrl, Arab, Hani... */
  const char *lang;   /* language where the source gives one (EU), else NULL */
  emb_name_kind kind;
  emb_strength strength; /* from the source's quality marks */
} emb_name;

typedef enum { EMB_DATE_NONE = 0, EMB_DATE_YEAR, EMB_DATE_MONTH, EMB_DATE_DAY } emb_date_precision;

/* A date as precise as the source gives it; a range when year_to > 0. */
typedef struct emb_date {
  int16_t year; /* 0 when unknown */
  int8_t month; /* 1-12, 0 when unknown */
  int8_t day;   /* 1-31, 0 when unknown */
  emb_date_precision precision;
  bool circa;      /* "circa 1965", "approximately" */
  int16_t year_to; /* inclusive end year of a range ("1960 to 1962"), else 0 */
} emb_date;
/* Writes "1965", "1965-01", "1965-01-12", "~1965", "1960/1962" into buf (>= 24 bytes). */
void emb_date_format(const emb_date *d, char *buf, size_t size);

typedef enum {
  EMB_COUNTRY_NATIONALITY = 0,
  EMB_COUNTRY_CITIZENSHIP,
  EMB_COUNTRY_ADDRESS,
  EMB_COUNTRY_JURISDICTION,
  EMB_COUNTRY_BIRTH,
  EMB_COUNTRY_OTHER
} emb_country_role;
const char *emb_country_role_name(emb_country_role r);

typedef struct emb_country {
  const char *code; /* ISO 3166-1 alpha-2 ("RU"), or ISO 3166-2 ("UA-43"); NULL if unknown */
  const char *raw;  /* the text as the source wrote it */
  emb_country_role role;
} emb_country;

typedef struct emb_identifier {
  const char *type;    /* passport, national_id, tax_id, inn, ogrn, registration, imo, mmsi,
                          swift_bic, crypto, other ... (docs/MODEL.md) */
  const char *value;   /* as written */
  const char *country; /* issuing country, ISO alpha-2, or NULL */
  const char *note;    /* the source's own label, e.g. "Tax ID No." */
} emb_identifier;

typedef struct emb_address {
  const char *full; /* one line, as complete as the source gives it */
  const char *street;
  const char *city;
  const char *postal_code;
  const char *region;
  const char *country; /* ISO alpha-2 or NULL */
} emb_address;

/* A string list owned by the set. */
typedef struct emb_strs {
  const char **items;
  size_t count;
  size_t cap;
} emb_strs;

typedef struct emb_entity {
  const char *id; /* "<source>:<native id>" */
  emb_schema schema;
  const char *source; /* "ofac", "un", "uk", "eu", "csl", "dpl", or the FtM dataset */
  emb_strs lists;     /* source lists: "SDN", "Non-SDN", "Entity List", ... */
  emb_name *names;
  size_t n_names;
  size_t cap_names;
  emb_date *birth_dates;
  size_t n_birth_dates;
  size_t cap_birth_dates;
  emb_strs birth_places;
  emb_country *countries;
  size_t n_countries;
  size_t cap_countries;
  emb_identifier *ids;
  size_t n_ids;
  size_t cap_ids;
  emb_address *addresses;
  size_t n_addresses;
  size_t cap_addresses;
  emb_strs programs;  /* programmes or regimes */
  emb_date listed_on; /* listing date, precision NONE when unknown */
  emb_date end_date;  /* expiry (DPL expiration, CSL end_date) */
  const char *gender; /* "male", "female" or NULL */
  emb_strs remarks;
  emb_strs linked_to; /* OFAC "Linked To:" and similar references */
  emb_strs titles;    /* titles, positions */
} emb_entity;

/* A list file (or file set) that was loaded. */
typedef struct emb_source {
  const char *path;      /* as given */
  const char *format;    /* format name, see emb_formats() */
  const char *source;    /* source name used in ids */
  const char *published; /* publication date the file states, or NULL */
  char sha256[65];       /* of the raw bytes of all files read */
  size_t n_entities;     /* entities this file contributed (new or merged) */
  size_t n_records;      /* records read */
} emb_source;

typedef struct emb_entity_set emb_entity_set;

/* Creates an empty set; NULL when out of memory. */
emb_entity_set *emb_set_new(void);
/* Frees the set and everything it owns; NULL is a no-op. */
void emb_set_free(emb_entity_set *set);
size_t emb_set_count(const emb_entity_set *set);
const emb_entity *emb_set_get(const emb_entity_set *set, size_t i);
/* Returns the entity with this id or NULL. */
const emb_entity *emb_set_find(const emb_entity_set *set, const char *id);
size_t emb_set_source_count(const emb_entity_set *set);
const emb_source *emb_set_source(const emb_entity_set *set, size_t i);

/* --------------------------------------------------------------- loading */

/* A known format: its name (used in FORMAT:PATH) and a one-line description. */
typedef struct emb_format_info {
  const char *name;
  const char *description;
} emb_format_info;
/* Returns the table of formats, terminated by an entry with name NULL. */
const emb_format_info *emb_formats(void);

/*
 * Loads the list at `spec` into `set`. `spec` is PATH or FORMAT:PATH; a path that
 * contains ':' is taken whole when no format has that name. A directory stands for a
 * file set (OFAC's CSVs). .gz and .zip are read as published. Problems go to `diags`.
 * Returns 0 when everything was read (warnings allowed), EMB_EFORMAT (or another
 * error) when records were lost or the file could not be read; what could be read
 * safely is in the set either way.
 */
int emb_load(emb_entity_set *set, const char *spec, emb_diags *diags);

/* Detects the format of PATH from its content; *name is NULL when unknown. */
int emb_detect_format(const char *path, const char **name, emb_diags *diags);

/* ---------------------------------------------------------------- export */

/* Writes one entity as one FollowTheMoney JSON object followed by "\n". */
int emb_export_ftm(FILE *out, const emb_entity *e);
/* CSV: emb_export_csv_header once, then one row per entity. */
int emb_export_csv_header(FILE *out);
int emb_export_csv(FILE *out, const emb_entity *e);

/* ----------------------------------------------------------------- diff */

typedef enum { EMB_DIFF_ADDED, EMB_DIFF_REMOVED, EMB_DIFF_CHANGED } emb_diff_kind;

/* What changed in one field: values only in the old entity, values only in the new. */
typedef struct emb_diff_change {
  const char *field; /* "names", "birth_dates", "countries", "identifiers", ... */
  const char **removed;
  size_t n_removed;
  const char **added;
  size_t n_added;
} emb_diff_change;

/* One difference. Everything it points to is valid only during the callback. */
typedef struct emb_diff_entry {
  emb_diff_kind kind;
  const emb_entity *old_e;        /* NULL when added */
  const emb_entity *new_e;        /* NULL when removed */
  const emb_diff_change *changes; /* for CHANGED: one per field that differs */
  size_t n_changes;
} emb_diff_entry;

/* Renders one field of an entity as display strings (as diff compares them), calling cb
 * once per value. Fields: see emb_entity_fields(). Returns EMB_EINVAL for unknown fields. */
int emb_entity_field_values(const emb_entity *e, const char *field,
                            void (*cb)(const char *value, void *ud), void *ud);
/* The field names diff and export know, NULL-terminated. */
const char *const *emb_entity_fields(void);
/* A display name for an entity: its first primary name, else its first name, else its id. */
const char *emb_entity_caption(const emb_entity *e);

/* Calls `cb` for every difference, in id order. A nonzero return from cb stops the walk. */
int emb_diff(const emb_entity_set *old_set, const emb_entity_set *new_set,
             int (*cb)(const emb_diff_entry *d, void *ud), void *ud);

/* ---------------------------------------------------------------- tables */

/*
 * A table is a CSV file (any delimiter, UTF-8 with or without BOM, .gz read as
 * published) whose first row is a header: query files, pair files, trade records.
 * "-" reads standard input. Fields are valid until the next emb_table_next().
 */
typedef struct emb_table emb_table;
int emb_table_open(const char *path, emb_table **out, emb_diags *diags);
/* The header: *n column names. */
const char *const *emb_table_header(const emb_table *t, size_t *n);
/* Column index by name (case-insensitive; spaces, '-' and '_' ignored), or -1. */
int emb_table_column(const emb_table *t, const char *name);
/* Next record: returns 1 with *n fields, 0 at the end, <0 on an I/O error. Records with
 * a field count other than the header's are reported to the diags and still returned
 * (*ragged set) so that the caller decides. */
int emb_table_next(emb_table *t, const char *const **fields, size_t *n, unsigned long *line,
                   bool *ragged);
char emb_table_delimiter(const emb_table *t);
void emb_table_close(emb_table *t);

/* Length of the longest valid UTF-8 prefix of s[0..n) (n when all of it is valid). */
size_t emb_utf8_valid(const char *s, size_t n);

/* The directory of embargo's bundled data: $EMBARGO_DATA_DIR, else the build-time default. */
const char *emb_data_dir(void);

/* -------------------------------------------------------------- matching */

/*
 * A matcher is an immutable snapshot index over an entity set, built once; queries run
 * against it through a per-thread emb_match_ctx. The set must outlive the matcher.
 */
typedef struct emb_matcher emb_matcher;
typedef struct emb_match_ctx emb_match_ctx;

typedef struct emb_matcher_opts {
  const char *variants_path; /* name-variant table; NULL: bundled default; "": none */
  double threshold;          /* score at or above which a result is a match; 0: default */
} emb_matcher_opts;

/* The default decision threshold (documented in docs/MATCHING.md). */
#define EMB_DEFAULT_THRESHOLD 0.76

emb_matcher_opts emb_matcher_opts_default(void);
/* Builds the snapshot of `set`. Returns 0, EMB_ENOMEM or EMB_EIO (a table file missing). */
int emb_matcher_new(const emb_entity_set *set, const emb_matcher_opts *opts, emb_matcher **out);
void emb_matcher_free(emb_matcher *m);
double emb_matcher_threshold(const emb_matcher *m);

/* A context for one thread: scratch memory and the text analyzer. */
int emb_match_ctx_new(const emb_matcher *m, emb_match_ctx **out);
void emb_match_ctx_free(emb_match_ctx *c);

/* An identifier given with a query: its value, and its type when known (NULL: any type). */
typedef struct emb_query_id {
  const char *type;
  const char *value;
} emb_query_id;

typedef struct emb_query {
  const char *name;        /* required */
  emb_schema schema;       /* UNKNOWN: any */
  const char *birth_date;  /* "1965", "1965-01-12", ... or NULL */
  const char *nationality; /* a country name or code, or NULL */
  const char *gender;      /* "male", "female" or NULL */
  const emb_query_id *ids;
  size_t n_ids;
} emb_query;

typedef struct emb_match_result {
  const emb_entity *entity;
  double score;            /* in [0, 1] */
  bool match;              /* score >= threshold */
  const char *explanation; /* a JSON object (docs/MATCHING.md), valid until the next query */
} emb_match_result;

/*
 * Screens one query: fills up to `limit` results sorted by score (then id), best first,
 * near misses included with match = false. *results points into the context and is valid
 * until the next call on it. Returns 0, EMB_EINVAL (no name) or EMB_ENOMEM.
 */
int emb_match(emb_match_ctx *c, const emb_query *q, size_t limit, const emb_match_result **results,
              size_t *n);

/* Scores two names against each other (the `compare` command): score in [0, 1]; the
 * explanation is valid until the next call. */
int emb_compare_names(emb_match_ctx *c, emb_schema schema, const char *name1, const char *name2,
                      double *score, const char **explanation);

/* ---- Trade screening (docs/SCREEN.md) ---------------------------------------------------
 * A file of trade records (CSV or JSON lines) in, one alert per record that needs one out:
 * every party field screened against the lists, the goods against control lists, the
 * route against route rules and red flags computed over the whole input.
 */

typedef enum {
  EMB_ON_ERROR_SKIP = 0, /* report a malformed record and leave it out */
  EMB_ON_ERROR_KEEP,     /* report it and screen what could be read */
  EMB_ON_ERROR_STOP      /* report it and stop: records before it are screened */
} emb_on_error;

typedef enum { EMB_ALERTS_JSONL = 0, EMB_ALERTS_CSV } emb_alert_format;

/* What a progress callback is told. */
typedef struct emb_screen_progress {
  const char *phase; /* "reading", "parties", "screening" */
  double done;       /* work done in the phase, in [0, total] */
  double total;      /* 0 when unknown (reading stdin) */
  size_t records;    /* records read so far in the phase */
} emb_screen_progress;

typedef struct emb_screen_opts {
  const char *const *controls; /* control-list files; none: the bundled CHPL */
  size_t n_controls;
  const char *rules;             /* route rules file; NULL: the bundled default */
  const char *map;               /* column-mapping file, or NULL */
  const char *const *map_fields; /* "field=Source Column" pairs, or NULL */
  size_t n_map_fields;
  const char *input_format; /* NULL or "auto", "csv", "jsonl" */
  char delimiter;           /* CSV delimiter; 0: detect */
  emb_on_error on_error;
  unsigned threads; /* 0: one per core */
  emb_alert_format format;
  FILE *alerts;            /* where alerts are written (required) */
  FILE *report;            /* an HTML report is written here when not NULL */
  const char *report_time; /* the report's "generated at" text (caller's clock) */
  double lists_seconds;    /* time the caller took to load the lists (report) */
  const char *spill_dir;   /* where stdin is spooled for the second pass; NULL: $TMPDIR */
  void (*progress)(void *ud, const emb_screen_progress *p); /* may be NULL */
  void *progress_ud;
} emb_screen_opts;

typedef struct emb_screen_stats {
  size_t records_read;    /* records in the input (up to a stop) */
  size_t records_bad;     /* records with a reported problem */
  size_t records_skipped; /* records left out (bad, with on_error skip or after a stop) */
  size_t records_alerted;
  size_t alerts_by_risk[4]; /* indexed by none, low, medium, high */
  size_t parties;           /* distinct parties screened */
  size_t parties_matched;   /* of which matched a listed entity */
  bool stopped;             /* on_error STOP ended the run at a bad record */
} emb_screen_stats;

/* The canonical trade-record fields, in their order (docs/TRADE_RECORDS.md). */
#define EMB_TRADE_FIELDS 30
/* "record_id", "date", "exporter", ... "unit" for 0 .. EMB_TRADE_FIELDS-1, else NULL. */
const char *emb_trade_field_name(int i);

emb_screen_opts emb_screen_opts_default(void);

/*
 * Screens a file of trade records ("-": stdin) against the matcher's lists. Alerts go to
 * opts->alerts in input order; problems go to diags with file, line and field.
 * Returns 0 when every record was read cleanly, EMB_EFORMAT when records had problems
 * (they were skipped, kept or stopped on as opts->on_error says), EMB_EIO when the input
 * could not be read, EMB_EINVAL for bad options (a mapping naming an unknown field, a
 * rules or controls file with errors: nothing is screened then), or EMB_ENOMEM.
 */
int emb_screen_file(const emb_entity_set *set, const emb_matcher *m, const char *records,
                    const emb_screen_opts *opts, emb_screen_stats *stats, emb_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
