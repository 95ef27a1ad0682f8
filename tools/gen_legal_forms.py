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
  * organisation symbols: the generic words of organisation names and their spellings,
    abbreviations and translations, from the `org_symbols` and `org_domains` sections of
    resources_names_symbols.yml ("company", "corporation", "corp", "co", "компания",
    "société" -> "co"; "international", "intl", "int'l" -> "intl"; "bank", "banco",
    "банк" -> "bank"), each paired with one comparable form. Only the classes listed in
    SYMBOL_CLASSES are used, some merged (company and corporation are one class, fund
    and foundation another); aliases that are names, other words or a narrower term in
    some language are left out (SYMBOL_EXCLUDED), as are multi-word aliases of the
    domain classes ("investment bank" would hide "investment").
  * nicknames: the `person_nick` groups of resources_names_symbols.yml ("Bob" and
    "Robert", "Ted" and "Theodore"), as (name, group key) rows; the analyzer gives the
    words of a group a shared variant cluster.
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
# Symbol classes used, in order: (section, rigour key, comparable form). A class whose
# form repeats another's is merged into it; an alias in two classes keeps the first.
SYMBOL_CLASSES = [
    ("org_symbols", k, f) for k, f in [
        ("co", "co"), ("corp", "co"), ("org", "org"), ("assoc", "assoc"),
        ("association", "assoc"), ("partner", "partner"), ("bros", "bros"),
        ("center", "center"), ("holding", "holding"), ("business", "business"),
        ("concern", "grp"), ("grp", "grp"), ("consortium", "consortium"),
        ("service", "service"), ("dept", "dept"), ("agency", "agency"), ("fund", "fund"),
        ("fdn", "fund"), ("intl", "intl"), ("mgmt", "mgmt"), ("fed", "fed"),
        ("natl", "natl"), ("repu", "repu"), ("institute", "institute"), ("club", "club"),
        ("institution", "institution"), ("industry", "industry"),
        ("associates", "associates"), ("network", "network"), ("dev", "dev"),
        ("enterprise", "enterprise"), ("committee", "committee"), ("kombinat", "kombinat"),
        ("central", "central"), ("general", "general"), ("global", "global"),
        ("world", "world"), ("system", "system"), ("venture", "venture"),
        ("commerce", "commercial"), ("commercial", "commercial"), ("municipal", "municipal"),
        ("office", "office"), ("bureau", "office"), ("gov", "gov"), ("ministry", "ministry"),
        ("export", "export"), ("import", "import"), ("trade", "trade"),
        ("solution", "solution"), ("project", "project"), ("product", "product"),
        ("alliance", "alliance"), ("capital", "capital"), ("credit", "credit"),
        ("asset", "asset"), ("trust", "trust"), ("union", "union"),
        ("authority", "authority"), ("party", "party"), ("branch", "branch"),
        ("repoff", "repoff")]
] + [
    ("org_domains", k, k) for k in [
        "bank", "tech", "insurance", "investment", "financial", "shipping", "energy", "eng",
        "logistics", "consulting", "construction", "transport", "chemical", "electronic",
        "electric", "mining", "machine", "airline", "aviation", "marketing", "medical",
        "pharmacy", "research", "resources", "property", "realty", "equipment", "factory",
        "lab", "academy", "university", "hospital", "media", "innovation", "scientific",
        "information", "comms", "distrib", "motor", "maritime", "railway", "military",
        "defence", "nuclear"]
]
# Abbreviations the source lacks (and the comparable forms themselves, added for each
# class): "Cie" is the French "Compagnie", "Hldgs" "Holdings".
EXTRA_SYMBOLS = [
    ("cie", "co"), ("corpn", "co"), ("assn", "assoc"), ("ctr", "center"), ("hldg", "holding"),
    ("hldgs", "holding"), ("svc", "service"), ("svcs", "service"), ("natl", "natl"),
    ("nat'l", "natl"), ("mgt", "mgmt"), ("govt", "gov"), ("engg", "eng"), ("trdg", "trade"),
    ("indus", "industry"), ("univ", "university"), ("bk", "bank"),
]
# Aliases (rough form) that must not become symbols: names or everyday words ("мир" is
# also "peace", "strana" is "country" in Russian, "mali" a country), narrower or other
# terms filed under a class (a cooperative is no holding, a school no institute, a plant
# no factory), and misspellings that would catch other words.
SYMBOL_EXCLUDED = {
    "проведение", "кооперація", "кооператив", "кооперативне", "кооперативна", "кооперативи",
    "кооперативу", "кооперативів", "споживче товариство", "споживча кооперація", "школа",
    "industite", "societatea", "sociedade", "εταιρικος ομιλος", "общество", "obshchestvo",
    "consorcio", "consórcio", "consorcio", "мир", "strana", "фондовий", "фондова", "фондові",
    "mali", "uni", "labor", "kreditanstalt", "handelsbank", "handelsbanken", "rasteniye",
    "растение", "plant", "aerospace", "комбинированного", "глсударственное", "cia", "im",
    "им", "mundo", "monde", "welt", "state", "state of", "staat", "base", "partido", "parti",
    "info", "invest", "tejarat", "rep off",
}

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


