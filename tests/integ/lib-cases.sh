# tests/integ/lib-cases.sh - the malformed-input suites (malformed.t,
# malformed-more.t) as TAP.  Source it after tests/lib.sh.
#
# run_cases GENERATOR: GENERATOR (malformed_cases.py's harness) says how
# many cases it has ("count") and runs them ("run DIR"), one line each:
#     PASS<TAB>desc | FAIL<TAB>desc<TAB>why
#     TODO_PASS<TAB>desc<TAB>reason | TODO_FAIL<TAB>desc<TAB>reason<TAB>why
# A generator that exits non-zero is one more failure, its stderr shown.
run_cases() {
	_gen=$1
	_n=$(python3 "$_gen" count) || skip_all "$(basename "$_gen") count failed"
	plan "$_n"
	NFTOP="$NFTOP" python3 "$_gen" run "$T_TMP" >"$T_TMP/results" \
	    2>"$T_TMP/errors"
	_rc=$?
	_tab=$(printf '\t')
	while IFS="$_tab" read -r st desc a b; do
		case $st in
		PASS)	ok 0 "$desc" ;;
		FAIL)	ok 1 "$desc"
			diag "$a" ;;
		TODO_FAIL)
			T_NUM=$((T_NUM + 1))
			echo "not ok $T_NUM - $desc # TODO $a"
			[ -n "$b" ] && diag "$b" ;;
		TODO_PASS)
			T_NUM=$((T_NUM + 1))
			echo "ok $T_NUM - $desc # TODO $a" ;;
		*)	echo "$st" ;;
		esac
	done <"$T_TMP/results"
	if [ "$_rc" -ne 0 ]; then
		diag "$(basename "$_gen") exited with $_rc:"
		sed 's/^/# /' "$T_TMP/errors"
		T_FAILED=$((T_FAILED + 1))
	fi
	done_testing
}
