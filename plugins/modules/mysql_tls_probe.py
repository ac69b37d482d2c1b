#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: mysql_tls_probe
short_description: Check that a MariaDB or ProxySQL endpoint speaks verified TLS, or refuses plaintext
version_added: 0.1.0
description:
  - Opens one connection with PyMySQL to a MySQL-protocol endpoint (MariaDB, ProxySQL, a Galera node)
    and reports the negotiated TLS protocol and cipher as seen by the client and, when connected,
    the server's C(Ssl_version) / C(Ssl_cipher) session status.
  - With O(tls=true) the server certificate is always verified against O(ca_cert), and the host name
    or address against its subject alternative names unless O(check_hostname=false).
  - With O(expect=refused) the module fails if the connection succeeds, e.g. to show that a server
    with C(require_secure_transport) or a user with C(REQUIRE SSL) refuses plaintext, or that a
    certificate from another CA is rejected.
  - Reads only; it never changes the server.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
requirements:
  - PyMySQL on the host that runs the module
attributes:
  check_mode:
    support: full
    description: The module only reads, so it runs unchanged in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
options:
  host:
    description: Host name or address to connect to; with O(check_hostname) it must match the certificate.
    type: str
    required: true
  port:
    description: TCP port.
    type: int
    default: 3306
  user:
    description: Database user.
    type: str
    required: true
  password:
    description: Password of O(user).
    type: str
    default: ""
  tls:
    description: Connect with TLS (C(true)) or in plaintext (C(false)).
    type: bool
    default: true
  ca_cert:
    description: CA bundle that must have signed the server certificate. Required with O(tls=true).
    type: path
  client_cert:
    description: Client certificate to present (as ProxySQL presents C(mariadb-cert.pem) to the backends).
    type: path
  client_key:
    description: Private key of O(client_cert).
    type: path
  check_hostname:
    description: Verify that O(host) matches the certificate's subject alternative names.
    type: bool
    default: true
  expect:
    description: C(success) fails unless the connection works (and meets O(min_tls_version) with TLS);
      C(refused) fails if the connection works.
    type: str
    default: success
    choices: [success, refused]
  min_tls_version:
    description: Lowest acceptable negotiated protocol.
    type: str
    default: TLSv1.2
    choices: [TLSv1.2, TLSv1.3]
  connect_timeout:
    description: Seconds to wait for the connection.
    type: int
    default: 10
  query_server_status:
    description: After connecting, read the server's C(Ssl_version) and C(Ssl_cipher) session status.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Services' view of the database VIP (through ProxySQL)
  scs.kolla.mysql_tls_probe:
    host: "{{ kolla_internal_fqdn }}"
    user: root
    password: "{{ database_password }}"
    ca_cert: /etc/kolla/certificates/ca/root.crt
  delegate_to: localhost

- name: A MariaDB backend refuses plaintext for a service user with REQUIRE SSL
  scs.kolla.mysql_tls_probe:
    host: 192.168.16.10
    user: nova
    password: "{{ nova_database_password }}"
    tls: false
    expect: refused
"""

RETURN = r"""
connected:
  description: Whether the connection (including the TLS handshake and authentication) succeeded.
  returned: always
  type: bool
tls:
  description: Whether the connection was encrypted.
  returned: always
  type: bool
tls_version:
  description: Negotiated protocol as seen by the client.
  returned: always
  type: str
  sample: TLSv1.3
cipher:
  description: Negotiated cipher as seen by the client.
  returned: always
  type: str
  sample: TLS_AES_256_GCM_SHA384
cipher_bits:
  description: Secret bits of the cipher.
  returned: always
  type: int
peer_certificate_sha256:
  description: SHA-256 fingerprint (lowercase hex, no colons) of the certificate the server presented.
  returned: when connected with TLS
  type: str
server_ssl_version:
  description: The server's C(Ssl_version) session status (through ProxySQL this describes ProxySQL's own view).
  returned: always
  type: str
server_ssl_cipher:
  description: The server's C(Ssl_cipher) session status.
  returned: always
  type: str
error:
  description: Error message of a failed connection.
  returned: always
  type: str
error_code:
  description: MySQL error number of a failed connection (e.g. 1045 access denied), if the server sent one.
  returned: always
  type: int
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.scs.kolla.plugins.module_utils.mysql_tls import (
    probe,
    validate,
    verdict,
)

try:
    import pymysql  # noqa: F401 pylint: disable=unused-import
    HAS_PYMYSQL = True
    PYMYSQL_IMPORT_ERROR = None
except ImportError:
    HAS_PYMYSQL = False
    PYMYSQL_IMPORT_ERROR = traceback.format_exc()


def main():
    module = AnsibleModule(
        argument_spec=dict(
            host=dict(type="str", required=True),
            port=dict(type="int", default=3306),
            user=dict(type="str", required=True),
            password=dict(type="str", default="", no_log=True),
            tls=dict(type="bool", default=True),
            ca_cert=dict(type="path"),
            client_cert=dict(type="path"),
            client_key=dict(type="path", no_log=False),
            check_hostname=dict(type="bool", default=True),
            expect=dict(type="str", default="success", choices=["success", "refused"]),
            min_tls_version=dict(type="str", default="TLSv1.2", choices=["TLSv1.2", "TLSv1.3"]),
            connect_timeout=dict(type="int", default=10),
            query_server_status=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    if not HAS_PYMYSQL:
        module.fail_json(msg=missing_required_lib("PyMySQL"), exception=PYMYSQL_IMPORT_ERROR)
    errors = validate(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))
    result = probe(module.params)
    failure = verdict(module.params, result)
    if failure:
        module.fail_json(msg=failure, changed=False, **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
