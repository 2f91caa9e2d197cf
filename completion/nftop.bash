# bash completion for nftop(1).  `make install` puts it where
# bash-completion looks: $(PREFIX)/share/bash-completion/completions/nftop.

_nftop()
{
	local cur prev words cword opts
	_init_completion -s 2>/dev/null || {
		COMPREPLY=()
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
	}

	opts='--listen --sflow --interface --read --bpf --filter --aggregate
	    --order --top --window --batch --format --interval --count --flows
	    --burst --alerts --at --channels --asn --geoip --ifnames
	    --demo --keymap --config --history --max-keys --rcvbuf --sampling
	    --allow --forward --clickhouse --clickhouse-buffer
	    --from-clickhouse --user --help --version'

	case $prev in
	--format|-o)
		COMPREPLY=($(compgen -W 'text json csv' -- "$cur"))
		return ;;
	--order|-O)
		COMPREPLY=($(compgen -W 'bytes packets flows bps pps' -- \
		    "$cur"))
		return ;;
	--window|-w)
		COMPREPLY=($(compgen -W '10s 30s 1m 5m 15m 1h 1d all' -- "$cur"))
		return ;;
	--aggregate|-A)
		# A comma list: complete the key after the last comma.
		local head=${cur%,*} keys='srcip dstip ip pair 5tuple srcport
		    dstport port proto tos srcas dstas as inif outif if nexthop
		    exporter srccountry dstcountry country srcip/24 dstip/24
		    srcip/64 dstip/64'
		[ "$head" = "$cur" ] && head= || head="$head,"
		COMPREPLY=($(compgen -P "$head" -W "$keys" -- "${cur##*,}"))
		compopt -o nospace 2>/dev/null
		return ;;
	--keymap|-k)
		COMPREPLY=($(compgen -W 'default vim' -- "$cur")
		    $(compgen -f -X '!*.keys' -- "$cur"))
		return ;;
	--read|-r)
		COMPREPLY=($(compgen -f -X '!*.@(pcap|pcapng|cap|dump)' -- \
		    "$cur") $(compgen -d -- "$cur"))
		return ;;
	--config|--channels|--asn|--geoip|--ifnames)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--interface|-i)
		COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" \
		    -- "$cur"))
		return ;;
	--user|-u)
		COMPREPLY=($(compgen -u -- "$cur"))
		return ;;
	--listen|-l|--sflow|--bpf|-f|--filter|-F|--top|-n|--interval|-t|\
	--count|-c|--history|--max-keys|--rcvbuf|--sampling|-s|--allow|\
	--forward|--at|--clickhouse|--clickhouse-buffer|--from-clickhouse)
		return ;;	# a value of the user's
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	# Trailing words are an nfdump filter: offer its first words.
	COMPREPLY=($(compgen -W 'proto src dst ip net port host as if in out
	    and or not any tos flags bytes packets' -- "$cur"))
}
complete -F _nftop nftop
