#!/usr/bin/env bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# A throw-away MariaDB server for the proxysql_tls scenario: 127.0.0.1 only,
# its own port, datadir, socket and pid file, configured like kolla-ansible's
# galera.cnf with backend TLS (ssl_ca = ca/root.crt, per-host mariadb-cert.pem)
# plus the role's galera.cnf overlay.
#   test_mariadb.sh start STATE_DIR PORT CERTIFICATES_DIR HOST OVERLAY
#   test_mariadb.sh stop STATE_DIR
#   test_mariadb.sh sql STATE_DIR "SQL"     (as root over the unix socket)
set -euo pipefail
cmd=$1 state=$2
sock=/tmp/scs-ptls-$(printf %s "$state" | sha1sum | cut -c1-12).sock
pidfile=$state/mariadb.pid

running() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case $cmd in
start)
    port=$3 certs=$4 host=$5 overlay=$6
    running && { echo "already running"; exit 0; }
    mkdir -p "$state"
    if [ ! -d "$state/data/mysql" ]; then
        mariadb-install-db --no-defaults --datadir="$state/data" --user=root \
            --auth-root-authentication-method=socket --skip-test-db >"$state/install.log" 2>&1
    fi
    cat >"$state/my.cnf" <<CNF
[mysqld]
datadir=$state/data
port=$port
bind-address=127.0.0.1
socket=$sock
pid-file=$pidfile
user=root
log-error=$state/mariadb.err
skip-name-resolve
ssl_ca=$certs/ca/root.crt
ssl_cert=$certs/$host/mariadb-cert.pem
ssl_key=$certs/$host/mariadb-key.pem
!include $overlay
CNF
    setsid mariadbd --defaults-file="$state/my.cnf" </dev/null >/dev/null 2>&1 &
    for _ in $(seq 1 100); do
        if mariadb --no-defaults -S "$sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
            echo "started pid $(cat "$pidfile") on 127.0.0.1:$port"
            exit 0
        fi
        sleep 0.2
    done
    echo "MariaDB did not start; log:" >&2
    tail -20 "$state/mariadb.err" >&2
    exit 1
    ;;
stop)
    if running; then
        pid=$(cat "$pidfile")
        kill "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        echo "stopped pid $pid"
    else
        echo "not running"
    fi
    rm -f "$sock"
    ;;
sql)
    mariadb --no-defaults -S "$sock" -uroot --batch --skip-column-names -e "$3"
    ;;
*)
    echo "usage: $0 start|stop|sql STATE_DIR ..." >&2
    exit 2
    ;;
esac
