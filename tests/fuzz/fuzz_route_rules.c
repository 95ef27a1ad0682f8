/*
 * fuzz_route_rules.c - libFuzzer target for the rules file (src/screen/route.c) and the
 * route check and red flags driven by what it loads.
 *
 * The input is loaded as a rules file from memory. Whatever it holds, the loader must
 * return 0 or an input error (EMB_EFORMAT, or a broken gzip or zip archive), report an
 * error exactly when it does not return 0, and give every rule it keeps a non-empty id,
 * a valid code and a risk. The
 * rules are then used: a route check over a fixed record with places in a comprehensive
 * embargo, a sectoral one, a hub and an occupied region, whose hits must each name a
 * rule of the set with a risk above none; and the red flags over a few observations.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "screen/redflags.h"
#include "screen/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emb_place mk(const char *country, const char *region, emb_occupation occ) {
  emb_place p;
  memset(&p, 0, sizeof p);
  memcpy(p.country, country, 3);
  if (region)
    memcpy(p.region, region, strlen(region) + 1);
  p.occupation = occ;
  p.matched = "fuzz";
  return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  emb_diags d;
  emb_diags_init(&d);
  emb_route_rules *r = NULL;
  int rc = emb__route_rules_load_mem(data, size, "fuzz.rules", &r, &d);
  /* The input layer reads gzip and zip too: a broken archive fails to open or read. */
  if (rc != 0 && rc != EMB_EFORMAT && rc != EMB_ENOMEM && rc != EMB_ETRUNCATED && rc != EMB_EIO &&
      rc != EMB_EUNSUPPORTED)
    abort();
  if ((rc == 0) != (d.n_errors == 0) && rc != EMB_ENOMEM)
    abort();
  for (size_t i = 0; i < d.count; i++)
    if (!d.items[i].message || strlen(d.items[i].message) == 0)
      abort();
  if (rc == 0 && !r)
    abort();
  if (!r) {
    emb_diags_fini(&d);
    return 0;
  }
  size_t n = emb__route_rules_count(r);
  for (size_t i = 0; i < n; i++) {
    const emb_route_rule *u = emb__route_rules_get(r, i);
    if (!u || !u->id || !*u->id || strlen(u->code) < 2 || u->risk == EMB_RISK_NONE ||
        emb__route_rule_for(r, u->code) != u)
      abort();
  }
  emb_place places[EMB_ROUTE_TRANSIT] = {
      mk("IR", NULL, EMB_OCC_NONE),      mk("UA", "UA-43", EMB_OCC_OCCUPIED),
      mk("CN", "CN-GD", EMB_OCC_NONE),   mk("KP", NULL, EMB_OCC_NONE),
      mk("RU", "RU-MOW", EMB_OCC_NONE),  mk("KZ", NULL, EMB_OCC_NONE),
      mk("UA", "UA-14", EMB_OCC_PARTLY),
  };
  emb_place transit[2] = {mk("BY", NULL, EMB_OCC_NONE), mk("AE", NULL, EMB_OCC_NONE)};
  emb_route_input in;
  memset(&in, 0, sizeof in);
  for (int f = 0; f < EMB_ROUTE_TRANSIT; f++)
    in.place[f] = &places[f];
  in.transit = transit;
  in.n_transit = 2;
  for (int controlled = 0; controlled < 2; controlled++) {
    in.controlled = controlled;
    in.tier = controlled ? "1" : NULL;
    emb_route_hit hits[EMB_ROUTE_MAX_HITS];
    size_t nh = 0;
    if (emb__route_check(r, &in, hits, EMB_ROUTE_MAX_HITS, &nh) != 0 || nh > 9)
      abort();
    for (size_t i = 0; i < nh; i++) {
      char buf[64];
      if (!hits[i].rule || hits[i].risk == EMB_RISK_NONE ||
          emb__route_rule_for(r, hits[i].code) != hits[i].rule)
        abort();
      emb__route_hit_describe(&hits[i], &in, buf, sizeof buf);
      if (strlen(buf) >= sizeof buf)
        abort();
    }
  }
  emb_redflags *rf = emb__redflags_new(r);
  if (rf) {
    emb_redflag_obs o;
    memset(&o, 0, sizeof o);
    o.consignee = "C|KZ";
    o.consignee_len = 4;
    o.exporter = "E|DE";
    o.exporter_len = 4;
    o.consignee_place = &places[5];
    o.destination = &places[5];
    o.end_user = &places[4];
    o.hs = "880730";
    o.hs_len = 6;
    o.controlled = true;
    o.value = "1,250.00";
    o.value_len = 8;
    o.quantity = "2";
    o.quantity_len = 1;
    const char *dates[] = {"2021-01-01", "2023-04-11"};
    for (int i = 0; i < 40; i++) {
      o.date = dates[i & 1];
      o.date_len = 10;
      o.quantity = i == 39 ? "0,001" : "2";
      o.quantity_len = strlen(o.quantity);
      if (emb__redflags_observe(rf, &o) != 0)
        abort();
    }
    emb__redflags_finish(rf);
    emb_redflag_hit h[EMB_RF_COUNT];
    size_t nh = 0;
    if (emb__redflags_check(rf, &o, h, EMB_RF_COUNT, &nh) != 0 || nh > EMB_RF_COUNT)
      abort();
    for (size_t i = 0; i < nh; i++)
      if (!h[i].id || !memchr(h[i].detail, 0, sizeof h[i].detail) || h[i].risk == EMB_RISK_NONE)
        abort();
    emb__redflags_free(rf);
  }
  emb__route_rules_free(r);
  emb_diags_fini(&d);
  return 0;
}
