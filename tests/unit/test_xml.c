/*
 * test_xml.c - the safe XML reader (core/xml.c): events, names, text, and every
 * kind of hostile or broken input it must refuse with a located error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/input.h"
#include "core/xml.h"

/* What the handlers saw: "name=text|" per end event, and start events with attributes. */
typedef struct seen {
  emb_buf ends;
  emb_buf starts;
  int n_end;
  int max_depth;
  const char *stop_at; /* element whose end stops the parse */
  char parent_of_leaf[64];
} seen;

static void on_start(void *ud, emb_xml *x, const char *name, const char **attrs) {
  seen *s = ud;
  emb__buf_puts(&s->starts, name);
  for (size_t i = 0; attrs[i]; i += 2)
    emb__buf_printf(&s->starts, " %s=%s", attrs[i], attrs[i + 1]);
  emb__buf_puts(&s->starts, "|");
  if (emb__xml_depth(x) > s->max_depth)
    s->max_depth = emb__xml_depth(x);
  if (strcmp(name, "leaf") == 0 && emb__xml_parent(x, 1))
    snprintf(s->parent_of_leaf, sizeof(s->parent_of_leaf), "%s/%s", emb__xml_parent(x, 2),
             emb__xml_parent(x, 1));
}

static void on_end(void *ud, emb_xml *x, const char *name, const char *text, size_t len) {
  seen *s = ud;
  assert_int_equal(strlen(text), len);
  emb__buf_printf(&s->ends, "%s=%s|", name, text);
  s->n_end++;
  if (s->stop_at && strcmp(name, s->stop_at) == 0)
    emb__xml_stop(x, EMB_EFORMAT);
}

static const emb_xml_handlers HANDLERS = {on_start, on_end};

/* Parses a string with the test handlers; returns the parser's code. */
static int parse(const char *doc, size_t len, size_t max_text, seen *s, emb_diags *d) {
  emb__buf_init(&s->ends, 64u << 20);
  emb__buf_init(&s->starts, 64u << 20);
  emb_input *in = NULL;
  assert_int_equal(emb__input_open_mem(doc, len, "t.xml", &in, d), 0);
  int rc = emb__xml_parse(in, &HANDLERS, s, max_text, d);
  emb__input_close(in);
  return rc;
}

static void done(seen *s, emb_diags *d) {
  emb__buf_fini(&s->ends);
  emb__buf_fini(&s->starts);
  emb_diags_fini(d);
}

/* The first error diagnostic. */
static const emb_diag *first_error(const emb_diags *d) {
  for (size_t i = 0; i < d->count; i++)
    if (d->items[i].severity == EMB_SEV_ERROR)
      return &d->items[i];
  return NULL;
}

static void test_events_and_names(void **state) {
  (void)state;
  const char *doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ns:root xmlns:ns=\"urn:x\" xmlns=\"urn:y\" ns:a=\"1\" b='two'>\n"
      "  <item id=\"7\">  hello   <![CDATA[<world>]]>  </item>\n"
      "  <mixed>one <b>bold</b> two</mixed>\n"
      "  <p><q><leaf>&amp;&lt;&#233;</leaf></q></p>\n"
      "  <empty/>\n"
      "</ns:root>\n";
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc, strlen(doc), 0, &s, &d), 0);
  assert_int_equal(d.count, 0);
  assert_string_equal(emb__buf_str(&s.starts),
                      "root a=1 b=two|item id=7|mixed|b|p|q|leaf|empty|");
  assert_string_equal(emb__buf_str(&s.ends), "item=hello   <world>|b=bold|mixed=one  two|"
                                             "leaf=&<\xC3\xA9|q=|p=|empty=|root=|");
  assert_string_equal(s.parent_of_leaf, "p/q");
  assert_int_equal(s.max_depth, 4);
  done(&s, &d);
}

