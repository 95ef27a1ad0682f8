/*
 * ofac_remarks.c - reading the facts in OFAC's remarks text; see ofac_remarks.h.
 *
 * A remarks text is a list of facts separated by ';'. OFAC ends the whole text with
 * one '.', so only the last fact loses a trailing '.' (a name such as "INDUITEX LTDA."
 * in the middle of the text keeps its own). Each fact loses a leading "alt. " and is
 * then recognised by its first words: DOB, POB, nationality, citizen, Gender, a.k.a.,
 * f.k.a., n.k.a., Linked To:, Nationality of Registration, Former Vessel Flag, Aircraft
 * Operator, Target Type, Organization Type:, or one of the identifier labels of the
 * table below (longest label wins). Facts nothing recognises are left alone; the
 * caller keeps the whole text in the entity's remarks.
 *
 * All work happens on a copy of one fact in a fixed buffer on the stack (facts are a
 * few hundred bytes; longer ones are cut at FACT_MAX for parsing only), so the parser
 * allocates nothing itself and its time is linear in the text.
 */
#include "lists/ofac_remarks.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "core/diag.h"
#include "lists/country.h"
#include "lists/date.h"
#include "lists/entity.h"

#define FACT_MAX 1024
#define MAX_FACTS 1024 /* facts parsed per text; real remarks hold at most a few dozen */

/* ------------------------------------------------------------ small helpers */

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trims s[0..*len) in place of the view: advances s and shortens len. */
static const char *trim(const char *s, size_t *len) {
  size_t n = *len;
  while (n && is_space(*s)) {
    s++;
    n--;
  }
  while (n && is_space(s[n - 1]))
    n--;
  *len = n;
  return s;
}

/* Copies s[0..len) into buf (size FACT_MAX), trimmed, NUL-terminated; returns its length. */
static size_t copy_trim(char *buf, const char *s, size_t len) {
  s = trim(s, &len);
  if (len >= FACT_MAX)
    len = FACT_MAX - 1;
  memmove(buf, s, len); /* s may point into buf */
  buf[len] = '\0';
  return len;
}

/* Removes trailing spaces and the given punctuation from buf of length *n. */
static void rstrip(char *buf, size_t *n, const char *punct) {
  while (*n && (is_space(buf[*n - 1]) || (buf[*n - 1] && strchr(punct, buf[*n - 1]))))
    buf[--*n] = '\0';
}

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * starts_word() for a prefix of known length n (at least 1). The first byte is
 * compared inline before calling strncasecmp(): each fact is tested against a few
 * dozen prefixes, and most of them fail there.
 */
static bool starts_word_n(const char *s, const char *prefix, size_t n) {
  if (lower(s[0]) != lower(prefix[0]) || strncasecmp(s, prefix, n) != 0)
    return false;
  char last = prefix[n - 1];
  return s[n] == '\0' || is_space(s[n]) || last == ':' || last == '#' || last == '.' || last == '-';
}

/*
 * True when s starts with the word(s) `prefix` (case-insensitive) followed by the end,
 * a space, or when the prefix itself ends in punctuation (':', '#', '.').
 */
static bool starts_word(const char *s, const char *prefix) {
  return starts_word_n(s, prefix, strlen(prefix));
}

/* Skips a prefix and the spaces after it. */
static const char *after(const char *s, const char *prefix) {
  s += strlen(prefix);
  while (is_space(*s))
    s++;
  return s;
}

static bool has_digit(const char *s) {
  for (; *s; s++)
    if (*s >= '0' && *s <= '9')
      return true;
  return false;
}

