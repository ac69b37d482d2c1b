#!/bin/bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# Test bed: a chassis as kolla-ansible's openvswitch and ovn-controller roles leave
# it. Open vSwitch runs outside the distribution's units (as in kolla's containers),
# shares /run/openvswitch/db.sock with the host, and carries the external_ids kolla
# sets (system-id = hostname, ovn-encap-type geneve, ovn-encap-ip on the underlay,
# ovn-remote). One logical port lives in a network namespace.
# Usage: kolla_like_chassis.sh NAME ENCAP_IP SB_IP NAMESPACE PORT MAC IP/PREFIX
set -euo pipefail
name=$1 encap_ip=$2 sb_ip=$3 ns=$4 port=$5 mac=$6 addr=$7
db=/var/lib/openvswitch/conf.db
modprobe -a openvswitch geneve esp4 xfrm_user

# kolla: no host Open vSwitch units.
systemctl stop ovn-controller openvswitch-switch ovs-vswitchd ovsdb-server 2>/dev/null || true
systemctl mask -q openvswitch-switch.service ovsdb-server.service ovs-vswitchd.service \
    ovs-record-hostname.service openvswitch-ipsec.service
mkdir -p /run/openvswitch /var/lib/openvswitch /var/log/kolla/openvswitch
[ -e "$db" ] || ovsdb-tool create "$db" /usr/share/openvswitch/vswitch.ovsschema
if ! systemctl is-active -q kolla-openvswitch-db; then
    systemd-run -q --unit=kolla-openvswitch-db ovsdb-server "$db" \
        --remote=punix:/run/openvswitch/db.sock --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
        --pidfile=/run/openvswitch/ovsdb-server.pid --log-file=/var/log/kolla/openvswitch/ovsdb-server.log
fi
for _ in $(seq 60); do ovs-vsctl --timeout=5 --no-wait show >/dev/null 2>&1 && break; sleep 1; done
ovs-vsctl --no-wait init
if ! systemctl is-active -q kolla-openvswitch-vswitchd; then
    systemd-run -q --unit=kolla-openvswitch-vswitchd ovs-vswitchd unix:/run/openvswitch/db.sock \
        --pidfile=/run/openvswitch/ovs-vswitchd.pid --log-file=/var/log/kolla/openvswitch/ovs-vswitchd.log
fi
ovs-vsctl --timeout=60 set Open_vSwitch . external_ids:system-id="$name" external_ids:hostname="$name" \
    external_ids:ovn-encap-type=geneve external_ids:ovn-encap-ip="$encap_ip" \
    external_ids:ovn-remote="tcp:$sb_ip:6642"
systemctl restart ovn-controller
ovs-vsctl --timeout=120 wait-until Bridge br-int

ip netns list | grep -qw "$ns" || ip netns add "$ns"
if ! ip netns exec "$ns" ip link show "$port" >/dev/null 2>&1; then
    ovs-vsctl --timeout=60 --may-exist add-port br-int "$port" \
        -- set Interface "$port" type=internal external_ids:iface-id="$port"
    for _ in $(seq 60); do ip link show "$port" >/dev/null 2>&1 && break; sleep 1; done
    ip link set "$port" netns "$ns"
fi
ip netns exec "$ns" ip link set "$port" address "$mac"
ip netns exec "$ns" ip addr replace "$addr" dev "$port"
ip netns exec "$ns" ip link set "$port" up
ip netns exec "$ns" ip link set lo up
echo "chassis $name encap $encap_ip port $port $addr in netns $ns"
