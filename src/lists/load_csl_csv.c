/*
 * load_csl_csv.c - the US Consolidated Screening List (trade.gov) as CSV.
 *
 * The CSL gathers eleven or more US lists (Treasury's SDN and non-SDN lists, BIS's
 * Entity List, Denied Persons, Unverified and Military End User lists, State's
 * ITAR debarments and nonproliferation sanctions) into one file with one row per
 * listed party. Each row names its list in `source`, e.g. "Entity List (EL) - Bureau
 * of Industry and Security"; the code in parentheses becomes part of the id,
 * "csl:EL:<_id>", because `_id` alone repeats across lists (the SDN and CAP lists
 * share Treasury's entity numbers). Rows with the same id are merged.
 *
 * Multi-valued columns separate their values with "; " (programs, alt_names,
 * addresses, dates_of_birth, nationalities, citizenships, places_of_birth, ids).
 * An `ids` value is a comma list holding the label, the value and sometimes the
 * issuing country and dates, in one of two orders: "CO, A0630659, Passport" (2022
 * files: country first, label last) or "Passport, A0630659, CO" (2023 files: label
 * first, country last). The order is told apart per value by recognising the label.
 *
 * docs/formats/csl.md has the whole mapping. Ownership: the loader owns its reader
 * and scratch buffers; everything it adds belongs to ctx->set.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/csv.h"
#include "lists/country.h"
#include "lists/date.h"
#include "lists/loader.h"
#include "lists/ofac_remarks.h"

#define SOURCE "csl"
#define MAX_ID 160 /* longest _id accepted (the data has 1 to 56 bytes) */
#define MAX_ABBR 32
#define SCRATCH_CAP ((size_t)8 << 20)

#define TRY(x)                                                                                     \
  do {                                                                                             \
    int rc_ = (x);                                                                                 \
    if (rc_)                                                                                       \
      return rc_;                                                                                  \
  } while (0)

/* ------------------------------------------------------------------ sniffing */

bool emb__sniff_csl_csv(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
    head += 3;
    n -= 3;
  }
  static const char *const sig[] = {"_id,source,", "\"_id\",\"source\","};
  for (size_t i = 0; i < 2; i++) {
    size_t k = strlen(sig[i]);
    if (n >= k && memcmp(head, sig[i], k) == 0)
      return true;
  }
  return false;
}

/* ------------------------------------------------------------------ text */

typedef struct slice {
  const char *p;
  size_t n;
} slice;

