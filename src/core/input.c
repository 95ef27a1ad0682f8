/*
 * input.c - list files as byte streams: plain, gzip (zlib) or a zip member (libzip).
 *
 * The kind is detected from the first bytes. Decompressed bytes flow through one
 * chunk buffer, which also serves emb__input_peek(). The input owns the FILE*, the
 * zlib stream or the libzip handles, and its buffers; emb__input_close() frees all.
 */
#include "core/input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/sha256.h"

#define CHUNK (64 * 1024)
#define PEEK_MAX (64 * 1024)

struct emb_input {
  emb_input_kind kind;
  char *path; /* file path, or the name of a memory input */
  char *name; /* for diagnostics: path or path!member */
  emb_diags *diags;
  FILE *fp;                 /* plain and gzip */
  const unsigned char *mem; /* memory input */
  size_t mem_size;
  size_t mem_pos;
  z_stream z; /* gzip */
  bool z_init;
  bool z_end;         /* the last gzip member ended and no more input follows */
  unsigned char *raw; /* compressed bytes for zlib */
  zip_t *zip;
  zip_file_t *zf;
  unsigned char *peek; /* decompressed bytes not yet consumed */
  size_t peek_len;
  size_t peek_pos;
  bool eof;
  bool failed;
  uint64_t raw_offset; /* raw (compressed) bytes read from the file or memory so far */
  int pending_rc;      /* an error met after some bytes were returned; reported next read */
};

bool emb__is_directory(const char *path) {
  struct stat st;
  return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static emb_input *input_alloc(const char *path, emb_diags *diags) {
  emb_input *in = calloc(1, sizeof(*in));
  if (!in)
    return NULL;
  in->path = strdup(path ? path : "<memory>");
  in->name = strdup(in->path ? in->path : "<memory>");
  in->diags = diags;
  in->peek = malloc(PEEK_MAX);
  if (!in->path || !in->name || !in->peek) {
    emb__input_close(in);
    return NULL;
  }
  return in;
}

/* Reads raw (possibly compressed) bytes from the file or memory. */
static size_t raw_read(emb_input *in, void *buf, size_t n) {
  if (in->mem) {
    size_t left = in->mem_size - in->mem_pos;
    if (n > left)
      n = left;
    memcpy(buf, in->mem + in->mem_pos, n);
    in->mem_pos += n;
    in->raw_offset += n;
    return n;
  }
  size_t got = fread(buf, 1, n, in->fp);
  in->raw_offset += got;
  return got;
}

uint64_t emb__input_raw_offset(const emb_input *in) {
  return in ? in->raw_offset : 0;
}

/* Picks the zip member to read: the first that is not a directory or __MACOSX entry. */
static int open_zip_member(emb_input *in, zip_source_t *zs) {
  zip_error_t ze;
  zip_error_init(&ze);
  in->zip = zip_open_from_source(zs, ZIP_RDONLY, &ze);
  if (!in->zip) {
    emb__error(in->diags, EMB_EFORMAT, in->path, 0, 0, NULL, "not a readable zip archive: %s",
               zip_error_strerror(&ze));
    zip_error_fini(&ze);
    zip_source_free(zs);
    return EMB_EFORMAT;
  }
  zip_error_fini(&ze);
  zip_int64_t n = zip_get_num_entries(in->zip, 0);
  zip_int64_t pick = -1;
  size_t others = 0;
  for (zip_int64_t i = 0; i < n; i++) {
    const char *nm = zip_get_name(in->zip, (zip_uint64_t)i, 0);
    if (!nm || !*nm || nm[strlen(nm) - 1] == '/' || strncmp(nm, "__MACOSX/", 9) == 0)
      continue;
    if (pick < 0)
      pick = i;
    else
      others++;
  }
  if (pick < 0) {
    emb__error(in->diags, EMB_EFORMAT, in->path, 0, 0, NULL, "zip archive holds no file");
    return EMB_EFORMAT;
  }
  const char *member = zip_get_name(in->zip, (zip_uint64_t)pick, 0);
  size_t len = strlen(in->path) + strlen(member) + 2;
  char *nm = malloc(len);
  if (!nm)
    return EMB_ENOMEM;
  snprintf(nm, len, "%s!%s", in->path, member);
  free(in->name);
  in->name = nm;
  if (others)
    emb__warn(in->diags, 0, in->path, 0, 0, NULL,
              "zip archive holds %zu more files; only %s is read", others, member);
  in->zf = zip_fopen_index(in->zip, (zip_uint64_t)pick, 0);
  if (!in->zf) {
    emb__error(in->diags, EMB_EFORMAT, in->name, 0, 0, NULL, "cannot read zip member: %s",
               zip_strerror(in->zip));
    return EMB_EFORMAT;
  }
  return 0;
}

/* Detects the kind from the first raw bytes and prepares decompression. */
static int setup(emb_input *in) {
  unsigned char magic[4] = {0};
  size_t got = raw_read(in, magic, sizeof(magic));
  if (in->fp && ferror(in->fp)) {
    emb__error(in->diags, EMB_EIO, in->path, 0, 0, NULL, "cannot read: %s", strerror(errno));
    return EMB_EIO;
  }
  if (got >= 4 && memcmp(magic, "PK\3\4", 4) == 0) {
    in->kind = EMB_INPUT_ZIP;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *zs = in->mem ? zip_source_buffer_create(in->mem, in->mem_size, 0, &ze)
                               : zip_source_file_create(in->path, 0, -1, &ze);
    zip_error_fini(&ze);
    if (!zs) {
      emb__error(in->diags, EMB_EIO, in->path, 0, 0, NULL, "cannot open zip archive");
      return EMB_EIO;
    }
    return open_zip_member(in, zs);
  }
  if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    in->kind = EMB_INPUT_GZIP;
    in->raw = malloc(CHUNK);
    if (!in->raw)
      return EMB_ENOMEM;
    memcpy(in->raw, magic, got);
    in->z.next_in = in->raw;
    in->z.avail_in = (uInt)got;
    if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
      return EMB_ENOMEM;
    in->z_init = true;
    return 0;
  }
  /* Plain: the magic bytes are the first bytes of the stream. */
  in->kind = EMB_INPUT_PLAIN;
  memcpy(in->peek, magic, got);
  in->peek_len = got;
  return 0;
}

