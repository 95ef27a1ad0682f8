/*
 * fuzz_match.c - libFuzzer target for the matcher (src/match, src/index): a query as a
 * screening caller could give it.
 *
 * The input is split at NUL bytes into up to seven fields: name, birth date, nationality,
 * gender, identifier value, identifier type and schema name (missing fields are NULL).
 * The query runs through emb_match() against a matcher built once, on the first call,
 * over the small list embedded below (FtM JSON lines with names in many scripts, legal
 * forms, numbers, identifiers, weak aliases and one person listed twice), and the name
 * is compared with the second field and with a listed name through emb_compare_names().
 *
 * Every promise of embargo.h is checked: return codes, at most `limit` results, sorted by
 * score then id, scores in [0, 1], match exactly when the score reaches the threshold,
 * one result per entity, explanations that parse as JSON with the documented top-level
 * fields, and the same results and explanations when the query runs again. The variant
 * table is the bundled one (EMB_DATA_DIR), or none when it cannot be read.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "lists/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The list: one FtM entity per line. */
static const char LIST[] =
    "{\"id\":\"p-putin\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Vladimir Vladimirovich "
    "Putin\",\"Владимир Владимирович Путин\"],\"alias\":[\"PUTIN, Vladimir\"],\"birthDate\":["
    "\"1952-10-07\"],\"nationality\":[\"ru\"],\"gender\":[\"male\"],\"passportNumber\":["
    "\"1234567890\"]}}\n"
    "{\"id\":\"p-kim\",\"schema\":\"Person\",\"properties\":{\"name\":[\"KIM Jong Un\"],"
    "\"alias\":[\"김정은\",\"Kim Jong-un\"],\"birthDate\":[\"1984-01-08\",\"1983\"],"
    "\"nationality\":[\"kp\"]}}\n"
    "{\"id\":\"p-xi\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Xi Jinping\"],\"alias\":["
    "\"习近平\"],\"birthDate\":[\"1953-06\"],\"citizenship\":[\"cn\"]}}\n"
    "{\"id\":\"p-hassan\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Mohammed Ali "
    "Hassan\"],\"alias\":[\"محمد علي حسن\",\"Muhammad Ali Hasan al-Tikriti\"],\"weakAlias\":["
    "\"Abu Ali\"],\"birthDate\":[\"1960\",\"1962\"],\"nationality\":[\"iq\"],\"gender\":["
    "\"male\"]}}\n"
    "{\"id\":\"p-cohen\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Benjamin Cohen\"],"
    "\"alias\":[\"בנימין כהן\"],\"nationality\":[\"il\"]}}\n"
    "{\"id\":\"p-greek\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Γιάννης "
    "Παπαδόπουλος\"],\"alias\":[\"Giannis Papadopoulos\",\"Yannis Papadopoulos\"]}}\n"
    "{\"id\":\"p-armenian\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Արամ "
    "Պետրոսյան\"],\"alias\":[\"Aram Petrosyan\"]}}\n"
    "{\"id\":\"p-georgian\",\"schema\":\"Person\",\"properties\":{\"name\":[\"გიორგი "
    "ბერიძე\"],\"alias\":[\"Giorgi Beridze\"],\"gender\":[\"male\"]}}\n"
    "{\"id\":\"p-yamada\",\"schema\":\"Person\",\"properties\":{\"name\":[\"やまだ たろう\"],"
    "\"alias\":[\"YAMADA Taro\"],\"gender\":[\"female\"]}}\n"
    "{\"id\":\"p-rouhani\",\"schema\":\"Person\",\"properties\":{\"name\":[\"حسن روحانی\"],"
    "\"alias\":[\"Hassan Rouhani\"],\"birthDate\":[\"1948-11-12\"],\"nationality\":[\"ir\"]}}\n"
    "{\"id\":\"p-aweys-1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"HASSAN DAHIR "
    "AWEYS\"],\"birthDate\":[\"1935\"]}}\n"
    "{\"id\":\"p-aweys-2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"HASSAN DAHIR "
    "AWEYS\"],\"alias\":[\"Sheikh Hassan Dahir Aweys\"]}}\n"
    "{\"id\":\"p-smith\",\"schema\":\"Person\",\"properties\":{\"name\":[\"John Smith\"],"
    "\"alias\":[\"J. Smith\",\"O'Brien-Smith, Mary-Jane\"],\"weakAlias\":[\"JS\"]}}\n"
    "{\"id\":\"c-romashka\",\"schema\":\"Company\",\"properties\":{\"name\":[\"ООО "
    "\\\"Ромашка\\\"\"],\"alias\":[\"Romashka LLC\",\"OOO Romashka\"],\"innCode\":["
    "\"7701234567\"],\"jurisdiction\":[\"ru\"]}}\n"
    "{\"id\":\"c-huawei\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Huawei "
    "Technologies Co., Ltd.\"],\"alias\":[\"华为技术有限公司\"],\"country\":[\"cn\"]}}\n"
    "{\"id\":\"c-bnc\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Banco Nacional de Cuba "
    "S.A.\"],\"previousName\":[\"Banco Nacional\"],\"registrationNumber\":[\"CU-0001\"]}}\n"
    "{\"id\":\"c-sber\",\"schema\":\"Company\",\"properties\":{\"name\":[\"ПАО Сбербанк\"],"
    "\"alias\":[\"Sberbank of Russia PJSC\",\"Sberbank\"],\"swiftBic\":[\"SABRRUMM\"]}}\n"
    "{\"id\":\"v-nav2\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"NAVIGATOR 2\"],"
    "\"imoNumber\":[\"IMO 9123456\"],\"flag\":[\"pa\"]}}\n"
    "{\"id\":\"v-nav3\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"NAVIGATOR 3\"],"
    "\"imoNumber\":[\"9234567\"]}}\n"
    "{\"id\":\"o-aq\",\"schema\":\"Organization\",\"properties\":{\"name\":[\"Al-Qaida\"],"
    "\"alias\":[\"Al Qaeda\",\"القاعدة\",\"The Base\"]}}\n"
    "{\"id\":\"a-ra\",\"schema\":\"Airplane\",\"properties\":{\"name\":[\"RA-12345\"]}}\n";
