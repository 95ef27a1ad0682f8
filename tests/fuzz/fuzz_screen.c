/*
 * fuzz_screen.c - libFuzzer target for the whole of trade screening (src/screen): the
 * input is a file of trade records, screened by emb_screen_file() against a small list.
 *
 * The list (FtM JSON lines below) has a company with an INN, a person and a vessel with
 * an IMO number, so that party, identifier and vessel paths all run; the bundled CHPL,
 * goods rules, route rules and gazetteer are used. The input goes to a temporary file
 * (CSV or JSON lines, detected as a user's file would be), is screened on one thread with
 * --on-error keep, and every alert line must be a JSON object with record_id, alert_id,
 * a known risk and reasons; the HTML report of that run must be complete. Then the same input is
 * screened as CSV output with
 * --on-error skip, which must not fail in any other way than EMB_EFORMAT.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo.h"
#include "lists/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char LIST[] =
    "{\"id\":\"c-volga\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Volga Avia "
    "Components LLC\",\"ООО Волга Авиа Компоненты\"],\"innCode\":[\"7701234567\"],"
    "\"country\":[\"ru\"]}}\n"
    "{\"id\":\"p-petrov\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivan Petrovich "
    "Petrov\"],\"birthDate\":[\"1970-01-01\"],\"nationality\":[\"ru\"]}}\n"
    "{\"id\":\"v-badr\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"BADR\"],"
    "\"imoNumber\":[\"8407345\"]}}\n";

static emb_entity_set *set;
static emb_matcher *matcher;
static char path[64];

static void init(void) {
  set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  if (!set || emb__load_mem(set, "ftm", LIST, sizeof(LIST) - 1, "fuzz-list.ftm.json", &d) != 0)
    abort();
  emb_diags_fini(&d);
  emb_matcher_opts o = emb_matcher_opts_default();
  if (emb_matcher_new(set, &o, &matcher) != 0) {
    o.variants_path = "";
    if (emb_matcher_new(set, &o, &matcher) != 0)
      abort();
  }
  snprintf(path, sizeof(path), "/tmp/fuzz-screen-%ld.csv", (long)getpid());
}

/* Every line of out must be an alert object. */
static void check_alerts(const char *out, size_t len) {
  const char *p = out, *end = out + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      abort(); /* every alert ends with a newline */
    json_error_t err;
    json_t *a = json_loadb(p, (size_t)(nl - p), 0, &err);
    if (!a || !json_is_string(json_object_get(a, "record_id")) ||
        !json_is_string(json_object_get(a, "alert_id")) ||
        !json_is_array(json_object_get(a, "reasons")) ||
        json_array_size(json_object_get(a, "reasons")) == 0)
      abort();
    const char *risk = json_string_value(json_object_get(a, "risk"));
    if (!risk || (strcmp(risk, "low") && strcmp(risk, "medium") && strcmp(risk, "high")))
      abort();
    json_decref(a);
    p = nl + 1;
  }
}

static void screen(emb_on_error on_error, emb_alert_format format, bool check) {
  char *out = NULL, *html = NULL;
  size_t len = 0, html_len = 0;
  FILE *f = open_memstream(&out, &len);
  FILE *report = check ? open_memstream(&html, &html_len) : NULL;
  if (!f || (check && !report))
    abort();
  emb_screen_opts o = emb_screen_opts_default();
  o.alerts = f;
  o.threads = 1;
  o.on_error = on_error;
  o.format = format;
  o.report = report;
  o.report_time = "fuzz";
  emb_screen_stats st;
  emb_diags d;
  emb_diags_init(&d);
  int rc = emb_screen_file(set, matcher, path, &o, &st, &d);
  fclose(f);
  if (report)
    fclose(report);
  if (rc != 0 && rc != EMB_EFORMAT && rc != EMB_EIO)
    abort();
  /* Once records were read and screened, the report is written whole. */
  if (report && rc != EMB_EIO && st.records_read > 0 && (html_len == 0 || !strstr(html, "</html>")))
    abort();
  if (html_len && !strstr(html, "</html>"))
    abort();
  free(html);
  if (st.records_alerted > st.records_read || st.records_skipped > st.records_read)
    abort();
  if (check)
    check_alerts(out, len);
  emb_diags_fini(&d);
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!set)
    init();
  if (size > 1 << 16)
    return 0;
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f))
    abort();
  screen(EMB_ON_ERROR_KEEP, EMB_ALERTS_JSONL, true);
  screen(EMB_ON_ERROR_SKIP, EMB_ALERTS_CSV, false);
  unlink(path);
  return 0;
}
