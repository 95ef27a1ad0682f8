/*
 * error.c - messages for the EMB_E... codes declared by the X-macro in embargo.h.
 */
#include "embargo.h"

const char *emb_strerror(int rc) {
  switch (rc) {
  case EMB_OK: return "success";
#define EMB__ERR_CASE(name, msg)                                                                   \
  case EMB_E##name: return msg;
    EMB_ERRNO_MAP(EMB__ERR_CASE)
#undef EMB__ERR_CASE
  default: return "unknown error";
  }
}
