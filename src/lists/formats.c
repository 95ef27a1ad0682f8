/*
 * formats.c - emb_load(): which loader reads a path, and the bookkeeping around it.
 *
 * The format comes from the content: each loader's sniffer looks at the first 64 KiB
 * (decompressed). FORMAT:PATH forces a loader; a path containing ':' is a path when no
 * format has that name. A directory is a file set (OFAC's legacy CSVs). Kinds embargo
 * does not read (spreadsheets, metadata JSON) are reported as unsupported.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sha256.h"
#include "lists/loader.h"

typedef struct format_entry {
  emb_format_info info;
  const char *source; /* id prefix; NULL when the loader sets it per entity */
  emb_loader_fn load;
  emb_sniff_fn sniff;
} format_entry;

/* Sniffing order: the most specific signatures first. */
static const format_entry FORMATS[] = {
    {{"ofac-advanced-xml", "OFAC enhanced/advanced XML (sanctionsData), plain or zipped"},
     "ofac",
     emb__load_ofac_adv_xml,
     emb__sniff_ofac_adv_xml},
    {{"ofac-xml", "OFAC classic XML (sdnList schema): sdn.xml, consolidated.xml"},
     "ofac",
     emb__load_ofac_xml,
     emb__sniff_ofac_xml},
    {{"un-xml", "UN Security Council consolidated list XML"},
     "un",
     emb__load_un_xml,
     emb__sniff_un_xml},
    {{"uk-xml", "UK FCDO UK Sanctions List XML"}, "uk", emb__load_uk_xml, emb__sniff_uk_xml},
    {{"eu-xml", "EU Financial Sanctions Files XML"}, "eu", emb__load_eu_xml, emb__sniff_eu_xml},
    {{"ftm", "OpenSanctions FollowTheMoney JSON lines (entities.ftm.json, targets.nested.json)"},
     NULL,
     emb__load_ftm,
     emb__sniff_ftm},
    {{"csl", "US Consolidated Screening List CSV"}, "csl", emb__load_csl_csv, emb__sniff_csl_csv},
    {{"uk-csv", "UK OFSI consolidated list CSV (ConList.csv)"},
     "uk",
     emb__load_uk_csv,
     emb__sniff_uk_csv},
    {{"dpl", "BIS Denied Persons List, tab-separated"}, "dpl", emb__load_dpl, emb__sniff_dpl},
    {{"ofac-csv", "OFAC legacy CSV: sdn.csv/add.csv/alt.csv/sdn_comments.csv or cons_*.csv "
                  "(a directory is the set)"},
     "ofac",
     emb__load_ofac_csv,
     emb__sniff_ofac_csv},
};
#define N_FORMATS (sizeof(FORMATS) / sizeof(FORMATS[0]))

const emb_format_info *emb_formats(void) {
  static emb_format_info table[N_FORMATS + 1];
  if (!table[0].name)
    for (size_t i = 0; i < N_FORMATS; i++)
      table[i] = FORMATS[i].info;
  return table;
}

static const format_entry *by_name(const char *name, size_t len) {
  for (size_t i = 0; i < N_FORMATS; i++)
    if (strlen(FORMATS[i].info.name) == len && strncasecmp(FORMATS[i].info.name, name, len) == 0)
      return &FORMATS[i];
  return NULL;
}

