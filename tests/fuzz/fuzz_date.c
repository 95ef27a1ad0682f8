/*
 * fuzz_date.c - libFuzzer target for the date parser (lists/date.c).
 *
 * The first input byte picks the day/month order; the rest goes to emb__date_parse and
 * emb__date_parse_list. Every date that comes out is checked against the parser's
 * promises: year 1000-2100, month 0-12, a day that exists in its month, a precision
 * that matches the parts, a range end after its start, and a round trip through
 * emb_date_format that gives the same date back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "lists/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emb_date_order order;

static void check(const emb_date *d) {
  static const int mdays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d->year < 1000 || d->year > 2100 || d->month < 0 || d->month > 12 || d->day < 0)
    abort();
  if (d->day > 0 && (d->month == 0 || d->day > mdays[d->month]))
    abort();
  if (d->month == 2 && d->day == 29 &&
      !((d->year % 4 == 0 && d->year % 100 != 0) || d->year % 400 == 0))
    abort();
  emb_date_precision want = d->day ? EMB_DATE_DAY : d->month ? EMB_DATE_MONTH : EMB_DATE_YEAR;
  if (d->precision != want)
    abort();
  if (d->year_to != 0 && (d->year_to <= d->year || d->year_to > 2100 || d->month || d->day))
    abort();
  char buf[64];
  emb_date_format(d, buf, sizeof buf);
  emb_date back;
  if (emb__date_parse(buf, strlen(buf), order, &back) != 0 || memcmp(&back, d, sizeof back) != 0)
    abort();
}

static void on_date(const emb_date *d, void *ud) {
  (*(size_t *)ud)++;
  check(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  order = (data[0] & 1) ? EMB_DATE_ORDER_MDY : EMB_DATE_ORDER_DMY;
  const char *text = (const char *)data + 1;
  size--;
  emb_date d;
  int rc = emb__date_parse(text, size, order, &d);
  if (rc == 0)
    check(&d);
  else if (rc != EMB_EFORMAT || d.precision != EMB_DATE_NONE || d.year != 0)
    abort();
  size_t n = 0;
  int bad = emb__date_parse_list(text, size, order, on_date, &n);
  if (bad < 0 || (size_t)bad > size)
    abort();
  return 0;
}
