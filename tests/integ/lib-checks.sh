# tests/integ/lib-checks.sh - TAP from Python checkers, with TODO, for the
# issue-4 tests (sflow-*.t, meter-*.t, capture-*.t, demo-*.t).  Source it
# after tests/lib.sh and lib-peers.sh.
#
# A checker (python3, sflow_check.Checks) prints one line per check:
#     PASS<TAB>description
#     FAIL<TAB>description<TAB>detail
#     SKIP<TAB>description<TAB>reason
#     TODO<TAB>description<TAB>ok|not ok<TAB>reason<TAB>detail
#     # diagnostics
# TODO is TAP's "known to fail, and why" (prove does not count a failing
# TODO test against the script): it marks a check whose expectation is
# wrong, or a documented gap of nftop, with the reason on the TAP line.

# todo_test STATUS DESCRIPTION REASON: a TAP test marked TODO.
todo_test() {
	T_NUM=$((T_NUM + 1))
	if [ "$1" = ok ]; then
		echo "ok $T_NUM - $2 # TODO $3"
	else
		echo "not ok $T_NUM - $2 # TODO $3"
	fi
}

# tapchecks CMD...: run a checker and turn its lines into TAP results.  A
# checker that crashes is one more failing test, its output diagnostics.
tapchecks() {
	local out=$T_TMP/tapchecks.$$.$T_NUM.out rc st desc a b c
	"$@" >"$out" 2>&1
	rc=$?
	while IFS=$'\t' read -r st desc a b c; do
		case $st in
		PASS) ok 0 "$desc" ;;
		FAIL) ok 1 "$desc"; [ -n "$a" ] && diag "  $a" ;;
		SKIP) skip_test "$desc" "$a" ;;
		TODO) todo_test "$a" "$desc" "$b"
		      [ -n "$c" ] && [ "$a" != ok ] && diag "  $c" ;;
		'#'*) echo "$st${desc:+ $desc}${a:+ $a}" ;;
		'') ;;
		*) echo "# $st $desc $a $b $c" ;;
		esac
	done <"$out"
	if [ "$rc" -ne 0 ]; then
		ok 1 "python checker exited with status $rc"
	fi
}
