# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""An IPsec site connection that uses a named policy pair, made with plain openstacksdk.

    connection.py create POLICY_NAME   external network, router with gateway, project network,
                                       VPN service and the connection `site-a` (idempotent)
    connection.py delete               the connection and everything `create` made

No agent runs: Neutron stores them (status PENDING_CREATE) and nothing carries traffic; what
matters is that neutron-vpnaas then refuses to update or delete the policies in use.
"""

import sys

import openstack

PREFIX = "vpnaas-api-test"


def create(conn, policy_name):
    net = conn.network
    if net.find_vpn_ipsec_site_connection("site-a", ignore_missing=True):
        return
    ike = net.find_vpn_ike_policy(policy_name, ignore_missing=False)
    ipsec = net.find_vpn_ipsec_policy(policy_name, ignore_missing=False)
    ext = net.create_network(name=PREFIX + "-ext", is_router_external=True,
                             provider_network_type="flat", provider_physical_network="public")
    net.create_subnet(name=PREFIX + "-ext", network_id=ext.id, cidr="203.0.113.0/24", ip_version=4,
                      is_dhcp_enabled=False)
    inner = net.create_network(name=PREFIX)
    subnet = net.create_subnet(name=PREFIX, network_id=inner.id, cidr="10.9.0.0/24", ip_version=4)
    router = net.create_router(name=PREFIX, external_gateway_info={"network_id": ext.id})
    net.add_interface_to_router(router, subnet_id=subnet.id)
    service = net.create_vpn_service(name=PREFIX, router_id=router.id, subnet_id=subnet.id)
    net.create_vpn_ipsec_site_connection(
        name="site-a", vpnservice_id=service.id, ikepolicy_id=ike.id, ipsecpolicy_id=ipsec.id,
        peer_address="192.0.2.1", peer_id="192.0.2.1", peer_cidrs=["10.10.0.0/24"], psk="not-a-secret-test-psk")


def delete(conn):
    net = conn.network
    for site in net.vpn_ipsec_site_connections(name="site-a"):
        net.delete_vpn_ipsec_site_connection(site)
    for service in net.vpn_services(name=PREFIX):
        net.delete_vpn_service(service)
    for router in net.routers(name=PREFIX):
        for subnet in net.subnets(name=PREFIX):
            net.remove_interface_from_router(router, subnet_id=subnet.id)
        net.delete_router(router)
    for name in (PREFIX, PREFIX + "-ext"):
        for network in net.networks(name=name):
            net.delete_network(network)


def main():
    conn = openstack.connect(cloud="scs-kolla-neutron")
    if sys.argv[1:2] == ["create"] and len(sys.argv) == 3:
        create(conn, sys.argv[2])
    elif sys.argv[1:] == ["delete"]:
        delete(conn)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
