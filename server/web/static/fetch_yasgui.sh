#!/bin/sh
# Install the YASGUI query editor (@zazuko/yasgui, MIT) from the npm registry and copy its two
# build files into server/web/static/yasgui/, where the query page serves them (no CDN).
# They are not committed (server/web/static/.gitignore): run this once after cloning, and in CI.
set -eu
VERSION="${YASGUI_VERSION:-4.6.2}"
HERE="$(cd "$(dirname "$0")" && pwd)"
DEST="$HERE/yasgui"
if [ -f "$DEST/yasgui.min.js" ] && [ -f "$DEST/yasgui.min.css" ] && [ "$(cat "$DEST/VERSION" 2>/dev/null)" = "$VERSION" ]; then
  echo "yasgui $VERSION already in $DEST"; exit 0
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
npm install --prefix "$WORK" --no-audit --no-fund --ignore-scripts --loglevel=error "@zazuko/yasgui@$VERSION"
mkdir -p "$DEST"
cp "$WORK/node_modules/@zazuko/yasgui/build/yasgui.min.js" "$WORK/node_modules/@zazuko/yasgui/build/yasgui.min.css" "$DEST/"
cp "$WORK/node_modules/@zazuko/yasgui/LICENSE" "$DEST/LICENSE" 2>/dev/null || true
echo "$VERSION" > "$DEST/VERSION"
echo "yasgui $VERSION installed in $DEST"
