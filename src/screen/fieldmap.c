/*
 * fieldmap.c - the canonical trade fields, their names, and the column map that says
 * which source column feeds which field (see record.h and docs/TRADE_RECORDS.md).
 *
 * Three things decide where a source column goes, in this order: a flag
 * (emb__trade_map_set, the CLI's --map-field), a mapping file (emb__trade_map_load), and
 * automatic recognition of the header name (emb__trade_auto_field). Automatic
 * recognition compares names folded to lower-case ASCII letters and digits (every other
 * ASCII byte dropped, bytes of other scripts kept), so "HS Code", "hs_code", "HS-CODE"
 * and "hsCode" are one name. The table below holds, per field, the canonical name, the
 * usual synonyms of customs and shipping data, and the property names of
 * FollowTheMoney's EconomicActivity schema; the order of the rows of one field is its
 * preference when a file has several columns for it (goodsDescription before
 * vedCodeDescription, invoiceAmount before customsAmount).
 *
 * The map owns copies of every column name and origin string; it is read-only once the
 * reader has opened, and the reader copies what it needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/input.h"
#include "screen/record.h"
#include "screen/textfile.h"

#define MAX_MAP_LINE 4096
#define MAX_MAP_ENTRIES 4096
#define MAX_NAME_KEY 96 /* folded names longer than this are never recognised */

static const char *const field_names[EMB_TF_COUNT] = {
    "record_id",
    "date",
    "exporter",
    "exporter_country",
    "exporter_id",
    "importer",
    "importer_country",
    "importer_id",
    "consignee",
    "consignee_country",
    "consignee_id",
    "end_user",
    "end_user_country",
    "notify_party",
    "hs_code",
    "goods_description",
    "manufacturer",
    "origin_country",
    "dispatch_country",
    "destination_country",
    "transit_countries",
    "port_of_loading",
    "port_of_discharge",
    "carrier",
    "vessel_name",
    "vessel_imo",
    "value",
    "currency",
    "quantity",
    "unit",
};

const char *emb__trade_field_name(emb_trade_field f) {
  return (unsigned)f < EMB_TF_COUNT ? field_names[f] : NULL;
}

_Static_assert(EMB_TF_COUNT == EMB_TRADE_FIELDS, "embargo.h counts the trade fields");

const char *emb_trade_field_name(int i) {
  return i >= 0 && i < EMB_TF_COUNT ? field_names[i] : NULL;
}

int emb__trade_field_parse(const char *name, size_t len) {
  if (!name)
    return -1;
  for (int i = 0; i < EMB_TF_COUNT; i++)
    if (strlen(field_names[i]) == len && memcmp(field_names[i], name, len) == 0)
      return i;
  return -1;
}

/* ------------------------------------------------------- automatic names */

/* A recognised name in folded form (see fold()). */
typedef struct auto_name {
  const char *key;
  emb_trade_field field;
  const char *how; /* "synonym" or "ftm" */
} auto_name;

