# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The Nova flavor API calls the flavor modules make, on one ComputeAPI (scs_openstack).

``NovaFlavors.list`` returns every flavor (public and private) as the plain dict the sync's
planner and the audit compare (``normalise``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

try:
    from urllib.parse import urlparse, parse_qs, quote
except ImportError:  # pragma: no cover - Python 2 is not supported, keeps sanity's compile quiet
    from urlparse import urlparse, parse_qs  # noqa
    from urllib import quote  # noqa

# Flavor list with extra_specs in one response needs >= 2.61; >= 2.55 for descriptions.
# Below 2.86 Nova does not validate the extra spec keys it knows, so hw_rng:allowed and scs:*
# are stored as given (all Nova releases kolla-ansible 2024.1..2026.1 deploy support 2.61).
MICROVERSION = '2.61'


def spec_value(value):
    """Extra spec values are strings in Nova; booleans in Nova's own spelling ('True')."""
    return str(value)


def normalise(flavor):
    """A Nova flavor (API JSON) as the dict the planner compares."""
    return {
        'id': flavor['id'],
        'name': flavor['name'],
        'vcpus': flavor['vcpus'],
        'ram': flavor['ram'],
        'disk': flavor['disk'],
        'is_public': flavor.get('os-flavor-access:is_public', True),
        'description': flavor.get('description'),
        'extra_specs': dict((k, spec_value(v)) for k, v in (flavor.get('extra_specs') or {}).items()),
    }


class NovaFlavors(object):
    """The flavor calls, on a ComputeAPI (one connection, one microversion)."""

    def __init__(self, api):
        self.api = api

    def list(self):
        """Every flavor (public and private) with extra_specs: one GET per 1000 flavors."""
        flavors = []
        url = '/flavors/detail?is_public=None'
        while url:
            page = self.api.call('GET', url) or {}
            flavors.extend(page.get('flavors', []))
            url = None
            for link in page.get('flavors_links', []):
                if link.get('rel') == 'next':
                    marker = parse_qs(urlparse(link['href']).query).get('marker')
                    if marker:
                        url = '/flavors/detail?is_public=None&marker=%s' % quote(marker[0])
        result = []
        for flavor in flavors:
            if 'extra_specs' not in flavor:  # the policy may hide them from the list
                flavor['extra_specs'] = (self.api.call('GET', '/flavors/%s/os-extra_specs' % quote(flavor['id'], safe=''))
                                         or {}).get('extra_specs', {})
            result.append(normalise(flavor))
        return result

    def create(self, want):
        body = {'name': want['name'], 'vcpus': want['vcpus'], 'ram': want['ram'], 'disk': want['disk'],
                'os-flavor-access:is_public': want['is_public']}
        if want['id'] is not None:
            body['id'] = want['id']
        if want['description'] is not None:
            body['description'] = want['description']
        created = self.api.call('POST', '/flavors', {'flavor': body})['flavor']
        if want['extra_specs']:
            self.set_specs(created['id'], want['extra_specs'])
        return created['id']

    def set_specs(self, flavor_id, specs):
        self.api.call('POST', '/flavors/%s/os-extra_specs' % quote(flavor_id, safe=''), {'extra_specs': specs})

    def unset_spec(self, flavor_id, key):
        self.api.call('DELETE', '/flavors/%s/os-extra_specs/%s' % (quote(flavor_id, safe=''), quote(key, safe='')))

    def set_description(self, flavor_id, description):
        self.api.call('PUT', '/flavors/%s' % quote(flavor_id, safe=''), {'flavor': {'description': description}})

    def delete(self, flavor_id):
        self.api.call('DELETE', '/flavors/%s' % quote(flavor_id, safe=''))