/* Elements and text that cross the 64 KiB chunk boundaries arrive whole. */
static void test_chunk_boundaries(void **state) {
  (void)state;
  emb_buf doc;
  emb__buf_init(&doc, 8u << 20);
  emb__buf_puts(&doc, "<list>");
  for (int i = 0; i < 20000; i++)
    emb__buf_printf(&doc, "<e n=\"%d\">value number %d</e>\n", i, i);
  emb__buf_puts(&doc, "</list>");
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc.data, doc.len, 0, &s, &d), 0);
  assert_int_equal(s.n_end, 20001);
  assert_non_null(strstr(emb__buf_str(&s.ends), "|e=value number 12345|"));
  assert_non_null(strstr(emb__buf_str(&s.starts), "|e n=19999|"));
  done(&s, &d);
  emb__buf_fini(&doc);
}

static void test_billion_laughs(void **state) {
  (void)state;
  const char *doc = "<?xml version=\"1.0\"?>\n"
                    "<!DOCTYPE lolz [\n"
                    " <!ENTITY lol \"lol\">\n"
                    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
                    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
                    "]>\n"
                    "<lolz>&lol3;</lolz>\n";
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc, strlen(doc), 0, &s, &d), EMB_ESECURITY);
  const emb_diag *e = first_error(&d);
  assert_non_null(e);
  assert_int_equal(e->code, EMB_ESECURITY);
  assert_non_null(strstr(e->message, "entity declarations are not allowed"));
  assert_string_equal(e->file, "t.xml");
  assert_int_equal(e->line, 3);
  assert_true(e->column > 0);
  assert_int_equal(s.n_end, 0);
  assert_int_equal(d.n_errors, 1);
  done(&s, &d);
}

static void test_xxe(void **state) {
  (void)state;
  const char *doc = "<?xml version=\"1.0\"?>\n"
                    "<!DOCTYPE foo [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
                    "<foo>&xxe;</foo>\n";
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc, strlen(doc), 0, &s, &d), EMB_ESECURITY);
  const emb_diag *e = first_error(&d);
  assert_non_null(e);
  assert_int_equal(e->line, 2);
  assert_non_null(strstr(e->message, "external"));
  assert_null(strstr(emb__buf_str(&s.ends), "root:"));
  assert_int_equal(s.n_end, 0);
  done(&s, &d);

  /* A parameter entity pulling in an external DTD. */
  const char *doc2 = "<!DOCTYPE foo [ <!ENTITY % ext SYSTEM \"http://example.invalid/x.dtd\"> "
                     "%ext; ]>\n<foo/>";
  seen s2 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc2, strlen(doc2), 0, &s2, &d), EMB_ESECURITY);
  done(&s2, &d);

  /* A DOCTYPE naming an external DTD, with no entity at all. */
  const char *doc3 = "<!DOCTYPE foo SYSTEM \"file:///etc/passwd\">\n<foo/>";
  seen s3 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc3, strlen(doc3), 0, &s3, &d), EMB_ESECURITY);
  assert_non_null(strstr(first_error(&d)->message, "external DTDs are not allowed"));
  done(&s3, &d);

  /* A DOCTYPE without declarations is harmless and read. */
  const char *doc4 = "<!DOCTYPE foo>\n<foo>x</foo>";
  seen s4 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc4, strlen(doc4), 0, &s4, &d), 0);
  assert_string_equal(emb__buf_str(&s4.ends), "foo=x|");
  done(&s4, &d);
}

static void test_undefined_entity(void **state) {
  (void)state;
  const char *doc = "<a>\n<b>&nbsp;</b></a>";
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc, strlen(doc), 0, &s, &d), EMB_EFORMAT);
  assert_int_equal(first_error(&d)->line, 2);
  assert_non_null(strstr(first_error(&d)->message, "undefined entity"));
  done(&s, &d);
}

