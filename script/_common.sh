# Shared by the scripts in script/: find Python 3.13, keep the virtual environments and
# the models up to date. Every step is skipped when its inputs have not changed, so a
# second run does no network installs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENVS="${HYBRID_VOICE_VENVS:-$ROOT/.venv}"
HA_VENV="$VENVS/ha"
SERVERS_VENV="$VENVS/servers"
SDK_VENV="$VENVS/sdk"
# Models the product runs on, and the extra ones the tests use.
DEFAULT_MODELS=(whisper-tiny.en piper-en_US-joe-medium qwen2.5-coder-1.5b-q4 wake-okay_nabu)
TEST_MODELS=(whisper-base qwen2.5-coder-0.5b-q4 wake-hey_jarvis)

say() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Python 3.13 without a hard-coded path: $HYBRID_VOICE_PYTHON, pyenv's 3.13.x,
# python3.13 on PATH (only if it really runs), then python3 if it is 3.13 or newer.
find_python() {
  local candidates=() root
  [ -n "${HYBRID_VOICE_PYTHON:-}" ] && candidates+=("$HYBRID_VOICE_PYTHON")
  if command -v pyenv >/dev/null 2>&1 && root="$(pyenv root 2>/dev/null)"; then
    local found
    found="$(ls -d "$root"/versions/3.1[3-9]*/bin/python3 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$found" ] && candidates+=("$found")
  fi
  candidates+=(python3.13 python3)
  local candidate
  for candidate in "${candidates[@]}"; do
    if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 13))' \
        >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return 0
    fi
  done
  die "Python 3.13 with venv and ensurepip was not found; install it (e.g. 'pyenv install 3.13' or your distribution's python3.13 and python3.13-venv) or set HYBRID_VOICE_PYTHON to its path"
}

stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# ensure_venv DIR INSTALLER INPUT_FILE...: creates DIR if needed and runs INSTALLER DIR
# when the inputs (requirement files, Python version) changed since the last success.
ensure_venv() {
  local dir="$1" installer="$2"; shift 2
  local python stamp
  python="$(find_python)"
  stamp="$(stamp_of "$@" <("$python" -V 2>&1))"
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
    return 0
  fi
  say "installing into $dir (first run or changed requirements; this takes a while)"
  if [ ! -x "$dir/bin/python" ]; then
    "$python" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  fi
  "$installer" "$dir"
  echo "$stamp" > "$dir/.stamp"
}

# Our own package, editable, so its console scripts exist; no network needed.
ensure_own_package() {
  local dir="$1" stamp
  stamp="$(stamp_of "$ROOT/pyproject.toml" <(echo "$ROOT"))"
  if [ -f "$dir/.own-stamp" ] && [ "$(cat "$dir/.own-stamp")" = "$stamp" ]; then
    return 0
  fi
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --no-build-isolation -e "$ROOT" 2>/dev/null \
    || die "could not install the hybrid-voice package into $dir"
  echo "$stamp" > "$dir/.own-stamp"
}

install_ha_venv() {
  local pip=("$1/bin/python" -m pip install --quiet --disable-pip-version-check)
  "${pip[@]}" -r "$ROOT/requirements/ha-harness.txt"
  "${pip[@]}" -c "$(ha_constraints "$1")" -r "$ROOT/requirements/ha-test.txt"
}

ha_constraints() {
  "$1/bin/python" -c \
    'import homeassistant, pathlib; print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")'
}

install_servers_venv() {
  local pip=("$1/bin/python" -m pip install --quiet --disable-pip-version-check)
  # llama.cpp compiles from source (about 10 minutes on 2 cores, once: pip caches
  # the wheel). A portable build, so a cached wheel also runs on another CPU.
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "${pip[@]}" \
    -c "$ROOT/requirements/servers-constraints.txt" -r "$ROOT/requirements/servers.txt"
}

ensure_ha_venv() {
  ensure_venv "$HA_VENV" install_ha_venv \
    "$ROOT/requirements/ha-harness.txt" "$ROOT/requirements/ha-test.txt"
}

install_sdk_venv() {
  "$1/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$ROOT/requirements/realtime-sdk.txt"
}

# The openai SDK at a current version, only to check the Realtime stand-in against it.
ensure_sdk_venv() {
  ensure_venv "$SDK_VENV" install_sdk_venv "$ROOT/requirements/realtime-sdk.txt"
}

# The web UI for the Home Assistant that script/run starts (not needed by the tests).
ensure_ha_run_packages() {
  local stamp
  stamp="$(stamp_of "$ROOT/requirements/ha-run.txt")"
  [ -f "$HA_VENV/.run-stamp" ] && [ "$(cat "$HA_VENV/.run-stamp")" = "$stamp" ] && return 0
  "$HA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c "$(ha_constraints "$HA_VENV")" -r "$ROOT/requirements/ha-run.txt"
  echo "$stamp" > "$HA_VENV/.run-stamp"
}

ensure_servers_venv() {
  ensure_venv "$SERVERS_VENV" install_servers_venv \
    "$ROOT/requirements/servers.txt" "$ROOT/requirements/servers-constraints.txt"
  ensure_own_package "$SERVERS_VENV"
}

# Debian packages the tests use to make and measure speech, and HA uses to convert audio.
ensure_debian_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 \
    || die "missing system packages: ${missing[*]}; install them with your package manager"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_models() {
  "$SERVERS_VENV/bin/hybrid-voice-models" fetch --quiet "$@" >/dev/null
}
