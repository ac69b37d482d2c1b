#!/bin/bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# The operator's host firewall on a test bed guest's underlay (chain TESTBED-UNDERLAY).
#   underlay_firewall.sh install IFACE   accept the OVN databases, replies and what arrives
#                                        decrypted from an IPsec SA on IFACE; drop the rest
#   underlay_firewall.sh allow-geneve    accept plain Geneve too (tunnels without IPsec)
# Both are idempotent.
set -eu
case ${1:-} in
    install)
        iptables -n -L TESTBED-UNDERLAY >/dev/null 2>&1 && exit 0
        iptables -N TESTBED-UNDERLAY
        iptables -A TESTBED-UNDERLAY -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
        iptables -A TESTBED-UNDERLAY -p tcp -m multiport --dports 6641,6642 -j ACCEPT
        iptables -A TESTBED-UNDERLAY -m policy --dir in --pol ipsec -j ACCEPT
        iptables -A TESTBED-UNDERLAY -j DROP
        iptables -A INPUT -i "$2" -j TESTBED-UNDERLAY
        ;;
    allow-geneve)
        iptables -C TESTBED-UNDERLAY -p udp --dport 6081 -j ACCEPT 2>/dev/null && exit 0
        iptables -I TESTBED-UNDERLAY 1 -p udp --dport 6081 -j ACCEPT
        ;;
    *)
        echo "usage: $0 install IFACE | allow-geneve" >&2
        exit 2
        ;;
esac
