/*
 * test_report.c - unit tests for the HTML screening report (src/screen/report.c): exact
 * aggregation (totals, HS chapters, routes, counterparties, flows to sanctioned
 * destinations, the key cap), the ranking of the highest-risk alerts, escaping of
 * untrusted text, byte-identical output for the same input, a document that parses as XML
 * with expat, charts whose bars are proportional to their values and that carry their
 * accessibility attributes, no external resource, and the generated HS chapter table
 * checked against the nomenclature file it came from (EMB_TEST_DATA).
 *
 * test_sample_report builds a realistic report from 5,000 synthetic records (a fixed
 * pseudo-random sequence). When the environment variable EMB_REPORT_SAMPLE names a file,
 * it also writes the report there: tests/e2e/test_report_browser.sh opens that file in a
 * headless browser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/input.h"
#include "embargo.h"
#include "screen/report.h"

#ifndef EMB_TEST_DATA
#define EMB_TEST_DATA "/work/shared/data"
#endif
#define PLOT_W 460.0 /* the length of a chart's axis in report.c */
#define HS_FILE EMB_TEST_DATA "/controls/reference_harmonized-system.csv"

/* ------------------------------------------------------------ helpers */

/* Writes the report to memory; the caller frees *out. */
static size_t render(const emb_report *r, const emb_report_meta *m, char **out) {
  size_t len = 0;
  FILE *f = open_memstream(out, &len);
  assert_non_null(f);
  assert_int_equal(emb__report_write(r, f, m), 0);
  fclose(f);
  return len;
}

static emb_report_record rec(const char *id, emb_report_risk risk, unsigned reasons, const char *hs,
                             const char *origin, const char *dest, const char *cp,
                             const char *cp_id, bool sanctioned, double value, const char *cur) {
  emb_report_record r = {.record_id = id,
                         .risk = risk,
                         .reasons = reasons,
                         .hs_code = hs,
                         .origin = origin,
                         .dispatch = NULL,
                         .destination = dest,
                         .counterparty = cp,
                         .counterparty_id = cp_id,
                         .sanctioned_destination = sanctioned,
                         .value = value,
                         .currency = cur,
                         .date = "2024-05-01"};
  return r;
}

static void add(emb_report *r, emb_report_record x) {
  assert_int_equal(emb__report_add_record(r, &x), 0);
}

/* A small view of the parsed document, collected with expat. */
#define MAX_SVG 16
#define MAX_RECT 512
typedef struct svg_info {
  char id[64];     /* from aria-labelledby */
  double axis_max; /* data-axis-max */
  bool role_img, has_aria_label, title_first, has_desc;
  int n_rect; /* rects with data-value */
  double width[MAX_RECT], value[MAX_RECT];
  int n_axis_text; /* texts inside g.axis */
  char axis_texts[16][64];
} svg_info;

typedef struct doc {
  int depth, svg_depth, axis_depth, children_in_svg;
  int n_svg;
  svg_info svg[MAX_SVG];
  int n_script, n_elements, n_external;
  bool in_axis_text;
  char text[256]; /* text of the current axis <text> */
  size_t text_len;
} doc;

static const char *attr(const char **a, const char *name) {
  for (; a && a[0]; a += 2)
    if (strcmp(a[0], name) == 0)
      return a[1];
  return NULL;
}

/* Element names arrive as "namespace-uri|local" because the parser is namespace-aware. */
static const char *local(const char *name) {
  const char *p = strrchr(name, '|');
  return p ? p + 1 : name;
}

static void XMLCALL on_start(void *ud, const char *name, const char **a) {
  doc *d = ud;
  const char *n = local(name);
  d->depth++;
  d->n_elements++;
  if (strcmp(n, "script") == 0)
    d->n_script++;
  for (const char **p = a; p && p[0]; p += 2)
    if ((strcmp(local(p[0]), "src") == 0 || strcmp(local(p[0]), "href") == 0) && p[1][0] != '#')
      d->n_external++;
  if (strcmp(n, "svg") == 0) {
    assert_true(d->n_svg < MAX_SVG);
    svg_info *s = &d->svg[d->n_svg++];
    memset(s, 0, sizeof(*s));
    d->svg_depth = d->depth;
    d->children_in_svg = 0;
    const char *lb = attr(a, "aria-labelledby"), *mx = attr(a, "data-axis-max");
    if (lb)
      sscanf(lb, "%63[^ ]", s->id);
    s->axis_max = mx ? atof(mx) : -1;
    const char *role = attr(a, "role");
    s->role_img = role && strcmp(role, "img") == 0;
    s->has_aria_label = attr(a, "aria-label") && attr(a, "aria-label")[0];
    return;
  }
  if (d->svg_depth && d->n_svg) {
    svg_info *s = &d->svg[d->n_svg - 1];
    if (d->depth == d->svg_depth + 1) {
      if (d->children_in_svg == 0 && strcmp(n, "title") == 0)
        s->title_first = true;
      if (strcmp(n, "desc") == 0)
        s->has_desc = true;
      d->children_in_svg++;
    }
    const char *cls = attr(a, "class");
    if (strcmp(n, "g") == 0 && cls && strcmp(cls, "axis") == 0)
      d->axis_depth = d->depth;
    if (strcmp(n, "text") == 0 && d->axis_depth) {
      d->in_axis_text = true;
      d->text_len = 0;
    }
    const char *dv = attr(a, "data-value");
    if (strcmp(n, "rect") == 0 && dv) {
      assert_true(s->n_rect < MAX_RECT);
      s->width[s->n_rect] = atof(attr(a, "width"));
      s->value[s->n_rect] = atof(dv);
      s->n_rect++;
    }
  }
}