/* Recognises kinds that are not lists we read, for a clear "unsupported" message. */
static const char *unsupported_kind(const unsigned char *h, size_t n) {
  if (n >= 4 && memcmp(h, "PK\3\4", 4) == 0)
    return "an Office document or zip archive without a list inside";
  if (n >= 8 && memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
    return "a legacy Office (xls/doc) file";
  if (n >= 5 && memcmp(h, "%PDF-", 5) == 0)
    return "a PDF document";
  size_t i = 0;
  while (i < n && (h[i] == ' ' || h[i] == '\n' || h[i] == '\r' || h[i] == '\t'))
    i++;
  if (i < n && (h[i] == '{' || h[i] == '['))
    return "a JSON document that is not FollowTheMoney entities (metadata?)";
  return NULL;
}

/* Picks the loader for a regular file from its content. */
static int detect_file(const char *path, const format_entry **out, emb_diags *diags) {
  emb_input *in = NULL;
  int rc = emb__input_open(path, &in, diags);
  if (rc)
    return rc;
  const unsigned char *head = NULL;
  size_t n = 0;
  rc = emb__input_peek(in, 65536, &head, &n);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  *out = NULL;
  for (size_t i = 0; i < N_FORMATS && !*out; i++)
    if (FORMATS[i].sniff(head, n, path))
      *out = &FORMATS[i];
  if (!*out) {
    const char *kind = emb__input_kind(in) == EMB_INPUT_ZIP ? NULL : unsupported_kind(head, n);
    if (emb__input_kind(in) == EMB_INPUT_ZIP)
      kind = "a zip archive whose content is not a list embargo reads";
    emb__error(diags, EMB_EUNSUPPORTED, path, 0, 0, NULL,
               "unsupported file: %s; see `embargo lists formats` for what embargo reads",
               kind ? kind : "not a list format embargo recognises");
    emb__input_close(in);
    return EMB_EUNSUPPORTED;
  }
  emb__input_close(in);
  return 0;
}

static int detect_dir(const char *path, const format_entry **out, emb_diags *diags) {
  DIR *d = opendir(path);
  if (!d) {
    emb__error(diags, EMB_EIO, path, 0, 0, NULL, "cannot open directory");
    return EMB_EIO;
  }
  struct dirent *de;
  bool ofac = false;
  while ((de = readdir(d))) {
    const char *n = de->d_name;
    if (!strcasecmp(n, "sdn.csv") || !strcasecmp(n, "cons_prim.csv") || !strcasecmp(n, "add.csv") ||
        !strcasecmp(n, "alt.csv") || !strcasecmp(n, "cons_add.csv") ||
        !strcasecmp(n, "cons_alt.csv"))
      ofac = true;
  }
  closedir(d);
  if (!ofac) {
    emb__error(diags, EMB_EUNSUPPORTED, path, 0, 0, NULL,
               "directory holds no file set embargo reads (OFAC sdn.csv or cons_prim.csv)");
    return EMB_EUNSUPPORTED;
  }
  *out = by_name("ofac-csv", 8);
  return 0;
}

int emb_detect_format(const char *path, const char **name, emb_diags *diags) {
  const format_entry *f = NULL;
  *name = NULL;
  int rc = emb__is_directory(path) ? detect_dir(path, &f, diags) : detect_file(path, &f, diags);
  if (!rc && f)
    *name = f->info.name;
  return rc;
}

/* The SHA-256 of a file, or for a directory of the sorted member files' digests. */
static void fingerprint(const char *path, char hex[65]) {
  hex[0] = '\0';
  if (!emb__is_directory(path)) {
    emb_input *in = NULL;
    if (emb__input_open(path, &in, NULL) == 0) {
      emb__input_sha256(in, hex);
      emb__input_close(in);
    }
    return;
  }
  struct dirent **list = NULL;
  int n = scandir(path, &list, NULL, alphasort);
  if (n < 0)
    return;
  emb_sha256 s;
  emb__sha256_init(&s);
  for (int i = 0; i < n; i++) {
    if (list[i]->d_name[0] != '.') {
      size_t plen = strlen(path) + strlen(list[i]->d_name) + 2;
      char *p = malloc(plen);
      if (p) {
        snprintf(p, plen, "%s/%s", path, list[i]->d_name);
        char h[65] = "";
        emb_input *in = NULL;
        if (!emb__is_directory(p) && emb__input_open(p, &in, NULL) == 0) {
          emb__input_sha256(in, h);
          emb__input_close(in);
          emb__sha256_update(&s, list[i]->d_name, strlen(list[i]->d_name));
          emb__sha256_update(&s, h, 64);
        }
        free(p);
      }
    }
    free(list[i]);
  }
  free(list);
  emb__sha256_final_hex(&s, hex);
}

int emb_load(emb_entity_set *set, const char *spec, emb_diags *diags) {
  if (!set || !spec || !*spec)
    return EMB_EINVAL;
  const format_entry *f = NULL;
  const char *path = spec;
  const char *colon = strchr(spec, ':');
  if (colon) {
    const format_entry *forced = by_name(spec, (size_t)(colon - spec));
    if (forced) {
      f = forced;
      path = colon + 1;
    }
  }
  if (!f) {
    int rc = emb__is_directory(path) ? detect_dir(path, &f, diags) : detect_file(path, &f, diags);
    if (rc)
      return rc;
  }
  emb_source *src = emb__set_add_source(set, path, f->info.name, f->source ? f->source : "ftm");
  if (!src)
    return EMB_ENOMEM;
  emb_load_ctx ctx = {set, diags, path, src};
  size_t before = emb_set_count(set);
  size_t errors_before = diags ? diags->n_errors : 0;
  int rc = f->load(&ctx);
  if (!rc && diags && diags->n_errors > errors_before)
    rc = EMB_EFORMAT; /* an error reported means something was lost */
  if (!src->n_entities)
    src->n_entities = emb_set_count(set) - before;
  fingerprint(path, src->sha256);
  return rc;
}

int emb__load_open(emb_load_ctx *ctx, const char *path, emb_input **in) {
  if (ctx->mem && strcmp(path, ctx->path) == 0)
    return emb__input_open_mem(ctx->mem, ctx->mem_size, path, in, ctx->diags);
  return emb__input_open(path, in, ctx->diags);
}

int emb__load_mem(emb_entity_set *set, const char *format, const void *data, size_t size,
                  const char *name, emb_diags *diags) {
  const format_entry *f = by_name(format, strlen(format));
  if (!f)
    return EMB_EINVAL;
  emb_source *src = emb__set_add_source(set, name, f->info.name, f->source ? f->source : "ftm");
  if (!src)
    return EMB_ENOMEM;
  emb_load_ctx ctx = {set, diags, name, src, data, size};
  size_t errors_before = diags ? diags->n_errors : 0;
  int rc = f->load(&ctx);
  if (!rc && diags && diags->n_errors > errors_before)
    rc = EMB_EFORMAT; /* an error reported means something was lost */
  return rc;
}