static slice S(const char *s) {
  return (slice){s, strlen(s)};
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims ASCII white space and the characters in `punct` from both ends. */
static slice trim(slice x, const char *punct) {
  while (x.n && (is_space(x.p[0]) || emb__in_set(x.p[0], punct))) {
    x.p++;
    x.n--;
  }
  while (x.n && (is_space(x.p[x.n - 1]) || emb__in_set(x.p[x.n - 1], punct)))
    x.n--;
  return x;
}

/* Copies x into b with the ends trimmed and runs of white space collapsed; returns the
 * text or NULL. */
static const char *clean(emb_buf *b, slice x) {
  return emb__clean_space_buf(b, x.p, x.n);
}

/*
 * Calls cb for each ';'-separated value of text that is not empty; a ';' inside
 * parentheses does not separate. Stops at the first nonzero return.
 */
static int each_value(const char *text, int (*cb)(slice v, void *ud), void *ud) {
  size_t s = 0, depth = 0;
  for (size_t i = 0;; i++) {
    char c = text[i];
    if (c == '(')
      depth++;
    else if (c == ')' && depth)
      depth--;
    if (c == '\0' || (c == ';' && depth == 0)) {
      slice v = trim((slice){text + s, i - s}, "");
      if (v.n)
        TRY(cb(v, ud));
      if (c == '\0')
        return 0;
      s = i + 1;
    }
  }
}

static bool is_upper2(slice x) {
  return x.n == 2 && x.p[0] >= 'A' && x.p[0] <= 'Z' && x.p[1] >= 'A' && x.p[1] <= 'Z';
}

static bool has_digit(slice x) {
  for (size_t i = 0; i < x.n; i++)
    if (x.p[i] >= '0' && x.p[i] <= '9')
      return true;
  return false;
}

/* "2025-11-10": the issue or expiry dates that sit between country and value. */
static bool is_iso_date(slice x) {
  if (x.n != 10 || x.p[4] != '-' || x.p[7] != '-')
    return false;
  for (size_t i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !(x.p[i] >= '0' && x.p[i] <= '9'))
      return false;
  return true;
}

/* ------------------------------------------------------------------ columns */

typedef struct csl_cols {
  int id, source, type, programs, name, title, addresses, frn, start_date, end_date;
  int license_requirement, license_policy, call_sign, vessel_type, gross_tonnage, grt;
  int vessel_flag, vessel_owner, remarks, alt_names, citizenships, dates_of_birth;
  int nationalities, places_of_birth, ids;
} csl_cols;

static void find_cols(const emb_csv_row *h, csl_cols *c) {
  c->id = emb__csv_col(h, "_id");
  c->source = emb__csv_col(h, "source");
  c->type = emb__csv_col(h, "type");
  c->programs = emb__csv_col(h, "programs");
  c->name = emb__csv_col(h, "name");
  c->title = emb__csv_col(h, "title");
  c->addresses = emb__csv_col(h, "addresses");
  c->frn = emb__csv_col(h, "federal_register_notice");
  c->start_date = emb__csv_col(h, "start_date");
  c->end_date = emb__csv_col(h, "end_date");
  c->license_requirement = emb__csv_col(h, "license_requirement");
  c->license_policy = emb__csv_col(h, "license_policy");
  c->call_sign = emb__csv_col(h, "call_sign");
  c->vessel_type = emb__csv_col(h, "vessel_type");
  c->gross_tonnage = emb__csv_col(h, "gross_tonnage");
  c->grt = emb__csv_col(h, "gross_registered_tonnage");
  c->vessel_flag = emb__csv_col(h, "vessel_flag");
  c->vessel_owner = emb__csv_col(h, "vessel_owner");
  c->remarks = emb__csv_col(h, "remarks");
  c->alt_names = emb__csv_col(h, "alt_names");
  c->citizenships = emb__csv_col(h, "citizenships");
  c->dates_of_birth = emb__csv_col(h, "dates_of_birth");
  c->nationalities = emb__csv_col(h, "nationalities");
  c->places_of_birth = emb__csv_col(h, "places_of_birth");
  c->ids = emb__csv_col(h, "ids");
}

typedef struct csl_state {
  emb_load_ctx *ctx;
  const char *file;
  csl_cols c;
  emb_csv_row cur; /* the record being read */
  const emb_csv_row *row;
  emb_entity *e;         /* the entity of the current row */
  emb_country_role role; /* for add_country_cb */
  emb_buf b[4];          /* scratch for values */
  emb_buf name;          /* the current row's name */
  emb_buf human;         /* the current row's list name */
  bool warned_type;
} csl_state;

static const char *get(const csl_state *st, int col) {
  if (col < 0 || (size_t)col >= st->row->count)
    return "";
  return st->row->fields[col];
}

/* ------------------------------------------------------------------ list names */

/*
 * The list code and the list's own name from `source`:
 * "Entity List (EL) - Bureau of Industry and Security" -> "EL", "Entity List";
 * "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department" ->
 * "NS-MBS", "Non-SDN Menu-Based Sanctions List". Without a usable code the code is
 * made of the initials of the name's words. Returns false when no code results.
 */
static bool list_names(const char *source, char abbr[MAX_ABBR], emb_buf *human) {
  const char *dash = strstr(source, " - ");
  slice name = trim((slice){source, dash ? (size_t)(dash - source) : strlen(source)}, "");
  slice code = {NULL, 0};
  emb__buf_reset(human);
  bool space = false;
  size_t depth = 0;
  for (size_t i = 0; i < name.n; i++) {
    char c = name.p[i];
    if (c == '(') {
      if (depth++ == 0 && !code.p) {
        const char *close = memchr(name.p + i, ')', name.n - i);
        if (close)
          code = trim((slice){name.p + i + 1, (size_t)(close - name.p - i - 1)}, "");
      }
      continue;
    }
    if (c == ')' && depth) {
      depth--;
      continue;
    }
    if (depth)
      continue;
    if (c == ' ') {
      space = human->len > 0;
      continue;
    }
    if ((space && emb__buf_putc(human, ' ')) || emb__buf_putc(human, c))
      return false;
    space = false;
  }
  if (code.n > 5 && strncasecmp(code.p + code.n - 5, " List", 5) == 0)
    code.n -= 5; /* "NS-MBS List" */
  size_t k = 0;
  for (size_t i = 0; i < code.n && k + 1 < MAX_ABBR; i++) {
    char c = code.p[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
      abbr[k++] = c;
  }
  if (k == 0) { /* no usable code: the initials of the name */
    const char *h = emb__buf_str(human);
    for (size_t i = 0; h[i] && k + 1 < MAX_ABBR; i++)
      if ((i == 0 || h[i - 1] == ' ') &&
          ((h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= 'a' && h[i] <= 'z')))
        abbr[k++] = (char)(h[i] & ~0x20);
  }
  abbr[k] = '\0';
  return k > 0;
}

/* ------------------------------------------------------------------ values */

static int add_program_cb(slice v, void *ud) {
  csl_state *st = ud;
  const char *s = clean(&st->b[0], v);
  return s ? emb__entity_add_str(st->ctx->set, &st->e->programs, s) : EMB_ENOMEM;
}

static int add_title_cb(slice v, void *ud) {
  csl_state *st = ud;
  const char *s = clean(&st->b[0], v);
  return s ? emb__entity_add_str(st->ctx->set, &st->e->titles, s) : EMB_ENOMEM;
}

static int add_country_cb(slice v, void *ud) {
  csl_state *st = ud;
  const char *s = clean(&st->b[0], v);
  return s ? emb__entity_add_country(st->ctx->set, st->e, s, st->role) : EMB_ENOMEM;
}

static int add_alias_cb(slice v, void *ud) {
  csl_state *st = ud;
  const char *s = clean(&st->b[0], trim(v, "-"));
  return s ? emb__entity_add_name_simple(st->ctx->set, st->e, s, EMB_NAME_ALIAS, EMB_STRONG)
           : EMB_ENOMEM;
}

static int add_dob_cb(slice v, void *ud) {
  csl_state *st = ud;
  const char *s = clean(&st->b[0], v);
  if (!s)
    return EMB_ENOMEM;
  return emb__add_birth_dates(st->ctx, st->e, s, EMB_DATE_ORDER_MDY, st->file, st->row->line,
                              "dates_of_birth");
}

/* The text after the last ", " of v, the country of an address or place. */
static slice last_part(slice v) {
  for (size_t i = v.n; i-- > 0;)
    if (v.p[i] == ',')
      return trim((slice){v.p + i + 1, v.n - i - 1}, ".");
  return trim(v, ".");
}

static int add_birth_place_cb(slice v, void *ud) {
  csl_state *st = ud;
  const char *s = clean(&st->b[0], v);
  if (!s)
    return EMB_ENOMEM;
  TRY(emb__entity_add_str(st->ctx->set, &st->e->birth_places, s));
  slice c = last_part(v);
  if (c.n && emb_country_code(c.p, c.n)) {
    const char *cs = clean(&st->b[1], c);
    if (!cs)
      return EMB_ENOMEM;
    TRY(emb__entity_add_country(st->ctx->set, st->e, cs, EMB_COUNTRY_BIRTH));
  }
  return 0;
}

/* "street, city, state, postal code, country": the last part is the country. */
static int add_address_cb(slice v, void *ud) {
  csl_state *st = ud;
  if (v.n > 4 && strncasecmp(v.p, "and ", 4) == 0) /* "...; and 21 Changsheng Street" */
    v = trim((slice){v.p + 4, v.n - 4}, "");
  emb_address a = {0};
  a.full = clean(&st->b[0], v);
  if (!a.full)
    return EMB_ENOMEM;
  slice c = last_part(v);
  if (c.n && emb_country_code(c.p, c.n)) {
    a.country = clean(&st->b[1], c);
    if (!a.country)
      return EMB_ENOMEM;
  }
  return emb__entity_add_address(st->ctx->set, st->e, &a);
}

/* ------------------------------------------------------------------ ids */

typedef enum { K_ID, K_REMARK, K_GENDER } label_kind;

typedef struct label_info {
  const char *label;
  label_kind kind;
  size_t len; /* strlen(label), so that a lookup compares lengths first */
} label_info;

/*
 * The labels trade.gov writes in `ids` (OFAC's ID types), to tell the label from the
 * value, and whether the entry is a document number, a note or the gender. The type of
 * a document number comes from emb__ofac_id_type(), so the CSL copy of an OFAC entry
 * gets the same identifier types as the OFAC files themselves.
 */
#define LABEL(text, kind)                                                                          \
  { text, kind, sizeof(text) - 1 }
static const label_info LABELS[] = {
    LABEL("Passport", K_ID),
    LABEL("Diplomatic Passport", K_ID),
    LABEL("Stateless Person Passport", K_ID),
    LABEL("British National Overseas Passport", K_ID),
    LABEL("Travel Document Number", K_ID),
    LABEL("National ID No.", K_ID),
    LABEL("Cedula No.", K_ID),
    LABEL("C.U.R.P.", K_ID),
    LABEL("Identification Number", K_ID),
    LABEL("D.N.I.", K_ID),
    LABEL("Personal ID Card", K_ID),
    LABEL("SSN", K_ID),
    LABEL("Turkish Identification Number", K_ID),
    LABEL("Citizen's Card Number", K_ID),
    LABEL("Numero de Identidad", K_ID),
    LABEL("Kenyan ID No.", K_ID),
    LABEL("National Foreign ID Number", K_ID),
    LABEL("C.U.I.", K_ID),
    LABEL("C.U.I.P.", K_ID),
    LABEL("Tazkira National ID Card", K_ID),
    LABEL("Bosnian Personal ID No.", K_ID),
    LABEL("CNP (Personal Numerical Code)", K_ID),
    LABEL("Moroccan Personal ID No.", K_ID),
    LABEL("UAE Identification", K_ID),
    LABEL("Refugee ID Card", K_ID),
    LABEL("Stateless Person ID Card", K_ID),
    LABEL("Electoral Registry No.", K_ID),
    LABEL("Credencial electoral", K_ID),
    LABEL("I.F.E.", K_ID),
    LABEL("N.I.E.", K_ID),
    LABEL("Residency Number", K_ID),
    LABEL("Tax ID No.", K_ID),
    LABEL("R.F.C.", K_ID),
    LABEL("RFC", K_ID),
    LABEL("NIT #", K_ID),
    LABEL("RUC #", K_ID),
    LABEL("RIF #", K_ID),
    LABEL("V.A.T. Number", K_ID),
    LABEL("US FEIN", K_ID),
    LABEL("C.U.I.T.", K_ID),
    LABEL("C.I.F.", K_ID),
    LABEL("Italian Fiscal Code", K_ID),
    LABEL("Fiscal Code", K_ID),
    LABEL("Numero Unico de Identificacao Tributaria (NUIT)", K_ID),
    LABEL("Paraguayan tax identification number", K_ID),
    LABEL("Romanian Tax Registration", K_ID),
    LABEL("RTN", K_ID),
    LABEL("RSIN", K_ID),
    LABEL("Registration Number", K_ID),
    LABEL("Registration ID", K_ID),
    LABEL("Business Registration Number", K_ID),
    LABEL("Business Registration Document #", K_ID),
    LABEL("Business Number", K_ID),
    LABEL("Company Number", K_ID),
    LABEL("UK Company Number", K_ID),
    LABEL("Commercial Registry Number", K_ID),
    LABEL("Folio Mercantil No.", K_ID),
    LABEL("Matricula Mercantil No", K_ID),
    LABEL("Public Registration Number", K_ID),
    LABEL("Chamber of Commerce Number", K_ID),
    LABEL("Certificate of Incorporation Number", K_ID),
    LABEL("Legal Entity Number", K_ID),
    LABEL("Enterprise Number", K_ID),
    LABEL("Unified Social Credit Code (USCC)", K_ID),
    LABEL("United Social Credit Code Certificate (USCCC)", K_ID),
    LABEL("C.R. No.", K_ID),
    LABEL("Romanian C.R.", K_ID),
    LABEL("Trade License No.", K_ID),
    LABEL("Government Gazette Number", K_ID),
    LABEL("Branch Unit Number", K_ID),
    LABEL("Central Registration System Number", K_ID),
    LABEL("Registered Charity No.", K_ID),
    LABEL("Dubai Chamber of Commerce Membership No.", K_ID),
    LABEL("Istanbul Chamber of Comm. No.", K_ID),
    LABEL("File Number", K_ID),
    LABEL("LE Number", K_ID),
    LABEL("MSB Registration Number", K_ID),
    LABEL("License", K_ID),
    LABEL("SWIFT/BIC", K_ID),
    LABEL("Vessel Registration Identification", K_ID),
    LABEL("MMSI", K_ID),
    LABEL("Website", K_ID),
    LABEL("Email Address", K_ID),
    LABEL("Phone Number", K_ID),
    LABEL("ISIN", K_ID),
    LABEL("Equity Ticker", K_ID),
    LABEL("BIK (RU)", K_ID),
    LABEL("D-U-N-S Number", K_ID),
    LABEL("Chinese Commercial Code", K_ID),
    LABEL("MICEX Code", K_ID),
    LABEL("Serial No.", K_ID),
    LABEL("Aircraft Construction Number (also called L/N or S/N or F/N)", K_ID),
    LABEL("Aircraft Manufacturer's Serial Number (MSN)", K_ID),
    LABEL("Aircraft Tail Number", K_ID),
    LABEL("Previous Aircraft Tail Number", K_ID),
    LABEL("Aircraft Serial Identification", K_ID),
    LABEL("Aircraft Mode S Transponder Code", K_ID),
    LABEL("Other Vessel Call Sign", K_ID),
    LABEL("Driver's License No.", K_ID),
    LABEL("Birth Certificate Number", K_ID),
    LABEL("Cartilla de Servicio Militar Nacional", K_ID),
    LABEL("SRE Permit No.", K_ID),
    LABEL("VisaNumberID", K_ID),
    LABEL("Immigration No.", K_ID),
    LABEL("Public Security and Immigration No.", K_ID),
    LABEL("Romanian Permanent Resident", K_ID),
    LABEL("Seafarer's Identification Document", K_ID),
    LABEL("Pilot License Number", K_ID),
    LABEL("Afghan Money Service Provider License Number", K_ID),
    LABEL("Tourism License No.", K_ID),
    LABEL("Gender", K_GENDER),
    LABEL("Effective Date (CMIC)", K_REMARK),
    LABEL("Listing Date (CMIC)", K_REMARK),
    LABEL("Purchase/Sales For Divestment Date (CMIC)", K_REMARK),
    LABEL("Executive Order 14024 Directive Information", K_REMARK),
    LABEL("UN/LOCODE", K_REMARK),
    LABEL("Organization Established Date", K_REMARK),
    LABEL("Aircraft Model", K_REMARK),
    LABEL("Aircraft Manufacture Date", K_REMARK),
    LABEL("Aircraft Operator", K_REMARK),
    LABEL("Target Type", K_REMARK),
    LABEL("Issuer Name", K_REMARK),
    LABEL("Former Vessel Flag", K_REMARK),
    LABEL("Other Vessel Flag", K_REMARK),
    LABEL("Other Vessel Type", K_REMARK),
    LABEL("Nationality of Registration", K_REMARK),
    LABEL("Registration Country", K_REMARK),
};
#undef LABEL

#define N_LABELS (sizeof(LABELS) / sizeof(LABELS[0]))
#define LEN_GROUPS 64 /* labels are grouped by length modulo this */
_Static_assert(N_LABELS <= 255, "label_order holds byte-sized indexes");

/*
 * LABELS grouped by length (modulo LEN_GROUPS), built once by a counting sort, so the
 * table order holds within a group: a value is compared only with the labels that may
 * have its length, not with all of them.
 */
static unsigned char label_order[N_LABELS];
static unsigned short label_start[LEN_GROUPS + 1]; /* group g: [start[g], start[g + 1]) */
static pthread_once_t label_once = PTHREAD_ONCE_INIT;

static void index_labels(void) {
  unsigned short fill[LEN_GROUPS + 1] = {0};
  for (size_t i = 0; i < N_LABELS; i++)
    fill[LABELS[i].len % LEN_GROUPS + 1]++;
  for (size_t g = 0; g < LEN_GROUPS; g++)
    label_start[g + 1] = (unsigned short)(label_start[g] + fill[g + 1]);
  memcpy(fill, label_start, sizeof(fill));
  for (size_t i = 0; i < N_LABELS; i++)
    label_order[fill[LABELS[i].len % LEN_GROUPS]++] = (unsigned char)i;
}

/* Looks up a label; labels ending in ':' or '-' are the notes OFAC writes as IDs. */
static bool find_label(slice x, label_info *out) {
  pthread_once(&label_once, index_labels);
  size_t g = x.n % LEN_GROUPS;
  for (size_t k = label_start[g]; k < label_start[g + 1]; k++) {
    const label_info *l = &LABELS[label_order[k]];
    if (l->len == x.n && strncasecmp(l->label, x.p, x.n) == 0) {
      *out = *l;
      return true;
    }
  }
  if (x.n >= 24 && strncasecmp(x.p, "Digital Currency Address", 24) == 0) {
    *out = (label_info){"Digital Currency Address", K_ID, 24};
    return true;
  }
  if (x.n && (x.p[x.n - 1] == ':' || x.p[x.n - 1] == '-')) {
    *out = (label_info){NULL, K_REMARK, 0};
    return true;
  }
  return false;
}

/* Joins parts[from..to) with ", " into b. */
static const char *join(emb_buf *b, const slice *parts, size_t from, size_t to) {
  emb__buf_reset(b);
  for (size_t i = from; i < to; i++)
    if ((i > from && emb__buf_puts(b, ", ")) || emb__buf_append(b, parts[i].p, parts[i].n))
      return NULL;
  return emb__buf_str(b);
}

#define MAX_ID_PARTS 16

/* One value of `ids`: "CO, A0630659, Passport" or "Passport, A0630659, CO". */
static int add_id_cb(slice v, void *ud) {
  csl_state *st = ud;
  emb_entity_set *set = st->ctx->set;
  slice p[MAX_ID_PARTS];
  size_t n = 0, s = 0;
  for (size_t i = 0; i <= v.n; i++) {
    if (i == v.n || (v.p[i] == ',' && i + 1 < v.n && v.p[i + 1] == ' ')) {
      slice x = trim((slice){v.p + s, i - s}, "");
      if (n < MAX_ID_PARTS)
        p[n++] = x;
      else
        p[n - 1].n = (size_t)(x.p + x.n - p[n - 1].p);
      s = i + 1;
    }
  }
  label_info li = {0};
  slice label, country = {NULL, 0};
  size_t from, to;
  label_info first = {0};
  bool first_known = n >= 2 && find_label(p[0], &first);
  bool last_known = n >= 2 && find_label(p[n - 1], &li);
  if (n < 2) {
    from = 0;
    to = n;
    label = (slice){"", 0};
    li = (label_info){NULL, K_REMARK, 0};
  } else if ((first_known && !last_known) || (!last_known && n >= 3 && is_upper2(p[n - 1]))) {
    /* Label first, country (if any) last. */
    li = first_known ? first : (label_info){NULL, K_ID, 0};
    label = p[0];
    from = 1;
    to = n;
    if (n >= 3 && is_upper2(p[n - 1])) {
      country = p[n - 1];
      to = n - 1;
    }
  } else {
    /* Country (if any) first, then dates, the value, and the label last. */
    if (!last_known)
      li = (label_info){NULL, K_ID, 0};
    label = p[n - 1];
    from = 0;
    to = n - 1;
    if (to - from >= 2 && is_upper2(p[0])) {
      country = p[0];
      from = 1;
    }
    while (to - from >= 2 && is_iso_date(p[from]))
      from++;
  }
  const char *lab = clean(&st->b[1], label);
  const char *val = join(&st->b[2], p, from, to);
  if (!lab || !val)
    return EMB_ENOMEM;
  if (!*val)
    return 0;
  if (li.kind == K_ID && !li.label && !has_digit(S(val)))
    li.kind = K_REMARK; /* an unknown label over plain text is a note, not a number */
  if (li.kind == K_GENDER) {
    if (!strcasecmp(val, "Male"))
      st->e->gender = "male";
    else if (!strcasecmp(val, "Female"))
      st->e->gender = "female";
    return 0;
  }
  if (li.kind == K_REMARK) {
    emb_buf *r = &st->b[3];
    emb__buf_reset(r);
    size_t ll = strlen(lab);
    bool punct = ll && (lab[ll - 1] == ':' || lab[ll - 1] == '-');
    /* "label: value" (no ':' added after a label ending in ':' or '-'), or the value. */
    if ((ll && (emb__buf_puts(r, lab) || emb__buf_puts(r, punct ? " " : ": "))) ||
        emb__buf_puts(r, val))
      return EMB_ENOMEM;
    return emb__entity_add_str(set, &st->e->remarks, emb__buf_str(r));
  }
  const char *cc = NULL;
  if (country.n) {
    cc = clean(&st->b[0], country);
    if (!cc)
      return EMB_ENOMEM;
  }
  const char *type = emb__ofac_id_type(lab, strlen(lab), cc, val, st->e->schema);
  if (!strcmp(type, "imo") && strncasecmp(val, "IMO", 3) == 0) {
    val += 3;
    while (*val == ' ' || *val == ':')
      val++;
  }
  return emb__entity_add_id(set, st->e, type, val, cc, lab);
}

/* ------------------------------------------------------------------ names */

/*
 * The listed name without what is not a name: a "(a.k.a. X; Y)" group (its names are
 * added as aliases) and a "; and any successor ..." tail. Adds a variation when the
 * result differs from the name.
 */
static int add_name_variants(csl_state *st, const char *name) {
  emb_buf *b = &st->b[1];
  emb__buf_reset(b);
  size_t n = strlen(name);
  size_t i = 0;
  while (i < n) {
    if (name[i] == ';')
      break;
    if (name[i] == '(') {
      /* Only a group that starts with a.k.a. is scanned to its end (linear time). */
      static const char *const aka[] = {"a.k.a.", "aka ", "f.k.a.", "d.b.a.", "formerly "};
      size_t s0 = i + 1;
      while (s0 < n && name[s0] == ' ')
        s0++;
      size_t kl = 0;
      for (size_t k = 0; k < sizeof(aka) / sizeof(aka[0]) && !kl; k++)
        if (strncasecmp(name + s0, aka[k], strlen(aka[k])) == 0)
          kl = strlen(aka[k]);
      if (kl) {
        size_t depth = 0, j = i;
        for (; j < n; j++) {
          if (name[j] == '(')
            depth++;
          else if (name[j] == ')' && --depth == 0)
            break;
        }
        size_t end = j < n ? j : n;
        emb__buf_reset(&st->b[2]);
        if (end > s0 + kl && emb__buf_append(&st->b[2], name + s0 + kl, end - s0 - kl))
          return EMB_ENOMEM;
        /* each_value writes into b[0]; the aliases are copied by the set. */
        TRY(each_value(emb__buf_str(&st->b[2]), add_alias_cb, st));
        i = j < n ? j + 1 : n;
        continue;
      }
    }
    /* Up to the next '(' or ';' in one append. */
    size_t j = i + 1;
    while (j < n && name[j] != '(' && name[j] != ';')
      j++;
    if (emb__buf_append(b, name + i, j - i))
      return EMB_ENOMEM;
    i = j;
  }
  const char *v = clean(&st->b[3], S(emb__buf_str(b)));
  if (!v)
    return EMB_ENOMEM;
  if (*v && strcmp(v, name) != 0)
    TRY(emb__entity_add_name_simple(st->ctx->set, st->e, v, EMB_NAME_VARIATION, EMB_STRONG));
  return 0;
}

static int read_names(csl_state *st, const char *name) {
  emb_name n = {0};
  n.full = name;
  n.kind = EMB_NAME_PRIMARY;
  n.strength = EMB_STRONG;
  /* OFAC writes people "FAMILY, Given"; one comma splits the parts. */
  const char *comma = strchr(name, ',');
  if (st->e->schema == EMB_SCHEMA_PERSON && comma && !strchr(comma + 1, ',') &&
      !strchr(name, '(')) {
    emb_buf *b = &st->b[1];
    emb__buf_reset(b);
    if (emb__buf_append(b, name, (size_t)(comma - name)) || emb__buf_putc(b, '\0'))
      return EMB_ENOMEM;
    size_t fam_len = b->len;
    const char *g = clean(&st->b[2], S(comma + 1));
    if (!g || emb__buf_puts(b, g))
      return EMB_ENOMEM;
    n.family = b->data;
    n.given = b->data + fam_len;
  }
  TRY(emb__entity_add_name(st->ctx->set, st->e, &n));
  TRY(add_name_variants(st, name));
  return each_value(get(st, st->c.alt_names), add_alias_cb, st);
}

/* ------------------------------------------------------------------ remarks */

static int add_remark(csl_state *st, const char *label, const char *v) {
  const char *s = clean(&st->b[0], S(v));
  if (!s)
    return EMB_ENOMEM;
  if (!*s)
    return 0;
  emb_buf *r = &st->b[1];
  emb__buf_reset(r);
  if ((label && (emb__buf_puts(r, label) || emb__buf_puts(r, ": "))) || emb__buf_puts(r, s))
    return EMB_ENOMEM; /* "label: text" */
  return emb__entity_add_str(st->ctx->set, &st->e->remarks, emb__buf_str(r));
}

/* "(Linked To: A; Linked To: B)" in remarks -> linked_to A and B. */
static int read_linked(csl_state *st, const char *text) {
  static const char key[] = "Linked To:";
  for (const char *p = text; (p = strstr(p, key)) != NULL;) {
    p += sizeof(key) - 1;
    const char *q = p;
    size_t depth = 0;
    for (; *q; q++) {
      if (*q == '(')
        depth++;
      else if (*q == ')' && depth == 0)
        break;
      else if (*q == ')')
        depth--;
      else if (*q == ';' && depth == 0)
        break;
    }
    const char *v = clean(&st->b[0], (slice){p, (size_t)(q - p)});
    if (!v)
      return EMB_ENOMEM;
    TRY(emb__entity_add_str(st->ctx->set, &st->e->linked_to, v));
    p = q;
  }
  return 0;
}

/* ------------------------------------------------------------------ rows */

static int read_date(csl_state *st, int col, const char *field, emb_date *out) {
  const char *v = get(st, col);
  if (!*v)
    return 0;
  emb_date d;
  if (emb__date_parse(v, strlen(v), EMB_DATE_ORDER_MDY, &d) == 0) {
    if (out->precision == EMB_DATE_NONE)
      *out = d;
  } else {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, field,
              "date not understood: \"%.40s\"", v);
  }
  return 0;
}

static emb_schema row_schema(csl_state *st) {
  const char *t = get(st, st->c.type);
  if (!*t)
    return EMB_SCHEMA_LEGAL_ENTITY; /* BIS and State lists do not say */
  emb_schema s = emb_schema_parse(t);
  if (s == EMB_SCHEMA_UNKNOWN) {
    if (!st->warned_type)
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, "type",
                "unknown type \"%.40s\"; read as a legal entity (reported once per file)", t);
    st->warned_type = true;
    s = EMB_SCHEMA_LEGAL_ENTITY;
  }
  return s;
}