static bool all_digits(const char *s, size_t *n) {
  size_t i = 0;
  for (; s[i]; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  *n = i;
  return i > 0;
}

/* ------------------------------------------------------------- identifiers */

enum {
  L_ANYVAL = 1u << 0, /* the value needs no digit (e-mail, website, SWIFT/BIC, tail number) */
  L_IMO = 1u << 1,    /* strip an "IMO" before the number */
  L_CRYPTO = 1u << 2, /* the first word of the value is the currency: goes into the note */
  L_IDNUM = 1u << 3,  /* national_id for a person, registration otherwise */
  L_TAX = 1u << 4,    /* Russian: inn */
  L_REG = 1u << 5     /* Russian, 13 or 15 digits: ogrn */
};

typedef struct id_label {
  const char *label;   /* as OFAC writes it */
  size_t len;          /* strlen(label) */
  const char *type;    /* embargo identifier type */
  const char *country; /* issuing country the label implies, or NULL */
  unsigned flags;
} id_label;

#define T_PASSPORT "passport"
#define T_NATIONAL "national_id"
#define T_TAX "tax_id"
#define T_REG "registration"
#define T_OTHER "other"

/* An entry; the compiler computes the length. */
#define ID(label, type, country, flags)                                                            \
  { label, sizeof(label) - 1, type, country, flags }
/* Labels seen in the SDN and non-SDN lists 2021-2025; see docs/formats/ofac-csv.md. */
static const id_label ID_LABELS[] = {
    /* passports and travel documents */
    ID("Passport", T_PASSPORT, NULL, 0),
    ID("Passport No.", T_PASSPORT, NULL, 0),
    ID("Passport Booklet", T_PASSPORT, NULL, 0),
    ID("Passport Booklet:", T_PASSPORT, NULL, 0),
    ID("Diplomatic Passport", T_PASSPORT, NULL, 0),
    ID("Travel Document Number", T_PASSPORT, NULL, 0),
    /* personal identity numbers */
    ID("National ID No.", T_NATIONAL, NULL, 0),
    ID("National ID No", T_NATIONAL, NULL, 0),
    ID("National ID", T_NATIONAL, NULL, 0),
    ID("National Foreign ID Number", T_NATIONAL, NULL, 0),
    ID("Cedula No.", T_NATIONAL, NULL, 0),
    ID("Cedula", T_NATIONAL, NULL, 0),
    ID("C.U.R.P.", T_NATIONAL, "MX", 0),
    ID("C.U.R.P. #", T_NATIONAL, "MX", 0),
    ID("CURP", T_NATIONAL, "MX", 0),
    ID("CURP #", T_NATIONAL, "MX", 0),
    ID("D.N.I.", T_NATIONAL, NULL, 0),
    ID("DNI", T_NATIONAL, NULL, 0),
    ID("SSN", T_NATIONAL, "US", 0),
    ID("Personal ID Card", T_NATIONAL, NULL, 0),
    ID("Turkish Identification Number", T_NATIONAL, "TR", 0),
    ID("Kenyan ID No.", T_NATIONAL, "KE", 0),
    ID("Citizen's Card Number", T_NATIONAL, NULL, 0),
    ID("Numero de Identidad", T_NATIONAL, NULL, 0),
    ID("C.U.I.", T_NATIONAL, NULL, 0),
    ID("Tazkira National ID Card", T_NATIONAL, "AF", 0),
    ID("UAE Identification", T_NATIONAL, "AE", 0),
    ID("Credencial electoral", T_NATIONAL, "MX", 0),
    ID("Electoral Registry No.", T_NATIONAL, NULL, 0),
    ID("I.F.E.", T_NATIONAL, "MX", 0),
    ID("Identity Card", T_NATIONAL, NULL, 0),
    ID("Identification Number", T_NATIONAL, NULL, L_IDNUM),
    ID("Identification No.", T_NATIONAL, NULL, L_IDNUM),
    /* tax numbers */
    ID("Tax ID No.", T_TAX, NULL, L_TAX),
    ID("Tax ID No", T_TAX, NULL, L_TAX),
    ID("Tax ID", T_TAX, NULL, L_TAX),
    ID("Tax Identification Number", T_TAX, NULL, L_TAX),
    ID("Taxpayer Identification Number", T_TAX, NULL, L_TAX),
    ID("INN", "inn", "RU", 0),
    ID("NIT #", T_TAX, NULL, 0),
    ID("NIT", T_TAX, NULL, 0),
    ID("RUC #", T_TAX, NULL, 0),
    ID("RUC", T_TAX, NULL, 0),
    ID("R.F.C.", T_TAX, "MX", 0),
    ID("R.F.C. #", T_TAX, "MX", 0),
    ID("RFC", T_TAX, "MX", 0),
    ID("RFC #", T_TAX, "MX", 0),
    ID("RIF #", T_TAX, "VE", 0),
    ID("RIF", T_TAX, "VE", 0),
    ID("V.A.T. Number", T_TAX, NULL, 0),
    ID("VAT Number", T_TAX, NULL, 0),
    ID("C.U.I.T.", T_TAX, "AR", 0),
    ID("CUIT", T_TAX, "AR", 0),
    ID("US FEIN", T_TAX, "US", 0),
    ID("Italian Fiscal Code", T_TAX, "IT", 0),
    ID("Italian Fiscal Code:", T_TAX, "IT", 0),
    ID("C.I.F.", T_TAX, NULL, 0),
    ID("RTN", T_TAX, "HN", 0),
    ID("Numero Unico de Identificacao Tributaria (NUIT)", T_TAX, "MZ", 0),
    /* company and other registrations */
    ID("Registration Number", T_REG, NULL, L_REG),
    ID("Registration No.", T_REG, NULL, L_REG),
    ID("Registration ID", T_REG, NULL, L_REG),
    ID("Business Registration Number", T_REG, NULL, L_REG),
    ID("Business Registration Document #", T_REG, NULL, 0),
    ID("Public Registration Number", T_REG, NULL, 0),
    ID("Commercial Registry Number", T_REG, NULL, 0),
    ID("Commercial Register Number", T_REG, NULL, 0),
    ID("Company Number", T_REG, NULL, L_REG),
    ID("UK Company Number", T_REG, "GB", 0),
    ID("C.R. No.", T_REG, NULL, 0),
    ID("Romanian C.R.", T_REG, "RO", 0),
    ID("Trade License No.", T_REG, NULL, 0),
    ID("Folio Mercantil No.", T_REG, "MX", 0),
    ID("Matricula Mercantil No", T_REG, NULL, 0),
    ID("Matricula Mercantil No.", T_REG, NULL, 0),
    ID("Unified Social Credit Code (USCC)", T_REG, "CN", 0),
    ID("United Social Credit Code Certificate (USCCC)", T_REG, "CN", 0),
    ID("Economic Register Number (CBLS)", T_REG, NULL, 0),
    ID("Central Registration System Number", T_REG, NULL, 0),
    ID("Chamber of Commerce Number", T_REG, NULL, 0),
    ID("Istanbul Chamber of Comm. No.", T_REG, "TR", 0),
    ID("Dubai Chamber of Commerce Membership No.", T_REG, "AE", 0),
    ID("Legal Entity Number", T_REG, NULL, 0),
    ID("Government Gazette Number", T_REG, NULL, 0),
    ID("Business Number", T_REG, NULL, 0),
    ID("Enterprise Number", T_REG, NULL, 0),
    ID("Branch Unit Number", T_REG, NULL, 0),
    ID("Certificate of Incorporation Number", T_REG, NULL, 0),
    ID("LE Number", T_REG, NULL, 0),
    ID("Registered Charity No.", T_REG, NULL, 0),
    ID("Organization Code", T_REG, NULL, 0),
    ID("D-U-N-S Number", T_REG, NULL, 0),
    ID("OGRN", "ogrn", "RU", 0),
    ID("Aircraft Tail Number", T_REG, NULL, L_ANYVAL),
    /* vessels, banks, money */
    ID("Vessel Registration Identification", "imo", NULL, L_IMO),
    ID("Identification Number IMO", "imo", NULL, L_IMO),
    ID("Company Number IMO", "imo", NULL, L_IMO),
    ID("IMO", "imo", NULL, L_IMO),
    ID("MMSI", "mmsi", NULL, 0),
    ID("SWIFT/BIC", "swift_bic", NULL, L_ANYVAL),
    ID("Digital Currency Address -", "crypto", NULL, L_ANYVAL | L_CRYPTO),
    /* the rest: kept as "other" with OFAC's label as the note */
    ID("BIK (RU)", T_OTHER, "RU", 0),
    ID("ISIN", T_OTHER, NULL, 0),
    ID("Equity Ticker", T_OTHER, NULL, L_ANYVAL),
    ID("Aircraft Manufacturer's Serial Number (MSN)", T_OTHER, NULL, L_ANYVAL),
    ID("Aircraft Construction Number (also called L/N or S/N or F/N)", T_OTHER, NULL, L_ANYVAL),
    ID("Aircraft Mode S Transponder Code", T_OTHER, NULL, L_ANYVAL),
    ID("Aircraft Serial Identification", T_OTHER, NULL, L_ANYVAL),
    ID("Other Vessel Call Sign", T_OTHER, NULL, L_ANYVAL),
    ID("Email Address", T_OTHER, NULL, L_ANYVAL),
    ID("Website", T_OTHER, NULL, L_ANYVAL),
    ID("Phone Number", T_OTHER, NULL, 0),
    ID("Phone No.", T_OTHER, NULL, 0),
    ID("Phone", T_OTHER, NULL, 0),
    ID("Telephone", T_OTHER, NULL, 0),
    ID("Telephone:", T_OTHER, NULL, 0),
    ID("Telephone No.", T_OTHER, NULL, 0),
    ID("Fax", T_OTHER, NULL, 0),
    ID("Fax:", T_OTHER, NULL, 0),
    ID("Fax No.", T_OTHER, NULL, 0),
    ID("Chinese Commercial Code", T_OTHER, "CN", 0),
    ID("Driver's License No.", T_OTHER, NULL, 0),
    ID("Birth Certificate Number", T_OTHER, NULL, 0),
    ID("Residency Number", T_OTHER, NULL, 0),
    ID("Refugee ID Card", T_OTHER, NULL, 0),
    ID("Pilot License Number", T_OTHER, NULL, 0),
    ID("SRE Permit No.", T_OTHER, "MX", 0),
    ID("Afghan Money Service Provider License Number", T_OTHER, "AF", 0),
    ID("License", T_OTHER, NULL, 0),
    ID("Permit Number", T_OTHER, NULL, 0),
    ID("VisaNumberID", T_OTHER, NULL, 0),
    ID("Immigration No.", T_OTHER, NULL, 0),
    ID("Cartilla de Servicio Militar Nacional", T_OTHER, "MX", 0),
    ID("C.U.I.P.", T_OTHER, "MX", 0),
    ID("File Number", T_OTHER, NULL, 0),
};
#undef ID
#define N_ID_LABELS (sizeof(ID_LABELS) / sizeof(ID_LABELS[0]))
_Static_assert(N_ID_LABELS <= 255, "label_order holds byte-sized indexes");

/*
 * ID_LABELS grouped by their lower-cased first byte, built once: a fact is compared
 * only with the labels that start like it, a dozen at most instead of all 150. Within
 * a group the table order is kept (a counting sort), so ties go as they would in a
 * scan of the whole table.
 */
static unsigned char label_order[N_ID_LABELS];
static unsigned short label_start[257]; /* group of byte c: label_order[start[c]..start[c+1]) */
static pthread_once_t label_once = PTHREAD_ONCE_INIT;

static void index_labels(void) {
  unsigned short count[257] = {0};
  for (size_t i = 0; i < N_ID_LABELS; i++)
    count[(unsigned char)lower(ID_LABELS[i].label[0]) + 1]++;
  for (int c = 0; c < 256; c++)
    label_start[c + 1] = (unsigned short)(label_start[c] + count[c + 1]);
  unsigned short fill[256];
  memcpy(fill, label_start, sizeof(fill));
  for (size_t i = 0; i < N_ID_LABELS; i++)
    label_order[fill[(unsigned char)lower(ID_LABELS[i].label[0])]++] = (unsigned char)i;
}

/* The longest label that starts fact s at a word boundary, or NULL. */
static const id_label *find_label(const char *s) {
  pthread_once(&label_once, index_labels);
  const id_label *best = NULL;
  size_t best_len = 0;
  unsigned char first = (unsigned char)lower(s[0]);
  for (unsigned k = label_start[first]; k < label_start[first + 1]; k++) {
    const id_label *l = &ID_LABELS[label_order[k]];
    if (l->len > best_len && starts_word_n(s, l->label, l->len)) {
      best = l;
      best_len = l->len;
    }
  }
  return best;
}

/* The type for a label entry, refined by country, value and schema. */
static const char *refine_type(const id_label *l, const char *cc, const char *value,
                               emb_schema schema) {
  bool ru = cc && strcmp(cc, "RU") == 0;
  if (l->flags & L_IDNUM)
    return schema == EMB_SCHEMA_PERSON ? T_NATIONAL : T_REG;
  if ((l->flags & L_TAX) && ru)
    return "inn";
  size_t nd = 0;
  if ((l->flags & L_REG) && ru && value && all_digits(value, &nd) && (nd == 13 || nd == 15))
    return "ogrn";
  return l->type;
}

const char *emb__ofac_id_type(const char *label, size_t len, const char *country_code,
                              const char *value, emb_schema schema) {
  char buf[FACT_MAX];
  size_t n = copy_trim(buf, label ? label : "", label ? len : 0);
  rstrip(buf, &n, "");
  const id_label *l = n ? find_label(buf) : NULL;
  if (!l)
    return T_OTHER;
  /* An IMO number in a value ("Identification Number" + "IMO 1234567") is an IMO. */
  if ((l->flags & L_IDNUM) && value && strncasecmp(value, "IMO", 3) == 0)
    return "imo";
  return refine_type(l, country_code, value, schema);
}

/* Finds `word` (case-insensitive) at a word start in s; returns its offset or -1. */
static long find_word(const char *s, const char *word) {
  size_t n = strlen(word);
  for (size_t i = 0; s[i]; i++) {
    if (lower(s[i]) == lower(word[0]) && (i == 0 || is_space(s[i - 1])) &&
        strncasecmp(s + i, word, n) == 0 &&
        (s[i + n] == '\0' || is_space(s[i + n]) || s[i + n] == ':'))
      return (long)i;
  }
  return -1;
}

/*
 * Parses the value part of an identifier fact: "A1234 (Iran) issued 01 Jan 2000
 * expires 01 Jan 2005". Cuts the dates, takes the last parenthesis as the issuing
 * country when it names one, and adds the identifier.
 */
static int add_identifier(emb_entity_set *set, emb_entity *e, const id_label *l, const char *rest) {
  char val[FACT_MAX], note[FACT_MAX];
  size_t n = copy_trim(val, rest, strlen(rest));
  memcpy(note, l->label, l->len + 1); /* labels are far shorter than FACT_MAX */
  size_t nn = l->len;
  rstrip(note, &nn, ":");

  if (l->flags & L_CRYPTO) { /* "XBT 1abc..." -> note gets the currency */
    char *sp = strchr(val, ' ');
    if (!sp)
      return 0;
    *sp = '\0';
    snprintf(note, sizeof(note), "%s %.32s", l->label, val);
    n = copy_trim(val, sp + 1, strlen(sp + 1));
  }
  /* Dates of issue and expiry are not identifier values. */
  static const char *const CUTS[] = {"issued",     "expires",    "expire", "expired",
                                     "expiration", "issue date", "expiry"};
  for (size_t i = 0; i < sizeof(CUTS) / sizeof(CUTS[0]); i++) {
    long at = find_word(val, CUTS[i]);
    if (at >= 0) {
      val[at] = '\0';
      n = (size_t)at;
    }
  }
  rstrip(val, &n, ",;");
  /* "No.", "#" or ":" between label and number. */
  char *v = val;
  for (;;) {
    if (*v == '#' || *v == ':')
      v++;
    else if (strncasecmp(v, "No. ", 4) == 0)
      v += 4;
    else if (is_space(*v))
      v++;
    else
      break;
  }
  n = strlen(v);
  /* Issuing country in the last parenthesis. */
  const char *country = l->country;
  char cbuf[FACT_MAX];
  if (n && v[n - 1] == ')') {
    size_t open = n - 1;
    while (open > 0 && v[open] != '(')
      open--;
    if (v[open] == '(') {
      size_t clen = n - 1 - (open + 1);
      memcpy(cbuf, v + open + 1, clen);
      cbuf[clen] = '\0';
      const char *code = emb_country_code(cbuf, clen);
      if (code) {
        country = code;
        v[open] = '\0';
        n = open;
        rstrip(v, &n, ",");
      }
    }
  }
  if (l->flags & L_IMO) {
    if (strncasecmp(v, "IMO", 3) == 0) {
      v += 3;
      while (*v == ' ' || *v == ':' || *v == '#')
        v++;
    }
  }
  n = strlen(v);
  if (!n || n > 200)
    return 0;
  if (!(l->flags & L_ANYVAL) && !has_digit(v))
    return 0; /* "Passport and National ID were issued in Ulm" is prose, not a number */
  const char *type = refine_type(l, country, v, e->schema);
  return emb__entity_add_id(set, e, type, v, country, note);
}

/* ------------------------------------------------------------------ facts */

/* "12 Jan 1965", "circa 1958", "1960 to 1962", "01 Jan 1961 to 31 Dec 1963". */
static int add_dob(emb_entity_set *set, emb_entity *e, const char *v, const emb_ofac_where *w) {
  emb_date d = {0};
  bool circa = false;
  static const char *const APPROX[] = {"circa", "approximately", "approx.", "about", "ca."};
  for (size_t i = 0; i < sizeof(APPROX) / sizeof(APPROX[0]); i++) {
    if (starts_word(v, APPROX[i])) {
      v = after(v, APPROX[i]);
      circa = true;
      break;
    }
  }
  int rc;
  long to = find_word(v, "to");
  if (to > 0) {
    emb_date a = {0}, b = {0};
    rc = emb__date_parse(v, (size_t)to, EMB_DATE_ORDER_DMY, &a);
    const char *bv = after(v + to, "to");
    if (!rc)
      rc = emb__date_parse(bv, strlen(bv), EMB_DATE_ORDER_DMY, &b);
    if (!rc && a.year && b.year >= a.year) {
      d.year = a.year;
      d.precision = EMB_DATE_YEAR;
      if (b.year > a.year) {
        d.year_to = b.year;
      } else if (a.month && a.month == b.month && !(a.day == 1 && b.day >= 28)) {
        /* a span inside one month: the month is known */
        d.month = a.month;
        d.precision = EMB_DATE_MONTH;
      }
    } else {
      rc = EMB_EFORMAT;
    }
  } else {
    rc = emb__date_parse(v, strlen(v), EMB_DATE_ORDER_DMY, &d);
  }
  if (rc || d.precision == EMB_DATE_NONE) {
    if (w)
      emb__warn(w->diags, EMB_EFORMAT, w->file, w->line, 0, w->field,
                "date of birth not understood: \"%.80s\"; it stays in the remarks", v);
    return 0;
  }
  if (circa)
    d.circa = true;
  return emb__entity_add_birth_date(set, e, &d);
}

/* "Moscow, Russia": the place, and the country of birth when the last part names one. */
static int add_pob(emb_entity_set *set, emb_entity *e, const char *v) {
  int rc = emb__entity_add_str(set, &e->birth_places, v);
  if (rc)
    return rc;
  const char *last = strrchr(v, ',');
  last = last ? last + 1 : v;
  while (is_space(*last))
    last++;
  if (*last && emb_country_code(last, strlen(last)))
    return emb__entity_add_country(set, e, last, EMB_COUNTRY_BIRTH);
  return 0;
}

/* The text of a quoted alias: 'X' or "X"; OFAC doubles quotes around nicknames. */
static int add_weak_alias(emb_entity_set *set, emb_entity *e, const char *v, emb_name_kind kind) {
  char buf[FACT_MAX];
  size_t n = copy_trim(buf, v, strlen(v));
  char *s = buf;
  if (n && (s[0] == '\'' || s[0] == '"')) {
    char q = s[0];
    char *close = strrchr(s + 1, q);
    s++;
    if (close)
      *close = '\0';
    n = strlen(s);
    if (n >= 2 && s[0] == q && s[n - 1] == q) { /* ''FOOPIE'' */
      s[n - 1] = '\0';
      s++;
    }
  }
  n = strlen(s);
  rstrip(s, &n, "");
  while (is_space(*s))
    s++;
  if (!*s)
    return 0;
  return emb__ofac_add_name(set, e, s, kind, EMB_WEAK);
}

static bool company_marker(const char *fact) {
  if (starts_word(fact, "Organization Type:"))
    return true;
  if (starts_word(fact, "Target Type"))
    return strstr(fact, "Company") || strstr(fact, "Enterprise") ||
           strstr(fact, "Financial Institution");
  return false;
}

/* One fact, trimmed, without "alt. " and (for the last fact) without the final '.'. */
static int apply_fact(emb_entity_set *set, emb_entity *e, const char *f, const emb_ofac_where *w) {
  if (starts_word(f, "DOB"))
    return add_dob(set, e, after(f, "DOB"), w);
  if (starts_word(f, "POB"))
    return add_pob(set, e, after(f, "POB"));
  if (starts_word(f, "Nationality of Registration"))
    return emb__entity_add_country(set, e, after(f, "Nationality of Registration"),
                                   EMB_COUNTRY_JURISDICTION);
  if (starts_word(f, "nationality"))
    return emb__entity_add_country(set, e, after(f, "nationality"), EMB_COUNTRY_NATIONALITY);
  if (starts_word(f, "citizen"))
    return emb__entity_add_country(set, e, after(f, "citizen"), EMB_COUNTRY_CITIZENSHIP);
  if (starts_word(f, "Gender")) {
    const char *g = after(f, "Gender");
    if (starts_word(g, "Male"))
      e->gender = "male";
    else if (starts_word(g, "Female"))
      e->gender = "female";
    return 0;
  }
  if (starts_word(f, "a.k.a.") || starts_word(f, "n.k.a."))
    return add_weak_alias(set, e, f + 6, EMB_NAME_ALIAS);
  if (starts_word(f, "f.k.a."))
    return add_weak_alias(set, e, f + 6, EMB_NAME_FORMER);
  if (starts_word(f, "Linked To:"))
    return emb__entity_add_str(set, &e->linked_to, after(f, "Linked To:"));
  if (starts_word(f, "Aircraft Operator"))
    return emb__entity_add_str(set, &e->linked_to, after(f, "Aircraft Operator"));
  if (starts_word(f, "Former Vessel Flag")) {
    const char *c = after(f, "Former Vessel Flag");
    if (emb_country_code(c, strlen(c)))
      return emb__entity_add_country(set, e, c, EMB_COUNTRY_OTHER);
    return 0;
  }
  if (company_marker(f)) {
    if (e->schema == EMB_SCHEMA_ORGANIZATION)
      e->schema = EMB_SCHEMA_COMPANY;
    return 0;
  }
  const id_label *l = find_label(f);
  if (l)
    return add_identifier(set, e, l, f + l->len);
  return 0;
}

int emb__ofac_remarks_apply(emb_entity_set *set, emb_entity *e, const char *text, size_t len,
                            unsigned flags, const emb_ofac_where *where) {
  if (!text)
    return 0;
  /* Count the facts first, to know which one is last. */
  size_t n_facts = 1;
  for (size_t i = 0; i < len; i++)
    if (text[i] == ';')
      n_facts++;
  size_t idx = 0;
  const char *p = text, *end = text + len;
  while (p <= end) {
    const char *semi = memchr(p, ';', (size_t)(end - p));
    const char *stop = semi ? semi : end;
    bool first = idx == 0, last = idx + 1 == n_facts;
    idx++;
    if (idx > MAX_FACTS) {
      /* Every fact may add a value, and entities dedupe values linearly: a bound keeps
         a hostile text from costing quadratic time. */
      if (where)
        emb__warn(where->diags, EMB_ETOOBIG, where->file, where->line, 0, where->field,
                  "the remarks hold more than %d facts; only the first %d were read", MAX_FACTS,
                  MAX_FACTS);
      break;
    }
    bool skip = (first && (flags & EMB_OFAC_REMARKS_CONTINUATION)) ||
                (last && (flags & EMB_OFAC_REMARKS_TRUNCATED));
    if (!skip) {
      char buf[FACT_MAX];
      size_t n = copy_trim(buf, p, (size_t)(stop - p));
      if (last)
        rstrip(buf, &n, ".");
      const char *f = buf;
      if (strncasecmp(f, "alt.", 4) == 0 && is_space(f[4]))
        f = after(f, "alt.");
      if (*f) {
        int rc = apply_fact(set, e, f, where);
        if (rc)
          return rc;
      }
    }
    if (!semi)
      break;
    p = semi + 1;
  }
  return 0;
}

/* ------------------------------------------------------------------ names */

int emb__ofac_add_name(emb_entity_set *set, emb_entity *e, const char *full, emb_name_kind kind,
                       emb_strength strength) {
  emb_name n = {0};
  n.full = full;
  n.kind = kind;
  n.strength = strength;
  char family[FACT_MAX], given[FACT_MAX];
  const char *comma = full ? strchr(full, ',') : NULL;
  if (e->schema == EMB_SCHEMA_PERSON && comma) {
    size_t fl = copy_trim(family, full, (size_t)(comma - full));
    size_t gl = copy_trim(given, comma + 1, strlen(comma + 1));
    if (fl && gl) {
      n.family = family;
      n.given = given;
    }
  }
  return emb__entity_add_name(set, e, &n);
}
