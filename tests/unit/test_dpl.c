/*
 * test_dpl.c - unit tests for the BIS Denied Persons List loader (lists/load_dpl.c).
 *
 * The list of 2023-11 has 665 rows; grouped by upper-cased name and earliest Federal
 * Register notice they make 547 denials (the same 547 groups as name and effective
 * date; counted independently with Python). The derived ids are checked against
 * SHA-256 values computed outside embargo, and their stability against the same
 * denial as the CSL of 2022-05 carried it, before two renewals of the order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "lists/loader.h"

#include "testutil.h"

#define DATA "/work/shared/data/lists"
#define FULL DATA "/us/bis-dpl-2023-11.txt"

/* Loads text from memory with the dpl loader. */
static void load_text(fx *f, const char *text) {
  load_mem(f, "dpl", "mem.txt", text, strlen(text));
}

/*
 * The entity whose primary name is `name` and, when `year` is not 0, that was listed
 * in that year; fails when there is not exactly one.
 */
static const emb_entity *by_name_year(const fx *f, const char *name, int year) {
  const emb_entity *found = NULL;
  for (size_t i = 0; i < emb_set_count(f->set); i++) {
    const emb_entity *e = emb_set_get(f->set, i);
    if (year && e->listed_on.year != year)
      continue;
    for (size_t k = 0; k < e->n_names; k++)
      if (e->names[k].kind == EMB_NAME_PRIMARY && strcmp(e->names[k].full, name) == 0) {
        if (found)
          fail_msg("two entities named %s", name);
        found = e;
      }
  }
  if (!found)
    fail_msg("no entity named %s", name);
  return found;
}

static const emb_entity *by_name(const fx *f, const char *name) {
  return by_name_year(f, name, 0);
}

static bool has_name(const emb_entity *e, const char *full, emb_name_kind kind) {
  for (size_t i = 0; i < e->n_names; i++)
    if (strcmp(e->names[i].full, full) == 0 && e->names[i].kind == kind)
      return true;
  return false;
}

/* ------------------------------------------------------------------ real file */

static void test_full_list(void **state) {
  (void)state;
  fx f;
  load_ok(&f, FULL);
  assert_int_equal(emb_set_count(f.set), 547);
  const emb_source *src = emb_set_source(f.set, 0);
  assert_string_equal(src->format, "dpl");
  assert_int_equal(src->n_records, 665);
  /* Two denials whose rows disagree on the expiry: reported, the later one kept. */
  assert_int_equal(f.diags.n_warnings, 2);
  const emb_diag *d = find_diag(&f, EMB_SEV_WARNING, "2023-12-16, 2030-12-16");
  assert_non_null(d);
  assert_int_equal(d->line, 294);
  assert_string_equal(d->field, "Expiration_Date");
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *e = emb_set_get(f.set, i);
    assert_string_equal(e->source, "dpl");
    assert_string_equal(e->lists.items[0], "Denied Persons List");
    assert_int_equal(strlen(e->id), 4 + 16);
    assert_true(e->schema == EMB_SCHEMA_COMPANY || e->schema == EMB_SCHEMA_LEGAL_ENTITY);
  }
  fx_free(&f);
}

static void test_ids(void **state) {
  (void)state;
  fx f;
  load_file(&f, FULL);
  /* sha256("I. ASH|68FR38290") and sha256("MAHMOUD AMINI|76FR12318"), by sha256sum. */
  const emb_entity *e = by_name_year(&f, "I. ASH", 2003);
  assert_string_equal(e->id, "dpl:4b730884cf92dce7");
  assert_string_equal(e->addresses[0].city, "SEAGOVILLE");
  /* Two orders name I. ASH (2002 and 2003): two denials, two ids. */
  const emb_entity *e2 = by_name_year(&f, "I. ASH", 2002);
  assert_string_not_equal(e->id, e2->id);
  assert_int_equal(e2->n_addresses, 2);
  e = by_name(&f, "MAHMOUD AMINI");
  assert_string_equal(e->id, "dpl:a685a230eb06ef2d");
  /* Three rows, three addresses, one denial. */
  assert_int_equal(e->n_addresses, 3);
  assert_date(&e->listed_on, 2023, 10, 31);
  assert_date(&e->end_date, 2024, 10, 30);
  assert_string_equal(e->addresses[0].country, "AE");
  /* "81.F.R. 22576" still reads as a citation, not as the effective date. */
  e = by_name(&f, "ALEXANDRE ASTAKHOV");
  assert_non_null(e);
  fx_free(&f);
}