#define SYN(k, f)                                                                                  \
  { k, EMB_TF_##f, "synonym" }
#define FTM(k, f)                                                                                  \
  { k, EMB_TF_##f, "ftm" }

/*
 * Synonyms and FtM EconomicActivity properties, folded. Within one field the rows are in
 * order of preference. Decisions for FtM (docs/TRADE_RECORDS.md): sender is the
 * exporter; contractHolder, the party that settles the contract (box 9 of the Russian
 * declaration, the importer in the import declarations these data sets mostly hold), is
 * the importer; receiver (box 8) is the consignee; declarant is filed as notify_party so
 * that it is screened too; tradingCountry, the trading partner's country, is the
 * exporter's country.
 */
static const auto_name auto_names[] = {
    /* record_id */
    SYN("recordno", RECORD_ID),
    SYN("recordnumber", RECORD_ID),
    FTM("ccdnumber", RECORD_ID),
    SYN("declarationnumber", RECORD_ID),
    SYN("declarationno", RECORD_ID),
    SYN("declarationid", RECORD_ID),
    SYN("customsdeclarationnumber", RECORD_ID),
    SYN("declno", RECORD_ID),
    SYN("entrynumber", RECORD_ID),
    SYN("entryno", RECORD_ID),
    SYN("entryid", RECORD_ID),
    SYN("transactionid", RECORD_ID),
    SYN("shipmentid", RECORD_ID),
    SYN("referencenumber", RECORD_ID),
    SYN("referenceno", RECORD_ID),
    SYN("reference", RECORD_ID),
    SYN("ref", RECORD_ID),
    SYN("rowid", RECORD_ID),
    SYN("lineid", RECORD_ID),
    SYN("record", RECORD_ID),
    SYN("id", RECORD_ID),
    /* date */
    SYN("declarationdate", DATE),
    SYN("shipmentdate", DATE),
    SYN("shippingdate", DATE),
    SYN("transactiondate", DATE),
    SYN("arrivaldate", DATE),
    SYN("exportdate", DATE),
    SYN("importdate", DATE),
    SYN("entrydate", DATE),
    SYN("invoicedate", DATE),
    FTM("startdate", DATE),
    /* exporter */
    SYN("shipper", EXPORTER),
    SYN("shippername", EXPORTER),
    SYN("exportername", EXPORTER),
    SYN("consignor", EXPORTER),
    SYN("consignorname", EXPORTER),
    FTM("sender", EXPORTER),
    FTM("beneficiary", EXPORTER),
    SYN("seller", EXPORTER),
    SYN("sellername", EXPORTER),
    SYN("supplier", EXPORTER),
    SYN("suppliername", EXPORTER),
    SYN("vendor", EXPORTER),
    SYN("vendorname", EXPORTER),
    /* exporter_country */
    SYN("shippercountry", EXPORTER_COUNTRY),
    SYN("consignorcountry", EXPORTER_COUNTRY),
    SYN("sendercountry", EXPORTER_COUNTRY),
    SYN("sellercountry", EXPORTER_COUNTRY),
    SYN("suppliercountry", EXPORTER_COUNTRY),
    SYN("vendorcountry", EXPORTER_COUNTRY),
    FTM("tradingcountry", EXPORTER_COUNTRY),
    /* exporter_id */
    SYN("exportertaxid", EXPORTER_ID),
    SYN("exporterinn", EXPORTER_ID),
    SYN("exportervat", EXPORTER_ID),
    SYN("exporterregistrationnumber", EXPORTER_ID),
    SYN("shipperid", EXPORTER_ID),
    SYN("shippertaxid", EXPORTER_ID),
    SYN("consignorid", EXPORTER_ID),
    SYN("senderid", EXPORTER_ID),
    SYN("senderinn", EXPORTER_ID),
    SYN("sellerid", EXPORTER_ID),
    SYN("supplierid", EXPORTER_ID),
    /* importer */
    SYN("importername", IMPORTER),
    SYN("importerofrecord", IMPORTER),
    SYN("buyer", IMPORTER),
    SYN("buyername", IMPORTER),
    FTM("contractholder", IMPORTER),
    FTM("payer", IMPORTER),
    SYN("purchaser", IMPORTER),
    SYN("customer", IMPORTER),
    SYN("customername", IMPORTER),
    /* importer_country */
    SYN("buyercountry", IMPORTER_COUNTRY),
    SYN("purchasercountry", IMPORTER_COUNTRY),
    SYN("customercountry", IMPORTER_COUNTRY),
    SYN("contractholdercountry", IMPORTER_COUNTRY),
    /* importer_id */
    SYN("importertaxid", IMPORTER_ID),
    SYN("importerinn", IMPORTER_ID),
    SYN("importervat", IMPORTER_ID),
    SYN("importerregistrationnumber", IMPORTER_ID),
    SYN("buyerid", IMPORTER_ID),
    SYN("buyerinn", IMPORTER_ID),
    SYN("customerid", IMPORTER_ID),
    SYN("contractholderinn", IMPORTER_ID),
    /* consignee */
    SYN("consigneename", CONSIGNEE),
    FTM("receiver", CONSIGNEE),
    SYN("receivername", CONSIGNEE),
    SYN("recipient", CONSIGNEE),
    SYN("recipientname", CONSIGNEE),
    SYN("shipto", CONSIGNEE),
    SYN("shiptoname", CONSIGNEE),
    SYN("deliverto", CONSIGNEE),
    /* consignee_country */
    SYN("receivercountry", CONSIGNEE_COUNTRY),
    SYN("recipientcountry", CONSIGNEE_COUNTRY),
    SYN("shiptocountry", CONSIGNEE_COUNTRY),
    /* consignee_id */
    SYN("consigneetaxid", CONSIGNEE_ID),
    SYN("consigneeinn", CONSIGNEE_ID),
    SYN("consigneevat", CONSIGNEE_ID),
    SYN("receiverid", CONSIGNEE_ID),
    SYN("receiverinn", CONSIGNEE_ID),
    SYN("recipientid", CONSIGNEE_ID),
    /* end_user */
    SYN("endusername", END_USER),
    SYN("ultimateenduser", END_USER),
    SYN("ultimateconsignee", END_USER),
    SYN("finaluser", END_USER),
    /* end_user_country */
    SYN("ultimateconsigneecountry", END_USER_COUNTRY),
    SYN("enduse", END_USER_COUNTRY),
    SYN("countryofenduse", END_USER_COUNTRY),
    SYN("enduseCountry", END_USER_COUNTRY),
    /* notify_party */
    SYN("notify", NOTIFY_PARTY),
    SYN("notifypartyname", NOTIFY_PARTY),
    FTM("declarant", NOTIFY_PARTY),
    /* hs_code */
    SYN("hs", HS_CODE),
    SYN("hscode6", HS_CODE),
    SYN("hstariffcode", HS_CODE),
    SYN("hsn", HS_CODE),
    SYN("hsncode", HS_CODE),
    SYN("hts", HS_CODE),
    SYN("htscode", HS_CODE),
    SYN("htsnumber", HS_CODE),
    SYN("cncode", HS_CODE),
    SYN("cn8", HS_CODE),
    SYN("taric", HS_CODE),
    SYN("tariccode", HS_CODE),
    SYN("tariffcode", HS_CODE),
    SYN("tariffnumber", HS_CODE),
    SYN("commoditycode", HS_CODE),
    SYN("customscode", HS_CODE),
    SYN("tnved", HS_CODE),
    SYN("tnvedcode", HS_CODE),
    FTM("vedcode", HS_CODE),
    /* goods_description: goodsDescription is canonical (and FtM's) */
    SYN("descriptionofgoods", GOODS_DESCRIPTION),
    SYN("productdescription", GOODS_DESCRIPTION),
    SYN("itemdescription", GOODS_DESCRIPTION),
    SYN("commoditydescription", GOODS_DESCRIPTION),
    SYN("cargodescription", GOODS_DESCRIPTION),
    SYN("description", GOODS_DESCRIPTION),
    SYN("goods", GOODS_DESCRIPTION),
    SYN("product", GOODS_DESCRIPTION),
    SYN("productname", GOODS_DESCRIPTION),
    SYN("commodity", GOODS_DESCRIPTION),
    SYN("merchandise", GOODS_DESCRIPTION),
    SYN("item", GOODS_DESCRIPTION),
    FTM("vedcodedescription", GOODS_DESCRIPTION),
    /* manufacturer */
    SYN("manufacturername", MANUFACTURER),
    SYN("producer", MANUFACTURER),
    SYN("maker", MANUFACTURER),
    SYN("brand", MANUFACTURER),
    SYN("trademark", MANUFACTURER),
    /* origin_country (originCountry is canonical and FtM's) */
    SYN("countryoforigin", ORIGIN_COUNTRY),
    SYN("origin", ORIGIN_COUNTRY),
    SYN("coo", ORIGIN_COUNTRY),
    SYN("madein", ORIGIN_COUNTRY),
    /* dispatch_country */
    FTM("departurecountry", DISPATCH_COUNTRY),
    SYN("countryofdispatch", DISPATCH_COUNTRY),
    SYN("countryofexport", DISPATCH_COUNTRY),
    SYN("exportcountry", DISPATCH_COUNTRY),
    SYN("countryofconsignment", DISPATCH_COUNTRY),
    SYN("consignmentcountry", DISPATCH_COUNTRY),
    SYN("shippedfrom", DISPATCH_COUNTRY),
    /* destination_country (destinationCountry is canonical and FtM's) */
    SYN("countryofdestination", DESTINATION_COUNTRY),
    SYN("destination", DESTINATION_COUNTRY),
    SYN("finaldestination", DESTINATION_COUNTRY),
    SYN("countryofimport", DESTINATION_COUNTRY),
    SYN("importcountry", DESTINATION_COUNTRY),
    SYN("shippedto", DESTINATION_COUNTRY),
    /* transit_countries */
    SYN("transitcountry", TRANSIT_COUNTRIES),
    SYN("countriesoftransit", TRANSIT_COUNTRIES),
    SYN("transit", TRANSIT_COUNTRIES),
    SYN("transshipmentcountry", TRANSIT_COUNTRIES),
    SYN("via", TRANSIT_COUNTRIES),
    /* port_of_loading */
    SYN("loadingport", PORT_OF_LOADING),
    SYN("pol", PORT_OF_LOADING),
    SYN("portoflading", PORT_OF_LOADING),
    SYN("foreignportoflading", PORT_OF_LOADING),
    SYN("portofexport", PORT_OF_LOADING),
    SYN("departureport", PORT_OF_LOADING),
    /* port_of_discharge */
    SYN("dischargeport", PORT_OF_DISCHARGE),
    SYN("pod", PORT_OF_DISCHARGE),
    SYN("portofunlading", PORT_OF_DISCHARGE),
    SYN("usportofunlading", PORT_OF_DISCHARGE),
    SYN("portofentry", PORT_OF_DISCHARGE),
    SYN("destinationport", PORT_OF_DISCHARGE),
    SYN("arrivalport", PORT_OF_DISCHARGE),
    /* carrier */
    SYN("carriername", CARRIER),
    SYN("shippingline", CARRIER),
    SYN("airline", CARRIER),
    /* vessel_name */
    SYN("vessel", VESSEL_NAME),
    SYN("ship", VESSEL_NAME),
    SYN("shipname", VESSEL_NAME),
    /* vessel_imo */
    SYN("imo", VESSEL_IMO),
    SYN("imonumber", VESSEL_IMO),
    SYN("imono", VESSEL_IMO),
    SYN("vesselimonumber", VESSEL_IMO),
    /* value */
    SYN("totalvalue", VALUE),
    FTM("invoiceamount", VALUE),
    SYN("invoicevalue", VALUE),
    FTM("customsamount", VALUE),
    SYN("customsvalue", VALUE),
    SYN("declaredvalue", VALUE),
    SYN("statisticalvalue", VALUE),
    SYN("fobvalue", VALUE),
    SYN("cifvalue", VALUE),
    SYN("valueusd", VALUE),
    FTM("amount", VALUE),
    FTM("amountusd", VALUE),
    FTM("amounteur", VALUE),
    SYN("totalprice", VALUE),
    SYN("price", VALUE),
    /* currency */
    SYN("currencycode", CURRENCY),
    SYN("invoicecurrency", CURRENCY),
    SYN("cur", CURRENCY),
    /* quantity: weights are the quantity of last resort (unit values per kg) */
    SYN("qty", QUANTITY),
    SYN("numberofunits", QUANTITY),
    SYN("netweight", QUANTITY),
    SYN("netweightkg", QUANTITY),
    SYN("weight", QUANTITY),
    SYN("weightkg", QUANTITY),
    SYN("grossweight", QUANTITY),
    SYN("grossweightkg", QUANTITY),
    /* unit */
    SYN("units", UNIT),
    SYN("unitofmeasure", UNIT),
    SYN("uom", UNIT),
    SYN("quantityunit", UNIT),
    SYN("measureunit", UNIT),
    /* FtM's Thing, Interval and Value properties that an EconomicActivity carries */
    FTM("date", DATE),
    FTM("recordid", RECORD_ID),
    FTM("currency", CURRENCY),
};

/*
 * Folds name[0..len) into out: ASCII letters lower-cased, digits and bytes >= 0x80 kept,
 * every other ASCII byte dropped. Returns the folded length, or (size_t)-1 when it would
 * exceed cap.
 */
static size_t fold(const char *name, size_t len, char *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c - 'A' + 'a');
    else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80))
      continue;
    if (n == cap)
      return (size_t)-1;
    out[n++] = (char)c;
  }
  return n;
}