static void XMLCALL on_end(void *ud, const char *name) {
  doc *d = ud;
  const char *n = local(name);
  if (d->in_axis_text && strcmp(n, "text") == 0) {
    svg_info *s = &d->svg[d->n_svg - 1];
    if (s->n_axis_text < 16) {
      d->text[d->text_len] = '\0';
      snprintf(s->axis_texts[s->n_axis_text++], sizeof(s->axis_texts[0]), "%.63s", d->text);
    }
    d->in_axis_text = false;
  }
  if (d->axis_depth == d->depth)
    d->axis_depth = 0;
  if (d->svg_depth == d->depth)
    d->svg_depth = 0;
  d->depth--;
}

static void XMLCALL on_text(void *ud, const char *s, int len) {
  doc *d = ud;
  if (!d->in_axis_text)
    return;
  for (int i = 0; i < len && d->text_len + 1 < sizeof(d->text); i++)
    d->text[d->text_len++] = s[i];
}

/* Parses the whole document with expat (as XML, namespaces on) and fails on an error. */
static void parse_doc(const char *html, size_t len, doc *d) {
  memset(d, 0, sizeof(*d));
  XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
  assert_non_null(p);
  XML_SetUserData(p, d);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  if (XML_Parse(p, html, (int)len, 1) != XML_STATUS_OK) {
    print_error("expat: %s at line %lu column %lu\n", XML_ErrorString(XML_GetErrorCode(p)),
                (unsigned long)XML_GetCurrentLineNumber(p),
                (unsigned long)XML_GetCurrentColumnNumber(p));
    fail();
  }
  XML_ParserFree(p);
}

static const svg_info *find_svg(const doc *d, const char *id) {
  char want[72];
  snprintf(want, sizeof(want), "%s-t", id);
  for (int i = 0; i < d->n_svg; i++)
    if (strcmp(d->svg[i].id, want) == 0)
      return &d->svg[i];
  return NULL;
}

/* Every chart: accessible, and each bar's length is value * PLOT_W / axis max. */
static void check_charts(const doc *d) {
  for (int i = 0; i < d->n_svg; i++) {
    const svg_info *s = &d->svg[i];
    assert_true(s->role_img);
    assert_true(s->has_aria_label);
    assert_true(s->title_first);
    assert_true(s->has_desc);
    assert_true(s->axis_max > 0);
    assert_true(s->n_axis_text >= 3); /* "0", at least one more tick, the axis label */
    assert_string_equal(s->axis_texts[0], "0");
    for (int k = 0; k < s->n_rect; k++) {
      double want = PLOT_W * s->value[k] / s->axis_max;
      if (fabs(s->width[k] - want) > 0.011) {
        print_error("%s: bar %d has width %.2f for value %.2f (axis max %.2f), want %.2f\n", s->id,
                    k, s->width[k], s->value[k], s->axis_max, want);
        fail();
      }
      assert_true(s->width[k] <= PLOT_W + 1e-9);
    }
  }
}

/* ------------------------------------------------------------ aggregation */

static void fill_basic(emb_report *r) {
  /* 8 records: 6 alerts (3 high, 2 medium, 1 low), 2 clean. */
  add(r, rec("R1", EMB_REPORT_RISK_HIGH, EMB_REPORT_PARTY | EMB_REPORT_ROUTE, "880730", "CN", "RU",
             "Sky Parts LLC", "NK-1", true, 1000, "USD"));
  add(r, rec("R2", EMB_REPORT_RISK_HIGH, EMB_REPORT_GOODS | EMB_REPORT_ROUTE, "8542.31", "CN", "RU",
             "Other name of NK-1", "NK-1", true, 500.5, "USD"));
  add(r, rec("R3", EMB_REPORT_RISK_MEDIUM, EMB_REPORT_GOODS | EMB_REPORT_RED_FLAG, "854231", "DE",
             "KG", "Bishkek Trade", NULL, false, NAN, "EUR"));
  add(r, rec("R4", EMB_REPORT_RISK_LOW, EMB_REPORT_RED_FLAG, "", "TR", "AM", "Yerevan Import", "",
             false, 20, "EUR"));
  add(r, rec("R5", EMB_REPORT_RISK_NONE, 0, "610910", "CN", "DE", "Berlin Textil", NULL, false, 30,
             "EUR"));
  add(r, rec("R6", EMB_REPORT_RISK_NONE, 0, "610910", "CN", "RU", "Moscow Textil", NULL, true, 40,
             "EUR"));
  add(r, rec("R7", EMB_REPORT_RISK_MEDIUM, EMB_REPORT_GOODS, "88", NULL, "UA-43", "Bishkek Trade",
             NULL, true, 7, "USD"));
  add(r, rec("R8", EMB_REPORT_RISK_HIGH, EMB_REPORT_PARTY, "8807", "CN", "RU", "Alpha", "NK-2",
             true, -5, "USD"));
}

