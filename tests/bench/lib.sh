# tests/bench/lib.sh - what the bench scripts share (sourced): the number
# of runs each figure is the median of, the machine line, and the rows of
# the summary table tests/bench/run.sh prints at the end of `make bench`.
#
#   BENCH_RUNS   runs per figure (default 5; medians need at least 5)
#   BENCH_TABLE  file the rows go to (tab-separated); unset: rows only
#                printed by the script itself

BENCH_RUNS=${BENCH_RUNS:-5}

bench_machine() {
	echo "$(nproc) CPUs, $(sed -n 's/^model name\t: //p' /proc/cpuinfo |
	    head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_row FIGURE NFTOP PEER RATIO TARGET MET
bench_row() {
	[ -n "${BENCH_TABLE:-}" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$BENCH_TABLE"
}

# bench_fact NAME VALUE: a number another figure needs as its peer
bench_fact() {
	[ -n "${BENCH_TABLE:-}" ] || return 0
	printf '%s\t%s\n' "$1" "$2" >>"$BENCH_TABLE.facts"
}

# bench_met VALUE OP LIMIT: "yes" or "no" (OP: ge, le, lt, gt)
bench_met() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		if (v == "" || v == "-" || v ~ /nan/) { print "-"; exit }
		if (op == "ge") m = v + 0 >= l + 0
		else if (op == "le") m = v + 0 <= l + 0
		else if (op == "lt") m = v + 0 < l + 0
		else m = v + 0 > l + 0
		print m ? "yes" : "no" }'
}

# bench_ratio A B: A / B with two decimals, "-" when B is 0 or missing
bench_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b == "" || b == "-" || b + 0 == 0 || a == "" || a == "-")
			print "-"
		else
			printf "%.2f\n", a / b }'
}
