/*
 * script.h - which writing system a piece of text is in.
 */
#ifndef EMB_TEXT_SCRIPT_H
#define EMB_TEXT_SCRIPT_H

#include <stddef.h>

/*
 * Returns the ISO 15924 code of the script most letters of s[0..len) belong to:
 * "Latn", "Cyrl", "Grek", "Arab", "Hebr", "Armn", "Geor", "Hani", "Hang", "Kana"
 * (hiragana or katakana), "Thai", "Deva", "Beng", "Ethi", "Khmr", "Mymr", ...;
 * "Zyyy" when there are no letters. The returned string is static.
 * Invalid UTF-8 bytes are skipped.
 */
const char *emb_script_detect(const char *s, size_t len);

#endif
