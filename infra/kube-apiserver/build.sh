#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager v1.20.2 from Debian's `kubernetes` source
# package, and takes etcd from Debian's `etcd-server`, without Docker, without the internet beyond
# the Debian mirror, and without installing anything into the system: a private apt configuration
# downloads sources and .debs, `dpkg -x` unpacks them into a work tree, and Debian's Go 1.19
# compiles the vendored tree offline (GOPROXY=off).
#
# Output (the only thing kept): ${HINDSIGHT_KUBE_HOME:-$HOME/.cache/hindsight/kube}/v1.20.2/bin/
#   kube-apiserver  kube-controller-manager  etcd  [etcdctl]
#
# Idempotent: prints "cached" and exits at once when the binaries exist. A lock (flock) makes a
# second concurrent caller wait for the first and then reuse its result.
#
# Environment:
#   HINDSIGHT_KUBE_HOME       cache root (default $HOME/.cache/hindsight/kube)
#   HINDSIGHT_KUBE_WORK       work tree (default <cache root>/v1.20.2/work, ~2.5 GB while building)
#   KEEP_WORK=1               keep the work tree after a successful build
#   HINDSIGHT_DEBIAN_MIRROR   e.g. http://deb.debian.org/debian (default: taken from /etc/apt)
#   HINDSIGHT_DEBIAN_SECURITY_MIRROR  e.g. http://deb.debian.org/debian-security
#   HINDSIGHT_BUILD_JOBS      parallel Go compile jobs (default 2)
set -euo pipefail

readonly KUBE_VERSION=v1.20.2
readonly SUITE=bookworm
readonly DEBS=(golang-1.19-go golang-1.19-src etcd-server rsync libpopt0
  golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev)

kube_home=${HINDSIGHT_KUBE_HOME:-$HOME/.cache/hindsight/kube}
version_dir=$kube_home/$KUBE_VERSION
bin_dir=$version_dir/bin
work=${HINDSIGHT_KUBE_WORK:-$version_dir/work}
jobs=${HINDSIGHT_BUILD_JOBS:-2}

started=$SECONDS
log() { printf '[build.sh %4ds] %s\n' "$((SECONDS - started))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cached() {
  [[ -x $bin_dir/kube-apiserver && -x $bin_dir/kube-controller-manager && -x $bin_dir/etcd ]]
}

if cached; then
  echo "cached: $bin_dir"
  exit 0
fi

mkdir -p "$version_dir"
exec 9>"$version_dir/.build.lock"
if ! flock -n 9; then
  log "another build holds $version_dir/.build.lock; waiting for it"
  flock 9
fi
if cached; then # built by the holder of the lock meanwhile
  echo "cached: $bin_dir"
  exit 0
fi

for tool in apt-get dpkg dpkg-source make gcc tar; do
  command -v "$tool" >/dev/null || die "'$tool' is required (Debian: apt-get install dpkg-dev make gcc)"
done

