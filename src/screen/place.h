/*
 * place.h - what a country field of a trade record names: a country, a subdivision, a
 * city or a whole address, resolved to ISO 3166 codes.
 *
 * A trade record's country field holds whatever the declarant wrote: an ISO code ("RU",
 * "RUS"), a country name in many forms ("Russian Federation", "Россия"), an ISO 3166-2
 * code ("UA-43", "RU-MOW"), a region ("Crimea", "Донецкая область"), a city
 * ("Сімферополь", "г. Донецк", "深圳") or an address ("ul. Artema 12, Donetsk, 83000";
 * "Office 1204, Business Bay, Dubai, UAE"). Country names and codes come from
 * src/lists/country.h; cities, ports, districts, regions and country names in local
 * scripts come from a gazetteer file (data/places/cities.tsv, described in
 * data/places/README.md), which also says, for the Ukrainian regions that sanctions
 * single out, whether each place is under occupation (docs/RULES.md).
 *
 * How an address is read (the full rules are in docs/RULES.md): the text is split into
 * parts at commas, semicolons, '|' and line breaks; the country is the one named last
 * (a whole part, two parts together as in "Korea, North", or the last words of a part);
 * a gazetteer place is looked for in every part, later parts first. A named country wins
 * over a city of another country ("Moscow, Idaho, USA" is US), except that a place in
 * the occupied regions of Ukraine named together with Russia is read as Ukraine (the
 * occupation authorities write "Donetsk, Russia"), and a Hong Kong place named with
 * China is Hong Kong. With no country named, the city decides.
 *
 * Ownership: an emb_places owns everything it loaded until emb__places_free(); once
 * loaded it is read-only and may be shared by threads. Resolution never allocates.
 */
#ifndef EMB_SCREEN_PLACE_H
#define EMB_SCREEN_PLACE_H

#include <stddef.h>

#include "embargo.h"

/* Whether a place lies in the occupied part of a Ukrainian region (as of the gazetteer). */
typedef enum {
  EMB_OCC_NONE = 0,  /* not one of the regions sanctions single out */
  EMB_OCC_OCCUPIED,  /* under occupation: Crimea, Sevastopol, Donetsk city, "DNR", Melitopol */
  EMB_OCC_PARTLY,    /* a region named as a whole, of which only part is occupied */
  EMB_OCC_FRONT,     /* a town on the line of contact, whose control is unsettled */
  EMB_OCC_CONTROLLED /* in a partly occupied region, under Ukrainian government control */
} emb_occupation;

/* "none", "occupied", "partly", "front", "controlled". */
const char *emb__occupation_name(emb_occupation o);

typedef enum {
  EMB_PLACE_COUNTRY = 0, /* only a country was recognised */
  EMB_PLACE_SUBDIVISION, /* an ISO 3166-2 code, or a region found by emb_subdivision_code */
  EMB_PLACE_REGION,      /* a region of the gazetteer */
  EMB_PLACE_CITY,
  EMB_PLACE_PORT,
  EMB_PLACE_DISTRICT /* a district or free zone of a city ("Business Bay", "Kowloon") */
} emb_place_kind;

typedef struct emb_place {
  char country[3];           /* ISO 3166-1 alpha-2 */
  char region[7];            /* ISO 3166-2 ("UA-43", "RU-MOW"), "" if none */
  const char *matched;       /* what was recognised, for explanations: "city Donetsk",
                                "country Russia", "region Crimea"; static or owned by the
                                gazetteer */
  emb_place_kind kind;       /* what `matched` is */
  emb_occupation occupation; /* EMB_OCC_NONE outside the six Ukrainian regions */
  const char *note;          /* static, or NULL: why the country differs from the one
                                written ("an occupied place written with Russia as its
                                country") */
} emb_place;

typedef struct emb_places emb_places;

/*
 * Loads a gazetteer file (NULL: places/cities.tsv under emb_data_dir()). Bad lines (a
 * wrong column count, an unknown country code, kind or status, a malformed region code,
 * invalid UTF-8) are reported to diags with file and line and skipped. On success, or
 * with only bad lines, *out is a new gazetteer the caller frees. Returns 0, EMB_EFORMAT
 * (some lines were bad; *out is still set), or with *out NULL: EMB_EIO, EMB_ENOMEM, or what
 * emb__input_open and read return for a broken gzip or zip file.
 */
int emb__places_load(const char *path, emb_places **out, emb_diags *diags);
/* The same from memory; `name` stands for the file name in diagnostics. */
int emb__places_load_mem(const void *data, size_t size, const char *name, emb_places **out,
                         emb_diags *diags);
void emb__places_free(emb_places *g);
/* Number of places and of names (spellings) loaded. */
size_t emb__places_count(const emb_places *g);
size_t emb__places_names(const emb_places *g);

/*
 * Resolves text[0..len) with gazetteer g (NULL: countries and the six Ukrainian regions
 * of country.h only). Fills *out and returns 0, or returns EMB_ENOTFOUND (out zeroed)
 * when nothing is recognised, EMB_EINVAL when text or out is NULL. Only the last 512
 * bytes of a longer text are read. Thread-safe; never allocates; about 1 to 5 µs.
 */
int emb__place_resolve_in(const emb_places *g, const char *text, size_t len, emb_place *out);

/*
 * emb__place_resolve_in() with the default gazetteer, loaded on first use. Call
 * emb__places_default_load() once before starting threads to learn about load errors.
 */
int emb__place_resolve(const char *text, size_t len, emb_place *out);

/*
 * Loads the default gazetteer now if it is not loaded yet, reporting problems to diags;
 * returns the load result (the same on later calls, without reporting again). When it
 * fails, emb__place_resolve() still knows countries and the six Ukrainian regions.
 */
int emb__places_default_load(emb_diags *diags);

#endif
