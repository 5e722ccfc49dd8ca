#!/usr/bin/env bash
# Builds dist/postino_VERSION_amd64.deb with dpkg-deb: the published application under /usr/lib/postino,
# /usr/bin/postino (a launcher: `postino deliver` runs the NativeAOT postino-deliver, `user` and `expire` the NativeAOT
# postino-oneshot, the rest the .NET program),
# the hardened systemd unit, /etc/postino/postino.json (conffile), the postino system user
# (postinst) and /var/lib/postino 0700.
#
#   scripts/package-deb.sh [--no-build] [--output DIR]
#
# --no-build publishes from an existing `dotnet build -c Release` (what the package test does: publish once).
# The application is framework-dependent: it needs the aspnetcore-runtime-10.0 package (Microsoft's repository).
# postino-deliver and postino-oneshot are published NativeAOT (always built: --no-build does not apply), which needs clang and
# zlib1g-dev at build time (scripts/install-aot.sh), nothing at run time but libc.
set -euo pipefail
cd "$(dirname "$0")/.."

no_build=""
output="dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) no_build="--no-build" ;;
    --output) output="$2"; shift ;;
    *) echo "usage: $0 [--no-build] [--output DIR]" >&2; exit 64 ;;
  esac
  shift
done

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/Postino.Cli/Postino.Cli.csproj | head -n 1)
[ -n "$version" ] || { echo "package-deb: no <Version> in src/Postino.Cli/Postino.Cli.csproj" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"

echo "package-deb: publishing postino $version"
dotnet publish src/Postino.Cli -c Release $no_build -p:UseAppHost=true -p:DebugType=none -p:GenerateDocumentationFile=false \
  -o "$root/usr/lib/postino" >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }
echo "package-deb: publishing postino-deliver (NativeAOT)"
dotnet publish src/Postino.Deliver -c Release -p:GenerateDocumentationFile=false \
  -o "$work/deliver" >"$work/publish-deliver.log" 2>&1 || { cat "$work/publish-deliver.log" >&2; exit 1; }
echo "package-deb: publishing postino-oneshot (NativeAOT)"
dotnet publish src/Postino.OneShot -c Release -p:GenerateDocumentationFile=false \
  -o "$work/oneshot" >"$work/publish-oneshot.log" 2>&1 || { cat "$work/publish-oneshot.log" >&2; exit 1; }
install -m 0755 "$work/deliver/postino-deliver" "$root/usr/lib/postino/postino-deliver"
install -m 0755 "$work/oneshot/postino-oneshot" "$root/usr/lib/postino/postino-oneshot"
rm -f "$root"/usr/lib/postino/*.pdb

install -d -m 0755 "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/postino" "$root/usr/share/doc/postino" "$root/DEBIAN"
install -m 0755 packaging/postino-launcher.sh "$root/usr/bin/postino"
install -m 0644 packaging/postino.service "$root/lib/systemd/system/postino.service"
install -m 0644 packaging/postino.json "$root/etc/postino/postino.json"
install -m 0644 packaging/debian/copyright "$root/usr/share/doc/postino/copyright"
install -m 0644 README.md docs/configuration.md docs/operations.md "$root/usr/share/doc/postino/"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(LC_ALL=C date -R)/" packaging/debian/changelog \
  | gzip -9n >"$root/usr/share/doc/postino/changelog.gz"
chmod 0644 "$root/usr/share/doc/postino/changelog.gz"

# Files 0644, folders and the program 0755, whatever the umask of the build.
find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/lib/postino" -type f -exec chmod 0644 {} +
chmod 0755 "$root/usr/lib/postino/postino" "$root/usr/lib/postino/postino-deliver" "$root/usr/lib/postino/postino-oneshot"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" packaging/debian/control.in >"$root/DEBIAN/control"
install -m 0644 packaging/debian/conffiles "$root/DEBIAN/conffiles"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"

mkdir -p "$output"
deb="$output/postino_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "package-deb: built $deb"
