# Bad input: a clear error naming file and line, status 1, no crash, and what could be
# read is still read.
source "$(dirname "$0")/lib.sh"

entities() { python3 -c "import json; print(json.load(open('$TMP/out'))[0]['entities'])"; }

# Truncated XML keeps the entities completed before the cut.
head -c 1000000 "$LISTS/un/consolidated-2026-02-27.xml" >"$TMP/un-cut.xml"
run lists inspect --json "$TMP/un-cut.xml"; expect_status 1
expect_err "un-cut.xml:[0-9]+"
[ "$(entities)" -gt 100 ] || fail "truncated UN file kept $(entities) entities"

# Billion laughs and external entities are refused.
cat >"$TMP/lol.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>
<FIRST_NAME>&d;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
XML
run lists inspect "un-xml:$TMP/lol.xml"; expect_status 1; expect_err "lol.xml:[0-9]+"; expect_err "entit"
cat >"$TMP/xxe.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>
<FIRST_NAME>&x;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
XML
run lists inspect "un-xml:$TMP/xxe.xml"; expect_status 1; expect_err "xxe.xml:[0-9]+"
grep -q "root:" <<<"$out" && fail "external entity was expanded"

# Invalid UTF-8 in a file that declares UTF-8: error with its line.
python3 - "$LISTS/un/consolidated-2026-02-27.xml" "$TMP/bad-utf8.xml" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
i = d.index(b'<FIRST_NAME>', 500000) + 12
open(sys.argv[2], 'wb').write(d[:i] + b'\xff\xfe' + d[i:])
PY
run lists inspect --json "$TMP/bad-utf8.xml"; expect_status 1; expect_err "bad-utf8.xml:[0-9]+"

# A truncated gzip: the rows before the cut are read, the truncation is reported.
head -c 700000 "$LISTS/us/csl-2022-05.csv.gz" >"$TMP/csl-cut.csv.gz"
run lists inspect --json "$TMP/csl-cut.csv.gz"; expect_status 1; expect_err "csl-cut.csv.gz"
[ "$(entities)" -gt 1000 ] || fail "truncated gzip kept $(entities) entities"

# OFAC CSV with a ragged row, a NUL byte and an unterminated quote.
{ head -5 "$LISTS/ofac/sdn-2021-07/sdn.csv"
  echo '99999,"SHORT ROW",-0- '
  printf '99998,"NUL\000NAME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
  sed -n 6,10p "$LISTS/ofac/sdn-2021-07/sdn.csv"
  echo '99997,"UNTERMINATED,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
} >"$TMP/sdn.csv"
run lists inspect --json "ofac-csv:$TMP/sdn.csv"; expect_status 1
expect_err "sdn.csv:6"; expect_err "sdn.csv:7"; expect_err "sdn.csv:13"
# The ragged row keeps its id and name, the NUL row its text without the NUL (both reported);
# the unterminated row is lost.
[ "$(entities)" = 12 ] || fail "bad OFAC rows: kept $(entities) entities, want 12"

# A huge field is an error, not an out-of-memory.
python3 -c "
import sys
sys.stdout.write('_id,source,entity_number,type,programs,name\n')
sys.stdout.write('a1,Entity List (EL) - Bureau of Industry and Security,,Entity,,' + 'X'*3000000 + '\n')
sys.stdout.write('a2,Entity List (EL) - Bureau of Industry and Security,,Entity,,GOOD NAME\n')" >"$TMP/huge.csv"
run lists inspect --json "$TMP/huge.csv"; expect_status 1; expect_err "huge.csv:2"
[ "$(entities)" = 1 ] || fail "huge field: kept $(entities) entities, want 1"

# Windows-1252 bytes in a legacy CSV: decoded with a warning, status 0.
run lists inspect "$LISTS/uk/ConList-excerpt.csv"; expect_status 0; expect_out "1252"