static void test_totals_and_chapters(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  assert_non_null(r);
  fill_basic(r);
  emb_report_totals t;
  emb__report_totals(r, &t);
  assert_int_equal(t.records, 8);
  assert_int_equal(t.alerts, 6);
  assert_int_equal(t.by_risk[EMB_REPORT_RISK_NONE], 2);
  assert_int_equal(t.by_risk[EMB_REPORT_RISK_HIGH], 3);
  assert_int_equal(t.by_risk[EMB_REPORT_RISK_MEDIUM], 2);
  assert_int_equal(t.by_risk[EMB_REPORT_RISK_LOW], 1);
  assert_int_equal(t.by_reason[0], 2); /* party: R1, R8 */
  assert_int_equal(t.by_reason[1], 3); /* goods: R2, R3, R7 */
  assert_int_equal(t.by_reason[2], 2); /* route: R1, R2 */
  assert_int_equal(t.by_reason[3], 2); /* red flag: R3, R4 */
  assert_int_equal(t.sanctioned, 5);   /* R1 R2 R6 R7 R8 */
  assert_int_equal(t.untracked_routes + t.untracked_counterparties + t.untracked_flows, 0);

  uint64_t c[EMB_REPORT_RISKS];
  emb__report_chapter(r, 88, c); /* R1 880730, R7 88, R8 8807 */
  assert_int_equal(c[EMB_REPORT_RISK_HIGH], 2);
  assert_int_equal(c[EMB_REPORT_RISK_MEDIUM], 1);
  assert_int_equal(c[EMB_REPORT_RISK_LOW] + c[EMB_REPORT_RISK_NONE], 0);
  emb__report_chapter(r, 85, c); /* R2 "8542.31", R3 */
  assert_int_equal(c[EMB_REPORT_RISK_HIGH], 1);
  assert_int_equal(c[EMB_REPORT_RISK_MEDIUM], 1);
  emb__report_chapter(r, 61, c);
  assert_int_equal(c[EMB_REPORT_RISK_NONE], 2);
  assert_int_equal(c[EMB_REPORT_RISK_HIGH] + c[EMB_REPORT_RISK_MEDIUM] + c[EMB_REPORT_RISK_LOW], 0);
  emb__report_chapter(r, 100, c); /* R4 without a code */
  assert_int_equal(c[EMB_REPORT_RISK_LOW], 1);
  emb__report_free(r);
}

static void test_routes_counterparties_flows(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  fill_basic(r);
  emb_report_row rows[8];

  long n = emb__report_top(r, EMB_REPORT_ROUTES, rows, 8);
  assert_int_equal(n, 4); /* CN>RU, DE>KG, TR>AM, >UA-43 (CN>DE had no alert) */
  assert_string_equal(rows[0].a, "CN");
  assert_string_equal(rows[0].b, "RU");
  assert_int_equal(rows[0].count, 3);
  assert_int_equal(rows[0].by_risk[EMB_REPORT_RISK_HIGH], 3);
  /* Ties of one alert each come in key order: "" < "DE" < "TR". */
  assert_string_equal(rows[1].a, "");
  assert_string_equal(rows[1].b, "UA-43");
  assert_string_equal(rows[2].a, "DE");
  assert_string_equal(rows[3].a, "TR");
  assert_int_equal(rows[3].by_risk[EMB_REPORT_RISK_LOW], 1);

  n = emb__report_top(r, EMB_REPORT_COUNTERPARTIES, rows, 8);
  assert_int_equal(n, 4); /* NK-1 (2), Bishkek Trade (2), Alpha NK-2, Yerevan Import */
  /* Two with 2 alerts: "Bishkek Trade" < "Sky Parts LLC" by name. */
  assert_string_equal(rows[0].a, "Bishkek Trade");
  assert_string_equal(rows[0].b, "");
  assert_int_equal(rows[0].count, 2);
  assert_int_equal(rows[0].reasons, EMB_REPORT_GOODS | EMB_REPORT_RED_FLAG);
  assert_string_equal(rows[1].a, "Sky Parts LLC"); /* the caption first seen for NK-1 */
  assert_string_equal(rows[1].b, "NK-1");
  assert_int_equal(rows[1].count, 2);
  assert_int_equal(rows[1].reasons, EMB_REPORT_PARTY | EMB_REPORT_GOODS | EMB_REPORT_ROUTE);
  assert_int_equal(rows[1].n_value, 2);
  assert_true(fabs(rows[1].value - 1500.5) < 1e-9);
  assert_string_equal(rows[2].a, "Alpha");
  assert_string_equal(rows[3].a, "Yerevan Import");

  n = emb__report_top(r, EMB_REPORT_FLOWS_BY_COUNT, rows, 8);
  assert_int_equal(n, 2); /* CN>RU (R1 R2 R6 R8), >UA-43 (R7) */
  assert_string_equal(rows[0].a, "CN");
  assert_int_equal(rows[0].count, 4);
  assert_int_equal(rows[0].by_risk[EMB_REPORT_RISK_NONE], 1);
  assert_int_equal(rows[0].n_value, 3); /* R8's negative value is unknown */
  assert_int_equal(rows[1].count, 1);

  n = emb__report_top(r, EMB_REPORT_FLOWS_BY_VALUE, rows, 8);
  assert_int_equal(n, 3); /* CN>RU USD 1500.5, CN>RU EUR 40, >UA-43 USD 7 */
  assert_string_equal(rows[0].c, "USD");
  assert_true(fabs(rows[0].value - 1500.5) < 1e-9);
  assert_int_equal(rows[0].count, 2);
  assert_string_equal(rows[1].c, "EUR");
  assert_true(fabs(rows[1].value - 40) < 1e-9);
  assert_string_equal(rows[2].b, "UA-43");
  assert_true(fabs(rows[2].value - 7) < 1e-9);

  /* max smaller than the number of keys: the count is still the total. */
  n = emb__report_top(r, EMB_REPORT_ROUTES, rows, 1);
  assert_int_equal(n, 4);
  emb__report_free(r);
}