static void test_spot_checks(void **state) {
  (void)state;
  fx f;
  load_file(&f, FULL);
  const emb_entity *e = by_name(&f, "GHARE SABZ CO.");
  assert_int_equal(e->schema, EMB_SCHEMA_COMPANY);
  assert_int_equal(e->n_addresses, 2);
  assert_string_equal(e->addresses[0].city, "TEHRAN");
  e = by_name(&f, "AARON ABRAHAM VILLA");
  assert_int_equal(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
  assert_date(&e->listed_on, 2022, 8, 24);
  assert_date(&e->end_date, 2026, 1, 14);
  assert_string_equal(e->addresses[0].region, "TX");
  assert_string_equal(e->addresses[0].postal_code, "79905");
  assert_string_equal(e->addresses[0].country, "US"); /* from the state */
  assert_string_equal(e->remarks.items[0], "Federal Register: 87 F.R. 52741 8/29/2022");
  e = by_name(&f, "FUYI SUN A/K/A FRANK SUN");
  assert_true(has_name(e, "FUYI SUN", EMB_NAME_ALIAS));
  assert_true(has_name(e, "FRANK SUN", EMB_NAME_ALIAS));
  e = by_name(&f, "SHAOHUA \"ERIC\" WANG");
  assert_true(has_name(e, "SHAOHUA WANG", EMB_NAME_VARIATION));
  e = by_name(&f, "SIBERIAN AIRLINES D/B/A S7 AIRLINES");
  assert_true(has_name(e, "S7 AIRLINES", EMB_NAME_ALIAS));
  fx_free(&f);
}

/* ------------------------------------------------------------------ small inputs */

#define HDR                                                                                        \
  "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t"              \
  "\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t"                 \
  "\"Action\"\t\"FR_Citation\"\n"

/* The AMINI denial as the CSL of 2022-05 carried it: effective 2021-11-17. */
#define AMINI_2022                                                                                 \
  "\"MAHMOUD AMINI\"\t\"P.O. BOX 52404\"\t\"DUBAI\"\t\"\"\t\"AE\"\t\"\"\t\"11/17/2021\"\t"         \
  "\"05/16/2022\"\t\"Y\"\t\"2021-11-17\"\t\"TDO RENEWAL\"\t\"76 F.R. 12318 3/7/11, 76 F.R. "       \
  "54198 8/31/11, 86 F.R. 66277 11/22/2021\"\n"

static void test_stable_across_renewals(void **state) {
  (void)state;
  fx f;
  load_text(&f, HDR AMINI_2022);
  assert_int_equal(f.rc, 0);
  assert_int_equal(emb_set_count(f.set), 1);
  /* The same id as in the 2023-11 list, where the order was renewed twice since. */
  assert_string_equal(emb_set_get(f.set, 0)->id, "dpl:a685a230eb06ef2d");
  assert_date(&emb_set_get(f.set, 0)->listed_on, 2021, 11, 17);
  fx_free(&f);

  /* Spacing and case of the name do not change the id either. */
  load_text(&f, HDR "\"Mahmoud  Amini\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t"
                    "\"\"\t\"76 F.R. 12318\"\n");
  assert_string_equal(emb_set_get(f.set, 0)->id, "dpl:a685a230eb06ef2d");
  fx_free(&f);
}

static void test_two_orders_same_name(void **state) {
  (void)state;
  fx f;
  load_text(&f,
            HDR "\"JOHN DOE\"\t\"1 MAIN ST\"\t\"DALLAS\"\t\"TX\"\t\"\"\t\"75001\"\t\"01/02/2003\"\t"
                "\"01/02/2013\"\t\"Y\"\t\"\"\t\"\"\t\"68 F.R. 100 1/5/03\"\n"
                "\"JOHN DOE\"\t\"9 ELM ST\"\t\"MIAMI\"\t\"FL\"\t\"\"\t\"33101\"\t\"03/04/2020\"\t"
                "\"03/04/2030\"\t\"Y\"\t\"\"\t\"\"\t\"85 F.R. 200 3/9/20\"\n"
                "\"JOHN DOE\"\t\"2 MAIN ST\"\t\"DALLAS\"\t\"TX\"\t\"\"\t\"75001\"\t\"01/02/2003\"\t"
                "\"01/02/2013\"\t\"Y\"\t\"\"\t\"\"\t\"68 F.R. 100 1/5/03\"\n");
  assert_int_equal(f.rc, 0);
  assert_int_equal(f.diags.n_warnings, 0);
  assert_int_equal(emb_set_count(f.set), 2);
  assert_int_equal(emb_set_get(f.set, 0)->n_addresses, 2);
  assert_int_equal(emb_set_get(f.set, 1)->n_addresses, 1);
  assert_string_not_equal(emb_set_get(f.set, 0)->id, emb_set_get(f.set, 1)->id);
  fx_free(&f);
}

static void test_bad_input(void **state) {
  (void)state;
  fx f;
  load_text(&f,
            HDR "\"A CORP\"\t\"X\"\t\"Y\"\n"
                "\"B LLC\"\t\"\"\t\"\"\t\"\"\t\"US\"\t\"\"\t\"13/45/2020\"\t\"soon\"\t\"\"\t\"\"\t"
                "\"\"\t\"\"\n"
                "\"\"\t\"\"\t\"\"\t\"\"\t\"US\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\n");
  assert_int_equal(f.rc, EMB_EFORMAT);
  const emb_diag *d = find_diag(&f, EMB_SEV_ERROR, "field count");
  assert_non_null(d);
  assert_int_equal(d->line, 2);
  assert_string_equal(d->file, "mem.txt");
  d = find_diag(&f, EMB_SEV_WARNING, "13/45/2020");
  assert_non_null(d);
  assert_string_equal(d->field, "Effective_Date");
  d = find_diag(&f, EMB_SEV_WARNING, "soon");
  assert_non_null(d);
  assert_string_equal(d->field, "Expiration_Date");
  d = find_diag(&f, EMB_SEV_ERROR, "name is empty");
  assert_non_null(d);
  assert_int_equal(d->line, 4);
  assert_int_equal(emb_set_count(f.set), 1);
  assert_int_equal(emb_set_get(f.set, 0)->schema, EMB_SCHEMA_COMPANY);
  fx_free(&f);

  load_text(&f, "\"Nom\"\t\"Effective_Date\"\n\"X\"\t\"01/01/2020\"\n");
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(f.set), 0);
  d = find_diag(&f, EMB_SEV_ERROR, "\"Name\"");
  assert_non_null(d);
  assert_string_equal(d->field, "Name");
  fx_free(&f);
}

