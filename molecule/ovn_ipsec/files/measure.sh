#!/bin/bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# One measurement window on a chassis, shared by the renewal and CA rollover side effects.
#   measure.sh start IFACE [NAMESPACE TARGET_IP]
#       capture IKE, ESP and Geneve on the underlay IFACE (tcpdump --immediate-mode) and,
#       with NAMESPACE and TARGET_IP, ping TARGET_IP from NAMESPACE at 20 per second
#   measure.sh stop
#       end the window; print one JSON line: pings sent/received/lost (and whether the last
#       request was unanswered: on its way when ping stopped, or lost), plain Geneve, ESP
#       and IKE frames on the underlay, and the guard chain's drop counter
# The window's state lives in /run/ovn-ipsec-measure; a start ends an earlier window.
set -uo pipefail
dir=/run/ovn-ipsec-measure
guard_chain=${GUARD_CHAIN:-OVN-IPSEC-GUARD}

stop_unit() {
    # $1 unit; systemctl stop waits until it is gone (bounded by the unit's stop timeout).
    systemctl stop "$1" 2>/dev/null || true
}

guard_drops() {
    iptables -n -v -x -L "$guard_chain" 2>/dev/null | awk '$3 == "DROP" { n += $1 } END { print n + 0 }'
}

case ${1:-} in
    start)
        iface=$2 ns=${3:-} target=${4:-}
        stop_unit ovn-ipsec-measure-ping
        stop_unit ovn-ipsec-measure-tcpdump
        rm -rf "$dir" && mkdir -p "$dir"
        guard_drops >"$dir/guard.start"
        # Transient systemd units: the window outlives the Ansible task that opened it.
        systemd-run --quiet --collect --unit=ovn-ipsec-measure-tcpdump \
            tcpdump -i "$iface" -nn --immediate-mode -U -w "$dir/capture.pcap" \
            'esp or udp port 6081 or udp port 500 or udp port 4500'
        # tcpdump is capturing once it has written the pcap header (bounded: 5 s).
        for _ in $(seq 50); do [ -s "$dir/capture.pcap" ] && break; sleep 0.1; done
        if [ -n "$ns" ]; then
            # ping prints its summary on SIGINT, so the unit stops it with SIGINT.
            systemd-run --quiet --collect --unit=ovn-ipsec-measure-ping -p KillSignal=SIGINT \
                -p StandardOutput="file:$dir/ping.out" -p StandardError="file:$dir/ping.err" \
                ip netns exec "$ns" ping -n -i 0.05 -W 1 "$target"
            echo ping >"$dir/pinged"
        fi
        echo '{"started": true}'
        ;;
    stop)
        [ -d "$dir" ] || { echo '{"error": "no measurement window"}'; exit 1; }
        pinged=false
        [ -s "$dir/pinged" ] && pinged=true
        stop_unit ovn-ipsec-measure-ping
        # Replies still on their way are in the capture.
        sleep 0.5
        stop_unit ovn-ipsec-measure-tcpdump
        n() { tcpdump -r "$dir/capture.pcap" -nn "$1" 2>/dev/null | wc -l; }
        sent=0 received=0 last_unanswered=false
        if $pinged; then
            sent=$(sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' "$dir/ping.out")
            received=$(sed -n 's/.* \([0-9]\+\) received.*/\1/p' "$dir/ping.out")
            # The request sent last may still have been on its way when ping stopped: say so.
            grep -q "icmp_seq=${sent:-0} " "$dir/ping.out" || last_unanswered=true
        fi
        drops=$(( $(guard_drops) - $(cat "$dir/guard.start") ))
        printf '{"pinged": %s, "sent": %d, "received": %d, "lost": %d, "last_unanswered": %s, "geneve": %d, "esp": %d, "ike": %d, "guard_drops": %d}\n' \
            "$pinged" "${sent:-0}" "${received:-0}" "$(( ${sent:-0} - ${received:-0} ))" "$last_unanswered" \
            "$(n 'udp port 6081')" "$(n esp)" "$(n 'udp port 500 or udp port 4500')" "$drops"
        rm -rf "$dir"
        ;;
    *)
        echo "usage: $0 start IFACE [NAMESPACE TARGET_IP] | stop" >&2
        exit 2
        ;;
esac