static void test_dispatch_fallback_and_trim(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  emb_report_record x = rec(" R1 ", EMB_REPORT_RISK_LOW, EMB_REPORT_ROUTE, "01", NULL, " RU ",
                            " \tAcme\n Ltd ", NULL, false, 1, "USD");
  x.dispatch = "AE";
  add(r, x);
  x.origin = "";
  add(r, x);
  emb_report_row rows[2];
  assert_int_equal(emb__report_top(r, EMB_REPORT_ROUTES, rows, 2), 1);
  assert_string_equal(rows[0].a, "AE");
  assert_string_equal(rows[0].b, "RU");
  assert_int_equal(rows[0].count, 2);
  assert_int_equal(emb__report_top(r, EMB_REPORT_COUNTERPARTIES, rows, 2), 1);
  assert_string_equal(rows[0].a, "Acme  Ltd"); /* controls became spaces, ends trimmed */
  emb__report_free(r);
}

static void test_key_cap(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  emb__report_set_max_keys(r, 2);
  const char *names[] = {"A", "B", "C", "A", "D", "B"};
  for (int i = 0; i < 6; i++)
    add(r, rec("x", EMB_REPORT_RISK_HIGH, EMB_REPORT_PARTY, "85", "CN", names[i], names[i], NULL,
               true, 1, "USD"));
  emb_report_totals t;
  emb__report_totals(r, &t);
  assert_int_equal(t.alerts, 6);
  assert_int_equal(t.untracked_counterparties, 2); /* C and D */
  assert_int_equal(t.untracked_routes, 2);
  assert_int_equal(t.untracked_flows, 4); /* both flow tables */
  emb_report_row rows[4];
  assert_int_equal(emb__report_top(r, EMB_REPORT_COUNTERPARTIES, rows, 4), 2);
  assert_string_equal(rows[0].a, "A");
  assert_int_equal(rows[0].count, 2);
  assert_int_equal(rows[1].count, 2);
  char *html;
  size_t len = render(r, NULL, &html);
  assert_non_null(strstr(html, "2 records are not broken down"));
  doc d;
  parse_doc(html, len, &d);
  free(html);
  emb__report_free(r);
}

static void test_bad_arguments(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  emb_report_record x = rec("x", EMB_REPORT_RISK_HIGH, 0, "", "", "", "", "", false, 0, "");
  assert_int_equal(emb__report_add_record(NULL, &x), EMB_EINVAL);
  assert_int_equal(emb__report_add_record(r, NULL), EMB_EINVAL);
  x.risk = (emb_report_risk)7;
  assert_int_equal(emb__report_add_record(r, &x), EMB_EINVAL);
  assert_int_equal(emb__report_write(NULL, stdout, NULL), EMB_EINVAL);
  assert_int_equal(emb__report_write(r, NULL, NULL), EMB_EINVAL);
  emb_report_totals t;
  emb__report_totals(r, &t);
  assert_int_equal(t.records, 0);
  FILE *full = fopen("/dev/full", "w");
  if (full) { /* a write error is reported, not ignored */
    assert_int_equal(emb__report_write(r, full, NULL), EMB_EIO);
    fclose(full);
  }
  emb__report_free(r);
  emb__report_free(NULL);
}

/* ------------------------------------------------------------ the top alerts */

