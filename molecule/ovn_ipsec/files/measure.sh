#!/bin/bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# One measurement window on a chassis, shared by the renewal and CA rollover side effects.
#   measure.sh start IFACE [NAMESPACE TARGET_IP]
#       capture IKE, ESP and Geneve on the underlay IFACE (tcpdump --immediate-mode) and,
#       with NAMESPACE and TARGET_IP, ping TARGET_IP from NAMESPACE at 20 per second
#   measure.sh stop
#       end the window; print one JSON line: pings sent/received/lost, plain Geneve, ESP
#       and IKE frames on the underlay, and the guard chain's drop counter
# The window's state lives in /run/ovn-ipsec-measure; a start ends an earlier window.
set -uo pipefail
dir=/run/ovn-ipsec-measure
guard_chain=${GUARD_CHAIN:-OVN-IPSEC-GUARD}

stop_pid() {
    # $1 pid file, $2 signal; waits (bounded, 5 s) until the process is gone.
    [ -s "$1" ] || return 0
    local pid
    pid=$(cat "$1")
    kill "-$2" "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

guard_drops() {
    iptables -n -v -x -L "$guard_chain" 2>/dev/null | awk '$3 == "DROP" { n += $1 } END { print n + 0 }'
}

case ${1:-} in
    start)
        iface=$2 ns=${3:-} target=${4:-}
        stop_pid "$dir/ping.pid" INT
        stop_pid "$dir/tcpdump.pid" TERM
        rm -rf "$dir" && mkdir -p "$dir"
        guard_drops >"$dir/guard.start"
        setsid tcpdump -i "$iface" -nn --immediate-mode -U -w "$dir/capture.pcap" \
            'esp or udp port 6081 or udp port 500 or udp port 4500' </dev/null >/dev/null 2>"$dir/tcpdump.err" &
        echo $! >"$dir/tcpdump.pid"
        # tcpdump is capturing once it has written the pcap header (bounded: 5 s).
        for _ in $(seq 50); do [ -s "$dir/capture.pcap" ] && break; sleep 0.1; done
        if [ -n "$ns" ]; then
            setsid ip netns exec "$ns" ping -n -i 0.05 -W 1 "$target" </dev/null >"$dir/ping.out" 2>&1 &
            echo $! >"$dir/ping.pid"
        fi
        echo '{"started": true}'
        ;;
    stop)
        [ -d "$dir" ] || { echo '{"error": "no measurement window"}'; exit 1; }
        pinged=false
        [ -s "$dir/ping.pid" ] && pinged=true
        stop_pid "$dir/ping.pid" INT
        # Replies still on their way are in the capture.
        sleep 0.5
        stop_pid "$dir/tcpdump.pid" TERM
        n() { tcpdump -r "$dir/capture.pcap" -nn "$1" 2>/dev/null | wc -l; }
        sent=0 received=0
        if $pinged; then
            sent=$(sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' "$dir/ping.out")
            received=$(sed -n 's/.* \([0-9]\+\) received.*/\1/p' "$dir/ping.out")
        fi
        drops=$(( $(guard_drops) - $(cat "$dir/guard.start") ))
        printf '{"pinged": %s, "sent": %d, "received": %d, "lost": %d, "geneve": %d, "esp": %d, "ike": %d, "guard_drops": %d}\n' \
            "$pinged" "${sent:-0}" "${received:-0}" "$(( ${sent:-0} - ${received:-0} ))" \
            "$(n 'udp port 6081')" "$(n esp)" "$(n 'udp port 500 or udp port 4500')" "$drops"
        rm -rf "$dir"
        ;;
    *)
        echo "usage: $0 start IFACE [NAMESPACE TARGET_IP] | stop" >&2
        exit 2
        ;;
esac
