#!/usr/bin/env bash
# The clients the tests read the outputs with, on Debian/Ubuntu: the README's Quickstart and
# .ci/run call this before `pip install ".[test]" && pytest`.
#
# Debian packages: Pango and HarfBuzz for WeasyPrint (PDF), fonts, poppler (pdftotext,
# pdftoppm read the PDF in the tests), LibreOffice Calc (recalculates the XLSX, reads the
# CSV, prints the XLSX to PDF) and Writer (prints the DOCX), Chromium (reads the HTML,
# driven by the playwright package; never a browser that playwright downloads) and npm
# (installs axe-core, which checks the HTML in Chromium). Carlito has Calibri's metrics, so
# LibreOffice lays out a workbook's pages as Excel does. Only missing packages are installed
# (with sudo when not root); then axe-core, the version pinned in tests/package-lock.json,
# into tests/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
              fonts-crosextra-carlito poppler-utils libreoffice-calc-nogui
              libreoffice-writer-nogui chromium)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v npm >/dev/null || missing+=(npm)  # any npm will do (Debian's or Node's own)
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

npm ci --prefix tests --no-audit --no-fund --loglevel=error
