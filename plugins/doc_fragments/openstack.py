# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The common options of scs.kolla's OpenStack modules (scs_openstack.OpenStackModule adds
    # them to every such module). Names, aliases and meaning follow openstack.cloud, so
    # clouds.yaml, OS_* variables and existing vars files carry over.
    DOCUMENTATION = r'''
options:
  cloud:
    description:
      - Name of a cloud in C(clouds.yaml), or a dict with a complete cloud configuration
        as it would appear in a C(clouds.yaml) section.
      - Not needed when I(auth) is given or the C(OS_CLOUD) or other C(OS_*) environment
        variables describe the cloud.
    type: raw
  auth:
    description:
      - Authentication information for the cloud's auth plugin; for the default C(password)
        plugin I(auth_url), I(username), I(password), I(project_name) and the domain names.
    type: dict
  auth_type:
    description:
      - Name of the keystoneauth plugin, for example C(password), C(v3applicationcredential)
        or C(token).
    type: str
  region_name:
    description:
      - Name of the region.
    type: str
  interface:
    description:
      - Endpoint interface from the service catalog to use.
    type: str
    choices: [admin, internal, public]
    default: public
    aliases: [endpoint_type]
  validate_certs:
    description:
      - Whether TLS certificates of the API endpoints are verified. Unset means the
        C(clouds.yaml) or environment setting (verification on by default).
    type: bool
    aliases: [verify]
  ca_cert:
    description:
      - Path of a CA bundle to verify the API endpoints with.
    type: str
    aliases: [cacert]
  client_cert:
    description:
      - Path of a client certificate for mutual TLS.
    type: str
    aliases: [cert]
  client_key:
    description:
      - Path of the private key of I(client_cert).
    type: str
    aliases: [key]
  api_timeout:
    description:
      - Seconds to wait for an API response; unset means no timeout.
    type: int
requirements:
  - python >= 3.8
  - openstacksdk >= 1.0.0
notes:
  - The modules authenticate once and reuse that one connection for every request they make.
'''