static void test_truncated(void **state) {
  (void)state;
  const char *doc = "<list>\n<e>one</e>\n<e>two</e>\n<e>thr";
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc, strlen(doc), 0, &s, &d), EMB_ETRUNCATED);
  assert_string_equal(emb__buf_str(&s.ends), "e=one|e=two|");
  const emb_diag *e = first_error(&d);
  assert_int_equal(e->code, EMB_ETRUNCATED);
  assert_int_equal(e->line, 4);
  assert_non_null(strstr(e->message, "truncated"));
  done(&s, &d);

  /* Cut inside a tag. */
  const char *doc2 = "<list>\n<e>one</e>\n<e a=\"x";
  seen s2 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc2, strlen(doc2), 0, &s2, &d), EMB_ETRUNCATED);
  assert_string_equal(emb__buf_str(&s2.ends), "e=one|");
  done(&s2, &d);

  /* An empty document is not truncated, it is not XML. */
  seen s3 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse("  \n", 3, 0, &s3, &d), EMB_EFORMAT);
  done(&s3, &d);
}

static void test_invalid_utf8(void **state) {
  (void)state;
  const char *doc = "<list>\n<e>ok</e>\n<e>caf\xE9 noir</e>\n</list>";
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc, strlen(doc), 0, &s, &d), EMB_EENCODING);
  const emb_diag *e = first_error(&d);
  assert_int_equal(e->code, EMB_EENCODING);
  assert_int_equal(e->line, 3);
  assert_int_equal(e->column, 7);
  assert_non_null(strstr(e->message, "UTF-8"));
  assert_string_equal(emb__buf_str(&s.ends), "e=ok|");
  done(&s, &d);

  /* Malformed markup is a format error, not an encoding error. */
  seen s2 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse("<a><<b/></a>", 12, 0, &s2, &d), EMB_EFORMAT);
  done(&s2, &d);

  /* A declared windows-1252 document is decoded. */
  const char *doc3 = "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>caf\xE9 \x80</a>";
  seen s3 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc3, strlen(doc3), 0, &s3, &d), 0);
  assert_string_equal(emb__buf_str(&s3.ends), "a=caf\xC3\xA9 \xE2\x82\xAC|");
  done(&s3, &d);

  /* An encoding nobody knows. */
  const char *doc4 = "<?xml version=\"1.0\" encoding=\"x-klingon\"?><a/>";
  seen s4 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc4, strlen(doc4), 0, &s4, &d), EMB_EENCODING);
  done(&s4, &d);

  /* UTF-16 with a byte order mark. */
  const char doc5[] = "\xFF\xFE<\0a\0>\0\xE9\0<\0/\0a\0>\0";
  seen s5 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc5, sizeof(doc5) - 1, 0, &s5, &d), 0);
  assert_string_equal(emb__buf_str(&s5.ends), "a=\xC3\xA9|");
  done(&s5, &d);
}

static void test_deep_nesting(void **state) {
  (void)state;
  emb_buf doc;
  emb__buf_init(&doc, 1u << 20);
  for (int i = 0; i < 300; i++)
    emb__buf_puts(&doc, "<d>");
  for (int i = 0; i < 300; i++)
    emb__buf_puts(&doc, "</d>");
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc.data, doc.len, 0, &s, &d), EMB_ETOOBIG);
  assert_int_equal(s.max_depth, 256);
  assert_non_null(strstr(first_error(&d)->message, "256"));
  done(&s, &d);

  /* 256 levels are fine. */
  emb__buf_reset(&doc);
  for (int i = 0; i < 256; i++)
    emb__buf_puts(&doc, "<d>");
  for (int i = 0; i < 256; i++)
    emb__buf_puts(&doc, "</d>");
  seen s2 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc.data, doc.len, 0, &s2, &d), 0);
  assert_int_equal(s2.n_end, 256);
  done(&s2, &d);
  emb__buf_fini(&doc);
}

