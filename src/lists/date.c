/*
 * date.c - the dates sanctions lists write, parsed into emb_date.
 *
 * A date is first cut into tokens (numbers, words, punctuation) in a small stack
 * buffer, so parsing never allocates and inputs longer than DATE_MAX bytes are refused.
 * Numeric forms keep their separators ("1965-01-12", "12/01/1965", "12.01.1965",
 * "06/1965"); as soon as a month name appears, punctuation is noise ("12-Jan-1965",
 * "January 12, 1965"). Qualifiers around a date are read as such: "circa", "ca.",
 * "c.", "approx.", "approximately", "about", "around", "~" and "(approx.)" set `circa`;
 * "possibly", "alt.", "DOB" and other parenthetical remarks are ignored. A range ("1960
 * to 1962", "1960-1962", "between 1960 and 1962", "01 Jan 1960 to 31 Dec 1962") becomes
 * a year range, or a single month or year when both ends fall into it.
 *
 * Zero parts mean unknown, as the UK and UN write them: "00/00/1965" and "1965-00-00"
 * are the year 1965, "00/06/1965" June 1965. Ranges are checked: years 1000-2100, months
 * 1-12, days that exist in their month (29 February only in leap years).
 *
 * Slash and dash dates with the day and month both numeric follow the caller's order
 * (DMY for the UK and EU, MDY for US files); when that order gives an impossible month
 * and the other order a valid date ("06/19/2003" read as DMY), the valid one is taken.
 * Dots ("12.01.1965") are always day first. Two-digit years are refused.
 */
#include "lists/date.h"

#include <stdbool.h>
#include <string.h>

enum {
  DATE_MAX = 160,  /* longest single date text accepted */
  TOK_MAX = 40,    /* tokens in one date */
  LIST_MAX = 65536 /* longest list field split (longer ones are refused as a whole) */
};

typedef enum { T_NUM, T_WORD, T_PUNCT } tok_kind;

typedef struct tok {
  tok_kind kind;
  int value;     /* T_NUM: the number (capped); T_PUNCT: the character */
  int ndigits;   /* T_NUM: digits written */
  const char *s; /* T_WORD: the lower-cased word */
  int len;       /* T_WORD: its length */
} tok;

typedef struct toks {
  tok t[TOK_MAX];
  int n;
} toks;

static const char *const months[12][3] = {
    {"jan", "january", "janv"}, {"feb", "february", "febr"}, {"mar", "march", "mrz"},
    {"apr", "april", "avr"},    {"may", "may", "mai"},       {"jun", "june", "juin"},
    {"jul", "july", "juil"},    {"aug", "august", "aout"},   {"sep", "september", "sept"},
    {"oct", "october", "okt"},  {"nov", "november", "nov"},  {"dec", "december", "dez"},
};

/* Returns 1-12 for a month name or abbreviation, 0 otherwise. */
static int month_of(const tok *t) {
  if (t->kind != T_WORD)
    return 0;
  if (t->len <= 0)
    return 0;
  for (int m = 0; m < 12; m++)
    for (int k = 0; k < 3; k++) /* the first letter first: it rules out most names */
      if (months[m][k][0] == t->s[0] && (int)strlen(months[m][k]) == t->len &&
          memcmp(months[m][k], t->s, (size_t)t->len) == 0)
        return m + 1;
  return 0;
}

static bool word_is(const tok *t, const char *w) {
  return t->kind == T_WORD && (int)strlen(w) == t->len && memcmp(w, t->s, (size_t)t->len) == 0;
}

static bool punct_is(const tok *t, char c) {
  return t->kind == T_PUNCT && t->value == c;
}

static bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Fills d from parts (0 meaning unknown) after checking them; returns false if invalid. */
static bool make(int y, int m, int day, emb_date *d) {
  if (y < 1000 || y > 2100 || m < 0 || m > 12 || day < 0)
    return false;
  if (m == 0)
    day = 0; /* a day without its month says nothing */
  if (day > 0 && day > days_in(y, m))
    return false;
  memset(d, 0, sizeof *d);
  d->year = (int16_t)y;
  d->month = (int8_t)m;
  d->day = (int8_t)day;
  d->precision = day ? EMB_DATE_DAY : m ? EMB_DATE_MONTH : EMB_DATE_YEAR;
  return true;
}