static void test_top_alerts(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  char id[32];
  /* 300 alerts: every 7th high, every 3rd (not 7th) medium, the rest low; the high ones
   * with two reason kinds when their index is a multiple of 21. */
  for (int i = 0; i < 300; i++) {
    snprintf(id, sizeof(id), "ID-%03d", i);
    emb_report_risk risk = i % 7 == 0   ? EMB_REPORT_RISK_HIGH
                           : i % 3 == 0 ? EMB_REPORT_RISK_MEDIUM
                                        : EMB_REPORT_RISK_LOW;
    unsigned reasons = i % 21 == 0 ? EMB_REPORT_PARTY | EMB_REPORT_GOODS : EMB_REPORT_GOODS;
    add(r, rec(id, risk, reasons, "880730", "CN", "RU", "X", NULL, true, i, "USD"));
  }
  char *html;
  size_t len = render(r, NULL, &html);
  const char *sec = strstr(html, "<section id=\"alerts\">");
  assert_non_null(sec);
  /* Expected order: high with 2 kinds (0, 21, ..., 294: 15), high with one (43 - 15 = 28),
   * then medium in input order until 100 rows. */
  int expect[100], n = 0;
  for (int i = 0; i < 300 && n < 100; i += 21)
    expect[n++] = i;
  for (int i = 0; i < 300 && n < 100; i++)
    if (i % 7 == 0 && i % 21 != 0)
      expect[n++] = i;
  for (int i = 0; i < 300 && n < 100; i++)
    if (i % 7 != 0 && i % 3 == 0)
      expect[n++] = i;
  assert_int_equal(n, 100);
  const char *p = sec;
  for (int k = 0; k < 100; k++) {
    snprintf(id, sizeof(id), ">ID-%03d<", expect[k]);
    const char *q = strstr(p, id);
    if (!q) {
      print_error("row %d: %s not found in order\n", k + 1, id);
      fail();
    }
    p = q;
  }
  /* Nothing else made it: the first low alert (ID-001) is absent. */
  assert_null(strstr(sec, ">ID-001<"));
  size_t rows = 0;
  for (const char *q = sec; (q = strstr(q, "<span class=\"risk ")) != NULL; q++)
    rows++;
  assert_int_equal(rows, 100);
  doc d;
  parse_doc(html, len, &d);
  free(html);
  emb__report_free(r);
}

/* ------------------------------------------------------------ escaping */

static void test_escaping(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  const char *evil = "<script>alert(\"x\")</script> & 'Co' <img src=x onerror=alert(1)>";
  /* Invalid UTF-8, a C0 control, U+FFFF and a lone surrogate encoded in UTF-8. */
  const char *broken = "Bad\xff\xfe name\x01 \xef\xbf\xbf \xed\xa0\x80 end";
  add(r, rec(evil, EMB_REPORT_RISK_HIGH, EMB_REPORT_PARTY, "<b>85</b>", "<i>", evil, evil,
             "</td><script>x</script>", true, 5, "<u>"));
  add(r, rec(broken, EMB_REPORT_RISK_MEDIUM, EMB_REPORT_GOODS, "850", broken, "RU", broken, NULL,
             true, 5, broken));
  emb_report_list lists[1] = {{"<script>list</script>", "<sha>", "2024\"01", 3}};
  const char *files[] = {"<ctl>.csv"};
  emb_report_meta m = {.title = "Title <script>t</script>",
                       .engine_version = "1<2",
                       .generated_at = "now & then\x02",
                       .input = "in<put>.csv",
                       .lists = lists,
                       .n_lists = 1,
                       .controls = files,
                       .n_controls = 1};
  char *html;
  size_t len = render(r, &m, &html);
  assert_null(strstr(html, "<script"));
  assert_null(strstr(html, "<img"));
  assert_null(strstr(html, "<b>85"));
  assert_null(strstr(html, "<i>"));
  assert_null(strstr(html, "<u>"));
  assert_null(strstr(html, "<sha>"));
  assert_null(strstr(html, "<ctl>"));
  assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                               "&#39;Co&#39; &lt;img src=x onerror=alert(1)&gt;"));
  assert_non_null(strstr(html, "Title &lt;script&gt;t&lt;/script&gt;"));
  /* A control character in meta text becomes U+FFFD (record fields turn them into spaces
   * first); invalid bytes, U+FFFF and the encoded surrogate become U+FFFD too. */
  assert_non_null(strstr(html, "now &amp; then\xef\xbf\xbd"));
  assert_non_null(strstr(html, "Bad\xef\xbf\xbd\xef\xbf\xbd name  \xef\xbf\xbd "
                               "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end"));
  doc d;
  parse_doc(html, len, &d); /* expat rejects invalid UTF-8 and forbidden characters */
  assert_int_equal(d.n_script, 0);
  assert_int_equal(d.n_external, 0);
  free(html);
  emb__report_free(r);
}

static void test_long_fields_cut_at_characters(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  char name[1200] = "A"; /* so that byte 200 falls inside a character */
  for (int i = 0; i < 150; i++)
    strcat(name, "\xd0\x96\xe4\xb8\xad"); /* Ж中: 5 bytes */
  add(r, rec("L", EMB_REPORT_RISK_HIGH, EMB_REPORT_PARTY, "85", "CN", "RU", name, NULL, true, 1,
             "USD"));
  emb_report_row row;
  assert_int_equal(emb__report_top(r, EMB_REPORT_COUNTERPARTIES, &row, 1), 1);
  size_t n = strlen(row.a);
  assert_true(n <= EMB_REPORT_MAX_FIELD);
  assert_true(n >= EMB_REPORT_MAX_FIELD - 3);
  assert_int_equal(strncmp(row.a, name, n), 0);
  assert_true(((unsigned char)name[n] & 0xc0) != 0x80); /* cut before a character */
  char *html;
  size_t len = render(r, NULL, &html);
  doc d;
  parse_doc(html, len, &d);
  free(html);
  emb__report_free(r);
}

/* ------------------------------------------------------------ the document */