static void test_huge_text(void **state) {
  (void)state;
  /* 3 MiB of text in one element with the default 1 MiB cap: cut, reported, parse goes on. */
  size_t big = 3u << 20;
  emb_buf doc;
  emb__buf_init(&doc, 8u << 20);
  emb__buf_puts(&doc, "<list><e>small</e>\n<name>");
  for (size_t i = 0; i < big; i++)
    emb__buf_putc(&doc, 'x');
  emb__buf_puts(&doc, "</name>\n<e>after</e></list>");
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc.data, doc.len, 0, &s, &d), EMB_ETOOBIG);
  assert_int_equal(d.n_errors, 1);
  const emb_diag *e = first_error(&d);
  assert_string_equal(e->field, "name");
  assert_int_equal(e->line, 2);
  assert_non_null(strstr(e->message, "<name>"));
  const char *ends = emb__buf_str(&s.ends);
  assert_non_null(strstr(ends, "|e=after|"));
  const char *nm = strstr(ends, "|name=");
  assert_non_null(nm);
  assert_int_equal(strcspn(nm + 6, "|"), 1u << 20);
  done(&s, &d);

  /* A small cap never cuts inside a UTF-8 sequence. */
  const char *doc2 = "<a>\xC3\xA9\xC3\xA9\xC3\xA9</a>";
  seen s2 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc2, strlen(doc2), 5, &s2, &d), EMB_ETOOBIG);
  assert_string_equal(emb__buf_str(&s2.ends), "a=\xC3\xA9\xC3\xA9|");
  done(&s2, &d);

  /* A comment larger than any token we hold whole. */
  emb__buf_reset(&doc);
  emb__buf_puts(&doc, "<a>\n<!--");
  for (size_t i = 0; i < big; i++)
    emb__buf_putc(&doc, 'c');
  emb__buf_puts(&doc, "--></a>");
  seen s3 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc.data, doc.len, 0, &s3, &d), EMB_ETOOBIG);
  assert_int_equal(first_error(&d)->line, 2);
  assert_non_null(strstr(first_error(&d)->message, "token"));
  done(&s3, &d);

  /* So is a start tag with a huge attribute. */
  emb__buf_reset(&doc);
  emb__buf_puts(&doc, "<a v=\"");
  for (size_t i = 0; i < big; i++)
    emb__buf_putc(&doc, 'v');
  emb__buf_puts(&doc, "\"/>");
  seen s4 = {0};
  emb_diags_init(&d);
  assert_int_equal(parse(doc.data, doc.len, 0, &s4, &d), EMB_ETOOBIG);
  done(&s4, &d);
  emb__buf_fini(&doc);
}

static void test_loader_stop(void **state) {
  (void)state;
  const char *doc = "<l><a>1</a><b>2</b><c>3</c></l>";
  seen s = {0};
  s.stop_at = "b";
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc, strlen(doc), 0, &s, &d), EMB_EFORMAT);
  assert_string_equal(emb__buf_str(&s.ends), "a=1|b=2|");
  assert_int_equal(d.count, 0); /* the loader reports its own errors */
  done(&s, &d);
}

/* A name whose prefix has nothing after it keeps its whole name rather than becoming "". */
static void test_odd_names(void **state) {
  (void)state;
  const char *doc = "<r><p:>x</p:><q:r:s a:b='1' c:='2'/></r>";
  seen s = {0};
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(parse(doc, strlen(doc), 0, &s, &d), 0);
  assert_string_equal(emb__buf_str(&s.starts), "r|p:|s b=1 c:=2|");
  assert_string_equal(emb__buf_str(&s.ends), "p:=x|s=|r=|");
  done(&s, &d);
}

static void test_attr_lookup(void **state) {
  (void)state;
  const char *attrs[] = {"a", "1", "b", "2", NULL};
  assert_string_equal(emb__xml_attr(attrs, "b"), "2");
  assert_null(emb__xml_attr(attrs, "c"));
  assert_null(emb__xml_attr(NULL, "a"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_events_and_names), cmocka_unit_test(test_chunk_boundaries),
      cmocka_unit_test(test_billion_laughs),   cmocka_unit_test(test_xxe),
      cmocka_unit_test(test_undefined_entity), cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_invalid_utf8),     cmocka_unit_test(test_deep_nesting),
      cmocka_unit_test(test_huge_text),        cmocka_unit_test(test_loader_stop),
      cmocka_unit_test(test_odd_names),        cmocka_unit_test(test_attr_lookup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
