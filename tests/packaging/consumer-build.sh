#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# examples/consumer, a project of someone else's, built against a staged
# install of libkuchan (DESTDIR=OUT_DIR/stage, prefix /usr: what
# libkuchan-dev holds) twice: with find_package(kuchan) and with
# pkg-config. Both must find the staged copy, not one installed on this
# machine, and both programs must run: here, on a host without the module,
# they must say that it is not loaded; the VM test (vm_dkms_<release>) runs
# them against the real module.
#
# With --deb, the stage is the libkuchan-dev package built by
# build-packages.sh, unpacked, instead.
#
# Leaves OUT_DIR/bin/kuchan-consumer-{cmake,pkgconfig}.
# Usage: consumer-build.sh BUILD_DIR SRC_DIR OUT_DIR
#        consumer-build.sh --deb PACKAGES_DIR SRC_DIR OUT_DIR
set -euo pipefail
deb=
if [ "$1" = --deb ]; then
	deb=$(compgen -G "$2/libkuchan-dev_*.deb" | head -1) ||
		{ echo "consumer: no libkuchan-dev package in $2 (packages_build first)" >&2; exit 1; }
	shift
fi
build=$1 src=$2 out=$3
rm -rf "$out"
mkdir -p "$out/bin" "$out/pkgconfig"
out=$(cd "$out" && pwd)
stage=$out/stage
consumer=$src/examples/consumer

if [ -n "$deb" ]; then
	dpkg-deb -x "$deb" "$stage"
else
	DESTDIR=$stage cmake --install "$build" --prefix /usr >"$out/install.log"
fi

echo "consumer: find_package(kuchan) from $stage/usr"
cmake -S "$consumer" -B "$out/cmake" -DCMAKE_PREFIX_PATH="$stage/usr" \
	-DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON >"$out/cmake.log" 2>&1 &&
	cmake --build "$out/cmake" >>"$out/cmake.log" 2>&1 ||
	{ cat "$out/cmake.log"; echo "consumer: the CMake build failed" >&2; exit 1; }
found=$(sed -n 's/^kuchan_DIR:PATH=//p' "$out/cmake/CMakeCache.txt")
case "$found" in
"$stage"/*) ;;
*) echo "consumer: find_package found kuchan in \`$found', not in the stage" >&2; exit 1 ;;
esac
cp "$out/cmake/kuchan-consumer" "$out/bin/kuchan-consumer-cmake"

pc=$(find "$stage" -name kuchan.pc)
[ -n "$pc" ] || { echo "consumer: no kuchan.pc in $stage" >&2; exit 1; }
export PKG_CONFIG_PATH=${pc%/kuchan.pc}
echo "consumer: pkg-config kuchan from $PKG_CONFIG_PATH"
cflags=$(pkg-config --cflags kuchan)
[[ $cflags == *"-I$stage/"* ]] ||
	{ echo "consumer: pkg-config --cflags kuchan is \`$cflags', outside the stage" >&2; exit 1; }
make -s -C "$out/pkgconfig" -f "$consumer/Makefile" VPATH="$consumer" >"$out/make.log" 2>&1 ||
	{ cat "$out/make.log"; echo "consumer: the pkg-config build failed" >&2; exit 1; }
cp "$out/pkgconfig/kuchan-consumer" "$out/bin/kuchan-consumer-pkgconfig"

# No module on this host: each must fail, and say why.
for p in "$out"/bin/*; do
	rc=0
	err=$("$p" 2>&1 >/dev/null) || rc=$?
	if [ $rc != 1 ] || [[ $err != *"module is not loaded"* ]]; then
		echo "consumer: $p exited $rc with \`$err'; expected 1 and \"module is not loaded\"" >&2
		exit 1
	fi
done
echo "consumer: built with find_package and with pkg-config; both run"
