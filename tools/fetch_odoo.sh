#!/usr/bin/env bash
# Install the pinned Odoo 18.0 release (tools/common.sh: ODOO_RELEASE, ODOO_DEB_URL, ODOO_DEB_SHA1)
# into $ODOO_SRC as odoo/ and odoo-bin. Called by prepare.sh when $ODOO_SRC holds no Odoo.
# The .deb is checked against its sha1 and unpacked in a temporary folder next to $ODOO_SRC, which
# is moved into place only when everything succeeded: a failure leaves $ODOO_SRC as it was.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

url="$ODOO_DEB_URL" sha1="$ODOO_DEB_SHA1"
if [ -n "${PSA_ODOO_DEB_URL:-}${PSA_ODOO_DEB_SHA1:-}" ]; then
    [ -n "${PSA_ODOO_DEB_URL:-}" ] && [ -n "${PSA_ODOO_DEB_SHA1:-}" ] \
        || die "set PSA_ODOO_DEB_URL and PSA_ODOO_DEB_SHA1 together (a download is only used with its checksum)"
    url="$PSA_ODOO_DEB_URL" sha1="$PSA_ODOO_DEB_SHA1"
fi
[[ "$sha1" =~ ^[0-9a-f]{40}$ ]] || die "the Odoo checksum must be 40 lowercase hex digits (sha1), got '$sha1'"
command -v curl >/dev/null || die "curl is needed to download Odoo 18.0; install it, or put the source in $ODOO_SRC"
if [ -e "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
    die "$ODOO_SRC is not empty but holds no complete Odoo (odoo/addons/base and odoo-bin); empty it or set ODOO_SRC"
fi

parent="$(dirname "$ODOO_SRC")"
mkdir -p "$parent"
tmp="$(mktemp -d "$parent/.odoo-src-download.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

say "Downloading Odoo 18.0 ($url) into $ODOO_SRC"
curl -fL --connect-timeout 20 --max-time 1800 -o "$tmp/odoo.deb" "$url" \
    || die "download of $url failed; put the Odoo 18.0 source in $ODOO_SRC (a folder holding odoo/ and odoo-bin) or set ODOO_SRC"
if ! printf '%s  %s\n' "$sha1" "$tmp/odoo.deb" | sha1sum -c --quiet - >/dev/null 2>&1; then
    die "checksum mismatch for $url: expected sha1 $sha1, got $(sha1sum "$tmp/odoo.deb" | cut -d' ' -f1). The file was deleted and nothing was installed in $ODOO_SRC."
fi

mkdir "$tmp/root"
if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$tmp/odoo.deb" "$tmp/root" || die "could not unpack $tmp/odoo.deb"
else
    # A .deb is an ar archive whose data.tar.* holds the files (tar picks the compression).
    (cd "$tmp" && ar x odoo.deb) || die "could not unpack the .deb (ar)"
    data="$(ls "$tmp"/data.tar* 2>/dev/null | head -1)"
    [ -n "$data" ] && tar -xf "$data" -C "$tmp/root" || die "could not unpack the .deb's data archive"
fi

# Odoo's Debian package installs the Python package with pybuild and setup/odoo as /usr/bin/odoo.
pkg="$tmp/root/usr/lib/python3/dist-packages/odoo"
[ -f "$pkg/addons/base/__manifest__.py" ] && [ -f "$tmp/root/usr/bin/odoo" ] \
    || die "$url does not hold Odoo's layout (usr/lib/python3/dist-packages/odoo and usr/bin/odoo); nothing was installed"
mkdir "$tmp/src"
mv "$pkg" "$tmp/src/odoo"
mv "$tmp/root/usr/bin/odoo" "$tmp/src/odoo-bin"
chmod 755 "$tmp/src/odoo-bin"
release="$ODOO_RELEASE"; [ "$url" = "$ODOO_DEB_URL" ] || release=custom
printf 'release=%s\nurl=%s\nsha1=%s\n' "$release" "$url" "$sha1" > "$tmp/src/.psa-odoo-release"
[ -d "$ODOO_SRC" ] && rmdir "$ODOO_SRC"
mv "$tmp/src" "$ODOO_SRC"
say "Odoo 18.0 installed in $ODOO_SRC"
