/*
 * xml_util.c - small text helpers shared by the XML list loaders; see xml_util.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lists/xml_util.h"

bool emb__xml_eq(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

bool emb__xml_ieq(const char *a, const char *b) {
  return a && b && strcasecmp(a, b) == 0;
}

bool emb__xml_has_bytes(const unsigned char *h, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; k <= n && i <= n - k; i++)
    if (h[i] == (unsigned char)needle[0] && memcmp(h + i, needle, k) == 0)
      return true;
  return false;
}

bool emb__xml_has_ci(const char *s, const char *needle) {
  size_t n = strlen(needle);
  for (; s && *s; s++)
    if (strncasecmp(s, needle, n) == 0)
      return true;
  return false;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool emb__xml_blank(const char *s) {
  if (!s)
    return true;
  for (; *s; s++)
    if (!is_space(*s))
      return false;
  return true;
}

void emb__xml_squash(char *s) {
  size_t o = 0;
  bool space = false;
  for (size_t i = 0; s[i]; i++) {
    if (is_space(s[i])) {
      space = o > 0;
      continue;
    }
    if (space)
      s[o++] = ' ';
    space = false;
    s[o++] = s[i];
  }
  s[o] = '\0';
}

const char *emb__xml_keep(emb_entity_set *tmp, const char *s) {
  if (emb__xml_blank(s) || !tmp)
    return NULL;
  char *c = (char *)emb__set_str(tmp, s);
  if (!c)
    return NULL;
  emb__xml_squash(c);
  return c;
}

const char *emb__xml_join2(emb_entity_set *tmp, const char *a, const char *sep, const char *b) {
  if (!a || !*a)
    return b;
  if (!b || !*b)
    return a;
  size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
  char *p = malloc(la + ls + lb + 1);
  if (!p)
    return NULL;
  memcpy(p, a, la);
  memcpy(p + la, sep, ls);
  memcpy(p + la + ls, b, lb + 1);
  const char *r = emb__set_str(tmp, p);
  free(p);
  return r;
}

/* Length of a part without the trailing commas and spaces a ", " join would double. */
static size_t part_len(const char *p, const char *sep) {
  size_t n = strlen(p);
  if (sep[0] == ',')
    while (n && (p[n - 1] == ',' || p[n - 1] == ' '))
      n--;
  return n;
}

const char *emb__xml_join_parts(emb_entity_set *tmp, const char *const *parts, size_t n,
                                const char *sep, bool (*empty)(const char *)) {
  size_t len = 0, seplen = strlen(sep);
  for (size_t i = 0; i < n; i++)
    if (!empty(parts[i]))
      len += part_len(parts[i], sep) + seplen;
  if (!len)
    return NULL;
  char *buf = malloc(len + 1);
  if (!buf)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (empty(parts[i]))
      continue;
    size_t k = part_len(parts[i], sep);
    if (!k)
      continue;
    if (o) {
      memcpy(buf + o, sep, seplen);
      o += seplen;
    }
    memcpy(buf + o, parts[i], k);
    o += k;
  }
  buf[o] = '\0';
  const char *r = emb__xml_keep(tmp, buf);
  free(buf);
  return r;
}

bool emb__xml_root_name(const unsigned char *h, size_t n, char *out, size_t size) {
  size_t i = 0;
  if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
    i = 3;
  while (i < n) {
    while (i < n && is_space((char)h[i]))
      i++;
    if (i + 1 >= n || h[i] != '<')
      return false;
    if (h[i + 1] == '?' || h[i + 1] == '!') {
      const char *end =
          h[i + 1] == '!' && i + 3 < n && h[i + 2] == '-' && h[i + 3] == '-' ? "-->" : ">";
      size_t el = strlen(end);
      size_t j = i + 2;
      while (j + el <= n && memcmp(h + j, end, el) != 0)
        j++;
      if (j + el > n)
        return false;
      i = j + el;
      continue;
    }
    size_t j = i + 1, start = j;
    while (j < n && !is_space((char)h[j]) && h[j] != '>' && h[j] != '/')
      j++;
    if (j == start)
      return false;
    for (size_t k = start; k < j; k++)
      if (h[k] == ':')
        start = k + 1;
    size_t len = j - start;
    if (len >= size)
      len = size - 1;
    memcpy(out, h + start, len);
    out[len] = '\0';
    return true;
  }
  return false;
}

const unsigned char *emb__xml_ascii_head(const unsigned char *head, size_t *n, unsigned char *buf,
                                         size_t size) {
  if (*n < 2 || !((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
    return head;
  bool le = head[0] == 0xFF;
  size_t o = 0;
  for (size_t i = 2; i + 1 < *n && o < size; i += 2) {
    unsigned hi = le ? head[i + 1] : head[i], lo = le ? head[i] : head[i + 1];
    buf[o++] = hi == 0 && lo < 0x80 ? (unsigned char)lo : '?';
  }
  *n = o;
  return buf;
}
