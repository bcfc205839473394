# Shared by the scripts in script/: find Python 3.13, keep the virtual environments and
# the models up to date. Every step is skipped when its inputs have not changed, so a
# second run does no network installs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENVS="${HYBRID_VOICE_VENVS:-$ROOT/.venv}"
HA_VENV="$VENVS/ha"
SERVERS_VENV="$VENVS/servers"
# Models the product and the tests run on.
DEFAULT_MODELS=(whisper-tiny.en piper-en_US-joe-medium qwen2.5-coder-1.5b-q4 wake-okay_nabu)

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

# ensure_venv DIR INPUT_FILE... ; runs install_<name> (a function) when inputs changed.
ensure_venv() {
  local dir="$1" installer="$2"; shift 2
  local python stamp
  python="$(find_python)"
  stamp="$(stamp_of "$@" <(echo "$("$python" -V 2>&1)"))"
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
    return 0
  fi
  say "preparing $dir (first run or changed requirements; this takes a while)"
  rm -rf "$dir"
  "$python" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$installer" "$dir"
  echo "$stamp" > "$dir/.stamp"
}

install_ha_venv() {
  local pip=("$1/bin/python" -m pip install --quiet --disable-pip-version-check)
  "${pip[@]}" -r "$ROOT/requirements/ha-harness.txt"
  local constraints
  constraints="$("$1/bin/python" -c 'import homeassistant, pathlib; print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')"
  "${pip[@]}" -c "$constraints" -r "$ROOT/requirements/ha-test.txt"
}

install_servers_venv() {
  local pip=("$1/bin/python" -m pip install --quiet --disable-pip-version-check)
  # llama.cpp compiles from source (about 10 minutes on 2 cores, once: pip caches
  # the wheel). A portable build, so a cached wheel also runs on another CPU.
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "${pip[@]}" -r "$ROOT/requirements/servers.txt"
  "${pip[@]}" --no-deps --no-build-isolation -e "$ROOT"
}

ensure_ha_venv() {
  ensure_venv "$HA_VENV" install_ha_venv \
    "$ROOT/requirements/ha-harness.txt" "$ROOT/requirements/ha-test.txt"
}

ensure_servers_venv() {
  ensure_venv "$SERVERS_VENV" install_servers_venv \
    "$ROOT/requirements/servers.txt" "$ROOT/pyproject.toml"
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
