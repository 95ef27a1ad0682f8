/*
 * input.h - reading a list file as published: plain, gzip or zip, in bounded memory.
 *
 * An emb_input is a byte stream over one file. Compression is detected from the
 * content (gzip magic 1f 8b; zip "PK\3\4"), not the file name. For a zip, the
 * single data member is read (directories and __MACOSX entries are skipped); a zip
 * with several data members reads the first and reports the others as a warning.
 * The name reported in diagnostics is the path, or "path!member" for a zip member.
 * The input owns its file handles and buffers; emb__input_close() releases them.
 *
 * The SHA-256 of the raw file bytes (as stored on disk) is computed as the file is
 * read and is available once the stream reaches its end.
 */
#ifndef EMB_CORE_INPUT_H
#define EMB_CORE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "embargo.h"

typedef struct emb_input emb_input;

typedef enum { EMB_INPUT_PLAIN = 0, EMB_INPUT_GZIP, EMB_INPUT_ZIP } emb_input_kind;

/*
 * Opens `path`. On failure returns EMB_EIO (missing, unreadable, a directory) or
 * EMB_EFORMAT (a broken archive) and reports it to diags naming the file.
 * On success *out is a new input the caller closes.
 */
int emb__input_open(const char *path, emb_input **out, emb_diags *diags);

/* Opens an in-memory buffer (for fuzzing and tests); the buffer must outlive the input. */
int emb__input_open_mem(const void *data, size_t size, const char *name, emb_input **out,
                        emb_diags *diags);

/*
 * Reads up to n decompressed bytes into buf; *got is 0 at the end of the stream.
 * Returns 0, or EMB_EIO / EMB_ETRUNCATED / EMB_EFORMAT (a corrupt or truncated
 * archive), which is also reported to the diags given at open.
 */
int emb__input_read(emb_input *in, void *buf, size_t n, size_t *got);

/*
 * Makes the first bytes of the decompressed stream available without consuming them:
 * *p points at up to `want` bytes (fewer at a short file), valid until the next read.
 * want is at most 64 KiB.
 */
int emb__input_peek(emb_input *in, size_t want, const unsigned char **p, size_t *n);

/* The name for diagnostics: the path, or "path!member". */
const char *emb__input_name(const emb_input *in);
emb_input_kind emb__input_kind(const emb_input *in);
/* Hex SHA-256 of the raw file bytes; reads the rest of the file if needed. */
int emb__input_sha256(emb_input *in, char hex[65]);

/*
 * Raw (as stored, possibly compressed) bytes read so far, for progress against the file's
 * size; 0 for zip members, whose raw position is not known.
 */
uint64_t emb__input_raw_offset(const emb_input *in);
/* Closes the input; NULL is a no-op. */
void emb__input_close(emb_input *in);

/* True if path names a directory. */
bool emb__is_directory(const char *path);

/*
 * Line reader over an input: returns lines without their terminator ("\n", "\r\n"
 * or "\r"), and the first line without a UTF-8 byte order mark. Lines longer than
 * max_line are an error (EMB_ETOOBIG) that reports the line and skips to the next line.
 * *line is valid until the next call.
 * Returns 1 with a line, 0 at the end, <0 on an I/O error.
 */
typedef struct emb_lines emb_lines;
int emb__lines_new(emb_input *in, size_t max_line, emb_diags *diags, emb_lines **out);
int emb__lines_next(emb_lines *r, const char **line, size_t *len, unsigned long *lineno);
void emb__lines_free(emb_lines *r);

/* ----------------------------------------------------------------- text */

/*
 * Checks that s[0..n) is valid UTF-8 (no overlongs, no surrogates, no NUL).
 * Returns the byte offset of the first invalid byte, or n when all is valid.
 */
size_t emb__utf8_check(const char *s, size_t n);

/* Appends s[0..n) decoded as Windows-1252 and re-encoded as UTF-8. */
struct emb_buf;
int emb__cp1252_to_utf8(const char *s, size_t n, struct emb_buf *out);

#endif
