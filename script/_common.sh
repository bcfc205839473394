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

# The x86 instruction sets llama.cpp can use, as CMake options for those this CPU has.
# AMX is left out: a build with it crashed loading the model on a CPU that lists it.
x86_cmake_args() {
  local flags option args=(-DGGML_NATIVE=OFF)
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  for option in avx:AVX avx2:AVX2 fma:FMA f16c:F16C bmi2:BMI2 avx512f:AVX512 \
      avx512vbmi:AVX512_VBMI avx512_vnni:AVX512_VNNI avx512_bf16:AVX512_BF16 \
      avx_vnni:AVX_VNNI; do
    [[ "$flags" == *" ${option%%:*} "* ]] && args+=("-DGGML_${option#*:}=ON")
  done
  echo "${args[*]}"
}

# llama.cpp compiles from source (about 10 minutes on 2 cores) for the instruction sets
# of this CPU, once per kind of CPU: the wheel is kept in a cache named after them, so a
# fresh clone on the same machine reuses it and another CPU gets its own build.
# $CMAKE_ARGS, when set, replaces the choice (e.g. -DGGML_NATIVE=OFF for a portable one).
llama_wheel() {
  local python="$1" version cmake wheels
  version="$(grep -o 'llama-cpp-python[^=]*==[0-9.]*' "$ROOT/requirements/servers.txt" | cut -d= -f3)"
  if [ -n "${CMAKE_ARGS:-}" ]; then
    cmake="$CMAKE_ARGS"
  elif [ -r /proc/cpuinfo ] && [ "$(uname -m)" = x86_64 ]; then
    cmake="$(x86_cmake_args)"
  else
    cmake="-DGGML_NATIVE=ON"
  fi
  wheels="${XDG_CACHE_HOME:-$HOME/.cache}/hybrid_voice/wheels/$(uname -m)-$(echo "$version $cmake" | sha256sum | cut -c1-12)"
  if ! ls "$wheels"/llama_cpp_python-"$version"-*.whl >/dev/null 2>&1; then
    say "compiling llama.cpp for this CPU ($cmake); about 10 minutes, once"
    CMAKE_ARGS="$cmake" "$python" -m pip wheel --quiet --disable-pip-version-check \
      --no-cache-dir --no-deps -w "$wheels" "llama-cpp-python==$version" >&2 \
      || die "could not compile llama-cpp-python $version"
  fi
  echo "$wheels"
}

install_servers_venv() {
  local pip=("$1/bin/python" -m pip install --quiet --disable-pip-version-check) wheels
  wheels="$(llama_wheel "$1/bin/python")"
  "${pip[@]}" --find-links "$wheels" \
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
