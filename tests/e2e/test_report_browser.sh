#!/bin/bash
# test_report_browser.sh - opens a sample HTML screening report in a real headless browser
# (Chromium) from a file:// URL, with the network blocked, and checks that:
#   * the browser reports no error (no console message, no uncaught exception);
#   * the page requests nothing from the network (Chromium's net log);
#   * the rendered DOM holds the six charts, every section, and a company name with
#     "<script>" in it shown as text, with no script element;
#   * a screenshot is a PNG of the window's width that shows the charts' colours;
#   * the report prints to PDF.
# A negative control (a page with a script error and an external image) must fail the
# same checks, so that they are known to be able to fail.
#
# The sample report comes from the unit test test_report (test_sample_report writes it
# to $EMB_REPORT_SAMPLE): 5,000 synthetic records. The screenshot, the PDF and the HTML
# are kept beside the binary as report-sample.{png,pdf,html} for a person to look at.
#
# Skips (exit 77) only when no Chromium or Chrome is installed; scripts/install-deps.sh
# installs Debian's chromium, so CI runs it.
source "$(dirname "$0")/lib.sh"

browser=""
for b in ${EMB_BROWSER:-} chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$b" >/dev/null 2>&1; then
    browser=$(command -v "$b")
    break
  fi
done
if [ -z "$browser" ]; then
  echo "SKIP: no headless browser found (chromium, google-chrome)." >&2
  echo "      Install one with: sudo apt-get install chromium   (or: sudo scripts/install-deps.sh)" >&2
  exit 77
fi

build=$(dirname "$EMBARGO")
unit=$build/tests/test_report
if [ ! -x "$unit" ]; then
  # `make e2e` builds only the binary; build the unit test in the same tree.
  san=""
  case "$(basename "$build")" in san) san="SANITIZE=address,undefined" ;; esac
  make -C "$ROOT" --no-print-directory $san "${unit#"$ROOT"/}" >/dev/null ||
    fail "could not build $unit"
fi
[ -x "$unit" ] || fail "$unit not found"

sample=$TMP/report.html
EMB_REPORT_SAMPLE=$sample "$unit" >"$TMP/unit.log" 2>&1 || {
  tail -20 "$TMP/unit.log" >&2
  fail "test_report failed"
}
[ -s "$sample" ] || fail "the unit test wrote no sample report"

check=$ROOT/tests/browser/check_report.py
width=1240

# chrome FILE ARGS...: runs the browser on FILE, offline, logging to $TMP/err and the
# net log to $TMP/net.json; stdout goes to $TMP/out.
chrome() {
  local file=$1
  shift
  local sandbox=()
  [ "$(id -u)" = 0 ] && sandbox=(--no-sandbox) # Chromium refuses to run as root otherwise
  rm -rf "$TMP/profile"
  timeout 120 "$browser" --headless "${sandbox[@]}" --disable-gpu --no-first-run \
    --no-default-browser-check --disable-extensions --disable-background-networking \
    --disable-sync --disable-component-update --disable-default-apps \
    --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server="http://127.0.0.1:9" \
    --user-data-dir="$TMP/profile" --enable-logging=stderr --v=0 \
    --log-net-log="$TMP/net.json" --hide-scrollbars --force-device-scale-factor=1 \
    "$@" "file://$file" >"$TMP/out" 2>"$TMP/err"
}

# The negative control: the checks must fail on a page with a script error and an
# external image.
cat >"$TMP/bad.html" <<'EOF'
<!DOCTYPE html><html><head><title>bad</title></head><body><p>bad</p>
<img src="http://example.invalid/x.png"/><script>undefinedFunction();</script></body></html>
EOF
chrome "$TMP/bad.html" --dump-dom || fail "the browser failed on the control page"
python3 "$check" console "$TMP/err" >/dev/null && fail "the console check missed a script error"
python3 "$check" netlog "$TMP/net.json" >/dev/null && fail "the net-log check missed a request"
python3 "$check" dom "$TMP/out" >/dev/null && fail "the DOM check passed a page without charts"

# The report: the DOM, with no error and no request.
chrome "$sample" --dump-dom || fail "the browser failed (status $?) on the report"
python3 "$check" console "$TMP/err" || fail "browser errors on the report"
python3 "$check" netlog "$TMP/net.json" || fail "the report loads from the network"
python3 "$check" dom "$TMP/out" || fail "the rendered report lacks its charts"

# The first screen, decoded: the charts are drawn in their colours.
chrome "$sample" --window-size=$width,1700 --screenshot="$TMP/top.png" ||
  fail "the browser could not take a screenshot"
python3 "$check" png "$TMP/top.png" $width || fail "the screenshot does not show the charts"
python3 "$check" console "$TMP/err" >/dev/null || fail "browser errors while rendering"

# The whole report, for people: a tall screenshot and the printed PDF.
chrome "$sample" --window-size=$width,11000 --screenshot="$TMP/full.png" ||
  fail "the browser could not take the full screenshot"
head -c 8 "$TMP/full.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "full screenshot not a PNG"
chrome "$sample" --no-pdf-header-footer --print-to-pdf="$TMP/report.pdf" ||
  fail "the browser could not print the report"
head -c 5 "$TMP/report.pdf" | grep -q "%PDF-" || fail "the printed report is not a PDF"
pages=$(grep -ac "/Type /Page$\|/Type /Page[^s]" "$TMP/report.pdf" || true)

cp "$TMP/full.png" "$build/report-sample.png"
cp "$TMP/report.pdf" "$build/report-sample.pdf"
cp "$sample" "$build/report-sample.html"
echo "report: $build/report-sample.html, screenshot $build/report-sample.png," \
  "PDF $build/report-sample.pdf (${pages:-?} pages)"
exit 0