/*
 * Cuts s[0..len) into tokens over the lower-cased copy in buf (which must outlive the
 * tokens). Returns false for bytes no date contains, or too many tokens.
 */
static bool tokenise(const char *s, size_t len, char *buf, toks *out) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
      buf[n++] = '-'; /* en and em dash */
      i += 2;
    } else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
      buf[n++] = ' '; /* no-break space */
      i += 1;
    } else if (c >= 0x80 || c == 0) {
      return false;
    } else {
      buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  out->n = 0;
  size_t i = 0;
  while (i < n) {
    char c = buf[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      i++;
      continue;
    }
    if (out->n == TOK_MAX)
      return false;
    tok *t = &out->t[out->n++];
    if (c >= '0' && c <= '9') {
      int v = 0, nd = 0;
      while (i < n && buf[i] >= '0' && buf[i] <= '9') {
        if (v < 100000)
          v = v * 10 + (buf[i] - '0');
        nd++;
        i++;
      }
      *t = (tok){T_NUM, v, nd, NULL, 0};
    } else if (c >= 'a' && c <= 'z') {
      size_t b = i;
      while (i < n && buf[i] >= 'a' && buf[i] <= 'z')
        i++;
      *t = (tok){T_WORD, 0, 0, buf + b, (int)(i - b)};
    } else {
      *t = (tok){T_PUNCT, c, 0, NULL, 0};
      i++;
    }
  }
  return true;
}

static bool is_num(const tok *t, int min_digits, int max_digits) {
  return t->kind == T_NUM && t->ndigits >= min_digits && t->ndigits <= max_digits;
}

/* Parses a numeric date whose separators matter: a[0..n). */
static bool parse_numeric(const tok *a, int n, emb_date_order order, emb_date *d) {
  if (n == 1 && is_num(&a[0], 4, 4))
    return make(a[0].value, 0, 0, d);
  if (n == 3 && is_num(&a[0], 4, 4) && a[1].kind == T_PUNCT && strchr("-/.", a[1].value) &&
      is_num(&a[2], 1, 2))
    return make(a[0].value, a[2].value, 0, d); /* 1965-01 */
  if (n == 3 && is_num(&a[0], 1, 2) && a[1].kind == T_PUNCT && strchr("-/.", a[1].value) &&
      is_num(&a[2], 4, 4))
    return make(a[2].value, a[0].value, 0, d); /* 06/1965 */
  if (n == 5 && a[1].kind == T_PUNCT && punct_is(&a[3], (char)a[1].value) &&
      strchr("-/.", a[1].value)) {
    if (is_num(&a[0], 4, 4) && is_num(&a[2], 1, 2) && is_num(&a[4], 1, 2))
      return make(a[0].value, a[2].value, a[4].value, d); /* 1965-01-12 */
    if (is_num(&a[0], 1, 2) && is_num(&a[2], 1, 2) && is_num(&a[4], 4, 4)) {
      int x = a[0].value, y = a[2].value, yr = a[4].value;
      bool mdy = order == EMB_DATE_ORDER_MDY && a[1].value != '.';
      int day = mdy ? y : x, mon = mdy ? x : y;
      if (make(yr, mon, day, d))
        return true;
      if (mon > 12 && day >= 1 && day <= 12) /* the order the caller expects cannot be */
        return make(yr, day, mon, d);
      return false;
    }
  }
  return false;
}

