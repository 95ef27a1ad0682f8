/*
 * fuzz_goods.c - libFuzzer target for goods screening (src/goods): arbitrary bytes as a
 * record's HS code and goods description, split at the first NUL byte (no NUL: all of
 * it is the code and the same bytes are also the description).
 *
 * The bundled CHPL, correlation table and rules are loaded once from data/controls
 * ($EMBARGO_DATA_DIR or the compile-time EMB_DATA_DIR). Each input is checked against
 * the promises of emb__goods_check: a valid code is 2..10 digits, too_coarse only for
 * valid codes under six digits, every hit names a control, code hits are prefixes of
 * the record code, counts stay within their arrays, matched words are NUL-terminated.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "goods/controls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emb_goods *G;
static emb_goods_result R;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!G) {
    emb_diags d;
    emb_diags_init(&d);
    G = emb__goods_new();
    if (!G || emb__goods_load_default(G, NULL, &d) != 0 || emb__controls_count(G) == 0)
      abort(); /* the bundled data must load cleanly */
    emb_diags_fini(&d);
    emb__goods_result_init(&R);
  }
  const char *s = (const char *)data;
  const char *nul = memchr(s, 0, size);
  size_t code_len = nul ? (size_t)(nul - s) : size;
  const char *desc = nul ? nul + 1 : s;
  size_t desc_len = nul ? size - code_len - 1 : size;
  if (emb__goods_check(G, s, code_len, desc, desc_len, &R) != 0)
    abort();
  if (R.code_status == EMB_HS_OK) {
    if (R.code_len < 2 || R.code_len > EMB_HS_MAX || strlen(R.code) != R.code_len)
      abort();
    if (R.too_coarse != (R.code_len < 6))
      abort();
  } else if (R.code_len != 0 || R.code[0] != '\0' || R.too_coarse || R.n_covered) {
    abort();
  }
  if (R.n_hits > EMB_GOODS_MAX_HITS || R.n_rule_hits > EMB_GOODS_MAX_RULE_HITS)
    abort();
  for (size_t i = 0; i < R.n_hits; i++) {
    const emb_goods_hit *h = &R.hits[i];
    if (!h->control)
      abort();
    if (h->via == EMB_GOODS_VIA_CODE &&
        !emb__hs_has_prefix(R.code, R.code_len, h->control->code, h->control->len))
      abort();
    if (h->via == EMB_GOODS_VIA_CORRELATION && !h->corr)
      abort();
    if (h->via == EMB_GOODS_VIA_DESCRIPTION && (!h->rule || !h->suggested))
      abort();
  }
  for (size_t i = 0; i < R.n_rule_hits; i++)
    if (!R.rule_hits[i].rule || memchr(R.rule_hits[i].matched, 0, EMB_RULE_MATCH_MAX) == NULL)
      abort();
  return 0;
}
