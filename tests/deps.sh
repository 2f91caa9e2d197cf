#!/bin/sh
# Installs the Debian packages nftop builds and tests with, when missing.
# Run as root, or with sudo available.  Used by `make deps`.
set -e
PKGS="gcc make pkg-config libncurses-dev libevent-dev libpcre2-dev
libpcap-dev libcmocka-dev perl tmux nfdump nfdump-sflow softflowd pmacct tshark
tcpdump python3 iproute2 procps hyperfine aha wkhtmltopdf fonts-dejavu-core
clickhouse-server libmaxminddb-dev libmaxmind-db-writer-perl libfaketime clang"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "nftop: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends $missing
