#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prepare the 6.12 kernel tree ccda builds and tests against.
#
#   scripts/ccda-kernel.sh tree          print the tree (preparing it when needed)
#   scripts/ccda-kernel.sh kdir [ARCH]   print a configured, modules_prepare'd
#                                        build directory of that tree
#                                        (x86_64, arm64 or riscv; default x86_64)
#   scripts/ccda-kernel.sh headers       print Debian's own 6.12 amd64 headers,
#                                        unpacked (not installed) into the cache
#   scripts/ccda-kernel.sh cache         print the cache directory
#
# The tree comes from Debian's linux-source-6.12 package (installed with apt
# when missing), is unpacked once under $CCDA_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/ccda) at a path keyed on the package version,
# because build directories embed absolute source paths, and gets this
# checkout linked in at drivers/virt/coco/ccda with one Kconfig `source`
# line and one Makefile `obj-` line.  The project tree is never written to.
# Every step is idempotent and runs under flock(1) on the cache.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${CCDA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ccda}
pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz

log() { echo "ccda-kernel: $*" >&2; }

apt_install() {
	local sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	log "installing $* with apt"
	$sudo apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

ensure_source() {
	[ -f "$tarball" ] || apt_install "$pkg"
	[ -f "$tarball" ] || { log "$tarball missing after install"; exit 1; }
}

version() {
	dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null | tr -c 'A-Za-z0-9.\n' '_'
}

# Unpack into a temporary directory and rename, so an interrupted unpack
# never leaves a half tree behind the marker.
unpack() {
	local dir=$1
	[ -f "$dir/.ccda-unpacked" ] && return 0
	log "unpacking $tarball into $dir (once)"
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -xJf "$tarball" -C "$dir.tmp"
	rm -rf "$dir"
	mv "$dir.tmp/$pkg" "$dir"
	rmdir "$dir.tmp"
	touch "$dir/.ccda-unpacked"
}

add_line() {
	local file=$1 line=$2
	grep -qxF "$line" "$file" || printf '%s\n' "$line" >>"$file"
}

link_project() {
	local tree=$1 coco=$1/drivers/virt/coco
	if [ "$(readlink "$coco/ccda" 2>/dev/null)" != "$here" ]; then
		rm -rf "$coco/ccda"
		ln -s "$here" "$coco/ccda"
	fi
	add_line "$coco/Kconfig" 'source "drivers/virt/coco/ccda/Kconfig"'
	add_line "$coco/Makefile" 'obj-$(CONFIG_CCDA)	+= ccda/'
}

prepare() {
	ensure_source
	mkdir -p "$cache"
	local ver tree
	ver=$(version)
	tree=$cache/linux-$ver
	(
		flock -w 1800 9 || { log "timed out waiting for $cache/lock"; exit 1; }
		unpack "$tree"
		link_project "$tree"
	) 9>"$cache/lock"
	echo "$tree"
}

cross_prefix() {
	case $1 in
	x86_64)	echo "" ;;
	arm64)	echo "aarch64-linux-gnu-" ;;
	riscv)	echo "riscv64-linux-gnu-" ;;
	*)	log "unknown architecture $1"; exit 2 ;;
	esac
}