static int read_row(csl_state *st, bool *lost);

/* emb__csv_each_row's callback. */
static int each_row(void *ud, bool *lost) {
  return read_row(ud, lost);
}

static int read_row(csl_state *st, bool *lost) {
  emb_load_ctx *ctx = st->ctx;
  emb_entity_set *set = ctx->set;
  const char *rid = get(st, st->c.id);
  const char *source = get(st, st->c.source);
  const char *name = clean(&st->name, S(get(st, st->c.name)));
  if (!name)
    return EMB_ENOMEM;
  const char *bad_field = !*rid ? "_id" : !*source ? "source" : !*name ? "name" : NULL;
  if (bad_field || strlen(rid) > MAX_ID) {
    emb__error(ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, bad_field ? bad_field : "_id",
               "%s; record skipped", bad_field ? "the field is empty" : "the _id is too long");
    *lost = true;
    return 0;
  }
  char abbr[MAX_ABBR];
  if (!list_names(source, abbr, &st->human)) {
    emb__error(ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, "source",
               "no list code in \"%.60s\"; record skipped", source);
    *lost = true;
    return 0;
  }
  char id[MAX_ID + MAX_ABBR + 8]; /* "csl:<code>:<_id>"; both lengths are bounded above */
  size_t la = strlen(abbr), lr = strlen(rid);
  memcpy(id, "csl:", 4);
  memcpy(id + 4, abbr, la);
  id[4 + la] = ':';
  memcpy(id + 5 + la, rid, lr + 1);
  bool created = false;
  emb_entity *e = emb__set_upsert(set, id, &created);
  if (!e)
    return EMB_ENOMEM;
  st->e = e;
  if (created) {
    TRY(emb__entity_set_source(set, e, SOURCE));
    e->schema = row_schema(st);
  }
  /* A source that is only a code in parentheses names its list by the code. */
  TRY(emb__entity_add_str(set, &e->lists, st->human.len ? emb__buf_str(&st->human) : abbr));
  TRY(read_names(st, name));
  TRY(each_value(get(st, st->c.programs), add_program_cb, st));
  TRY(each_value(get(st, st->c.title), add_title_cb, st));
  TRY(each_value(get(st, st->c.addresses), add_address_cb, st));
  TRY(each_value(get(st, st->c.dates_of_birth), add_dob_cb, st));
  TRY(each_value(get(st, st->c.places_of_birth), add_birth_place_cb, st));
  st->role = EMB_COUNTRY_NATIONALITY;
  TRY(each_value(get(st, st->c.nationalities), add_country_cb, st));
  st->role = EMB_COUNTRY_CITIZENSHIP;
  TRY(each_value(get(st, st->c.citizenships), add_country_cb, st));
  TRY(each_value(get(st, st->c.ids), add_id_cb, st));
  TRY(read_date(st, st->c.start_date, "start_date", &e->listed_on));
  TRY(read_date(st, st->c.end_date, "end_date", &e->end_date));
  const char *remarks = get(st, st->c.remarks);
  TRY(add_remark(st, NULL, remarks));
  TRY(read_linked(st, remarks));
  TRY(add_remark(st, "Federal Register", get(st, st->c.frn)));
  TRY(add_remark(st, "License requirement", get(st, st->c.license_requirement)));
  TRY(add_remark(st, "License policy", get(st, st->c.license_policy)));
  TRY(add_remark(st, "Vessel type", get(st, st->c.vessel_type)));
  TRY(add_remark(st, "Gross tonnage", get(st, st->c.gross_tonnage)));
  TRY(add_remark(st, "Gross registered tonnage", get(st, st->c.grt)));
  const char *cs = clean(&st->b[0], S(get(st, st->c.call_sign)));
  if (!cs)
    return EMB_ENOMEM;
  TRY(emb__entity_add_id(set, e, "other", cs, NULL, "Call Sign"));
  const char *flag = clean(&st->b[0], S(get(st, st->c.vessel_flag)));
  if (!flag)
    return EMB_ENOMEM;
  TRY(emb__entity_add_country(set, e, flag, EMB_COUNTRY_JURISDICTION));
  const char *owner = clean(&st->b[0], S(get(st, st->c.vessel_owner)));
  if (!owner)
    return EMB_ENOMEM;
  return emb__entity_add_str(set, &e->linked_to, owner);
}

