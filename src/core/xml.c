/*
 * xml.c - the safe streaming XML reader of xml.h, over expat.
 *
 * The input is fed to expat in 64 KiB chunks read straight into expat's own buffer
 * (XML_GetBuffer + XML_ParseBuffer), so memory does not grow with the file. What a
 * list never needs is refused before it can do harm: an entity declaration of any
 * kind (internal ones are the billion-laughs bomb, external ones are XXE) and a
 * DOCTYPE that names an external DTD stop the parse with EMB_ESECURITY; parameter
 * entity parsing is off and any external entity reference is an error. Expat itself
 * never opens a file or a URL.
 *
 * Bounds, each an error that names the place: element depth (256), the direct text
 * of one element (max_text; the text is cut and the parse goes on, the parse then
 * returns EMB_ETOOBIG), the total text held by the open elements (4 x max_text), an
 * element name (4 KiB), and any single token expat has to hold whole in memory - a
 * start tag with its attributes, a comment, a processing instruction (2 x max_text,
 * at least 64 KiB; measured as the bytes fed since the latest event).
 *
 * Text is kept on one stack: each open element owns the tail of the buffer from its
 * offset, a child appends after its parent and gives the space back at its end, so
 * the parent's own text stays contiguous. Leading whitespace is never stored (the
 * whitespace between child elements costs nothing), trailing whitespace is cut at the
 * end. Element and attribute names are handed to callbacks without their namespace
 * prefix; xmlns declarations are not passed on.
 *
 * Besides the encodings expat knows (UTF-8, UTF-16, ISO-8859-1, US-ASCII), a document
 * that declares windows-1252 is read through a mapping table.
 *
 * The emb_xml owns the parser, the text and name stacks and the attribute array;
 * emb__xml_parse() frees all before it returns.
 */
#include "core/xml.h"

#include <expat.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/diag.h"

#define XML_CHUNK (64 * 1024)
#define MAX_DEPTH 256
#define MAX_NAME 4096
#define DEFAULT_MAX_TEXT (1024 * 1024)

/* One open element. */
typedef struct xml_frame {
  size_t name_off; /* offset of the local name in x->names */
  size_t text_off; /* where this element's own text starts in x->text */
  bool cut;        /* text beyond max_text was dropped (reported once) */
} xml_frame;

struct emb_xml {
  XML_Parser p;
  const emb_xml_handlers *h;
  void *ud;
  emb_diags *diags;
  const char *file;
  size_t max_text;  /* per element */
  size_t max_stack; /* all open elements together */
  xml_frame frames[MAX_DEPTH + 1];
  int depth;  /* open elements; frames[1..depth] are used */
  char *text; /* the text stack; text[text_len] is kept NUL */
  size_t text_len;
  size_t text_alloc;
  char *names; /* NUL-separated local names of the open elements */
  size_t names_len;
  size_t names_alloc;
  const char **attrs;   /* local-name attribute array handed to start() */
  size_t attrs_alloc;   /* entries */
  long long last_event; /* byte index where the latest event started */
  int code;             /* the first error that stopped the parse, or 0 */
  int soft_code;        /* an error that did not stop the parse (cut text) */
  bool stopped;
};

/* ------------------------------------------------------------ helpers */

static void stop(emb_xml *x, int code) {
  if (!x->code)
    x->code = code;
  if (!x->stopped) {
    x->stopped = true;
    XML_StopParser(x->p, XML_FALSE);
  }
}

static unsigned long cur_line(const emb_xml *x) {
  return (unsigned long)XML_GetCurrentLineNumber(x->p);
}