/* A realistic synthetic run: 5,000 records from a fixed pseudo-random sequence. */
static uint64_t rng_state;
static unsigned rnd(unsigned n) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (unsigned)((rng_state >> 33) % n);
}

static void fill_sample(emb_report *r) {
  static const char *const origins[] = {"CN", "CN", "CN", "CN", "HK", "DE", "DE", "US", "TR",
                                        "AE", "IN", "JP", "KR", "TW", "GB", "IT", "FR", "PL"};
  static const char *const ordinary[] = {"DE", "FR", "NL", "PL", "US", "GB", "IT", "ES",
                                         "BR", "MX", "IN", "VN", "TH", "CA", "AU", "CH"};
  static const char *const hubs[] = {"KZ", "KZ", "KG", "KG", "AM", "AM", "GE", "AE",
                                     "AE", "TR", "TR", "UZ", "TJ", "HK", "CN"};
  static const char *const sanctioned[] = {"RU", "RU", "RU",    "RU",    "RU", "BY",
                                           "IR", "KP", "UA-43", "UA-14", "SY"};
  static const char *const controlled[] = {"880730",     "854231", "854232",     "854239", "852691",
                                           "8526.91.20", "901380", "8807300000", "847150", "850760",
                                           "853669",     "848210", "902620"};
  static const char *const other[] = {"870323", "300490", "610910", "940360", "392690",
                                      "",       "85",     "640399", "220421", "731815",
                                      "841810", "030617", "900410"};
  static const struct {
    const char *name, *id;
  } listed[] = {
      {"OOO Radiotekhnika Vostok", "NK-7bCd4EeFg"},
      {"Sky Components Trading LLC", "NK-2xQ9fLmAzKp"},
      {"\xd0\x9e\xd0\x9e\xd0\x9e \xc2\xab\xd0\x90\xd1\x8d\xd1\x80\xd0\xbe\xd0\xa2\xd0\xb5\xd1"
       "\x85\xc2\xbb",
       "NK-aeroteh01"},
      {"\xe6\xb7\xb1\xe5\x9c\xb3\xe5\xb8\x82\xe9\xa3\x9e\xe8\xa1\x8c\xe7\xa7\x91\xe6\x8a\x80"
       "\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8",
       "NK-szfly2024"},
      {"Evil <script>alert('x')</script> Trading FZE", "NK-evil0001"},
      {"Joint Stock Company Scientific Production Association of Precision Instrument "
       "Engineering",
       "NK-npo-precision"},
  };
  static const char *const consignees[] = {"Pamir Logistics",
                                           "Ararat Electronics CJSC",
                                           "Bosphorus Machinery Ltd",
                                           "Almaty Tech Supply TOO",
                                           "Gulf Star General Trading LLC",
                                           "Tbilisi Parts",
                                           "Minsk Optics",
                                           "Nordic Tools AB",
                                           "Rhein Maschinenbau GmbH",
                                           "Atlantic Foods Inc",
                                           "Hanseatic Logistik",
                                           "Samarkand Trade House",
                                           "Kyrgyz Auto Import",
                                           "Dushanbe Electric",
                                           "Levant Supply SARL",
                                           "Baltic Components SIA",
                                           "Pacific Rim Traders",
                                           "Andes Import SA"};
  static const char *const currencies[] = {"USD", "USD", "USD", "USD", "EUR", "EUR", "CNY"};
#define PICK(a) a[rnd(sizeof(a) / sizeof(*(a)))]
  rng_state = 20240223;
  char id[32], date[16];
  for (int i = 0; i < 5000; i++) {
    emb_report_record x;
    memset(&x, 0, sizeof(x));
    snprintf(id, sizeof(id), "DECL-%06d", i + 1);
    snprintf(date, sizeof(date), "2024-%02u-%02u", 1 + rnd(12), 1 + rnd(28));
    x.record_id = id;
    x.date = date;
    x.origin = rnd(25) ? PICK(origins) : NULL;
    x.dispatch = rnd(4) ? x.origin : "AE";
    unsigned d = rnd(100);
    int kind = d < 62 ? 0 : d < 85 ? 1 : 2; /* ordinary, hub, sanctioned */
    x.destination = kind == 0 ? PICK(ordinary) : kind == 1 ? PICK(hubs) : PICK(sanctioned);
    x.sanctioned_destination = kind == 2;
    bool is_controlled = rnd(100) < (kind == 0 ? 15u : 40u);
    x.hs_code = is_controlled ? PICK(controlled) : PICK(other);
    /* Listed parties are rare and heavy-tailed: the first ones recur most. */
    bool is_listed = rnd(100) < (kind == 0 ? 1u : 7u);
    unsigned p = rnd(rnd(sizeof(listed) / sizeof(*listed)) + 1);
    unsigned q = rnd(rnd(sizeof(consignees) / sizeof(*consignees)) + 1);
    x.counterparty = is_listed ? listed[p].name : consignees[q];
    x.counterparty_id = is_listed ? listed[p].id : NULL;
    unsigned reasons = 0;
    if (is_listed)
      reasons |= EMB_REPORT_PARTY;
    if (is_controlled && kind > 0)
      reasons |= EMB_REPORT_GOODS;
    if (kind == 2 || (kind == 1 && is_controlled && rnd(3) == 0))
      reasons |= EMB_REPORT_ROUTE;
    if (rnd(40) == 0)
      reasons |= EMB_REPORT_RED_FLAG;
    x.reasons = reasons;
    x.risk = !reasons ? EMB_REPORT_RISK_NONE
             : (reasons & EMB_REPORT_PARTY) || (kind == 2 && (reasons & EMB_REPORT_GOODS))
                 ? EMB_REPORT_RISK_HIGH
             : (reasons & EMB_REPORT_GOODS) || kind == 2 ? EMB_REPORT_RISK_MEDIUM
                                                         : EMB_REPORT_RISK_LOW;
    x.value = rnd(15) ? (double)(500 + rnd(2000000)) / 10.0 * (1 + rnd(5)) : NAN;
    x.currency = PICK(currencies);
    assert_int_equal(emb__report_add_record(r, &x), 0);
  }
#undef PICK
}