/* Parses a date with a month name; punctuation has already been removed. */
static bool parse_words(const tok *a, int n, emb_date *d) {
  int m;
  if (n == 2 && (m = month_of(&a[0])) && is_num(&a[1], 4, 4))
    return make(a[1].value, m, 0, d); /* Jan 1965 */
  if (n == 3 && is_num(&a[0], 1, 2) && (m = month_of(&a[1])) && is_num(&a[2], 4, 4))
    return make(a[2].value, m, a[0].value, d); /* 12 Jan 1965 */
  if (n == 3 && (m = month_of(&a[0])) && is_num(&a[1], 1, 2) && is_num(&a[2], 4, 4))
    return make(a[2].value, m, a[1].value, d); /* January 12, 1965 */
  if (n == 3 && is_num(&a[0], 4, 4) && (m = month_of(&a[1])) && is_num(&a[2], 1, 2))
    return make(a[0].value, m, a[2].value, d); /* 1965 Jan 12 */
  return false;
}

/* Words before a date that do not change it, and words that make it approximate. */
static bool is_noise_word(const tok *t) {
  static const char *const w[] = {
      "possibly", "probably", "reportedly", "alt",   "dob", "born", "on", "in", "b", "d",
      "o",        "date",     "of",         "birth", "st",  "nd",   "rd", "th", "or"};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
    if (word_is(t, w[i]))
      return true;
  return false;
}

static bool is_circa_word(const tok *t) {
  static const char *const w[] = {"circa",         "ca",        "c",      "approx",
                                  "approximately", "about",     "around", "abt",
                                  "est",           "estimated", "appr",   "approximate"};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
    if (word_is(t, w[i]))
      return true;
  return false;
}

/*
 * Parses one date (no range) from a[0..n): drops qualifiers and remarks, then tries the
 * numeric and the word forms.
 */
static bool parse_single(const tok *a, int n, emb_date_order order, emb_date *d) {
  tok b[TOK_MAX];
  int m = 0;
  bool circa = false, named_month = false;
  for (int i = 0; i < n; i++) {
    const tok *t = &a[i];
    if (punct_is(t, '(') || punct_is(t, '[')) {
      /* A remark: "(approx.)" makes the date approximate, anything else is ignored. */
      int j = i + 1;
      for (; j < n && !punct_is(&a[j], ')') && !punct_is(&a[j], ']'); j++)
        if (is_circa_word(&a[j]))
          circa = true;
      i = j;
      continue;
    }
    if (punct_is(t, '~')) {
      circa = true;
      continue;
    }
    if (t->kind == T_WORD) {
      if (is_circa_word(t)) {
        circa = true;
        continue;
      }
      if (month_of(t))
        named_month = true;
      else if (is_noise_word(t))
        continue;
      else
        return false;
    }
    /* "12th": the suffix was a word right after a number and is dropped above. */
    b[m++] = *t;
  }
  if (m == 0)
    return false;
  /* Leading and trailing punctuation is never part of a date. */
  int lo = 0, hi = m;
  while (lo < hi && b[lo].kind == T_PUNCT)
    lo++;
  while (hi > lo && b[hi - 1].kind == T_PUNCT)
    hi--;
  if (lo == hi)
    return false;
  bool ok;
  if (named_month) {
    tok c[TOK_MAX];
    int k = 0;
    for (int i = lo; i < hi; i++) {
      if (b[i].kind == T_PUNCT) {
        if (!strchr("-,./", b[i].value))
          return false;
        continue;
      }
      c[k++] = b[i];
    }
    ok = parse_words(c, k, d);
  } else {
    ok = parse_numeric(b + lo, hi - lo, order, d);
  }
  if (ok && circa)
    d->circa = true;
  return ok;
}

/* Combines two ends of a range into d. */
static bool make_range(const emb_date *x, const emb_date *y, emb_date *d) {
  if (y->year < x->year)
    return false;
  *d = *x;
  d->circa = x->circa || y->circa;
  if (x->year == y->year) {
    if (x->precision == y->precision && x->month == y->month && x->day == y->day)
      return true; /* both ends the same date */
    if (x->month && x->month == y->month) {
      d->day = 0;
      d->precision = EMB_DATE_MONTH;
    } else {
      d->month = 0;
      d->day = 0;
      d->precision = EMB_DATE_YEAR;
    }
    return true;
  }
  d->month = 0;
  d->day = 0;
  d->precision = EMB_DATE_YEAR;
  d->year_to = y->year;
  return true;
}

