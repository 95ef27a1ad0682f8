/*
 * screener.h - what screening one trade record takes, loaded once per run: the party
 * table, the identifier index, the goods controls, the route rules, the red-flag
 * statistics and a cache of resolved places (docs/SCREEN.md).
 *
 * Life of a screener: emb__screener_new(); pass 1 calls emb__screener_check() and
 * emb__screener_observe() for every record, on one thread; emb__screener_prepare()
 * screens the distinct parties (on all cores) and finishes the statistics; pass 2 calls
 * emb__screen_record() from any number of threads, each with its own worker.
 */
#ifndef EMB_SCREEN_SCREENER_H
#define EMB_SCREEN_SCREENER_H

#include <stdbool.h>
#include <stddef.h>

#include "embargo.h"
#include "screen/alert.h"
#include "screen/record.h"
#include "screen/report.h"

typedef struct emb_screener emb_screener;
typedef struct emb_screen_worker emb_screen_worker;

/*
 * Loads the control lists, goods rules, route rules and builds the identifier index as
 * opts says (bundled defaults where it names none). Problems in those files are reported;
 * any error fails with EMB_EINVAL (nothing should be screened against half a rule set).
 */
int emb__screener_new(const emb_entity_set *set, const emb_matcher *m, const emb_screen_opts *opts,
                      emb_screener **out, emb_diags *diags);
void emb__screener_free(emb_screener *s);

/* The rules and controls files in use (for the report). */
const char *const *emb__screener_rule_files(const emb_screener *s, size_t *n);
const char *const *emb__screener_control_files(const emb_screener *s, size_t *n);

/*
 * Pass 1: checks a record's HS code and country fields and reports each problem to
 * diags naming file, line and field. Returns true when the record is clean (a record
 * the reader marked bad is not).
 */
bool emb__screener_check(emb_screener *s, const emb_trade_record *rec, const char *file,
                         emb_diags *diags);
/*
 * Pass 1: adds the record's parties to the party table and feeds the red flags. Call it
 * right after emb__screener_check() of the same record, whose work it reuses.
 */
int emb__screener_observe(emb_screener *s, const emb_trade_record *rec);

/* Between the passes: screens every distinct party with `threads` threads. */
int emb__screener_prepare(emb_screener *s, unsigned threads,
                          void (*progress)(void *ud, size_t done, size_t total), void *ud);
size_t emb__screener_parties(const emb_screener *s, size_t *matched);

emb_screen_worker *emb__screen_worker_new(const emb_screener *s);
void emb__screen_worker_free(emb_screen_worker *w);

/*
 * Pass 2: screens one record into *alert (reset first; raised or not, see
 * emb__alert_raised) and, when summary is not NULL, fills the report's view of it
 * (pointers into rec and the screener). A record with bad fields is left out (no alert,
 * summary->record_id NULL) unless the screener keeps malformed records.
 */
int emb__screen_record(const emb_screener *s, emb_screen_worker *w, const emb_trade_record *rec,
                       emb_alert *alert, emb_report_record *summary);

#endif
