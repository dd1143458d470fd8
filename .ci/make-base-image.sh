#!/usr/bin/env bash
# Build a local Node base image (stand-in for node:<v>-bookworm-slim) for the service
# Dockerfiles' BASE_IMAGE argument, where no image registry is reachable: debootstrap a
# minimal bookworm, copy in the host's Node.js and npm, docker import it. Run as root.
#   usage: make-base-image.sh [--force] [TAG]      (TAG default local/node-base:bookworm)
#   DEBIAN_MIRROR   Debian mirror for debootstrap and the image's apt (default deb.debian.org)
set -euo pipefail

tag=local/node-base:bookworm
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    -*) echo "make-base-image: unknown option $arg" >&2; exit 2 ;;
    *) tag=$arg ;;
  esac
done
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)

say() { echo "make-base-image: $*"; }
die() { echo "make-base-image: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot)"
"$here/start-docker.sh"

if [ "$force" -eq 0 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  say "image $tag already exists, nothing to do (--force rebuilds it)"
  echo "$tag"
  exit 0
fi

# --- Locate the host's Node.js: the binary, npm's package folder, the C headers. ---------
node_bin=$(readlink -f "$(command -v node)") || die "node not found on PATH"
node_prefix=$(dirname "$(dirname "$node_bin")")
node_version=$("$node_bin" -p 'process.versions.node')
npm_dir=""
# npm is usually a symlink to <prefix>/lib/node_modules/npm/bin/npm-cli.js; else ask npm.
if command -v npm >/dev/null 2>&1; then
  cand=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  [ -f "$cand/package.json" ] && npm_dir=$cand
  [ -n "$npm_dir" ] || { cand="$(npm root -g 2>/dev/null)/npm"; [ -f "$cand/package.json" ] && npm_dir=$cand; }
fi
for cand in "$node_prefix/lib/node_modules/npm" /usr/local/lib/node_modules/npm /usr/lib/node_modules/npm; do
  [ -n "$npm_dir" ] || { [ -f "$cand/package.json" ] && npm_dir=$cand; }
done
[ -n "$npm_dir" ] || die "cannot find npm's package folder (tried $node_prefix/lib/node_modules/npm, /usr/local/lib/node_modules/npm, /usr/lib/node_modules/npm)"
headers="$node_prefix/include/node"
say "using Node $node_version ($node_bin), npm $("$node_bin" -p "require('$npm_dir/package.json').version") ($npm_dir)"

# --- Temp rootfs, always cleaned up (unmount first: a failed debootstrap can leave /proc mounted). ---
work=$(mktemp -d /var/tmp/node-base.XXXXXX)
rootfs=$work/rootfs
cleanup() {
  { grep -o " $rootfs/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap debian-archive-keyring; } \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; die "apt-get install debootstrap failed"; }
fi

# ca-certificates (npm/apt over TLS) and libstdc++6 (node links it) come in with the base system.
say "debootstrap --variant=minbase bookworm from $mirror (about a minute)"
debootstrap --variant=minbase --include=ca-certificates,libstdc++6 bookworm "$rootfs" "$mirror" \
  >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

# Same apt sources as the official debian:bookworm image (updates and security too).
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# Safety net: install anything the base system still lacks.
missing=""
for pkg in ca-certificates libstdc++6; do
  chroot "$rootfs" dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  say "installing$missing in the rootfs"
  chroot "$rootfs" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$missing" \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; die "apt-get install$missing in the rootfs failed"; }
fi

# Host-added CAs (e.g. a TLS-intercepting egress proxy): without them npm and apt over https
# fail inside the build. Node ignores the system store, hence NODE_EXTRA_CA_CERTS below.
extra_env=()
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  say "adding the host's extra CA certificates: $(cd /usr/local/share/ca-certificates && echo *.crt)"
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the rootfs"
  extra_env+=(--change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt")
fi

# Node in the official image's layout (/usr/local), npm/npx as its usual symlinks.
install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
# node-gyp would download the headers from nodejs.org, which may be unreachable: ship them and
# point npm at them (the official image has them in /usr/local/include/node too).
if [ -f "$headers/node_api.h" ]; then
  mkdir -p "$rootfs/usr/local/include"
  cp -a "$headers" "$rootfs/usr/local/include/node"
  extra_env+=(--change "ENV npm_config_nodedir=/usr/local")
else
  say "WARNING: no Node headers in $headers; native addons will try to download them"
fi
# The official image has a 'node' user (uid/gid 1000).
chroot "$rootfs" sh -c 'groupadd -g 1000 node && useradd -u 1000 -g node -s /bin/bash -m node'

# Keep the image small and free of host specifics.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/* \
       "$rootfs"/root/.npm "$rootfs"/var/log/*.log
: >"$rootfs/etc/resolv.conf"   # docker bind-mounts its own at run time

say "importing rootfs as $tag"
old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
tar --numeric-owner -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  "${extra_env[@]}" \
  --change 'CMD ["node"]' \
  --message "make-base-image.sh: debootstrap bookworm minbase + host Node $node_version" \
  - "$tag" >/dev/null
# With --force the previous image would linger untagged; drop it unless something builds on it.
if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true
fi

# Prove the image runs node and npm before anyone builds on it.
if ! out=$(docker run --rm "$tag" sh -c 'node --version && npm --version && npx --version' 2>&1); then
  docker rmi "$tag" >/dev/null 2>&1 || true
  die "image $tag does not run node/npm: $out"
fi
say "image $tag ready: node $(echo "$out" | sed -n 1p), npm $(echo "$out" | sed -n 2p), $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
echo "$tag"