static unsigned long cur_col(const emb_xml *x) {
  return (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1;
}

/* The name after its last ':' prefix; the whole name when nothing follows the ':'. */
static const char *local_name(const char *name) {
  const char *c = strrchr(name, ':');
  return c && c[1] ? c + 1 : name;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Grows *p to hold at least `need` bytes; returns false when out of memory. */
static bool grow(char **p, size_t *alloc, size_t need) {
  if (need <= *alloc)
    return true;
  size_t n = *alloc ? *alloc : 256;
  while (n < need)
    n *= 2;
  char *q = realloc(*p, n);
  if (!q)
    return false;
  *p = q;
  *alloc = n;
  return true;
}

/* Makes room for n entries in the attribute array; returns false when out of memory. */
static bool grow_attrs(emb_xml *x, size_t n) {
  if (n <= x->attrs_alloc)
    return true;
  size_t m = x->attrs_alloc ? x->attrs_alloc : 16;
  while (m < n)
    m *= 2;
  const char **q = realloc(x->attrs, m * sizeof(*q));
  if (!q)
    return false;
  x->attrs = q;
  x->attrs_alloc = m;
  return true;
}

/* Length of the longest prefix of s[0..n) that does not end inside a UTF-8 sequence. */
static size_t utf8_floor(const char *s, size_t n) {
  size_t i = n;
  size_t back = 0;
  while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
    i--;
    back++;
  }
  if (i == 0)
    return n;
  unsigned char lead = (unsigned char)s[i - 1];
  size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return (back + 1 >= want) ? n : i - 1;
}

/* ----------------------------------------------------------- handlers */

/* Notes where the current event starts: the bytes after it are what expat holds. */
static void touch(emb_xml *x) {
  XML_Index at = XML_GetCurrentByteIndex(x->p);
  if (at >= 0)
    x->last_event = (long long)at;
}

/* Every other token (comments, processing instructions, declarations, prolog text). */
static void XMLCALL on_default(void *ud, const XML_Char *s, int len) {
  (void)s;
  (void)len;
  touch(ud);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  emb_xml *x = ud;
  touch(x);
  if (x->stopped)
    return;
  const char *ln = local_name(name);
  if (x->depth >= MAX_DEPTH) {
    emb__error(x->diags, EMB_ETOOBIG, x->file, cur_line(x), cur_col(x), ln,
               "elements are nested deeper than %d levels", MAX_DEPTH);
    stop(x, EMB_ETOOBIG);
    return;
  }
  size_t nlen = strlen(ln);
  if (nlen > MAX_NAME) {
    emb__error(x->diags, EMB_ETOOBIG, x->file, cur_line(x), cur_col(x), NULL,
               "an element name is longer than %d bytes", MAX_NAME);
    stop(x, EMB_ETOOBIG);
    return;
  }
  size_t n_att = 0;
  while (atts[n_att])
    n_att += 2;
  if (!grow(&x->names, &x->names_alloc, x->names_len + nlen + 1) || !grow_attrs(x, n_att + 1)) {
    emb__error(x->diags, EMB_ENOMEM, x->file, cur_line(x), cur_col(x), ln, "out of memory");
    stop(x, EMB_ENOMEM);
    return;
  }
  xml_frame *f = &x->frames[++x->depth];
  f->name_off = x->names_len;
  memcpy(x->names + x->names_len, ln, nlen + 1);
  x->names_len += nlen + 1;
  f->text_off = x->text_len;
  f->cut = false;

  size_t k = 0;
  for (size_t i = 0; atts[i]; i += 2) {
    if (strcmp(atts[i], "xmlns") == 0 || strncmp(atts[i], "xmlns:", 6) == 0)
      continue;
    x->attrs[k++] = local_name(atts[i]);
    x->attrs[k++] = atts[i + 1];
  }
  x->attrs[k] = NULL;
  if (x->h->start)
    x->h->start(x->ud, x, x->names + f->name_off, x->attrs);
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  emb_xml *x = ud;
  (void)name;
  touch(x);
  if (x->stopped || x->depth <= 0)
    return;
  xml_frame *f = &x->frames[x->depth];
  size_t end = x->text_len;
  while (end > f->text_off && is_space(x->text[end - 1]))
    end--;
  if (x->text)
    x->text[end] = '\0';
  const char *text = x->text ? x->text + f->text_off : "";
  if (x->h->end)
    x->h->end(x->ud, x, x->names + f->name_off, text, end - f->text_off);
  /* The callback may have stopped the parse; the stacks are popped either way. */
  x->text_len = f->text_off;
  if (x->text)
    x->text[x->text_len] = '\0';
  x->names_len = f->name_off;
  x->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  emb_xml *x = ud;
  touch(x);
  if (x->stopped || x->depth <= 0 || len <= 0)
    return;
  xml_frame *f = &x->frames[x->depth];
  if (f->cut)
    return;
  size_t n = (size_t)len;
  if (x->text_len == f->text_off) { /* nothing stored yet: skip leading whitespace */
    while (n > 0 && is_space(*s)) {
      s++;
      n--;
    }
    if (!n)
      return;
  }
  size_t own = x->text_len - f->text_off;
  size_t room = x->max_text > own ? x->max_text - own : 0;
  size_t stack_room = x->max_stack > x->text_len ? x->max_stack - x->text_len : 0;
  if (stack_room < room)
    room = stack_room;
  if (n > room) {
    n = utf8_floor(s, room);
    f->cut = true;
    emb__error(x->diags, EMB_ETOOBIG, x->file, cur_line(x), cur_col(x), x->names + f->name_off,
               "the text of element <%s> is longer than %zu bytes; the rest is dropped",
               x->names + f->name_off, x->max_text);
    if (!x->soft_code)
      x->soft_code = EMB_ETOOBIG;
  }
  if (!n)
    return;
  if (!grow(&x->text, &x->text_alloc, x->text_len + n + 1)) {
    emb__error(x->diags, EMB_ENOMEM, x->file, cur_line(x), cur_col(x), NULL, "out of memory");
    stop(x, EMB_ENOMEM);
    return;
  }
  memcpy(x->text + x->text_len, s, n);
  x->text_len += n;
  x->text[x->text_len] = '\0';
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *system_id, const XML_Char *public_id,
                                   const XML_Char *notation) {
  emb_xml *x = ud;
  (void)is_param;
  (void)value;
  (void)value_len;
  (void)base;
  (void)public_id;
  (void)notation;
  if (x->stopped)
    return;
  emb__error(x->diags, EMB_ESECURITY, x->file, cur_line(x), cur_col(x), NULL,
             "entity declarations are not allowed (entity \"%.64s\"%s)", name,
             system_id ? " refers to an external resource" : "");
  stop(x, EMB_ESECURITY);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset) {
  emb_xml *x = ud;
  (void)name;
  (void)pubid;
  (void)has_internal_subset;
  if (x->stopped || !sysid)
    return;
  emb__error(x->diags, EMB_ESECURITY, x->file, cur_line(x), cur_col(x), NULL,
             "external DTDs are not allowed (SYSTEM \"%.80s\")", sysid);
  stop(x, EMB_ESECURITY);
}

static int XMLCALL on_external_ref(XML_Parser p, const XML_Char *context, const XML_Char *base,
                                   const XML_Char *system_id, const XML_Char *public_id) {
  emb_xml *x = XML_GetUserData(p);
  (void)context;
  (void)base;
  (void)public_id;
  if (!x->stopped) {
    emb__error(x->diags, EMB_ESECURITY, x->file, cur_line(x), cur_col(x), NULL,
               "external entities are not allowed (\"%.80s\")", system_id ? system_id : "?");
    x->code = x->code ? x->code : EMB_ESECURITY;
    x->stopped = true;
  }
  return XML_STATUS_ERROR;
}

/* Windows-1252 code points for 0x80..0x9F; -1 where the code page has no character. */
static const int CP1252_HIGH[32] = {0x20AC, -1,     0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, -1,     0x017D, -1,
                                    -1,     0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, -1,     0x017E, 0x0178};

static int XMLCALL on_unknown_encoding(void *data, const XML_Char *name, XML_Encoding *info) {
  (void)data;
  if (strcasecmp(name, "windows-1252") != 0 && strcasecmp(name, "cp1252") != 0)
    return XML_STATUS_ERROR;
  for (int i = 0; i < 256; i++)
    info->map[i] = (i >= 0x80 && i < 0xA0) ? CP1252_HIGH[i - 0x80] : i;
  info->data = NULL;
  info->convert = NULL;
  info->release = NULL;
  return XML_STATUS_OK;
}

/* ------------------------------------------------------- error mapping */

/* True if the character at the error position is not valid UTF-8. */
static bool bad_utf8_at_error(XML_Parser p) {
  int off = 0, size = 0;
  const char *ctx = XML_GetInputContext(p, &off, &size);
  if (!ctx || off < 0 || off >= size)
    return false;
  unsigned char c = (unsigned char)ctx[off];
  if (c < 0x80)
    return false; /* ASCII (NUL included): a malformed document, not an encoding problem */
  if (c < 0xC2 || c > 0xF4)
    return true; /* a stray continuation byte, an overlong lead or F5..FF */
  size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if ((size_t)(size - off) < need)
    return false; /* cut by the end of the buffer: not evidence of anything */
  return emb__utf8_check(ctx + off, need) == 0;
}

static int map_expat_error(emb_xml *x, enum XML_Error e) {
  switch (e) {
  case XML_ERROR_NO_MEMORY: return EMB_ENOMEM;
  case XML_ERROR_UNCLOSED_TOKEN:
  case XML_ERROR_UNCLOSED_CDATA_SECTION:
  case XML_ERROR_PARTIAL_CHAR: return EMB_ETRUNCATED;
  case XML_ERROR_NO_ELEMENTS: return x->depth > 0 ? EMB_ETRUNCATED : EMB_EFORMAT;
  case XML_ERROR_INVALID_TOKEN: return bad_utf8_at_error(x->p) ? EMB_EENCODING : EMB_EFORMAT;
  case XML_ERROR_UNKNOWN_ENCODING:
  case XML_ERROR_INCORRECT_ENCODING: return EMB_EENCODING;
  case XML_ERROR_EXTERNAL_ENTITY_HANDLING:
  case XML_ERROR_RECURSIVE_ENTITY_REF:
  case XML_ERROR_AMPLIFICATION_LIMIT_BREACH: return EMB_ESECURITY;
  default: return EMB_EFORMAT;
  }
}

static int report_expat_error(emb_xml *x) {
  enum XML_Error e = XML_GetErrorCode(x->p);
  if (x->code) /* stopped by us or by a callback: already reported */
    return x->code;
  int code = map_expat_error(x, e);
  const char *msg = XML_ErrorString(e);
  if (e == XML_ERROR_NO_ELEMENTS && x->depth > 0)
    emb__error(x->diags, code, x->file, cur_line(x), cur_col(x),
               x->names + x->frames[x->depth].name_off,
               "the document ends inside element <%s> (%s); the file looks truncated",
               x->names + x->frames[x->depth].name_off, msg ? msg : "no element found");
  else if (code == EMB_EENCODING && e == XML_ERROR_INVALID_TOKEN)
    emb__error(x->diags, code, x->file, cur_line(x), cur_col(x), NULL,
               "%s: the bytes here are not valid UTF-8", msg ? msg : "invalid token");
  else
    emb__error(x->diags, code, x->file, cur_line(x), cur_col(x), NULL, "%s",
               msg ? msg : "XML error");
  x->code = code;
  return code;
}

/* --------------------------------------------------------------- API */

int emb__xml_parse(emb_input *in, const emb_xml_handlers *h, void *ud, size_t max_text,
                   emb_diags *diags) {
  if (!in || !h)
    return EMB_EINVAL;
  emb_xml x;
  memset(&x, 0, sizeof(x));
  x.h = h;
  x.ud = ud;
  x.diags = diags;
  x.file = emb__input_name(in);
  x.max_text = max_text ? max_text : DEFAULT_MAX_TEXT;
  x.max_stack = x.max_text > SIZE_MAX / 4 ? SIZE_MAX : x.max_text * 4;
  size_t max_token = x.max_text > SIZE_MAX / 2 ? SIZE_MAX : x.max_text * 2;
  if (max_token < 64 * 1024)
    max_token = 64 * 1024;

  x.p = XML_ParserCreate(NULL);
  if (!x.p) {
    emb__error(diags, EMB_ENOMEM, x.file, 0, 0, NULL, "out of memory");
    return EMB_ENOMEM;
  }
  XML_SetUserData(x.p, &x);
  XML_SetElementHandler(x.p, on_start, on_end);
  XML_SetCharacterDataHandler(x.p, on_text);
  XML_SetDefaultHandlerExpand(x.p, on_default);
  XML_SetEntityDeclHandler(x.p, on_entity_decl);
  XML_SetStartDoctypeDeclHandler(x.p, on_doctype);
  XML_SetExternalEntityRefHandler(x.p, on_external_ref);
  XML_SetParamEntityParsing(x.p, XML_PARAM_ENTITY_PARSING_NEVER);
  XML_SetUnknownEncodingHandler(x.p, on_unknown_encoding, NULL);

  int rc = 0;
  unsigned long long fed = 0;
  for (;;) {
    void *buf = XML_GetBuffer(x.p, XML_CHUNK);
    if (!buf) {
      if (XML_GetErrorCode(x.p) == XML_ERROR_NO_MEMORY) {
        emb__error(diags, EMB_ENOMEM, x.file, cur_line(&x), cur_col(&x), NULL, "out of memory");
        rc = EMB_ENOMEM;
      } else {
        rc = report_expat_error(&x);
      }
      break;
    }
    size_t got = 0;
    rc = emb__input_read(in, buf, XML_CHUNK, &got);
    if (rc) /* reported by the input layer */
      break;
    fed += got;
    bool final = got == 0;
    if (XML_ParseBuffer(x.p, (int)got, final) != XML_STATUS_OK) {
      rc = report_expat_error(&x);
      break;
    }
    if (final)
      break;
    /* Bytes fed since the last event: one token expat holds whole in memory. */
    if (fed > (unsigned long long)x.last_event &&
        fed - (unsigned long long)x.last_event > max_token) {
      emb__error(diags, EMB_ETOOBIG, x.file, cur_line(&x), cur_col(&x), NULL,
                 "one XML token (a tag with its attributes, a comment or a processing "
                 "instruction) is longer than %zu bytes",
                 max_token);
      rc = EMB_ETOOBIG;
      break;
    }
  }
  if (!rc)
    rc = x.soft_code;
  XML_ParserFree(x.p);
  free(x.text);
  free(x.names);
  free(x.attrs);
  return rc;
}

unsigned long emb__xml_line(const emb_xml *x) {
  return cur_line(x);
}

unsigned long emb__xml_column(const emb_xml *x) {
  return cur_col(x);
}

const char *emb__xml_file(const emb_xml *x) {
  return x->file;
}

int emb__xml_depth(const emb_xml *x) {
  return x->depth;
}

const char *emb__xml_parent(const emb_xml *x, int up) {
  if (up < 0 || up >= x->depth)
    return NULL;
  return x->names + x->frames[x->depth - up].name_off;
}

const char *emb__xml_attr(const char **attrs, const char *name) {
  if (!attrs || !name)
    return NULL;
  for (size_t i = 0; attrs[i]; i += 2)
    if (strcmp(attrs[i], name) == 0)
      return attrs[i + 1];
  return NULL;
}

void emb__xml_stop(emb_xml *x, int code) {
  if (x)
    stop(x, code ? code : EMB_EFORMAT);
}
