#!/bin/bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# Test bed: the ovn-central guest as kolla's ovn-db role leaves it - NB/SB databases
# reachable over TCP on the underlay - plus one logical switch with a port per chassis.
# Usage: ovn_central.sh UNDERLAY_IP SWITCH PORT=MAC,IP...
set -euo pipefail
ip=$1 switch=$2
shift 2
systemctl start ovn-central
# ovn-central needs several seconds under TCG before its sockets answer: poll.
for _ in $(seq 120); do
    ovn-nbctl --timeout=5 show >/dev/null 2>&1 && ovn-sbctl --timeout=5 show >/dev/null 2>&1 && break
    sleep 1
done
ovn-nbctl --timeout=10 set-connection "ptcp:6641:$ip"
ovn-sbctl --timeout=10 set-connection "ptcp:6642:$ip"
ovn-nbctl --timeout=10 --may-exist ls-add "$switch"
for spec in "$@"; do
    port=${spec%%=*} addr=${spec#*=}
    ovn-nbctl --timeout=10 --may-exist lsp-add "$switch" "$port" -- lsp-set-addresses "$port" "${addr/,/ }"
done
ovn-nbctl --timeout=10 show
