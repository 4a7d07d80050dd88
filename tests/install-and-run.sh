#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh Debian machine
# (Python 3.11, Java 17, Node: the base image) and runs the whole suite.
#   Debian: chromium + chromium-driver (browser tests), curl (real-client tests),
#           libowlapi-java (OWL API: Protégé's view, tests/test_owlapi.py),
#           libapache-jena-java (riot and Jena's SHACL engine, tests/test_jena.py),
#           virtuoso-opensource-7-bin (the Virtuoso backend)
#   PyPI:   the package with its [test] extras, in .venv
#   npm:    YASGUI's two build files, copied into server/web/static/yasgui/ (not committed)
# Only missing packages are installed, without their recommendations and without upgrading anything
# else; when another apt or dpkg holds the package manager's lock, this waits for it (up to 10 min).
# It prints only what it installs and problems, so pytest's output comes first.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v curl >/dev/null || missing+=(curl)
[ -e /usr/share/java/owlapi-distribution.jar ] || missing+=(libowlapi-java)
[ -e /usr/share/java/jena-core.jar ] || missing+=(libapache-jena-java)
command -v virtuoso-t >/dev/null || missing+=(virtuoso-opensource-7-bin)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-and-run: apt-get install ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=600)
  "${apt[@]}" update >/dev/null
  "${apt[@]}" install -y --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
sh server/web/static/fetch_yasgui.sh >/dev/null
exec .venv/bin/python -m pytest "$@"
