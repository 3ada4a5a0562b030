#!/bin/sh
# Convert a rendered 通报 (.docx) to PDF with LibreOffice and report the result.
#
#   benchmarks/docx_to_pdf.sh [REPORT.docx] [OUTDIR]
#
# Without REPORT.docx it renders the test fixture report (tests/test_report_render.py)
# first.  Prints the time taken, the page count and the first page size of the PDF.
# Installs nothing: when libreoffice/soffice is missing it says so and exits 3.
# Exit codes: 0 converted, 1 conversion failed, 2 bad arguments, 3 libreoffice missing.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY=python3

LO=""
for c in libreoffice soffice; do
    if command -v "$c" >/dev/null 2>&1; then LO=$(command -v "$c"); break; fi
done
if [ -z "$LO" ]; then
    echo "docx_to_pdf: libreoffice (or soffice) is not installed; this script installs nothing." >&2
    echo "docx_to_pdf: install it yourself (e.g. apt-get install libreoffice-writer) and run again." >&2
    exit 3
fi

OUT=${2:-$(mktemp -d)}
mkdir -p "$OUT"
if [ $# -ge 1 ]; then
    DOCX=$1
    [ -f "$DOCX" ] || { echo "docx_to_pdf: no such file: $DOCX" >&2; exit 2; }
else
    DOCX="$OUT/通报.docx"
    (cd "$ROOT" && "$PY" -c "import sys
from reports.render import render_docx
from tests.test_report_render import sample_report
render_docx(sample_report(), sys.argv[1])" "$DOCX")
    echo "docx_to_pdf: rendered the fixture report to $DOCX"
fi

PROFILE=$(mktemp -d)
START=$(date +%s.%N)
if ! "$LO" --headless --norestore -env:UserInstallation="file://$PROFILE" \
        --convert-to pdf --outdir "$OUT" "$DOCX" >"$OUT/libreoffice.log" 2>&1; then
    echo "docx_to_pdf: FAILED, libreoffice said:" >&2; cat "$OUT/libreoffice.log" >&2
    rm -rf "$PROFILE"; exit 1
fi
END=$(date +%s.%N)
rm -rf "$PROFILE"
PDF="$OUT/$(basename "${DOCX%.*}").pdf"
if [ ! -s "$PDF" ]; then
    echo "docx_to_pdf: FAILED, no PDF written ($PDF); libreoffice said:" >&2; cat "$OUT/libreoffice.log" >&2
    exit 1
fi
"$PY" - "$PDF" "$START" "$END" <<'PYEOF'
import sys
pdf, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
try:
    import pdfplumber
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
        w, h = doc.pages[0].width, doc.pages[0].height
    info = f"{pages} pages, first page {w * 25.4 / 72:.0f} x {h * 25.4 / 72:.0f} mm"
except Exception as e:  # pdfplumber missing or PDF unreadable: still report the file
    info = f"(page count unavailable: {e})"
print(f"docx_to_pdf: OK {pdf} in {end - start:.1f} s, {info}")
PYEOF