#define LIST_ENTITIES 21

static emb_entity_set *set;
static emb_matcher *matcher;
static emb_match_ctx *ctx;

static void init(void) {
  set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  if (!set || emb__load_mem(set, "ftm", LIST, sizeof(LIST) - 1, "fuzz-list.ftm.json", &d) != 0 ||
      emb_set_count(set) != LIST_ENTITIES)
    abort();
  emb_diags_fini(&d);
  emb_matcher_opts o = emb_matcher_opts_default();
  if (emb_matcher_new(set, &o, &matcher) != 0) {
    o.variants_path = "";
    if (emb_matcher_new(set, &o, &matcher) != 0)
      abort();
  }
  if (emb_match_ctx_new(matcher, &ctx) != 0)
    abort();
}

/* Aborts unless expl is a JSON object with the documented top-level fields. */
static void check_json(const char *expl, bool result) {
  json_error_t err;
  json_t *j = json_loads(expl, 0, &err);
  if (!j || !json_is_object(j))
    abort();
  if (result) {
    json_t *name = json_object_get(j, "name");
    if (!json_is_object(name) || !json_is_array(json_object_get(name, "tokens")) ||
        !json_is_string(json_object_get(name, "query")) ||
        !json_is_array(json_object_get(j, "evidence")) ||
        !json_is_number(json_object_get(j, "threshold")))
      abort();
  } else {
    if (!json_is_number(json_object_get(j, "score")) ||
        !json_is_array(json_object_get(j, "tokens")))
      abort();
  }
  json_decref(j);
}

typedef struct kept {
  const emb_entity *entity;
  double score;
  bool match;
  char *explanation;
} kept;

/* Checks one set of results; copies them into k (caller frees) when k is not NULL. */
static void check_results(const emb_match_result *r, size_t n, size_t limit, kept *k) {
  double t = emb_matcher_threshold(matcher);
  if (n > limit)
    abort();
  for (size_t i = 0; i < n; i++) {
    if (!r[i].entity || !r[i].explanation || !(r[i].score >= 0.0 && r[i].score <= 1.0) ||
        r[i].match != (r[i].score >= t))
      abort();
    for (size_t j = 0; j < i; j++)
      if (r[j].entity == r[i].entity)
        abort();
    if (i > 0 && (r[i - 1].score < r[i].score ||
                  (r[i - 1].score == r[i].score && strcmp(r[i - 1].entity->id, r[i].entity->id) >= 0)))
      abort();
    check_json(r[i].explanation, true);
    if (k) {
      k[i] = (kept){r[i].entity, r[i].score, r[i].match, strdup(r[i].explanation)};
      if (!k[i].explanation)
        abort();
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!set)
    init();
  /* The fields, NUL-separated, each NUL-terminated in a copy. */
  char *buf = malloc(size + 1);
  if (!buf)
    return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  const char *field[7] = {NULL};
  size_t nf = 0;
  field[nf++] = buf;
  for (size_t i = 0; i < size && nf < 7; i++)
    if (buf[i] == '\0')
      field[nf++] = buf + i + 1;
  emb_query_id id = {field[5], field[4]};
  emb_query q = {.name = field[0],
                 .birth_date = field[1],
                 .nationality = field[2],
                 .gender = field[3],
                 .ids = field[4] ? &id : NULL,
                 .n_ids = field[4] ? 1 : 0,
                 .schema = field[6] ? emb_schema_parse(field[6]) : EMB_SCHEMA_UNKNOWN};
  size_t limit = 1 + size % 24;

  const emb_match_result *r;
  size_t n;
  kept first[64];
  int rc = emb_match(ctx, &q, limit, &r, &n);
  if (rc != 0 && rc != EMB_ENOMEM && rc != EMB_ETOOBIG)
    abort();
  if (rc == 0) {
    check_results(r, n, limit, first);
    /* Again: the same results, the same explanations. */
    size_t n2;
    if (emb_match(ctx, &q, limit, &r, &n2) != 0 || n2 != n)
      abort();
    for (size_t i = 0; i < n; i++) {
      if (r[i].entity != first[i].entity || r[i].score != first[i].score ||
          r[i].match != first[i].match || strcmp(r[i].explanation, first[i].explanation) != 0)
        abort();
      free(first[i].explanation);
    }
  }

  /* The name against the second field, and against listed names. */
  static const char *const listed[] = {"Vladimir Putin", "ООО Ромашка", "NAVIGATOR 2"};
  double s;
  const char *expl;
  const char *other[4] = {field[1] ? field[1] : "", listed[0], listed[1], listed[2]};
  for (size_t k = 0; k < 4; k++) {
    rc = emb_compare_names(ctx, q.schema, field[0], other[k], &s, &expl);
    if (rc != 0 && rc != EMB_ENOMEM && rc != EMB_ETOOBIG)
      abort();
    if (rc == 0) {
      if (!(s >= 0.0 && s <= 1.0) || !expl)
        abort();
      check_json(expl, false);
    }
  }
  free(buf);
  return 0;
}
