#!/bin/sh
# tests/tui/soak.t - a mixed soak under LeakSanitizer: no leaks, flat RSS.
#
# For SOAK_SECONDS (default 600) the terminal UI of an AddressSanitizer
# build ($SOAK_NFTOP, built by make check as build-san/nftop; else
# $NFTOP when it is itself sanitized; else the test is skipped) listens
# on 127.0.0.1 for NetFlow/IPFIX and sFlow with --demo (its NetFlow v5,
# v9, IPFIX and sFlow exporter) running, while rounds of flowblast send
# v5, v9 and IPFIX (new seeds, so new keys, every round), and the test
# types what an operator does: views, sort orders, aggregate keys,
# windows, filters set and cleared, drill-down and back, pause.
#
# --history is 65536 records and --max-keys 20000, so the retained ring
# and the views' key tables fill in the first minute: after that nothing
# should grow.  RSS is sampled from
# /proc/PID/status every 5 s.  After the first third of the run (at least
# 60 s) the largest sample of the last third may exceed the largest of
# the middle third by at most 10% + 8 MiB (generous: the allocator's
# arenas wobble; ASan's quarantine of freed memory is cut to 8 MiB so
# that it fills during the warm-up instead of looking like growth).  At the end q quits:
# status 0, and no ASan/LSan/UBSan report (log_path files) at all.

. "$(dirname "$0")/lib-tui.sh"

: "${SOAK_SECONDS:=600}"
BIN=${SOAK_NFTOP:-$NFTOP}
[ -x "$BIN" ] || skip_all "no soak binary at $BIN (make check builds it)"
ldd "$BIN" 2>/dev/null | grep -q libasan ||
    skip_all "$BIN is not an AddressSanitizer build"
[ "$SOAK_SECONDS" -ge 30 ] || skip_all "SOAK_SECONDS=$SOAK_SECONDS: too short"

plan 6

mkdir -m 777 "$T_TMP/asan"
PORT=$(free_udp_port)
SPORT=$(free_udp_port)
NFTOP=$BIN
start soak 120 35 LC_ALL=C \
    ASAN_OPTIONS="detect_leaks=1:quarantine_size_mb=8:atexit=1:print_stats=1:log_path=$T_TMP/asan/report" \
    UBSAN_OPTIONS="print_stacktrace=1:log_path=$T_TMP/asan/report" -- \
    --listen "127.0.0.1:$PORT" --sflow "127.0.0.1:$SPORT" --demo \
    --history 65536 --max-keys 20000
wait_screen 30 soak "flows"
ok $? "the sanitized nftop is up, the demo exporter sending"
PANE=$(TM display -p -t soak '#{pane_pid}')
wait_for 10 sh -c "pgrep -P $PANE >/dev/null"
PID=$(pgrep -P "$PANE" | head -n 1)

# One operator action a step, round and round.
ACTIONS="2 3 4 5 1 P F B a a A s d w W Tab BSpace p p"
act() {
	set -- $ACTIONS
	shift $(($1 % $#))
	keys soak "$1"
}
filter() {	# filter TEXT: set (or with "" clear) the filter
	keys soak /
	keys soak C-u
	[ -n "$1" ] && typed soak "$1"
	keys soak Enter
}

START=$(date +%s)
END=$((START + SOAK_SECONDS))
step=0
: >"$T_TMP/rss"
while [ "$(date +%s)" -lt "$END" ]; do
	case $((step % 6)) in
	0) "$FLOWBLAST" -f v5 -d "127.0.0.1:$PORT" -n 20000 -r 4000 \
	    -s "$step" -T 8 -q >/dev/null 2>&1 & ;;
	2) "$FLOWBLAST" -f v9 -d "127.0.0.1:$PORT" -n 20000 -r 4000 -E 4 \
	    -s "$step" -T 8 -q >/dev/null 2>&1 & ;;
	4) "$FLOWBLAST" -f ipfix -d "127.0.0.1:$PORT" -n 20000 -r 4000 \
	    -E 2 -s "$step" -T 8 -q >/dev/null 2>&1 & ;;
	esac
	FB=$!
	T_PIDS="$T_PIDS $FB"
	case $((step % 10)) in
	3) filter "proto tcp and port 443" ;;
	5) keys soak Enter ;;		# drill into the selected row
	7) filter "net 10.0.0.0/8 or ip 2001:db8::1" ;;
	9) filter "" ;;
	*) act "$step" ;;
	esac
	sleep 5
	wait "$FB" 2>/dev/null
	echo "$(( $(date +%s) - START )) $(awk '/^VmRSS/ {print $2}' \
	    "/proc/$PID/status" 2>/dev/null)" >>"$T_TMP/rss"
	step=$((step + 1))
done

dead soak
is $? 1 "nftop ran $SOAK_SECONDS s under traffic and $step operator steps"
python3 - "$T_TMP/rss" "$SOAK_SECONDS" >"$T_TMP/rss.chk" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
s = [(int(t), int(k)) for t, *k in rows for k in k[:1]]
total = int(sys.argv[2])
warm = max(60, total // 3)
half = warm + (total - warm) // 2
mid = [k for t, k in s if warm <= t < half]
last = [k for t, k in s if t >= half]
if not mid or not last:
    print("no samples: %d" % len(s))
    sys.exit(0)
a, b = max(mid), max(last)
print("%s middle max %d KiB, last max %d KiB, first %d KiB, %d samples" % (
    "flat" if b <= a * 1.10 + 8192 else "GROWING", a, b, s[0][1], len(s)))
PY
awk '{ m = int($1 / 60); if ($2 > x[m]) x[m] = $2 }
    END { for (i in x) printf "# RSS max in minute %d: %d KiB\n", i, x[i] }' \
    "$T_TMP/rss" | sort -t' ' -k6n
grep -q '^flat' "$T_TMP/rss.chk"
ok $? "RSS is flat after warm-up: $(cat "$T_TMP/rss.chk")"
keys soak Escape
keys soak q
wait_for 60 dead soak
exited soak "nftop exited 0"
ok $? "q quits with status 0 (after LeakSanitizer's exit check)"
# atexit=1:print_stats=1 makes ASan write its statistics at every exit:
# a file there proves the reports could be written (nftop runs as nobody
# by then), so an empty grep means no report, not a lost one.
ls "$T_TMP/asan" | grep -q . &&
    ! grep -lE 'ERROR: |runtime error|LeakSanitizer' "$T_TMP"/asan/* \
    >/dev/null 2>&1
ok $? "no sanitizer report: no leak, no error ($(ls "$T_TMP/asan" | wc -l) exit statistics written)"
grep -lE 'ERROR: |runtime error|LeakSanitizer' "$T_TMP"/asan/* 2>/dev/null |
    while read -r f; do head -40 "$f" | sed 's/^/# /'; done
is "$(TM display -p -t soak '#{alternate_on}')" 0 "the terminal is restored"

done_testing