static void test_sniff(void **state) {
  (void)state;
  static const char quoted[] = "\"Name\"\t\"Street_Address\"\t\"Effective_Date\"\r\n";
  static const char plain[] = "Name\tCity\tEffective_Date\n";
  static const char no_date[] = "\"Name\"\t\"Street_Address\"\n\"Effective_Date\"\n";
  static const char comma[] = "Name,Effective_Date\n";
  assert_true(emb__sniff_dpl((const unsigned char *)quoted, sizeof(quoted) - 1, "x"));
  assert_true(emb__sniff_dpl((const unsigned char *)plain, sizeof(plain) - 1, "x"));
  assert_false(emb__sniff_dpl((const unsigned char *)no_date, sizeof(no_date) - 1, "x"));
  assert_false(emb__sniff_dpl((const unsigned char *)comma, sizeof(comma) - 1, "x"));
  const char *name = NULL;
  assert_int_equal(emb_detect_format(FULL, &name, NULL), 0);
  assert_string_equal(name, "dpl");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_list),
      cmocka_unit_test(test_ids),
      cmocka_unit_test(test_spot_checks),
      cmocka_unit_test(test_stable_across_renewals),
      cmocka_unit_test(test_two_orders_same_name),
      cmocka_unit_test(test_bad_input),
      cmocka_unit_test(test_sniff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
