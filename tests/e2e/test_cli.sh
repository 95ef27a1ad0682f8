# The command line itself: usage errors are status 2, help and version work.
source "$(dirname "$0")/lib.sh"

run help; expect_status 0; expect_out "lists inspect"
run version; expect_status 0; expect_out "^embargo [0-9]"
run; expect_status 2
run frobnicate; expect_status 2; expect_err "unknown command"
run lists; expect_status 2
run lists inspect; expect_status 2; expect_err "needs at least one PATH"
run lists inspect --bogus "$LISTS/un/consolidated-2026-02-27.xml"; expect_status 2
run lists diff "$LISTS/un/consolidated-2026-02-27.xml"; expect_status 2
run lists export --format xml "$LISTS/un/consolidated-2026-02-27.xml"; expect_status 2
run lists formats; expect_status 0; expect_out "^un-xml"; expect_out "^ofac-csv"