int emb__input_open(const char *path, emb_input **out, emb_diags *diags) {
  *out = NULL;
  if (emb__is_directory(path)) {
    emb__error(diags, EMB_EIO, path, 0, 0, NULL, "is a directory, not a file");
    return EMB_EIO;
  }
  emb_input *in = input_alloc(path, diags);
  if (!in)
    return EMB_ENOMEM;
  in->fp = fopen(path, "rb");
  if (!in->fp) {
    emb__error(diags, EMB_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    emb__input_close(in);
    return EMB_EIO;
  }
  int rc = setup(in);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  *out = in;
  return 0;
}

int emb__input_open_mem(const void *data, size_t size, const char *name, emb_input **out,
                        emb_diags *diags) {
  *out = NULL;
  emb_input *in = input_alloc(name, diags);
  if (!in)
    return EMB_ENOMEM;
  in->mem = data ? data : (const unsigned char *)"";
  in->mem_size = data ? size : 0;
  int rc = setup(in);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  *out = in;
  return 0;
}

/* Decompresses gzip into buf; handles concatenated members. */
static int gz_read(emb_input *in, unsigned char *buf, size_t n, size_t *got) {
  *got = 0;
  in->z.next_out = buf;
  in->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
  while (in->z.avail_out > 0 && !in->z_end) {
    if (in->z.avail_in == 0) {
      size_t r = raw_read(in, in->raw, CHUNK);
      if (r == 0) {
        if (in->fp && ferror(in->fp)) {
          emb__error(in->diags, EMB_EIO, in->name, 0, 0, NULL, "read error");
          return EMB_EIO;
        }
        emb__error(in->diags, EMB_ETRUNCATED, in->name, 0, 0, NULL,
                   "gzip stream ends early (truncated file)");
        in->z_end = true;
        *got = n - in->z.avail_out;
        return EMB_ETRUNCATED;
      }
      in->z.next_in = in->raw;
      in->z.avail_in = (uInt)r;
    }
    int zr = inflate(&in->z, Z_NO_FLUSH);
    if (zr == Z_STREAM_END) {
      /* Another member may follow (gzip allows concatenation). */
      if (in->z.avail_in == 0) {
        size_t r = raw_read(in, in->raw, CHUNK);
        in->z.next_in = in->raw;
        in->z.avail_in = (uInt)r;
      }
      if (in->z.avail_in == 0)
        in->z_end = true;
      else
        inflateReset(&in->z);
    } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
      emb__error(in->diags, EMB_EFORMAT, in->name, 0, 0, NULL, "corrupt gzip data: %s",
                 in->z.msg ? in->z.msg : "inflate failed");
      in->z_end = true;
      *got = n - in->z.avail_out;
      return EMB_EFORMAT;
    }
  }
  *got = n - in->z.avail_out;
  return 0;
}