def symbol_rows(root, legal_seen):
    """The organisation-symbol table: (alias, comparable form) in class order."""
    with open(os.path.join(root, "resources_names_symbols.yml"), encoding="utf-8") as f:
        sym = yaml.safe_load(f)
    rows, seen, conflicts = [], {}, []

    def add(alias, form, multi_ok):
        key = rough(alias)
        if not key or key in SYMBOL_EXCLUDED or (" " in key and not multi_ok):
            return
        if key in seen:
            if seen[key] != form:
                conflicts.append((alias, seen[key], form))
            return
        seen[key] = form
        rows.append((alias, form))

    for section, k, form in SYMBOL_CLASSES:
        add(form, form, False)
        for alias in sym[section][k]:
            add(str(alias), form, section == "org_symbols")
    for alias, form in EXTRA_SYMBOLS:
        add(alias, form, False)
    return rows, conflicts


def nick_rows(root):
    """The nickname groups: (name, group key) rows, in file order."""
    with open(os.path.join(root, "resources_names_symbols.yml"), encoding="utf-8") as f:
        sym = yaml.safe_load(f)
    rows = []
    for key, names in sym["person_nick"].items():
        for name in names:
            rows.append((str(name), str(key)))
    return rows


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

    symbols, sym_conflicts = symbol_rows(root, seen)
    nicks = nick_rows(root)

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
      "sizeof emb__stopword_srcs / sizeof emb__stopword_srcs[0];\n\n")
    w("/* %d organisation-symbol aliases of %d classes (resources_names_symbols.yml). */\n"
      % (len(symbols), len({f for _, f in symbols})))
    w("const emb__legal_src emb__symbol_srcs[] = {\n")
    for a, form in symbols:
        w("    {%s, %s},\n" % (cstr(a), cstr(form)))
    w("};\nconst size_t emb__n_symbol_srcs = "
      "sizeof emb__symbol_srcs / sizeof emb__symbol_srcs[0];\n\n")
    w("/* %d names of %d nickname groups (person_nick): {name, group}. */\n"
      % (len(nicks), len({g for _, g in nicks})))
    w("const emb__legal_src emb__nick_srcs[] = {\n")
    for a, g in nicks:
        w("    {%s, %s},\n" % (cstr(a), cstr(g)))
    w("};\nconst size_t emb__n_nick_srcs = "
      "sizeof emb__nick_srcs / sizeof emb__nick_srcs[0];\n/* clang-format on */\n")
    for a, f1, f2 in sym_conflicts:
        sys.stderr.write("note: symbol %r is %r and %r; kept %r\n" % (a, f1, f2, f1))
    for a, f1, f2 in conflicts:
        sys.stderr.write("note: alias %r is %r and %r; kept %r\n" % (a, f1, f2, f1))


if __name__ == "__main__":
    main()