/* Parses a[0..n) as one date or a range of two. */
static bool parse_tokens(const tok *a, int n, emb_date_order order, emb_date *d) {
  if (n == 0)
    return false;
  int start = 0;
  bool between = false;
  if (word_is(&a[0], "between") || word_is(&a[0], "from")) {
    between = word_is(&a[0], "between");
    start = 1;
  }
  if (!between && parse_single(a + start, n - start, order, d))
    return true;
  /* A range: the split point is "to", "until", "and" (after "between"), "-" or "/". */
  for (int i = start + 1; i < n - 1; i++) {
    const tok *t = &a[i];
    bool cut = word_is(t, "to") || word_is(t, "until") || word_is(t, "till") ||
               (between && word_is(t, "and")) || punct_is(t, '-') || punct_is(t, '/');
    if (!cut)
      continue;
    emb_date x, y;
    /* A qualifier before the range ("circa 1960 to 1962") is seen by the first end and
     * make_range() carries it to the whole. */
    if (!parse_single(a + i + 1, n - i - 1, order, &y))
      continue;
    bool left = parse_single(a + start, i - start, order, &x);
    if (!left && a[n - 1].kind == T_NUM && a[n - 1].ndigits == 4 && i - start < TOK_MAX - 1) {
      /* "March/April 1965", "12 to 15 Jan 1965": the first end borrows the year. */
      tok b[TOK_MAX];
      memcpy(b, a + start, (size_t)(i - start) * sizeof *b);
      b[i - start] = a[n - 1];
      left = parse_single(b, i - start + 1, order, &x);
    }
    if (left && make_range(&x, &y, d))
      return true;
  }
  return false;
}

int emb__date_parse(const char *text, size_t len, emb_date_order order, emb_date *out) {
  if (!out)
    return EMB_EINVAL;
  memset(out, 0, sizeof *out);
  if (!text)
    return EMB_EINVAL;
  while (len > 0 && (text[0] == ' ' || text[0] == '\t' || text[0] == '\n' || text[0] == '\r')) {
    text++;
    len--;
  }
  while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\n' ||
                     text[len - 1] == '\r'))
    len--;
  if (len == 0 || len > DATE_MAX)
    return EMB_EFORMAT;
  /* An ISO timestamp: the date before the time ("2024-03-14T11:31:42", "2022-12-09 00:00"). */
  if (len > 10 && (text[10] == 'T' || text[10] == ' ') && text[4] == '-' && text[7] == '-' &&
      len > 13 && text[11] >= '0' && text[11] <= '9' && text[12] >= '0' && text[12] <= '9' &&
      text[13] == ':')
    len = 10;
  /* An xs:date with a time zone ("1966-02-02-05:00", "1966-02-02Z"). */
  if (len > 10 && text[4] == '-' && text[7] == '-' &&
      ((len == 16 && (text[10] == '-' || text[10] == '+') && text[13] == ':') ||
       (len == 11 && text[10] == 'Z')))
    len = 10;
  char buf[DATE_MAX];
  toks tk;
  emb_date d;
  if (!tokenise(text, len, buf, &tk) || !parse_tokens(tk.t, tk.n, order, &d))
    return EMB_EFORMAT;
  *out = d;
  return 0;
}

/* ---------------------------------------------------------------- lists */

/* True when text[i..] starts the word w (case-insensitive) at a word boundary. */
static bool word_at(const char *s, size_t len, size_t i, const char *w) {
  /* The first letter first: callers try every position of a text. */
  if (i < len && w[0] && (s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]) != w[0])
    return false;
  size_t n = strlen(w);
  if (i + n > len)
    return false;
  for (size_t k = 0; k < n; k++) {
    char c = s[i + k];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != w[k])
      return false;
  }
  bool left =
      i == 0 || !((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= 'A' && s[i - 1] <= 'Z'));
  bool right = i + n == len ||
               !((s[i + n] >= 'a' && s[i + n] <= 'z') || (s[i + n] >= 'A' && s[i + n] <= 'Z'));
  return left && right;
}

