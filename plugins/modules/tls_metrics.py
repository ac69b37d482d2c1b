#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: tls_metrics
short_description: Write certificate expiry metrics for node-exporter's textfile collector
version_added: 0.1.0
description:
  - Reads the certificates in the given PEM files (every certificate of a bundle) with
    C(openssl x509) and writes one Prometheus textfile (C(*.prom)) with their C(notAfter) and
    C(notBefore) as Unix time, whether each file could be read, and each file's renewal window.
  - The file is written atomically (temporary file in the same directory, then renamed) and only
    when its content or mode differ, so a rerun reports no change. It carries no time stamp of
    its own; alerts compute the time left as C(scs_kolla_certificate_not_after_timestamp_seconds - time()).
  - A missing or unreadable certificate file is not an error; it is reported as
    C(scs_kolla_certificate_readable 0) so that an alert can fire.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  path:
    description:
      - The C(.prom) file to write, inside the directory node-exporter reads with
        C(--collector.textfile.directory). The directory is created (mode 0755) when missing.
    type: path
    required: true
  certificates:
    description: The certificate files to describe.
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description: PEM file on the managed host (label C(path)).
        type: path
        required: true
      role:
        description: What the certificate is for, for example C(ovn_ipsec_chassis) (label C(role)).
        type: str
        required: true
      renew_before_days:
        description:
          - The renewal window of this certificate, exported as C(scs_kolla_certificate_renew_before_seconds)
            so that one alert rule covers every certificate. Omit it for certificates nobody renews
            automatically.
        type: int
  openssl:
    description: The openssl command.
    type: str
    default: openssl
attributes:
  check_mode:
    support: full
    description: Reports whether the file would change without writing it.
  diff_mode:
    support: full
    description: Shows the old and new file content (certificate metadata only, no secrets).
"""

EXAMPLES = r"""
- name: Export the expiry of the chassis certificate and its CA
  scs.kolla.tls_metrics:
    path: /var/lib/prometheus/node-exporter/scs_kolla_ovn_ipsec_certificates.prom
    certificates:
      - path: /etc/ipsec.d/certs/ovn-ipsec-chassis.pem
        role: ovn_ipsec_chassis
        renew_before_days: 30
      - path: /etc/ipsec.d/cacerts/ovn-ipsec-ca.pem
        role: ovn_ipsec_ca
"""

RETURN = r"""
certificates:
  description: Per file whether it was readable, why not, and its certificates (subject, serial, not_before, not_after as Unix time).
  returned: always
  type: dict
  sample: {"/etc/ipsec.d/certs/ovn-ipsec-chassis.pem": {"readable": true, "error": null,
           "certificates": [{"subject": "CN=node-a,O=SCS OVN IPsec", "serial": "1f", "not_before": 1764755257, "not_after": 1796291257}]}}
content:
  description: The textfile content written (or that would be written in check mode).
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.scs.kolla.plugins.module_utils.tls_metrics import (
    MetricsError,
    certificate_families,
    read_certificate_file,
    render,
    write_textfile,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            certificates=dict(type="list", elements="dict", required=True, options=dict(
                path=dict(type="path", required=True),
                role=dict(type="str", required=True),
                renew_before_days=dict(type="int"),
            )),
            openssl=dict(type="str", default="openssl"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not params["path"].endswith(".prom"):
        module.fail_json(msg="path %s must end in .prom: node-exporter's textfile collector reads only *.prom files"
                         % params["path"])
    openssl = module.get_bin_path(params["openssl"], required=True)

    def run(args, data):
        return module.run_command([openssl] + args, data=data)

    entries, described = [], {}
    for cert in params["certificates"]:
        result = read_certificate_file(cert["path"], run)
        described[cert["path"]] = result
        days = cert["renew_before_days"]
        entries.append({"path": cert["path"], "role": cert["role"], "result": result,
                        "renew_before_seconds": None if days is None else days * 86400})
    try:
        content = render(certificate_families(entries))
    except MetricsError as exc:
        module.fail_json(msg=str(exc))
    try:
        changed, before = write_textfile(params["path"], content, check_mode=module.check_mode)
    except (IOError, OSError) as exc:
        module.fail_json(msg="cannot write %s: %s" % (params["path"], exc))
    result = dict(changed=changed, certificates=described, content=content)
    if module._diff and changed:
        result["diff"] = {"before": before or "", "after": content,
                          "before_header": params["path"], "after_header": params["path"]}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
