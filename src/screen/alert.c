/*
 * alert.c - alerts: reasons, risk, stable ids, JSON and CSV (see alert.h).
 */
#include "screen/alert.h"

#include <stdio.h>
#include <string.h>

#include "core/sha256.h"

const char *emb__risk_name(emb_risk r) {
  static const char *const names[] = {"none", "low", "medium", "high"};
  return (unsigned)r < 4 ? names[r] : "none";
}

const char *emb__reason_kind_name(emb_reason_kind k) {
  static const char *const names[] = {"party", "goods", "route", "red_flag"};
  return (unsigned)k < 4 ? names[k] : "unknown";
}

void emb__alert_reset(emb_alert *a, const char *record_id, unsigned long line) {
  a->record_id = record_id;
  a->line = line;
  a->alert_id[0] = '\0';
  a->risk = EMB_RISK_NONE;
  a->n_reasons = 0;
  a->truncated = false;
}

void emb__alert_add(emb_alert *a, const emb_reason *r) {
  if (a->n_reasons == EMB_ALERT_MAX_REASONS) {
    a->truncated = true;
    return;
  }
  a->reasons[a->n_reasons++] = *r;
  if (r->risk > a->risk)
    a->risk = r->risk;
}

bool emb__alert_raised(const emb_alert *a) {
  for (size_t i = 0; i < a->n_reasons; i++)
    if (a->reasons[i].kind != EMB_REASON_GOODS)
      return true;
  return false;
}

void emb__alert_set_id(emb_alert *a, const char *const *fields, const size_t *lens, size_t n,
                       const char *context) {
  emb_sha256 h;
  emb__sha256_init(&h);
  emb__sha256_update(&h, context, strlen(context));
  for (size_t i = 0; i < n; i++) {
    /* Length-prefixed, so that moving a byte from one field to the next changes the id. */
    char len[24];
    int k = snprintf(len, sizeof(len), "\x1f%zu:", fields[i] ? lens[i] : 0);
    emb__sha256_update(&h, len, (size_t)k);
    if (fields[i])
      emb__sha256_update(&h, fields[i], lens[i]);
  }
  char hex[65];
  emb__sha256_final_hex(&h, hex);
  memcpy(a->alert_id, "emb-", 4);
  memcpy(a->alert_id + 4, hex, 16);
  a->alert_id[20] = '\0';
}

/* ---- JSON ---- */

static int json_key_str(emb_buf *b, const char *key, const char *value) {
  int rc = emb__buf_printf(b, ",\"%s\":", key);
  return rc ? rc : emb__json_str(b, value ? value : "");
}

/* The same entity's ids in other lists ("a,b" -> "also_listed_as":["a","b"]). */
static int also_listed_json(emb_buf *b, const char *also) {
  int rc = emb__buf_puts(b, ",\"also_listed_as\":[");
  for (const char *p = also; *p && !rc;) {
    size_t n = strcspn(p, ",");
    char id[256];
    snprintf(id, sizeof(id), "%.*s", (int)n, p);
    rc = p == also ? 0 : emb__buf_putc(b, ',');
    if (!rc)
      rc = emb__json_str(b, id);
    p += n + (p[n] == ',');
  }
  return rc ? rc : emb__buf_putc(b, ']');
}

static int party_json(const emb_reason *r, emb_buf *b) {
  const emb_party *p = r->party;
  const emb_party_match *m = r->match;
  const emb_entity *e = m->entity;
  int rc = json_key_str(b, "name", p->name);
  if (!rc && *p->country)
    rc = json_key_str(b, "country", p->country);
  if (!rc && *p->id)
    rc = json_key_str(b, "identifier", p->id);
  if (!rc)
    rc = emb__buf_puts(b, ",\"entity\":{\"id\":");
  if (!rc)
    rc = emb__json_str(b, e->id);
  if (!rc)
    rc = json_key_str(b, "caption", emb_entity_caption(e));
  if (!rc)
    rc = json_key_str(b, "schema", emb_schema_name(e->schema));
  if (!rc)
    rc = emb__buf_puts(b, ",\"datasets\":[");
  if (!rc)
    rc = emb__json_str(b, e->source);
  for (size_t k = 0; k < e->lists.count && !rc; k++) {
    rc = emb__buf_putc(b, ',');
    if (!rc)
      rc = emb__json_str(b, e->lists.items[k]);
  }
  if (!rc)
    rc = emb__buf_printf(b, "]},\"score\":%.4f,\"by\":[%s%s%s]", m->score,
                         m->by_name ? "\"name\"" : "", m->by_name && m->id ? "," : "",
                         m->id ? "\"identifier\"" : "");
  if (!rc && m->id) {
    rc = emb__buf_puts(b, ",\"listed_identifier\":{\"type\":");
    if (!rc)
      rc = emb__json_str(b, m->id->type ? m->id->type : "other");
    if (!rc)
      rc = json_key_str(b, "value", m->id->value);
    if (!rc)
      rc = emb__buf_putc(b, '}');
  }
  if (!rc && m->also)
    rc = also_listed_json(b, m->also);
  if (!rc && m->explanation && *m->explanation)
    rc = emb__buf_printf(b, ",\"explanation\":%s", m->explanation);
  return rc;
}