/* Reads decompressed bytes, bypassing the peek buffer. */
static int read_stream(emb_input *in, void *buf, size_t n, size_t *got) {
  *got = 0;
  if (in->pending_rc) {
    int prc = in->pending_rc;
    in->pending_rc = 0;
    return prc;
  }
  if (in->eof || in->failed || n == 0)
    return 0;
  int rc = 0;
  switch (in->kind) {
  case EMB_INPUT_PLAIN:
    *got = raw_read(in, buf, n);
    if (*got == 0 && in->fp && ferror(in->fp)) {
      emb__error(in->diags, EMB_EIO, in->name, 0, 0, NULL, "read error: %s", strerror(errno));
      rc = EMB_EIO;
    }
    break;
  case EMB_INPUT_GZIP: rc = gz_read(in, buf, n, got); break;
  case EMB_INPUT_ZIP: {
    zip_int64_t r = zip_fread(in->zf, buf, n);
    if (r < 0) {
      emb__error(in->diags, EMB_EFORMAT, in->name, 0, 0, NULL, "corrupt zip member: %s",
                 zip_file_strerror(in->zf));
      rc = EMB_EFORMAT;
    } else {
      *got = (size_t)r;
    }
    break;
  }
  }
  if (rc) {
    in->failed = true;
    if (*got > 0) {
      /* Hand out what was decoded; the error comes with the next read. */
      in->pending_rc = rc;
      rc = 0;
    }
  } else if (*got == 0) {
    in->eof = true;
  }
  return rc;
}

int emb__input_read(emb_input *in, void *buf, size_t n, size_t *got) {
  *got = 0;
  if (in->peek_pos < in->peek_len) {
    size_t k = in->peek_len - in->peek_pos;
    if (k > n)
      k = n;
    memcpy(buf, in->peek + in->peek_pos, k);
    in->peek_pos += k;
    *got = k;
    return 0;
  }
  return read_stream(in, buf, n, got);
}

int emb__input_peek(emb_input *in, size_t want, const unsigned char **p, size_t *n) {
  if (want > PEEK_MAX)
    want = PEEK_MAX;
  /* Compact, then fill up to `want` bytes. */
  if (in->peek_pos > 0) {
    memmove(in->peek, in->peek + in->peek_pos, in->peek_len - in->peek_pos);
    in->peek_len -= in->peek_pos;
    in->peek_pos = 0;
  }
  int rc = 0;
  while (in->peek_len < want) {
    size_t got = 0;
    rc = read_stream(in, in->peek + in->peek_len, want - in->peek_len, &got);
    if (rc || got == 0)
      break;
    in->peek_len += got;
  }
  *p = in->peek;
  *n = in->peek_len < want ? in->peek_len : want;
  return rc;
}

const char *emb__input_name(const emb_input *in) {
  return in->name;
}

emb_input_kind emb__input_kind(const emb_input *in) {
  return in->kind;
}

int emb__input_sha256(emb_input *in, char hex[65]) {
  emb_sha256 s;
  emb__sha256_init(&s);
  if (in->mem) {
    emb__sha256_update(&s, in->mem, in->mem_size);
    emb__sha256_final_hex(&s, hex);
    return 0;
  }
  /* Hash the file as stored, independently of the decompression state. */
  FILE *fp = fopen(in->path, "rb");
  if (!fp) {
    hex[0] = '\0';
    return EMB_EIO;
  }
  unsigned char *buf = malloc(CHUNK);
  if (!buf) {
    fclose(fp);
    hex[0] = '\0';
    return EMB_ENOMEM;
  }
  size_t r;
  while ((r = fread(buf, 1, CHUNK, fp)) > 0)
    emb__sha256_update(&s, buf, r);
  int rc = ferror(fp) ? EMB_EIO : 0;
  free(buf);
  fclose(fp);
  emb__sha256_final_hex(&s, hex);
  return rc;
}

