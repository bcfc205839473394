#!/usr/bin/env bash
# Install the hybrid_voice satellite on a Raspberry Pi (Raspberry Pi OS Lite 64-bit).
#
#   sudo satellite/install.sh                      # asks for the audio devices
#   sudo satellite/install.sh --yes --mic-device plughw:CARD=Device,DEV=0 \
#        --snd-device plughw:CARD=Device,DEV=0 --name "Kitchen" --area Kitchen
#   satellite/install.sh --dry-run --root /tmp/try  # show what would happen
#
# It installs alsa-utils, creates a Python 3.13 virtual environment, installs the
# satellite into it, writes /etc/hybrid-voice-satellite.toml and a systemd unit, and
# starts the service. Home Assistant then discovers the satellite (zeroconf).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE="$(dirname "$SCRIPT_DIR")"
PREFIX="/opt/hybrid-voice-satellite"
ROOT=""
SERVICE_USER="${SUDO_USER:-$(id -un)}"
NAME="$(hostname)"
AREA=""
MIC_DEVICE=""
SND_DEVICE=""
WAKE_WORD="okay_nabu"
PORT="10700"
DRY_RUN=0
ASSUME_YES=0

usage() {
    cat <<EOF
Usage: $0 [options]
  --mic-device NAME   ALSA capture device (see 'arecord -L'); asked if not given
  --snd-device NAME   ALSA playback device (see 'aplay -L'); asked if not given
  --name NAME         satellite name in Home Assistant (default: $NAME)
  --area AREA         area suggested to Home Assistant
  --wake-word WORD    okay_nabu, hey_jarvis, alexa or hey_mycroft (default: $WAKE_WORD)
  --port PORT         TCP port Home Assistant connects to (default: $PORT)
  --user USER         account the service runs as (default: $SERVICE_USER)
  --prefix DIR        install directory (default: $PREFIX)
  --source PATH       package to install (default: this checkout, $SOURCE)
  --root DIR          write system files below DIR (for packaging and tests)
  --dry-run           print commands instead of running them; files go below --root
  --yes               do not ask; use the first USB/HAT device when none is given
EOF
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --mic-device) MIC_DEVICE="$2"; shift 2 ;;
        --snd-device) SND_DEVICE="$2"; shift 2 ;;
        --name) NAME="$2"; shift 2 ;;
        --area) AREA="$2"; shift 2 ;;
        --wake-word) WAKE_WORD="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --user) SERVICE_USER="$2"; shift 2 ;;
        --prefix) PREFIX="$2"; shift 2 ;;
        --source) SOURCE="$2"; shift 2 ;;
        --root) ROOT="$2"; shift 2 ;;
        --dry-run) DRY_RUN=1; shift ;;
        --yes) ASSUME_YES=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [[ $DRY_RUN -eq 1 && -z "$ROOT" ]]; then
    echo "--dry-run needs --root DIR for the files it would write" >&2
    exit 2
fi

if [[ $DRY_RUN -eq 0 && $(id -u) -ne 0 ]]; then
    echo "run as root (sudo $0 ...), or try --dry-run --root DIR" >&2
    exit 1
fi

run() {
    if [[ $DRY_RUN -eq 1 ]]; then
        echo "would run: $*"
    else
        "$@"
    fi
}

find_python() {
    local candidate
    for candidate in python3.13 python3.14 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# First device of a card that is not the Pi's HDMI output, as a suggestion.
suggest_device() {
    local tool="$1"
    if ! command -v "$tool" >/dev/null 2>&1; then
        return 0
    fi
    "$tool" -L 2>/dev/null | grep '^plughw:' | grep -v -i 'hdmi' | head -n 1 || true
}

choose_device() {
    local kind="$1" tool="$2" current="$3" suggestion answer
    if [[ -n "$current" ]]; then
        echo "$current"
        return 0
    fi
    suggestion="$(suggest_device "$tool")"
    if [[ $ASSUME_YES -eq 1 || ! -t 0 ]]; then
        echo "${suggestion:-default}"
        return 0
    fi
    {
        echo
        echo "$kind devices ($tool -L):"
        "$tool" -L 2>/dev/null | grep -E '^(plughw|hw|default|sysdefault)' || echo "  (none found)"
    } >&2
    read -r -p "$kind device [${suggestion:-default}]: " answer
    echo "${answer:-${suggestion:-default}}"
}

toml_string() {
    local value="${1//\\/\\\\}"
    printf '"%s"' "${value//\"/\\\"}"
}

echo "== hybrid_voice satellite installer"
run apt-get update
run apt-get install -y alsa-utils python3-venv

PYTHON="$(find_python || true)"
if [[ -z "$PYTHON" ]]; then
    echo "Python 3.13 not found: installing it with uv into $PREFIX"
    run python3 -m venv "$PREFIX/bootstrap"
    run "$PREFIX/bootstrap/bin/pip" install --quiet uv
    run env UV_PYTHON_INSTALL_DIR="$PREFIX/python" "$PREFIX/bootstrap/bin/uv" python install 3.13
    run env UV_PYTHON_INSTALL_DIR="$PREFIX/python" "$PREFIX/bootstrap/bin/uv" venv \
        --python 3.13 "$PREFIX/venv"
    run "$PREFIX/bootstrap/bin/uv" pip install --python "$PREFIX/venv/bin/python" \
        "${SOURCE}[satellite]"
else
    echo "Using $PYTHON"
    run "$PYTHON" -m venv "$PREFIX/venv"
    run "$PREFIX/venv/bin/pip" install --quiet --upgrade pip
    run "$PREFIX/venv/bin/pip" install --quiet "${SOURCE}[satellite]"
fi

MIC_DEVICE="$(choose_device Microphone arecord "$MIC_DEVICE")"
SND_DEVICE="$(choose_device Speaker aplay "$SND_DEVICE")"
echo "Microphone: $MIC_DEVICE, speaker: $SND_DEVICE"

CONFIG="/etc/hybrid-voice-satellite.toml"
UNIT="/etc/systemd/system/hybrid-voice-satellite.service"
mkdir -p "$ROOT/etc/systemd/system"
{
    echo "# hybrid_voice satellite settings: any command line flag, without the dashes."
    echo "uri = $(toml_string "tcp://0.0.0.0:$PORT")"
    echo "zeroconf = $(toml_string "$NAME")"
    echo "name = $(toml_string "$NAME")"
    if [[ -n "$AREA" ]]; then
        echo "area = $(toml_string "$AREA")"
    fi
    echo "mic-device = $(toml_string "$MIC_DEVICE")"
    echo "snd-device = $(toml_string "$SND_DEVICE")"
    echo "wake-word = [$(toml_string "$WAKE_WORD")]"
} >"$ROOT$CONFIG"
sed -e "s|@USER@|$SERVICE_USER|g" -e "s|@PREFIX@|$PREFIX|g" -e "s|@CONFIG@|$CONFIG|g" \
    "$SCRIPT_DIR/hybrid-voice-satellite.service" >"$ROOT$UNIT"
echo "Wrote $ROOT$CONFIG and $ROOT$UNIT"

run usermod -a -G audio "$SERVICE_USER"
run systemctl daemon-reload
run systemctl enable --now hybrid-voice-satellite.service
echo "Done. Logs: journalctl -u hybrid-voice-satellite -f"
echo "In Home Assistant: Settings > Devices & services: the satellite '$NAME' is discovered;"
echo "or add the Wyoming Protocol integration with this Pi's address and port $PORT."
