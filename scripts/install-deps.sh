#!/usr/bin/env bash
# Installs the Debian packages ganlab needs, or says exactly what is missing.
#   scripts/install-deps.sh          build and run: OpenBLAS, OpenSSL and zlib headers, pkg-config
#   scripts/install-deps.sh --test   also the test tools: Chromium + chromedriver + Selenium (browser tests), nginx (cluster demo)
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "ganlab: swift is at /opt/swift/usr/bin but not on PATH; run: export PATH=/opt/swift/usr/bin:\$PATH" >&2
  else
    echo "ganlab: a Swift 6 toolchain is required (swift not found on PATH); see https://www.swift.org/install/linux/" >&2
  fi
  exit 1
fi

packages=(libopenblas-dev libssl-dev zlib1g-dev pkg-config)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium chromium-driver python3-selenium python3-websockets nginx-light)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "ganlab: missing Debian packages: ${missing[*]}" >&2
    echo "ganlab: install them as root with: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi
echo "ganlab: installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
