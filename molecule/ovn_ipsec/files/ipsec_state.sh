#!/bin/bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# One JSON line describing everything OVN IPsec leaves on a chassis: OVS settings,
# tunnel options, kernel xfrm state, IKE daemon, files, unit. Used to prove "nothing
# changed" (negative run) and "nothing left over" (disable path).
set -uo pipefail
cert=${1:-/etc/ipsec.d/certs/ovn-ipsec-chassis.pem}
key=${2:-/etc/ipsec.d/private/ovn-ipsec-chassis.pem}
ca=${3:-/etc/ipsec.d/cacerts/ovn-ipsec-ca.pem}
unit=/etc/systemd/system/ovn-ipsec-monitor.service
sum() { if [ -e "$1" ]; then sha256sum "$1" | cut -c1-16; else echo absent; fi; }
count() { grep -c . || true; }
pki=$(ovs-vsctl --timeout=10 get Open_vSwitch . other_config | tr -d '{}"' | tr ',' '\n' \
      | grep -E '^ ?(certificate|private_key|ca_cert)=' | tr -d ' ' | sort | paste -sd ';')
remote_names=$(ovs-vsctl --timeout=10 --bare --columns=options find Interface type=geneve | grep -o 'remote_name=' | count)
geneve_ports=$(ovs-vsctl --timeout=10 --bare --columns=name find Interface type=geneve | count)
policies=$(ip xfrm policy | grep -c '^src' || true)
states=$(ip xfrm state | grep -c '^src' || true)
ike=$(pidof charon pluto >/dev/null && echo running || echo stopped)
cacerts=$( (ipsec listcacerts 2>/dev/null || true) | grep -c 'subject:' || true)
conns=$(grep -c '^conn ovn-' /etc/ipsec.conf 2>/dev/null || true)
monitor=$(systemctl is-active ovn-ipsec-monitor.service 2>/dev/null || true)
printf '{"pki": "%s", "geneve_ports": %d, "remote_names": %d, "xfrm_policies": %d, "xfrm_states": %d,' \
    "$pki" "$geneve_ports" "$remote_names" "$policies" "$states"
printf ' "ike_daemon": "%s", "cacerts_loaded": %d, "ipsec_conf_ovn_conns": %d, "monitor": "%s",' \
    "$ike" "$cacerts" "$conns" "$monitor"
printf ' "cert": "%s", "key": "%s", "key_mode": "%s", "ca": "%s", "unit": "%s", "strongswan_ovs_conf": "%s"}\n' \
    "$(sum "$cert")" "$(sum "$key")" "$(stat -c %a "$key" 2>/dev/null || echo absent)" "$(sum "$ca")" \
    "$(sum "$unit")" "$(sum /etc/strongswan.d/ovs.conf)"