# --- mirrors: the ones this machine's apt already uses ---------------------------------------
system_uris() { # prints every URI of the system's apt sources, deb822 and one-line formats
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] && sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n'
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] && awk '$1 ~ /^deb(-src)?$/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }' "$f"
  done
  return 0
}
uris=$(system_uris | grep -E '/debian(-security)?/?$' || true)
mirror=${HINDSIGHT_DEBIAN_MIRROR:-$( (grep -Ev 'security' <<<"$uris" || true) | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
security=${HINDSIGHT_DEBIAN_SECURITY_MIRROR:-$( (grep -E 'security' <<<"$uris" || true) | head -n 1)}
security=${security:-http://deb.debian.org/debian-security}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
signed_by=""
[[ -f $keyring ]] && signed_by=" [signed-by=$keyring]"

# --- private apt configuration --------------------------------------------------------------
apt_dir=$work/apt
mkdir -p "$apt_dir"/{state/lists/partial,cache/archives/partial,sources.list.d} \
  "$work"/{debs,src,root,tools/bin}
cat >"$apt_dir/sources.list" <<EOF
deb${signed_by} ${mirror%/} ${SUITE} main
deb-src${signed_by} ${mirror%/} ${SUITE} main
deb${signed_by} ${security%/} ${SUITE}-security main
deb-src${signed_by} ${security%/} ${SUITE}-security main
EOF
apt_opts=(
  -o "Dir::State=$apt_dir/state"
  -o "Dir::State::status=/var/lib/dpkg/status"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::Cache::pkgcache="
  -o "Dir::Cache::srcpkgcache="
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Acquire::Languages=none"
  -o "APT::Get::Assume-Yes=true"
)
# as root, apt hands downloads to the _apt user, which cannot write into our private folders
[[ $(id -u) == 0 ]] && apt_opts+=(-o "APT::Sandbox::User=root")
export DEBIAN_FRONTEND=noninteractive

log "mirrors: $mirror, $security; work tree: $work"

if [[ ! -f $work/.downloaded ]]; then
  log "apt-get update (private lists)"
  apt-get "${apt_opts[@]}" -qq update
  log "apt-get source --download-only kubernetes"
  (cd "$work/src" && apt-get "${apt_opts[@]}" -q source --download-only kubernetes)
  log "apt-get download ${DEBS[*]}"
  (cd "$work/debs" && apt-get "${apt_opts[@]}" -q download "${DEBS[@]}")
  touch "$work/.downloaded"
  log "downloaded"
fi

# --- unpack: .debs into root/, the source package into src/kubernetes -------------------------
root=$work/root
if [[ ! -f $work/.unpacked-debs ]]; then
  for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$root"; done
  touch "$work/.unpacked-debs"
  log "unpacked ${#DEBS[@]} packages into $root"
fi

tree=$work/src/kubernetes
if [[ ! -f $work/.unpacked-src ]]; then
  rm -rf "$tree"
  dsc=$(ls "$work"/src/kubernetes_*.dsc | head -n 1)
  # apt has already checked the files against the signed Sources index
  dpkg-source --no-check -x "$dsc" "$tree" >/dev/null
  [[ -d $tree/vendor ]] || die "the source package has no vendor/ tree: $tree"

  # With Go >= 1.18 the vendored reflect2 (1.0.1) makes kube-apiserver crash on custom-resource
  # reads; Debian's packaged reflect2 and json-iterator are fixed versions with the same API.
  gocode=$root/usr/share/gocode/src/github.com
  for pkg in modern-go/reflect2 json-iterator/go; do
    [[ -d $gocode/$pkg ]] || die "Debian's $pkg is missing under $gocode"
    rm -rf "$tree/vendor/github.com/$pkg"
    cp -rL "$gocode/$pkg" "$tree/vendor/github.com/$pkg"
  done
  touch "$work/.unpacked-src"
  log "unpacked $(basename "$dsc"), swapped vendored reflect2 and json-iterator for Debian's"
fi

# --- toolchain --------------------------------------------------------------------------------
goroot=$root/usr/lib/go-1.19
[[ -x $goroot/bin/go ]] || die "Go 1.19 not found at $goroot"
# kube's build copies files with rsync; Debian's rsync needs the unpacked libpopt
cat >"$work/tools/bin/rsync" <<EOF
#!/bin/sh
LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$root/usr/bin/rsync" "\$@"
EOF
chmod +x "$work/tools/bin/rsync"
"$work/tools/bin/rsync" --version >/dev/null || die "the unpacked rsync does not run"

build() { # $1 = cmd/<name>
  local t0=$SECONDS
  log "make WHAT=$1 (GOFLAGS=-p=$jobs)"
  (
    cd "$tree"
    env PATH="$goroot/bin:$work/tools/bin:$PATH" \
      GOROOT="$goroot" GOPATH="$work/gopath" GOCACHE="$work/gocache" GOPROXY=off GO111MODULE=on \
      KUBE_GIT_VERSION=$KUBE_VERSION KUBE_GIT_TREE_STATE=clean KUBE_GIT_MAJOR=1 KUBE_GIT_MINOR=20 \
      make WHAT="$1" KUBE_BUILD_PLATFORMS=linux/amd64 GOFLAGS="-p=$jobs" GOLDFLAGS="-s -w"
  )
  log "built $1 in $((SECONDS - t0)) s"
}

build cmd/kube-apiserver
build cmd/kube-controller-manager

# --- collect: into a fresh folder, then one rename, so a reader never sees half a bin/ -------
out=$tree/_output/local/bin/linux/amd64
staging=$version_dir/bin.tmp.$$
rm -rf "$staging"
mkdir -p "$staging"
cp "$out/kube-apiserver" "$out/kube-controller-manager" "$staging/"
etcd_bin=$(find "$root" -type f -name etcd -path '*bin/*' | head -n 1)
[[ -n $etcd_bin ]] || die "etcd-server did not contain an etcd binary"
cp "$etcd_bin" "$staging/etcd"
etcdctl_bin=$(find "$root" -type f -name etcdctl -path '*bin/*' | head -n 1)
[[ -n $etcdctl_bin ]] && cp "$etcdctl_bin" "$staging/etcdctl"
chmod 755 "$staging"/*
"$staging/kube-apiserver" --version
"$staging/etcd" --version | head -n 1
rm -rf "$bin_dir"
mv "$staging" "$bin_dir"

if [[ ${KEEP_WORK:-0} == 1 ]]; then
  log "KEEP_WORK=1: kept the work tree $work ($(du -sh "$work" | cut -f1))"
else
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
  log "removed the work tree"
fi
log "done in $((SECONDS - started)) s: $(ls "$bin_dir" | tr '\n' ' ')"
echo "$bin_dir"
