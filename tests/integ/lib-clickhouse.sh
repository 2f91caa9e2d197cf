# tests/integ/lib-clickhouse.sh - a private ClickHouse server for a test:
# Debian's clickhouse-server with a config, data folder and loopback ports
# of its own under $T_TMP, started through lib.sh's spawn (so it is ended
# by PID at exit) and stopped and started again by PID.
#
#     ch_install              install clickhouse-server if missing, or
#                             skip the whole test saying why it cannot be
#     ch_setup                write the config (free ports); sets CH_HTTP
#     ch_start / ch_stop      start it and wait until it answers / stop it
#     ch_query SQL            run SQL over HTTP, print the answer (TSV)

ch_install() {
	local log=$T_TMP/ch-install.log
	command -v clickhouse-server >/dev/null 2>&1 && return 0
	if [ "$(id -u)" -eq 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		    --no-install-recommends clickhouse-server >"$log" 2>&1
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install \
		    -y -q --no-install-recommends clickhouse-server \
		    >"$log" 2>&1
	fi
	command -v clickhouse-server >/dev/null 2>&1 ||
	    skip_all "clickhouse-server is not installable here:" \
	    "$(tail -n 1 "$log" 2>/dev/null || echo 'not root, no sudo')"
}

# A TCP port on 127.0.0.1 that is free right now.
free_tcp_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

ch_setup() {
	CH_DIR=$T_TMP/clickhouse
	mkdir -p "$CH_DIR/data"
	CH_HTTP=$(free_tcp_port)
	CH_TCP=$(free_tcp_port)
	CH_INTER=$(free_tcp_port)
	# The server runs as the test's user; only 127.0.0.1 is listened on
	# and only loopback clients are let in.
	cat >"$CH_DIR/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$CH_DIR/server.log</log>
        <errorlog>$CH_DIR/error.log</errorlog><console>0</console></logger>
    <http_port>$CH_HTTP</http_port>
    <tcp_port>$CH_TCP</tcp_port>
    <interserver_http_port>$CH_INTER</interserver_http_port>
    <listen_host>127.0.0.1</listen_host>
    <path>$CH_DIR/data/</path>
    <tmp_path>$CH_DIR/data/tmp/</tmp_path>
    <user_files_path>$CH_DIR/data/user_files/</user_files_path>
    <format_schema_path>$CH_DIR/data/format_schemas/</format_schema_path>
    <users_config>$CH_DIR/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>67108864</mark_cache_size>
    <max_concurrent_queries>32</max_concurrent_queries>
</yandex>
XML
	cat >"$CH_DIR/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage>
  </default></profiles>
  <users><default><password></password>
    <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries>
    <errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows>
    <execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
	CH_URL="http://127.0.0.1:$CH_HTTP/"
}

ch_query() {
	python3 - "$CH_HTTP" "$1" <<'PY'
import sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:%s/" % sys.argv[1],
                             data=sys.argv[2].encode())
with urllib.request.urlopen(req, timeout=30) as r:
    sys.stdout.write(r.read().decode())
PY
}

ch_up() { [ "$(ch_query 'SELECT 1' 2>/dev/null)" = 1 ]; }

# ch_start: start the server (sets CH_PID), wait up to 60 s for answers.
ch_start() {
	spawn clickhouse-server --config-file="$CH_DIR/config.xml" \
	    >>"$CH_DIR/stdout.log" 2>&1
	CH_PID=$SPAWNED
	wait_until 60 ch_up && return 0
	diag "clickhouse-server did not answer:" \
	    "$(tail -n 5 "$CH_DIR/error.log" "$CH_DIR/stdout.log" 2>/dev/null)"
	return 1
}

ch_stop() {
	proc_stop "$CH_PID" TERM 60
}