bool emb__trade_name_equal(const char *a, size_t alen, const char *b, size_t blen) {
  char fa[MAX_NAME_KEY], fb[MAX_NAME_KEY];
  size_t na = fold(a, alen, fa, sizeof(fa)), nb = fold(b, blen, fb, sizeof(fb));
  if (na == (size_t)-1 || nb == (size_t)-1)
    return alen == blen && memcmp(a, b, alen) == 0;
  return na == nb && na > 0 && memcmp(fa, fb, na) == 0;
}

/* Compares a folded name with a table key, the key folded on the fly. */
static bool key_equal(const char *folded, size_t n, const char *key) {
  char fk[MAX_NAME_KEY];
  size_t nk = fold(key, strlen(key), fk, sizeof(fk));
  return nk == n && memcmp(folded, fk, n) == 0;
}

int emb__trade_auto_field(const char *name, size_t len, int *rank, const char **how) {
  char f[MAX_NAME_KEY];
  size_t n = fold(name, len, f, sizeof(f));
  if (n == (size_t)-1 || n == 0)
    return -1;
  for (int i = 0; i < EMB_TF_COUNT; i++) {
    if (key_equal(f, n, field_names[i])) {
      *rank = -1; /* the canonical name beats every synonym */
      *how = "name";
      return i;
    }
  }
  for (size_t i = 0; i < sizeof(auto_names) / sizeof(auto_names[0]); i++) {
    if (key_equal(f, n, auto_names[i].key)) {
      *rank = (int)i;
      *how = auto_names[i].how;
      return (int)auto_names[i].field;
    }
  }
  return -1;
}