static int goods_json(const emb_reason *r, emb_buf *b) {
  const emb_goods_hit *h = r->goods;
  const emb_control *c = h->control;
  int rc = json_key_str(b, "via", emb__goods_via_name(h->via));
  if (!rc)
    rc = json_key_str(b, "list", c->list);
  if (!rc)
    rc = json_key_str(b, "code", c->code);
  if (!rc)
    rc = json_key_str(b, "tier", c->tier);
  if (!rc)
    rc = json_key_str(b, "control", c->description);
  if (!rc)
    rc = json_key_str(b, "record_code", r->record_code);
  if (!rc && h->via == EMB_GOODS_VIA_CORRELATION && h->corr) {
    const emb_hs_corr_row *k = h->corr;
    rc = emb__buf_puts(b, ",\"correlation\":{\"from\":");
    if (!rc) {
      char from[64], to[64];
      snprintf(from, sizeof(from), "%s %s", k->from_version, k->from_code);
      snprintf(to, sizeof(to), "%s %s", k->to_version, k->to_code);
      rc = emb__json_str(b, from);
      if (!rc)
        rc = json_key_str(b, "to", to);
      if (!rc)
        rc = json_key_str(b, "relation", k->relation);
      if (!rc)
        rc = emb__buf_putc(b, '}');
    }
  }
  if (!rc && h->via == EMB_GOODS_VIA_DESCRIPTION && h->rule) {
    rc = json_key_str(b, "rule", h->rule->id);
    if (!rc)
      rc = json_key_str(b, "category", h->rule->category);
    if (!rc)
      rc = json_key_str(b, "suggested", h->suggested);
  }
  if (!rc && r->detail[0])
    rc = json_key_str(b, "detail", r->detail);
  return rc;
}

/* The other fields of a route reason, as a JSON array ("a,b" -> ["a","b"]). */
static int also_json(emb_buf *b, const char *also) {
  int rc = emb__buf_puts(b, ",\"also_fields\":[");
  for (const char *p = also; *p && !rc;) {
    size_t n = strcspn(p, ",");
    rc = emb__buf_printf(b, "%s\"%.*s\"", p == also ? "" : ",", (int)n, p);
    p += n + (p[n] == ',');
  }
  return rc ? rc : emb__buf_putc(b, ']');
}

static int reason_json(const emb_reason *r, emb_buf *b) {
  int rc = emb__buf_printf(b, "{\"kind\":\"%s\",\"risk\":\"%s\"", emb__reason_kind_name(r->kind),
                           emb__risk_name(r->risk));
  if (!rc && r->field)
    rc = json_key_str(b, "field", r->field);
  if (rc)
    return rc;
  switch (r->kind) {
  case EMB_REASON_PARTY: rc = party_json(r, b); break;
  case EMB_REASON_GOODS: rc = goods_json(r, b); break;
  case EMB_REASON_ROUTE:
  case EMB_REASON_RED_FLAG:
    rc = json_key_str(b, r->kind == EMB_REASON_ROUTE ? "rule" : "flag", r->rule);
    if (!rc && r->type)
      rc = json_key_str(b, "type", r->type);
    if (!rc && r->also[0])
      rc = also_json(b, r->also);
    if (!rc && r->country[0])
      rc = json_key_str(b, "country", r->country);
    if (!rc)
      rc = json_key_str(b, "detail", r->detail);
    break;
  }
  return rc ? rc : emb__buf_putc(b, '}');
}

