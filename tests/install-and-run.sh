#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh Debian machine
# (Python 3.11, Java 17, Node: the base image) and runs the whole suite.
#   Debian: chromium + chromium-driver (browser tests), curl (real-client tests),
#           libowlapi-java (OWL API: Protégé's view, tests/test_owlapi.py),
#           libapache-jena-java (riot and Jena's SHACL engine, tests/test_jena.py)
#   PyPI:   the package with its [test] extras, in .venv
#   npm:    YASGUI's two build files, copied into server/web/static/yasgui/ (not committed)
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
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'
sh server/web/static/fetch_yasgui.sh
exec .venv/bin/python -m pytest "$@"
