# Sourced by start.sh and test.sh (not run on its own): how the two commands install.
# Everything Python goes into a project virtual environment, .venv, never into the system
# interpreter: Debian's, Ubuntu's and Homebrew's python3 refuse `pip install` outside a venv
# (PEP 668, "externally-managed-environment"). Plain bash 3.2 (macOS) and POSIX tools only.

VENV=.venv
MIN_PYTHON=3.11

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# $1 is a Python >= MIN_PYTHON that runs.
python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }

# Sets PYTHON: UKRMAP_PYTHON if set, else the first of python3, python3.X (newest first) that is recent enough.
find_python() {
  local candidate
  for candidate in ${UKRMAP_PYTHON:-} python3 python3.14 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      PYTHON=$(command -v "$candidate")
      return 0
    fi
  done
  local found
  found=$( (python3 --version 2>&1 || echo "no python3 on PATH") | head -n 1)
  die "ukrmap needs Python $MIN_PYTHON or newer, and found: $found.
  Debian 12+, Ubuntu 24.04+:  sudo apt-get install python3 python3-venv
  Ubuntu 22.04:               sudo apt-get install python3.11 python3.11-venv
  macOS:                      brew install python@3.12   (or the installer from python.org)
Then run this again, or point UKRMAP_PYTHON at that Python (UKRMAP_PYTHON=python3.12 bash $0)."
}

# Debian and Ubuntu ship `python3 -m venv` (ensurepip) in a separate package.
venv_package() {
  case "$(basename "$PYTHON")" in
    python3) echo python3-venv ;;
    *) echo "$(basename "$PYTHON")-venv" ;;
  esac
}

# `python -m venv` needs ensurepip, which Debian and Ubuntu ship apart, in python3-venv.
can_make_venv() { "$PYTHON" -c 'import ensurepip, venv; ensurepip.version()' >/dev/null 2>&1; }

# Makes .venv with a recent enough Python unless a working one is there.
ensure_venv() {
  if [ -x "$VENV/bin/python" ] && python_ok "$VENV/bin/python"; then
    return 0
  fi
  find_python
  if ! can_make_venv; then
    local package
    package=$(venv_package)
    if command -v apt-get >/dev/null 2>&1 && is_root; then
      say "$PYTHON cannot make a virtual environment without $package: installing it with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" || die "apt-get could not install $package"
      can_make_venv || die "$PYTHON still cannot make a virtual environment after installing $package"
    elif command -v apt-get >/dev/null 2>&1; then
      die "$PYTHON cannot make a virtual environment: install $package (sudo apt-get install $package), then run this again"
    else
      die "$PYTHON has no venv/ensurepip module: install your system's package for Python virtual environments, or a Python from python.org"
    fi
  fi
  say "making a virtual environment in $VENV with $PYTHON ($("$PYTHON" --version 2>&1))"
  rm -rf "$VENV"
  if ! "$PYTHON" -m venv "$VENV"; then
    rm -rf "$VENV"
    die "$PYTHON -m venv $VENV failed (see above)"
  fi
}

# What was installed is recorded per extra ("app", "test") with a hash of pyproject.toml, so a
# second run starts at once and an edited pyproject.toml installs again. Editable install: the
# code in this folder is what runs, no reinstall after editing it.
install_package() {
  local extra=$1 spec=. want
  [ "$extra" = app ] || spec=".[$extra]"
  want=$("$VENV/bin/python" -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
  if [ "$(cat "$VENV/.installed-$extra" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  if [ "$extra" = test ]; then
    say "installing ukrmap with its test tools into $VENV (first time: about 2 minutes, 1.1 GB; pip lists each package)"
  else
    say "installing ukrmap into $VENV (first time: about 1.5 minutes, 830 MB; pip lists each package)"
  fi
  "$VENV/bin/python" -m pip install --disable-pip-version-check -e "$spec" \
    || die "pip could not install ukrmap into $VENV (see above); nothing was installed outside $VENV"
  echo "$want" > "$VENV/.installed-$extra"
  [ "$extra" = app ] || echo "$want" > "$VENV/.installed-app"
}

# Debian packages the tests use, from apt where there is apt (as root, or through sudo); elsewhere
# the tests look for a browser themselves and say what is missing.
system_packages() {
  if ! command -v apt-get >/dev/null 2>&1; then
    say "no apt-get here: not installing $*; the tests look for Chromium/Chrome on PATH or in UKRMAP_CHROMIUM"
    return 0
  fi
  local missing="" package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
  done
  [ -n "$missing" ] || return 0
  local sudo=""
  if ! is_root; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=sudo
    else
      say "not root and no sudo: not installing$missing; tests that need them will skip"
      return 0
    fi
  fi
  say "installing$missing with apt-get (first time: a few minutes)"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q || die "apt-get update failed"
  local available=""
  for package in $missing; do
    if apt-cache show "$package" >/dev/null 2>&1; then
      available="$available $package"
    else
      say "apt has no $package here; tests that need it will skip (or fail under CI=true)"
    fi
  done
  [ -z "$available" ] || $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $available \
    || die "apt-get could not install$available"
}
