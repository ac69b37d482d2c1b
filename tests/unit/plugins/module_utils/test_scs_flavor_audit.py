# -*- coding: utf-8 -*-
"""The audit's checks, one planted mistake at a time, on flavors derived from the standard."""

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_audit as audit_mod
from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_sync as sync


def good_cloud(sets=sync.STANDARD_SETS):
    desired, unused = sync.desired_state([], standard_sets=list(sets))
    return dict((d['name'], {'id': 'id-' + d['name'], 'name': d['name'], 'vcpus': d['vcpus'], 'ram': d['ram'],
                             'disk': d['disk'], 'is_public': True, 'description': None,
                             'extra_specs': dict(d['extra_specs'])}) for d in desired)


def run(cloud):
    return audit_mod.audit(list(cloud.values()))


def test_conformant_cloud_passes():
    report = run(good_cloud())
    assert report['passed'] and report['failed_checks'] == []
    assert report['counts'] == {'flavors': 31, 'scs_flavors': 31, 'errors': 0, 'warnings': 0}
    assert report['summary'][0].startswith('SCS flavor audit: PASSED')


def test_missing_recommended_is_reported_but_does_not_fail():
    report = run(good_cloud(['mandatory']))
    assert report['passed']
    assert not report['checks']['scs-0103-recommended']['passed']
    assert len(report['checks']['scs-0103-recommended']['missing']) == 16


def test_missing_mandatory_fails():
    cloud = good_cloud()
    del cloud['SCS-1L-1']
    report = run(cloud)
    assert report['failed_checks'] == ['scs-0103-mandatory']
    assert report['checks']['scs-0103-mandatory']['missing'] == ['SCS-1L-1']


@pytest.mark.parametrize('name, change, checks, problem', [
    ('SCS-1V-4', {'scs:cpu-type': 'dedicated-core'}, ['scs-0103-properties', 'scs-0103-mandatory'],
     "scs:cpu-type: 'dedicated-core' should be 'shared-core'"),
    ('SCS-2V-8', {'scs:name-v1': 'SCS-2V-8'}, ['scs-0103-properties', 'scs-0103-mandatory'],
     "scs:name-v1: 'SCS-2V-8' should be 'SCS-2V:8'"),
    ('SCS-4V-16', {'ram': 16000}, ['scs-0100-semantics-check', 'scs-0103-mandatory'], 'ram: 16000 should be 16384'),
    ('SCS-8V-32', {'disk': 10}, ['scs-0103-mandatory'], 'disk: 10 should be 0'),
    ('SCS-2V-4', {'vcpus': 1}, ['scs-0100-semantics-check', 'scs-0103-mandatory'], 'vcpus: 1 should be 2'),
    ('SCS-2V-4', {'vcpus': 4}, ['scs-0103-mandatory'], 'vcpus: 4 should be 2'),
    ('SCS-2V-4-20s', {'scs:disk0-type': 'network'}, ['scs-0103-properties', 'scs-0103-mandatory'],
     "scs:disk0-type: 'network' should be 'ssd'"),
    ('SCS-4V-16-100s', {'disk': 50}, ['scs-0100-semantics-check', 'scs-0103-mandatory'], 'disk: 50 should be 100'),
])
def test_each_listed_mistake_is_caught(name, change, checks, problem):
    cloud = good_cloud()
    flavor = cloud[name]
    for key, value in change.items():
        if key.startswith('scs:'):
            flavor['extra_specs'][key] = value
        else:
            flavor[key] = value
    report = run(cloud)
    assert not report['passed']
    assert report['failed_checks'] == checks
    assert report['standard_flavors'][name]['status'] == 'wrong'
    assert report['standard_flavors'][name]['problems'] == [problem]
    assert any(name in line and problem in line for line in report['summary'])


def test_disk_on_diskless_provider_flavor_is_a_warning():
    cloud = good_cloud()
    cloud['SCS-8V-32-x'] = dict(cloud['SCS-8V-32'], name='SCS-8V-32_kvm', id='x', disk=20,
                                extra_specs={})
    report = run(cloud)
    assert report['passed']
    entry = [f for f in report['flavors'] if f['name'] == 'SCS-8V-32_kvm'][0]
    assert entry['errors'] == []
    assert any('diskless' in w for w in entry['warnings'])


@pytest.mark.parametrize('ram, ok', [(4096, True), (4045, True), (4044, False), (3584, False)])
def test_ram_tolerance_is_the_references_rounding(ram, ok):
    cloud = good_cloud()
    cloud['p'] = dict(cloud['SCS-1V-4'], name='SCS-1V-4_kvm', id='p', ram=ram, extra_specs={})
    report = run(cloud)
    assert ('SCS-1V-4_kvm' not in report['checks']['scs-0100-semantics-check']['failed']) is ok
    assert audit_mod.ram_tenths(4045) == 40 and audit_mod.ram_tenths(4044) == 39


def test_invalid_names_fail_syntax_and_v1_names_are_tolerated():
    cloud = good_cloud()
    cloud['bad'] = dict(cloud['SCS-1V-4'], name='SCS-1X-4', id='bad')
    cloud['v1'] = dict(cloud['SCS-1V-4'], name='SCS-1V:4', id='v1')
    cloud['other'] = dict(cloud['SCS-1V-4'], name='m1.small', id='other')
    report = run(cloud)
    assert report['failed_checks'] == ['scs-0100-syntax-check']
    assert report['checks']['scs-0100-syntax-check']['failed'] == ['SCS-1X-4']
    v1 = [f for f in report['flavors'] if f['name'] == 'SCS-1V:4'][0]
    assert v1['valid'] and v1['errors'] == [] and v1['canonical'] == 'SCS-1V-4'
    assert any('tolerated spelling' in w for w in v1['warnings'])
    assert 'm1.small' not in [f['name'] for f in report['flavors']]


def test_standard_flavor_found_by_name_v2_property_first():
    cloud = good_cloud()
    renamed = cloud.pop('SCS-2V-4')
    renamed['name'] = 'provider-2-4'
    cloud['provider-2-4'] = renamed
    report = run(cloud)
    expected = {'set': 'mandatory', 'status': 'ok', 'flavor': 'provider-2-4', 'problems': []}
    assert report['standard_flavors']['SCS-2V-4'] == expected
    assert report['passed']


def test_stray_scs_property_is_a_warning():
    cloud = good_cloud()
    cloud['SCS-1V-2']['extra_specs']['scs:name-v3'] = 'SCS-1V-2'
    report = run(cloud)
    assert report['passed']
    entry = [f for f in report['flavors'] if f['name'] == 'SCS-1V-2'][0]
    assert entry['warnings'] == ["scs:name-v3='SCS-1V-2' is not a property this name defines"]