int emb__alert_json(const emb_alert *a, emb_buf *out) {
  int rc = emb__buf_puts(out, "{\"record_id\":");
  if (!rc)
    rc = emb__json_str(out, a->record_id);
  if (!rc)
    rc = emb__buf_printf(out, ",\"line\":%lu,\"alert_id\":\"%s\",\"risk\":\"%s\",\"reasons\":[",
                         a->line, a->alert_id, emb__risk_name(a->risk));
  for (size_t i = 0; i < a->n_reasons && !rc; i++) {
    if (i)
      rc = emb__buf_putc(out, ',');
    if (!rc)
      rc = reason_json(&a->reasons[i], out);
  }
  if (!rc)
    rc = emb__buf_printf(out, "]%s}\n", a->truncated ? ",\"reasons_truncated\":true" : "");
  return rc;
}

/* ---- CSV ---- */

/* Appends s[0..len) as one RFC 4180 field (quoted when it holds a comma, quote or newline). */
static int csv_field(emb_buf *b, const char *s, size_t len) {
  if (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) &&
      !memchr(s, '\r', len))
    return emb__buf_append(b, s, len);
  int rc = emb__buf_putc(b, '"');
  for (size_t i = 0; i < len && !rc; i++)
    rc = s[i] == '"' ? emb__buf_puts(b, "\"\"") : emb__buf_putc(b, s[i]);
  return rc ? rc : emb__buf_putc(b, '"');
}

/* Writes one reason as a short sentence into t. */
static int reason_text(const emb_reason *r, emb_buf *t) {
  switch (r->kind) {
  case EMB_REASON_PARTY: {
    const emb_party_match *m = r->match;
    return emb__buf_printf(t, "%s \"%s\" matches %s \"%s\" (%s%s%.2f)", r->field, r->party->name,
                           m->entity->id, emb_entity_caption(m->entity), m->id ? "identifier " : "",
                           m->id ? m->id->value : "", m->score);
  }
  case EMB_REASON_GOODS: {
    const emb_goods_hit *h = r->goods;
    int rc = emb__buf_printf(t, "%s %s tier %s by %s", h->control->list, h->control->code,
                             h->control->tier, emb__goods_via_name(h->via));
    if (!rc && h->via == EMB_GOODS_VIA_DESCRIPTION && h->rule)
      rc = emb__buf_printf(t, " (rule %s)", h->rule->id);
    if (!rc && h->via == EMB_GOODS_VIA_CORRELATION && h->corr)
      rc = emb__buf_printf(t, " (%s %s)", h->corr->from_version, h->corr->from_code);
    return rc;
  }
  case EMB_REASON_ROUTE:
  case EMB_REASON_RED_FLAG: return emb__buf_printf(t, "%s: %s", r->rule, r->detail);
  }
  return 0;
}

static const char *const CSV_COLUMNS[] = {"record_id", "line",  "alert_id", "risk",
                                          "party",     "goods", "route",    "red_flag"};

int emb__alert_csv_header(emb_buf *out) {
  int rc = 0;
  for (size_t i = 0; i < sizeof(CSV_COLUMNS) / sizeof(*CSV_COLUMNS) && !rc; i++)
    rc = emb__buf_printf(out, "%s%s", i ? "," : "", CSV_COLUMNS[i]);
  return rc ? rc : emb__buf_putc(out, '\n');
}

int emb__alert_csv(const emb_alert *a, emb_buf *out) {
  int rc = csv_field(out, a->record_id, strlen(a->record_id));
  if (!rc)
    rc = emb__buf_printf(out, ",%lu,%s,%s", a->line, a->alert_id, emb__risk_name(a->risk));
  emb_buf t;
  emb__buf_init(&t, 0);
  /* One column per kind of reason; several reasons of a kind are joined by "; ". */
  for (int kind = EMB_REASON_PARTY; kind <= EMB_REASON_RED_FLAG && !rc; kind++) {
    emb__buf_reset(&t);
    for (size_t i = 0; i < a->n_reasons && !rc; i++) {
      if (a->reasons[i].kind != (emb_reason_kind)kind)
        continue;
      if (t.len)
        rc = emb__buf_puts(&t, "; ");
      if (!rc)
        rc = reason_text(&a->reasons[i], &t);
    }
    if (!rc)
      rc = emb__buf_putc(out, ',');
    if (!rc)
      rc = csv_field(out, emb__buf_str(&t), t.len);
  }
  emb__buf_fini(&t);
  return rc ? rc : emb__buf_putc(out, '\n');
}