static const emb_report_list sample_lists[] = {
    {"UN Security Council Consolidated List (un_xml)",
     "5f2b7d0c1e9a4b3c8d6e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e", "2026-02-27", 1012},
    {"OFAC SDN (ofac_xml)", "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
     "2026-02-26", 17843},
};
static const char *const sample_controls[] = {"data/controls/chpl.csv"};

static emb_report_meta sample_meta(void) {
  emb_report_meta m = {.title = "Trade screening report",
                       .engine_version = EMB_VERSION,
                       .generated_at = "2026-03-01 09:30:00 UTC",
                       .input = "declarations-2024.csv",
                       .lists = sample_lists,
                       .n_lists = 2,
                       .controls = sample_controls,
                       .n_controls = 1,
                       .rules = NULL,
                       .n_rules = 0,
                       .records_read = 5012,
                       .records_skipped = 12,
                       .records_alerted = 0,
                       .seconds_load = 1.84,
                       .seconds_screen = 0.27};
  return m;
}

static void test_sample_report(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  fill_sample(r);
  emb_report_totals t;
  emb__report_totals(r, &t);
  assert_int_equal(t.records, 5000);
  assert_true(t.alerts > 500 && t.alerts < 4500);
  emb_report_meta m = sample_meta();
  m.records_alerted = t.alerts;
  char *html;
  size_t len = render(r, &m, &html);
  doc d;
  parse_doc(html, len, &d);
  /* Charts: reasons, chapters, routes, counterparties, flows by count and by value. */
  assert_int_equal(d.n_svg, 6);
  const char *ids[] = {"reasons",        "chapters",    "routes",
                       "counterparties", "flows-count", "flows-value"};
  for (int i = 0; i < 6; i++)
    assert_non_null(find_svg(&d, ids[i]));
  check_charts(&d);
  assert_int_equal(d.n_script, 0);
  assert_int_equal(d.n_external, 0);
  /* Section headings and chapter names from the HS table. */
  assert_non_null(strstr(html, "<h2>2. Alerts by HS chapter</h2>"));
  assert_non_null(strstr(html, "Aircraft, spacecraft, and parts thereof"));
  assert_non_null(strstr(html, "China \xe2\x86\x92 Russia"));
  assert_non_null(strstr(html, "Crimea"));
  /* The chapter chart's bars add up to the alerts of the charted chapters. */
  const svg_info *s = find_svg(&d, "chapters");
  double sum = 0;
  for (int k = 0; k < s->n_rect; k++)
    sum += s->value[k];
  uint64_t want = 0, c[EMB_REPORT_RISKS];
  for (int ch = 0; ch <= 100; ch++) {
    emb__report_chapter(r, ch, c);
    want += c[1] + c[2] + c[3];
  }
  assert_true(fabs(sum - (double)want) < 0.5); /* fewer than 20 chapters: all charted */

  const char *path = getenv("EMB_REPORT_SAMPLE");
  if (path && *path) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(html, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
  }
  free(html);
  emb__report_free(r);
}

static void test_deterministic(void **state) {
  (void)state;
  char *h1, *h2;
  size_t l1, l2;
  emb_report_meta m = sample_meta();
  emb_report *r = emb__report_new();
  fill_sample(r);
  l1 = render(r, &m, &h1);
  emb__report_free(r);
  r = emb__report_new();
  fill_sample(r);
  l2 = render(r, &m, &h2);
  /* Writing twice from the same report gives the same bytes too. */
  char *h3;
  size_t l3 = render(r, &m, &h3);
  emb__report_free(r);
  assert_int_equal(l1, l2);
  assert_memory_equal(h1, h2, l1);
  assert_int_equal(l1, l3);
  assert_memory_equal(h1, h3, l1);
  free(h1);
  free(h2);
  free(h3);
}

static void test_self_contained(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  fill_sample(r);
  char *html;
  render(r, NULL, &html);
  /* The only URLs are the XHTML and SVG namespace names. */
  size_t urls = 0;
  for (const char *p = html; (p = strstr(p, "http")) != NULL; p++) {
    assert_true(strncmp(p, "http://www.w3.org/1999/xhtml\"", 29) == 0 ||
                strncmp(p, "http://www.w3.org/2000/svg\"", 27) == 0);
    urls++;
  }
  assert_int_equal(urls, 7); /* the html element and six charts */
  assert_null(strstr(html, "url("));
  assert_null(strstr(html, "@import"));
  assert_null(strstr(html, "<link"));
  assert_null(strstr(html, " src="));
  assert_null(strstr(html, "<script"));
  free(html);
  emb__report_free(r);
}

