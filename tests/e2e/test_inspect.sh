# `lists inspect` reads every acceptance file with status 0, and the counts agree
# with the sources.
source "$(dirname "$0")/lib.sh"

files=(
  "$LISTS"/un/*.xml
  "$LISTS/ofac/sdn-2021-07" "$LISTS/ofac/sdn-2024-04-26" "$LISTS/ofac/sdn-2024-05-03"
  "$LISTS/ofac/cons-2025-12" "$LISTS"/ofac/xml/*
  "$LISTS/uk/ConList-2023-06-05.csv.gz" "$LISTS/uk/ConList-excerpt.csv"
  "$LISTS/uk/uk-sanctions-list-excerpt-2026-09-10.xml"
  "$LISTS/eu/fsf-excerpt-2026-08-05.xml" "$LISTS/us/csl-2022-05.csv.gz"
  "$LISTS/us/bis-dpl-2023-11.txt" "$LISTS"/ftm/*.ftm.json
)
for f in "${files[@]}"; do
  run lists inspect "$f"
  expect_status 0 "$f"
  expect_out "entities +[1-9]"
done

# UN 2026-02-27: 730 individuals and 273 entities, as the file itself counts them.
f="$LISTS/un/consolidated-2026-02-27.xml"
run lists inspect --json "$f"; expect_status 0
[ "$(json "j[0]['schemas'].get('Person')")" = "$(grep -c '<INDIVIDUAL>' "$f")" ] || fail "UN persons"
[ "$(json "j[0]['schemas'].get('Person')")" = 730 ] || fail "UN persons != 730"
[ "$(json "j[0]['entities'] - j[0]['schemas'].get('Person')")" = 273 ] || fail "UN entities != 273"

# OFAC SDN 2024-05-03: one entity per row of sdn.csv.
f="$LISTS/ofac/sdn-2024-05-03"
rows=$(tr -d '\032' <"$f/sdn.csv" | grep -c '^[0-9]')
run lists inspect --json "$f"; expect_status 0
[ "$(json "j[0]['entities']")" = "$rows" ] || fail "SDN 2024-05-03 entities != $rows rows"

# Text output names what a person wants to see.
run lists inspect "$LISTS/un/consolidated-2026-02-27.xml"
expect_out "schemas"; expect_out "scripts"; expect_out "identifiers"; expect_out "problems"

# Several paths, some through --list, and a forced format.
run lists inspect --list "$LISTS/us/bis-dpl-2023-11.txt" "un-xml:$LISTS/un/consolidated-2018-10-29.xml"
expect_status 0

# Unsupported kinds: status 1 with a clear reason.
run lists inspect "$LISTS/uk/ConList-2023-06-05.xlsx"; expect_status 1; expect_err "unsupported"
run lists inspect "$LISTS/ftm/export-bundle-sample/index.json"; expect_status 1; expect_err "unsupported"
run lists inspect "$TMP/does-not-exist.csv"; expect_status 1; expect_err "does-not-exist.csv"

# A path containing ':' is a path when no format has that name.
cp "$LISTS/us/bis-dpl-2023-11.txt" "$TMP/dpl:2023.txt"
run lists inspect "$TMP/dpl:2023.txt"; expect_status 0
