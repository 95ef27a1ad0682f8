#!/usr/bin/env python3
"""Generates src/text/legal_forms_table.c from the rigour name resources.

Usage (from the repository root):
    python3 tools/gen_legal_forms.py [RIGOUR_DIR] > src/text/legal_forms_table.c

RIGOUR_DIR defaults to data/names/rigour (copies of opensanctions/rigour resources,
MIT licence, see data/names/NOTICE.md). Needs Python 3 and PyYAML; the build does not:
the generated file is committed.

What goes into the table (the C side, legal.c, normalises and transliterates every
string with the analyzer's own pipeline when an analyzer is created, so the table and
the queries always agree):
  * legal forms: every alias of every organisation type, plus its `display` and
    `compare` strings, paired with the source of its comparable form: the type's
    `generic` tag when it has one ("LLC", "JSC", "SOE", "NGO", "LP", "COOP" ...), else
    its `compare` or `display` string. So ООО, OOO, LLC, Ltd, GmbH, SARL all reduce to
    "llc" and АО, ОАО, ПАО, JSC, PJSC, AG, S.A., PLC to "jsc".
    Aliases that are everyday words in some language are left out (EXCLUDED below),
    as are single Hangul syllables, which are also name syllables.
  * romanised Chinese, Japanese and Korean legal forms (EXTRA_ALIASES below), so that the
    Latin form of "有限公司", "you xian gong si", is a legal form too.
  * person titles: PERSON_NAME_PREFIXES, plus a few translations of "president" that
    the sources use (EXTRA_TITLES).
  * stopwords: a short list of function words (STOPWORDS below).
"""
import os
import sys
import unicodedata

import yaml

# Aliases (normalised roughly: casefolded, marks stripped, punctuation as spaces) that
# are common words or name syllables and must not become legal forms.
EXCLUDED = {
    "in", "is", "at", "as", "et", "im", "ii", "na", "pa", "ll", "lt", "ou", "yu", "ky",
    "ay", "ei", "ep", "uu", "tu", "n a", "но", "да", "во", "го", "бо", "ро", "ед", "од",
    "пр", "pr", "ps", "rs", "sb", "pe", "ek", "ik", "ku", "ug", "kv", "ks", "ry", "sd",
    "национальная ассоциация",
}
EXTRA_TITLES = ["Presidente", "Presiden", "Prezident", "Predsjednik", "Președintele",
                "Президент", "Президентът", "Présidente", "Sheikh Dr", "Mrs.", "Mr.", "Dr."]
# Romanised forms of the Chinese, Japanese and Korean legal forms that the table holds
# only in their own script, as the analyzer's own transliteration writes them (pinyin
# syllables from ICU Han-Latin, Korean by syllable) and as Latin names write them; the
# analyzer cuts the original-script forms from Han and kana words before transliterating.
EXTRA_ALIASES = [
    ("you xian gong si", "LLC"), ("youxian gongsi", "LLC"),
    ("you xian ze ren gong si", "LLC"), ("youxian zeren gongsi", "LLC"),
    ("gu fen you xian gong si", "JSC"), ("gufen youxian gongsi", "JSC"),
    ("zhu shi hui she", "JSC"), ("kabushiki kaisha", "JSC"), ("kabushiki gaisha", "JSC"),
    ("you xian hui she", "LLC"), ("yugen kaisha", "LLC"), ("yugen gaisha", "LLC"),
    ("he tong hui she", "LLC"), ("godo kaisha", "LLC"), ("godo gaisha", "LLC"),
    ("jusikhoesa", "JSC"), ("jusik hoesa", "JSC"), ("chusik hoesa", "JSC"),
]
STOPWORDS = ["of", "the", "and", "for", "on", "to", "by", "from", "with", "into", "und"]


def rough(s):
    s = unicodedata.normalize("NFKD", s).casefold()
    s = "".join(c for c in s if not unicodedata.combining(c))
    out = []
    for c in s:
        if c in "'’`´ʼ":
            continue
        out.append(c if c.isalnum() else " ")
    return " ".join("".join(out).split())


def cstr(s):
    """A C string literal: UTF-8 as is (readable), quotes, backslashes and controls escaped."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "data/names/rigour"
    with open(os.path.join(root, "resources_names_org_types.yml"), encoding="utf-8") as f:
        types = yaml.safe_load(f)["types"]
    with open(os.path.join(root, "resources_names_stopwords.yml"), encoding="utf-8") as f:
        stop = yaml.safe_load(f)

    rows, seen, conflicts, excluded = [], {}, [], 0
    for t in types:
        form = t.get("generic") or t.get("compare") or t.get("display")
        if not form:
            continue
        names = list(t.get("aliases") or [])
        for k in ("display", "compare"):
            if t.get(k):
                names.append(t[k])
        for a in names:
            key = rough(a)
            if not key:
                continue
            if key in EXCLUDED or (len(key) == 1 and "\uac00" <= key <= "\ud7a3"):
                excluded += 1
                continue
            if key in seen:
                if seen[key] != form:
                    conflicts.append((a, seen[key], form))
                continue
            seen[key] = form
            rows.append((a, form))

    for a, form in EXTRA_ALIASES:
        if rough(a) not in seen:
            seen[rough(a)] = form
            rows.append((a, form))

    titles = []
    for tt in list(stop["PERSON_NAME_PREFIXES"]) + EXTRA_TITLES:
        if rough(tt) and rough(tt) not in {rough(x) for x in titles}:
            titles.append(tt)

    w = sys.stdout.write
    w("/*\n * legal_forms_table.c - GENERATED by tools/gen_legal_forms.py; do not edit.\n")
    w(" *\n * Regenerate: python3 tools/gen_legal_forms.py data/names/rigour "
      "> src/text/legal_forms_table.c\n")
    w(" * Source: opensanctions/rigour resources (MIT), data/names/NOTICE.md.\n")
    w(" * %d legal-form aliases of %d organisation types (%d excluded as common words,\n"
      " * %d duplicates with another form kept as first seen), %d person titles,\n"
      " * %d stopwords. legal.c normalises every string when an analyzer is created.\n */\n"
      % (len(rows), len(types), excluded, len(conflicts), len(titles), len(STOPWORDS)))
    w('#include "text/translit.h"\n\n/* clang-format off */\n')
    w("const emb__legal_src emb__legal_srcs[] = {\n")
    for a, form in rows:
        w("    {%s, %s},\n" % (cstr(a), cstr(form)))
    w("};\nconst size_t emb__n_legal_srcs = sizeof emb__legal_srcs / sizeof emb__legal_srcs[0];\n\n")
    w("const char *const emb__title_srcs[] = {\n")
    for tt in titles:
        w("    %s,\n" % cstr(tt))
    w("};\nconst size_t emb__n_title_srcs = sizeof emb__title_srcs / sizeof emb__title_srcs[0];\n\n")
    w("const char *const emb__stopword_srcs[] = {\n")
    for s in STOPWORDS:
        w("    %s,\n" % cstr(s))
    w("};\nconst size_t emb__n_stopword_srcs = "
      "sizeof emb__stopword_srcs / sizeof emb__stopword_srcs[0];\n/* clang-format on */\n")
    for a, f1, f2 in conflicts:
        sys.stderr.write("note: alias %r is %r and %r; kept %r\n" % (a, f1, f2, f1))


if __name__ == "__main__":
    main()
