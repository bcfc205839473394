#!/usr/bin/env bash
# The reference environment for bench/servers.py: rhasspy's wyoming-faster-whisper and
# wyoming-piper, and the wyoming-bench client, from PyPI in their own virtual
# environment (default .venv/reference; $HYBRID_VOICE_VENVS moves it like the others).
# Installs once; a second run does nothing unless the pins or the Python changed.
# Prints the environment's bin directory.
#
#   bench/reference_env.sh            # install if needed, print the bin directory
set -euo pipefail
# shellcheck source=../script/_common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/script/_common.sh"

REFERENCE_VENV="$VENVS/reference"
# faster-whisper 1.2.1 cannot open files with av 19 (wyoming-faster-whisper hands it a
# WAV path): av is held at the version our servers' environment uses.
REFERENCE_PINS=(wyoming-faster-whisper==3.8.1 wyoming-piper==2.5.2 wyoming-bench==2026.10.0
  "av==18.1.0")

install_reference_venv() {
  "$1/bin/python" -m pip install --quiet --disable-pip-version-check "${REFERENCE_PINS[@]}"
}

ensure_venv "$REFERENCE_VENV" install_reference_venv <(printf '%s\n' "${REFERENCE_PINS[@]}")
for program in wyoming-faster-whisper wyoming-piper wyoming-bench; do
  [ -x "$REFERENCE_VENV/bin/$program" ] || die "$program is missing from $REFERENCE_VENV"
done
echo "$REFERENCE_VENV/bin"
