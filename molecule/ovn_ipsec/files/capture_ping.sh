#!/bin/bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# Ping a logical port across chassis from a network namespace while capturing the
# underlay; print one JSON line with the ping result and the packet counts.
# Usage: capture_ping.sh NAMESPACE TARGET_IP UNDERLAY_IF COUNT
set -uo pipefail
ns=$1 target=$2 iface=$3 count=$4
pcap=$(mktemp /tmp/ovn-ipsec-capture.XXXXXX)
tcpdump -i "$iface" -nn -U -w "$pcap" 'esp or udp port 6081 or udp port 500 or udp port 4500' 2>/dev/null &
tcpdump_pid=$!
sleep 2
out=$(ip netns exec "$ns" ping -c "$count" -i 0.5 -W 2 "$target" 2>&1)
ping_rc=$?
sleep 1
kill "$tcpdump_pid" 2>/dev/null
wait "$tcpdump_pid" 2>/dev/null
n() { tcpdump -r "$pcap" -nn "$1" 2>/dev/null | wc -l; }
received=$(sed -n 's/.* \([0-9]\+\) received.*/\1/p' <<<"$out")
printf '{"ping_rc": %d, "sent": %d, "received": %d, "esp": %d, "geneve": %d, "ike": %d}\n' \
    "$ping_rc" "$count" "${received:-0}" "$(n esp)" "$(n 'udp port 6081')" "$(n 'udp port 500 or udp port 4500')"
rm -f "$pcap"