static int load(csl_state *st, emb_csv *csv) {
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
  find_cols(row, &st->c);
  static const char *const required[] = {"_id", "source", "name"};
  const int have[] = {st->c.id, st->c.source, st->c.name};
  int missing = 0;
  for (size_t i = 0; i < 3; i++)
    if (have[i] < 0) {
      emb__error(ctx->diags, EMB_EFORMAT, st->file, row->line, 0, required[i],
                 "the header has no \"%s\" column; nothing was loaded from this file", required[i]);
      missing++;
    }
  if (missing)
    return EMB_EFORMAT;
  return emb__csv_each_row(ctx, csv, row, st->file, errors0, each_row, st);
}

int emb__load_csl_csv(emb_load_ctx *ctx) {
  emb_input *in = NULL;
  emb_csv *csv = NULL;
  int rc = emb__load_open_csv(ctx, ',', &in, &csv);
  if (rc)
    return rc;
  csl_state st;
  memset(&st, 0, sizeof(st));
  st.ctx = ctx;
  st.file = emb__input_name(in);
  for (size_t i = 0; i < sizeof(st.b) / sizeof(st.b[0]); i++)
    emb__buf_init(&st.b[i], SCRATCH_CAP);
  emb__buf_init(&st.name, SCRATCH_CAP);
  emb__buf_init(&st.human, 4096);
  rc = load(&st, csv);
  for (size_t i = 0; i < sizeof(st.b) / sizeof(st.b[0]); i++)
    emb__buf_fini(&st.b[i]);
  emb__buf_fini(&st.name);
  emb__buf_fini(&st.human);
  emb__csv_free(csv);
  emb__input_close(in);
  return rc;
}