/* ------------------------------------------------------------ the map */

struct emb_trade_map {
  emb_trade_src *src;
  size_t n, cap;
  bool auto_off;
  bool flagged[EMB_TF_COUNT + 1]; /* a flag has replaced the file's sources for the field */
};

emb_trade_map *emb__trade_map_new(void) {
  return calloc(1, sizeof(emb_trade_map));
}

void emb__trade_map_free(emb_trade_map *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->n; i++) {
    free((char *)m->src[i].column);
    free((char *)m->src[i].origin);
    free((char *)m->src[i].file);
  }
  free(m->src);
  free(m);
}

void emb__trade_map_set_auto(emb_trade_map *m, bool on) {
  if (m)
    m->auto_off = !on;
}

bool emb__trade_map_auto(const emb_trade_map *m) {
  return !m || !m->auto_off;
}

const emb_trade_src *emb__trade_map_sources(const emb_trade_map *m, size_t *n) {
  *n = m ? m->n : 0;
  return m ? m->src : NULL;
}

static char *dupn(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

/* Appends one source; the map takes copies of the strings. */
static int add_src(emb_trade_map *m, int field, const char *col, size_t ncol, const char *origin,
                   const char *file, unsigned long line) {
  if (m->n == m->cap) {
    size_t c = m->cap ? m->cap * 2 : 16;
    emb_trade_src *p = realloc(m->src, c * sizeof(*p));
    if (!p)
      return EMB_ENOMEM;
    m->src = p;
    m->cap = c;
  }
  emb_trade_src *s = &m->src[m->n];
  s->field = field;
  s->line = line;
  s->column = dupn(col, ncol);
  s->origin = dupn(origin, strlen(origin));
  s->file = file ? dupn(file, strlen(file)) : NULL;
  if (!s->column || !s->origin || (file && !s->file)) {
    free((char *)s->column);
    free((char *)s->origin);
    free((char *)s->file);
    return EMB_ENOMEM;
  }
  m->n++;
  return 0;
}

/* The field named by a mapping's left-hand side: canonical names, any case or spacing. */
static int parse_lhs(const char *s, size_t n) {
  int f = emb__trade_field_parse(s, n);
  if (f >= 0)
    return f;
  for (int i = 0; i < EMB_TF_COUNT; i++)
    if (emb__trade_name_equal(s, n, field_names[i], strlen(field_names[i])))
      return i;
  if (emb__trade_name_equal(s, n, "ignore", 6))
    return EMB_TF_IGNORE;
  return -1;
}

int emb__trade_map_set(emb_trade_map *m, const char *field, const char *column) {
  if (!m || !field || !column)
    return EMB_EINVAL;
  int f = parse_lhs(field, strlen(field));
  size_t nc = strlen(column);
  while (nc && (column[nc - 1] == ' ' || column[nc - 1] == '\t'))
    nc--;
  while (nc && (*column == ' ' || *column == '\t')) {
    column++;
    nc--;
  }
  if (f < 0 || nc == 0)
    return EMB_EINVAL;
  if (!m->flagged[f]) {
    /* The first flag for a field replaces the mapping file's lines for it. */
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
      if (m->src[i].field == f && m->src[i].file) {
        free((char *)m->src[i].column);
        free((char *)m->src[i].origin);
        free((char *)m->src[i].file);
      } else {
        m->src[k++] = m->src[i];
      }
    }
    m->n = k;
    m->flagged[f] = true;
  }
  char origin[300];
  snprintf(origin, sizeof(origin), "--map-field %s=%.*s",
           f == EMB_TF_IGNORE ? "ignore" : field_names[f], (int)(nc > 200 ? 200 : nc), column);
  return add_src(m, f, column, nc, origin, NULL, 0);
}