# A small configuration per architecture: defconfig plus the symbols the
# layer, its tests and its transports need (scripts/configs/).  Only
# modules_prepare is run; callers compile drivers/virt/coco/ccda/ alone.
kdir() {
	local arch=${1:-x86_64} tree build cross frag
	tree=$(prepare)
	build=$tree/.build-$arch
	cross=$(cross_prefix "$arch")
	frag=$here/scripts/configs
	(
		flock -w 1800 9 || { log "timed out waiting for $build.lock"; exit 1; }
		local want
		want=$(cat "$frag/build.config" "$frag/$arch.config" | sha1sum)
		if [ "$(cat "$build/.ccda-config" 2>/dev/null)" != "$want" ]; then
			log "configuring $build"
			mkdir -p "$build"
			make -s -C "$tree" O="$build" ARCH="$arch" \
				CROSS_COMPILE="$cross" defconfig >&2
			"$tree/scripts/kconfig/merge_config.sh" -m -O "$build" \
				"$build/.config" "$frag/build.config" \
				"$frag/$arch.config" >/dev/null
			make -s -C "$tree" O="$build" ARCH="$arch" \
				CROSS_COMPILE="$cross" olddefconfig >&2
			check_config "$build" "$frag/build.config" "$frag/$arch.config"
			rm -f "$build/.ccda-prepared"
			echo "$want" >"$build/.ccda-config"
		fi
		if [ ! -f "$build/.ccda-prepared" ]; then
			log "make modules_prepare in $build"
			make -s -C "$tree" O="$build" ARCH="$arch" \
				CROSS_COMPILE="$cross" -j"$(nproc)" \
				modules_prepare >&2
			touch "$build/.ccda-prepared"
		fi
	) 9>"$build.lock"
	echo "$build"
}

# Fail loudly when a requested symbol did not survive olddefconfig (a
# dependency missing on this architecture), instead of silently building less.
check_config() {
	local build=$1 sym val
	shift
	{ grep -h '^CONFIG_' "$@" || true; } | while IFS='=' read -r sym val; do
		grep -qxF "$sym=$val" "$build/.config" || {
			log "$sym=$val did not survive olddefconfig in $build"
			exit 1
		}
	done
}

# Debian's own 6.12 headers for a release-style build.  The packages are
# downloaded and unpacked, not installed: installing them would pull in the
# matching kernel image.  Only the headers' Makefile, which includes the
# common part by absolute path, is pointed at the unpacked copy.
headers() {
	local ver abi dir
	ensure_source
	ver=$(dpkg-query -W -f='${Version}' "$pkg")
	abi=$(apt-cache depends linux-headers-6.12-amd64 2>/dev/null |
	      sed -n 's/.*Depends: linux-headers-\(6\.12\.[^ ]*\)-amd64$/\1/p' | head -1)
	[ -n "$abi" ] || { apt-get update -qq >&2; abi=$(apt-cache depends linux-headers-6.12-amd64 |
		sed -n 's/.*Depends: linux-headers-\(6\.12\.[^ ]*\)-amd64$/\1/p' | head -1); }
	[ -n "$abi" ] || { log "no linux-headers-6.12-amd64 in apt"; exit 1; }
	dir=$cache/headers-$abi
	mkdir -p "$cache"
	(
		flock -w 1800 9 || exit 1
		if [ ! -f "$dir/.ccda-unpacked" ]; then
			log "unpacking Debian headers $abi into $dir (once)"
			rm -rf "$dir" && mkdir -p "$dir/debs"
			(cd "$dir/debs" && apt-get download -q \
				"linux-headers-$abi-amd64" "linux-headers-$abi-common" \
				"linux-kbuild-$abi" >&2 2>/dev/null) ||
				{ apt-get update -qq >&2; (cd "$dir/debs" && apt-get download -q \
				"linux-headers-$abi-amd64" "linux-headers-$abi-common" \
				"linux-kbuild-$abi" >&2); }
			for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$dir/root"; done
			rm -rf "$dir/debs"
			sed -i "s|include /usr/src/|include $dir/root/usr/src/|" \
				"$dir/root/usr/src/linux-headers-$abi-amd64/Makefile"
			touch "$dir/.ccda-unpacked"
		fi
	) 9>"$cache/headers.lock"
	echo "$dir/root/usr/src/linux-headers-$abi-amd64"
}

case ${1:-tree} in
tree)		prepare ;;
kdir)		kdir "${2:-x86_64}" ;;
headers)	headers ;;
cache)		echo "$cache" ;;
*)		echo "usage: $0 tree|kdir [ARCH]|headers|cache" >&2; exit 2 ;;
esac
