#!/usr/bin/env bash
# Starts the lab at http://127.0.0.1:8080 with the default preset training.
# Extra arguments go to `ganlab serve` (e.g. --host 0.0.0.0 for a classroom network, --port 9000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
scripts/install-deps.sh
swift build -c release --product ganlab
exec .build/release/ganlab serve --public Public "$@"