static void test_empty_report(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  char *html;
  size_t len = render(r, NULL, &html);
  doc d;
  parse_doc(html, len, &d);
  assert_int_equal(d.n_svg, 1); /* the reason-kind chart, with empty bars */
  check_charts(&d);
  assert_non_null(strstr(html, "No alerts."));
  assert_non_null(strstr(html, "No record went to a sanctioned destination."));
  free(html);
  emb__report_free(r);
}

/* Axis ticks are nice numbers and labelled compactly. */
static void test_axis_ticks(void **state) {
  (void)state;
  emb_report *r = emb__report_new();
  add(r, rec("a", EMB_REPORT_RISK_HIGH, EMB_REPORT_ROUTE, "85", "CN", "RU", "A", NULL, true,
             1234567, "USD"));
  add(r, rec("b", EMB_REPORT_RISK_HIGH, EMB_REPORT_ROUTE, "85", "DE", "RU", "A", NULL, true, 300000,
             "USD"));
  char *html;
  size_t len = render(r, NULL, &html);
  doc d;
  parse_doc(html, len, &d);
  check_charts(&d);
  const svg_info *s = find_svg(&d, "flows-value");
  assert_non_null(s);
  /* max 1,234,567 -> step 500k, axis to 1.5M */
  assert_true(fabs(s->axis_max - 1500000) < 1e-6);
  assert_string_equal(s->axis_texts[1], "0.5M");
  assert_string_equal(s->axis_texts[2], "1M");
  assert_string_equal(s->axis_texts[3], "1.5M");
  assert_string_equal(s->axis_texts[4], "Declared value (USD)");
  s = find_svg(&d, "flows-count");
  assert_true(fabs(s->axis_max - 1) < 1e-9); /* counts of 1: one whole step */
  assert_string_equal(s->axis_texts[1], "1");
  free(html);
  emb__report_free(r);
}

/* ------------------------------------------------------------ the chapter table */

static void test_chapter_table_matches_nomenclature(void **state) {
  (void)state;
  emb_input *in;
  emb_diags diags;
  emb_diags_init(&diags);
  assert_int_equal(emb__input_open(HS_FILE, &in, &diags), 0);
  emb_csv_opts o = emb__csv_opts_default();
  emb_csv *c;
  assert_int_equal(emb__csv_new(in, &o, &diags, &c), 0);
  emb_csv_row row;
  assert_int_equal(emb__csv_next(c, &row), 1);
  int col_code = emb__csv_col(&row, "hscode"), col_desc = emb__csv_col(&row, "description");
  int col_level = emb__csv_col(&row, "level"), col_sec = emb__csv_col(&row, "section");
  assert_true(col_code >= 0 && col_desc >= 0 && col_level >= 0 && col_sec >= 0);
  bool seen[100] = {false};
  int n = 0;
  while (emb__csv_next(c, &row) == 1) {
    if (strcmp(row.fields[col_level], "2") != 0)
      continue;
    int ch = atoi(row.fields[col_code]);
    assert_true(ch >= 0 && ch < 100);
    assert_non_null(emb__hs_chapter_names[ch].name);
    /* The generator collapses runs of spaces; the texts have none. */
    assert_string_equal(emb__hs_chapter_names[ch].name, row.fields[col_desc]);
    const char *sec = row.fields[col_sec];
    assert_string_equal(emb__hs_chapter_names[ch].section, strcmp(sec, "TOTAL") ? sec : "");
    seen[ch] = true;
    n++;
  }
  assert_int_equal(n, 97);
  for (int ch = 0; ch < 100; ch++)
    if (!seen[ch])
      assert_null(emb__hs_chapter_names[ch].name);
  assert_null(emb__hs_chapter_names[77].name); /* reserved by the WCO */
  assert_string_equal(emb__hs_chapter_names[88].name, "Aircraft, spacecraft, and parts thereof");
  assert_string_equal(emb__hs_chapter_names[88].section, "XVII");
  assert_int_equal(emb__hs_section_count, 21);
  assert_string_equal(emb__hs_section_names[15].section, "XVI");
  emb__csv_free(c);
  emb__input_close(in);
  emb_diags_fini(&diags);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_totals_and_chapters),
      cmocka_unit_test(test_routes_counterparties_flows),
      cmocka_unit_test(test_dispatch_fallback_and_trim),
      cmocka_unit_test(test_key_cap),
      cmocka_unit_test(test_bad_arguments),
      cmocka_unit_test(test_top_alerts),
      cmocka_unit_test(test_escaping),
      cmocka_unit_test(test_long_fields_cut_at_characters),
      cmocka_unit_test(test_sample_report),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_self_contained),
      cmocka_unit_test(test_empty_report),
      cmocka_unit_test(test_axis_ticks),
      cmocka_unit_test(test_chapter_table_matches_nomenclature),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
