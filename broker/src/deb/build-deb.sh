#!/bin/sh
# Builds the drawbridge .deb from the shaded jar; broker/pom.xml runs it in the package phase (exec-maven-plugin).
#
#   build-deb.sh JAR MAVEN_VERSION OUTPUT_DIR OUTPUT_TIMESTAMP
#
# writes OUTPUT_DIR/drawbridge_<debian version>_all.deb, staged in OUTPUT_DIR/deb/. The Debian version is the Maven
# version with -SNAPSHOT as ~snapshot and any other '-' as '~' ('~' sorts before the release; a '-' would start a
# Debian revision). Every file gets the same time stamp (OUTPUT_TIMESTAMP) and root ownership. Set DEB_MAINTAINER to
# sign the package with another Maintainer field.
set -eu

if [ $# -ne 4 ]; then
    echo "usage: build-deb.sh JAR MAVEN_VERSION OUTPUT_DIR OUTPUT_TIMESTAMP" >&2
    exit 2
fi
jar=$1
maven_version=$2
out=$3
timestamp=$4
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "build-deb.sh: dpkg-deb not found. The Raspberry Pi package is built with Debian's dpkg-deb: install the" \
        "dpkg package (every Debian and Ubuntu system has it), or build without the .deb: -Dexec.skip=true" >&2
    exit 1
fi
if [ ! -f "$jar" ]; then
    echo "build-deb.sh: $jar not found: the shade plugin builds it earlier in the package phase" >&2
    exit 1
fi

version=$(printf '%s' "$maven_version" | sed -e 's/-SNAPSHOT$/~snapshot/' -e 's/-/~/g')
epoch=$(date -u -d "$timestamp" +%s)
maintainer=${DEB_MAINTAINER:-Drawbridge maintainers <maintainers@drawbridge.invalid>}
stage="$out/deb/drawbridge_${version}_all"
deb="$out/drawbridge_${version}_all.deb"

rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/share/drawbridge" "$stage/etc/drawbridge/conf.d"
cp -R "$here/root/." "$stage/"
cp "$jar" "$stage/usr/share/drawbridge/drawbridge.jar"
cp "$here/DEBIAN/conffiles" "$here/DEBIAN/triggers" "$here/DEBIAN/postinst" "$here/DEBIAN/prerm" "$here/DEBIAN/postrm" "$stage/DEBIAN/"

# Modes from here, not from the checkout's umask: directories and programs 0755, everything else 0644.
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f -exec chmod 0644 {} +
chmod 0755 "$stage/usr/bin/drawbridge" "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"

installed_size=$(du -sk --apparent-size --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" -e "s/@MAINTAINER@/$maintainer/" \
    "$here/DEBIAN/control" >"$stage/DEBIAN/control"
chmod 0644 "$stage/DEBIAN/control"

find "$stage" -exec touch -h -d "@$epoch" {} +
rm -f "$deb"
SOURCE_DATE_EPOCH=$epoch dpkg-deb --build --root-owner-group -Zxz "$stage" "$deb"