static bool is_space(char c) {
  return c == ' ' || c == '\t';
}

int emb__trade_map_load(emb_trade_map *m, const char *path, emb_diags *diags) {
  if (!m || !path)
    return EMB_EINVAL;
  emb_input *in = NULL;
  int rc = emb__input_open(path, &in, diags);
  if (rc)
    return rc;
  emb_lines *lr = NULL;
  rc = emb__lines_new(in, MAX_MAP_LINE, diags, &lr);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  const char *line;
  size_t len;
  unsigned long lineno;
  int bad = 0, r;
  while ((r = emb__lines_next(lr, &line, &len, &lineno)) == 1) {
    size_t a = 0, b = len;
    while (a < b && is_space(line[a]))
      a++;
    while (b > a && is_space(line[b - 1]))
      b--;
    if (a == b || line[a] == '#')
      continue;
    if (emb__utf8_check(line + a, b - a) != b - a) {
      emb__error(diags, EMB_EENCODING, path, lineno, 0, NULL,
                 "The line is not valid UTF-8; a mapping file is UTF-8 text.");
      bad = EMB_EFORMAT;
      continue;
    }
    const char *eq = memchr(line + a, '=', b - a);
    if (!eq) {
      emb__error(diags, EMB_EFORMAT, path, lineno, 0, NULL,
                 "The line is not of the form `canonical_field = Column Name`.");
      bad = EMB_EFORMAT;
      continue;
    }
    size_t la = a, lb = (size_t)(eq - line);
    while (lb > la && is_space(line[lb - 1]))
      lb--;
    size_t ra = (size_t)(eq - line) + 1, rb = b;
    while (ra < rb && is_space(line[ra]))
      ra++;
    if (rb - ra >= 2 && line[ra] == '"' && line[rb - 1] == '"') {
      ra++;
      rb--; /* quotes keep spaces at the ends of a column name */
    }
    if (lb == la || rb == ra) {
      emb__error(diags, EMB_EFORMAT, path, lineno, 0, NULL,
                 "The line lacks a field name or a column name around '='.");
      bad = EMB_EFORMAT;
      continue;
    }
    if (emb__trade_name_equal(line + la, lb - la, "auto", 4)) {
      bool off = emb__trade_name_equal(line + ra, rb - ra, "off", 3) ||
                 emb__trade_name_equal(line + ra, rb - ra, "no", 2) ||
                 emb__trade_name_equal(line + ra, rb - ra, "false", 5);
      bool on = emb__trade_name_equal(line + ra, rb - ra, "on", 2) ||
                emb__trade_name_equal(line + ra, rb - ra, "yes", 3) ||
                emb__trade_name_equal(line + ra, rb - ra, "true", 4);
      if (!on && !off) {
        emb__error(diags, EMB_EFORMAT, path, lineno, 0, "auto",
                   "`auto` takes on or off (yes/no, true/false).");
        bad = EMB_EFORMAT;
      } else {
        m->auto_off = off;
      }
      continue;
    }
    int f = parse_lhs(line + la, lb - la);
    if (f < 0) {
      emb__error(diags, EMB_EFORMAT, path, lineno, 0, NULL,
                 "'%.*s' is not a canonical trade field (see docs/TRADE_RECORDS.md).",
                 (int)(lb - la > 64 ? 64 : lb - la), line + la);
      bad = EMB_EFORMAT;
      continue;
    }
    if (m->flagged[f])
      continue; /* a flag given before the file already decided this field */
    if (m->n >= MAX_MAP_ENTRIES) {
      emb__error(diags, EMB_ETOOBIG, path, lineno, 0, NULL,
                 "The mapping has more than %d lines; the rest were ignored.", MAX_MAP_ENTRIES);
      bad = EMB_EFORMAT;
      break;
    }
    char origin[300];
    snprintf(origin, sizeof(origin), "%.256s:%lu", path, lineno);
    if ((rc = add_src(m, f, line + ra, rb - ra, origin, path, lineno)) != 0)
      break;
  }
  emb__lines_free(lr);
  emb__input_close(in);
  if (rc)
    return rc;
  if (r < 0)
    return r;
  return bad;
}