/*
 * True when a part holds nothing but spaces and punctuation, or says the date is not
 * known ("N/D", "n/a", "unknown").
 */
static bool blank_part(const char *s, size_t len) {
  static const char *const unknown[] = {"n/d",     "n/a",       "n.a.", "na",  "nd",
                                        "unknown", "not known", "none", "-0-", "?"};
  for (size_t k = 0; k < sizeof unknown / sizeof unknown[0]; k++) {
    size_t n = strlen(unknown[k]);
    if (n == len && word_at(s, len, 0, unknown[k]))
      return true;
    if (n == len && strncmp(s, unknown[k], n) == 0)
      return true;
  }
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
      return false;
  }
  return true;
}

/*
 * Parses one part of a list: the whole part, else its comma-separated pieces if every
 * one is a date ("1965, 1966"), else a date followed by a labelled remark ("1.2.1965
 * POB: Leningrad", "3.4.1970 Gender: female"). Returns the number of dates emitted, or
 * -1 when the part is not understood.
 */
static int parse_part(const char *s, size_t len, emb_date_order order,
                      void (*cb)(const emb_date *d, void *ud), void *ud) {
  emb_date d;
  if (emb__date_parse(s, len, order, &d) == 0) {
    if (cb)
      cb(&d, ud);
    return 1;
  }
  /* Comma-separated dates. */
  if (memchr(s, ',', len)) {
    emb_date ds[16];
    int n = 0;
    size_t b = 0;
    bool all = true;
    for (size_t i = 0; i <= len && all; i++) {
      if (i < len && s[i] != ',')
        continue;
      if (n == 16 || emb__date_parse(s + b, i - b, order, &ds[n]) != 0)
        all = false;
      else
        n++;
      b = i + 1;
    }
    if (all && n > 1) {
      for (int k = 0; cb && k < n; k++)
        cb(&ds[k], ud);
      return n;
    }
  }
  /* A date, then "Label: ..." */
  for (size_t i = 1; i < len; i++) {
    if (s[i] != ':')
      continue;
    size_t w = i;
    while (w > 0 && ((s[w - 1] >= 'A' && s[w - 1] <= 'Z') || (s[w - 1] >= 'a' && s[w - 1] <= 'z')))
      w--;
    if (w == i || w == 0 || s[w - 1] != ' ')
      break;
    if (emb__date_parse(s, w, order, &d) == 0) {
      if (cb)
        cb(&d, ud);
      return 1;
    }
    break;
  }
  return -1;
}

int emb__date_parse_list(const char *text, size_t len, emb_date_order order,
                         void (*cb)(const emb_date *d, void *ud), void *ud) {
  if (!text || len == 0)
    return 0;
  if (len > LIST_MAX)
    return 1;
  int bad = 0;
  size_t b = 0;
  for (size_t i = 0; i <= len; i++) {
    size_t skip = 0;
    if (i == len || text[i] == ';' || text[i] == '\n' || text[i] == '|')
      skip = 1;
    else if (word_at(text, len, i, "or"))
      skip = 2;
    else if (word_at(text, len, i, "alt"))
      skip = 3;
    if (!skip)
      continue;
    const char *p = text + b;
    size_t n = i - b;
    /* "(or 12.3.1966)": the parenthesis opened before the separator. */
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '('))
      n--;
    while (n > 0 && (p[0] == ' ' || p[0] == ')' || p[0] == '.' || p[0] == ','))
      p++, n--;
    if (n > 0 && p[n - 1] == ')' && !memchr(p, '(', n))
      n--;
    if (!blank_part(p, n) && parse_part(p, n, order, cb, ud) < 0)
      bad++;
    b = i + skip;
    i = b - 1;
  }
  return bad;
}