void emb__input_close(emb_input *in) {
  if (!in)
    return;
  if (in->z_init)
    inflateEnd(&in->z);
  if (in->zf)
    zip_fclose(in->zf);
  if (in->zip)
    zip_discard(in->zip);
  if (in->fp)
    fclose(in->fp);
  free(in->raw);
  free(in->peek);
  free(in->path);
  free(in->name);
  free(in);
}

/* ------------------------------------------------------------ line reader */

struct emb_lines {
  emb_input *in;
  emb_diags *diags;
  size_t max_line;
  unsigned char *chunk;
  size_t chunk_len;
  size_t chunk_pos;
  emb_buf line;
  unsigned long lineno;
  bool last_cr; /* the previous line ended with \r: a following \n belongs to it */
  bool done;
};

int emb__lines_new(emb_input *in, size_t max_line, emb_diags *diags, emb_lines **out) {
  emb_lines *r = calloc(1, sizeof(*r));
  if (!r)
    return EMB_ENOMEM;
  r->in = in;
  r->diags = diags;
  r->max_line = max_line ? max_line : 16 * 1024 * 1024;
  r->chunk = malloc(CHUNK);
  if (!r->chunk) {
    free(r);
    return EMB_ENOMEM;
  }
  emb__buf_init(&r->line, r->max_line);
  *out = r;
  return 0;
}

/* Hands out the current line, without the UTF-8 byte order mark a first line may carry. */
static int give_line(emb_lines *r, const char **line, size_t *len, unsigned long *lineno) {
  *line = emb__buf_str(&r->line);
  *len = r->line.len;
  *lineno = r->lineno;
  if (r->lineno == 1 && *len >= 3 && memcmp(*line, "\xEF\xBB\xBF", 3) == 0) {
    *line += 3;
    *len -= 3;
  }
  return 1;
}

int emb__lines_next(emb_lines *r, const char **line, size_t *len, unsigned long *lineno) {
  emb__buf_reset(&r->line);
  bool too_long = false;
  bool any = false;
  for (;;) {
    if (r->chunk_pos == r->chunk_len) {
      if (r->done)
        break;
      size_t got = 0;
      int rc = emb__input_read(r->in, r->chunk, CHUNK, &got);
      if (rc)
        return rc;
      r->chunk_len = got;
      r->chunk_pos = 0;
      if (got == 0) {
        r->done = true;
        break;
      }
    }
    unsigned char *p = r->chunk + r->chunk_pos;
    size_t avail = r->chunk_len - r->chunk_pos;
    if (r->last_cr && avail > 0) {
      r->last_cr = false;
      if (p[0] == '\n') {
        r->chunk_pos++;
        continue;
      }
    }
    size_t i = 0;
    while (i < avail && p[i] != '\n' && p[i] != '\r')
      i++;
    if (!too_long && emb__buf_append(&r->line, p, i) != 0)
      too_long = true;
    any = true;
    r->chunk_pos += i;
    if (i < avail) {
      r->last_cr = p[i] == '\r';
      r->chunk_pos++;
      r->lineno++;
      if (too_long) {
        emb__error(r->diags, EMB_ETOOBIG, emb__input_name(r->in), r->lineno, 0, NULL,
                   "line longer than %zu bytes; skipped", r->max_line);
        emb__buf_reset(&r->line);
        too_long = false;
        any = false;
        continue;
      }
      return give_line(r, line, len, lineno);
    }
  }
  if (!any)
    return 0;
  r->lineno++;
  if (too_long) {
    emb__error(r->diags, EMB_ETOOBIG, emb__input_name(r->in), r->lineno, 0, NULL,
               "line longer than %zu bytes; skipped", r->max_line);
    return 0;
  }
  return give_line(r, line, len, lineno);
}

void emb__lines_free(emb_lines *r) {
  if (!r)
    return;
  emb__buf_fini(&r->line);
  free(r->chunk);
  free(r);
}
