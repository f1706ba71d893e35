#!/usr/bin/env bash
# Debian packages the project needs beside Python: CJK fonts and HarfBuzz subsetting for PDF documents
# (WeasyPrint), poppler-utils to read PDFs back in tests, Chromium for the browser tests.
# Installs what is missing when run as root with apt-get; otherwise says what to install.
set -u
want=("$@")
[ ${#want[@]} -gt 0 ] || want=(fonts-noto-cjk libharfbuzz-subset0 poppler-utils)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "apt-get install failed for: ${missing[*]}" >&2; exit 1; }
else
  echo "Missing Debian packages: ${missing[*]} — install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
