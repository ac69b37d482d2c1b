# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
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
                                extra_specs={'scs:cpu-type': 'shared-core'})
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


# -- the official runner's verdict -------------------------------------------

def entry_of(report, name):
    return [f for f in report['flavors'] if f['name'] == name][0]


def provider(cloud, name, vcpus=4, ram=8192, disk=10, specs=None):
    cloud[name] = {'id': 'id-' + name, 'name': name, 'vcpus': vcpus, 'ram': ram, 'disk': disk,
                   'is_public': True, 'description': None,
                   'extra_specs': {'scs:cpu-type': 'shared-core'} if specs is None else specs}


@pytest.mark.parametrize('name', ['SCS-1L-1', 'SCS-4V-16-100s', 'SCS-2V-4'])
def test_private_mandatory_flavor_counts_as_missing(name):
    cloud = good_cloud()
    cloud[name]['is_public'] = False
    report = run(cloud)
    assert not report['passed'] and report['failed_checks'] == ['scs-0103-mandatory']
    check = report['checks']['scs-0103-mandatory']
    assert check['missing'] == [name] and check['private'] == [name] and check['wrong'] == []
    assert report['standard_flavors'][name]['status'] == 'private'
    assert report['standard_flavors'][name]['flavor'] == name
    assert 'member user' in report['standard_flavors'][name]['problems'][0]
    entry = entry_of(report, name)
    assert entry['public'] is False and entry['errors'] == []
    assert any('standard flavor missing' in w for w in entry['warnings'])
    assert any(name in line and 'private' in line for line in report['summary'])


def test_private_recommended_flavor_is_reported_missing():
    cloud = good_cloud()
    cloud['SCS-16V-64']['is_public'] = False
    report = run(cloud)
    assert report['passed']
    check = report['checks']['scs-0103-recommended']
    assert not check['passed'] and check['missing'] == ['SCS-16V-64'] and check['private'] == ['SCS-16V-64']


def test_public_twin_of_a_private_standard_flavor_counts():
    cloud = good_cloud()
    cloud['twin'] = dict(cloud['SCS-1L-1'], id='twin', name='provider-1l-1', is_public=False)
    report = run(cloud)
    assert report['passed'] and report['standard_flavors']['SCS-1L-1']['status'] == 'ok'


def test_flavor_without_any_scs_property_fails_the_properties_check():
    cloud = good_cloud()
    provider(cloud, 'SCS-8V-32-100s', 8, 32768, 100, specs={'hw_rng:allowed': 'True'})
    report = run(cloud)
    assert report['failed_checks'] == ['scs-0103-properties']
    assert report['checks']['scs-0103-properties']['failed'] == ['SCS-8V-32-100s']
    errors = entry_of(report, 'SCS-8V-32-100s')['errors']
    assert errors == ['scs:* properties all missing (the name defines scs:cpu-type, scs:disk0-type, '
                      'scs:name-v1, scs:name-v2)']


def test_some_scs_properties_missing_is_a_warning():
    cloud = good_cloud()
    specs = audit_mod.scs_flavor.analyse('SCS-8V-32-100s')['extra_specs']
    del specs['scs:name-v2']
    provider(cloud, 'SCS-8V-32-100s', 8, 32768, 100, specs=specs)
    report = run(cloud)
    assert report['passed']
    assert entry_of(report, 'SCS-8V-32-100s')['warnings'] == ["scs:name-v2 missing (should be 'SCS-8V-32-100s')"]


def test_x_without_count_is_valid_with_the_canonical_spelling():
    cloud = good_cloud()
    provider(cloud, 'SCS-4V-8-x10n', specs=audit_mod.scs_flavor.analyse('SCS-4V-8-10n')['extra_specs'])
    report = run(cloud)
    assert report['passed']
    entry = entry_of(report, 'SCS-4V-8-x10n')
    assert entry['valid'] and entry['official_valid'] and entry['canonical'] == 'SCS-4V-8-10n'
    assert entry['errors'] == []
    assert any("'SCS-4V-8-10n'" in w for w in entry['warnings'])


@pytest.mark.parametrize('name, number', [
    ('SCS-2C-4-3x', 2), ('SCS-2C-4-3xs', 2), ('SCS-2C:4:3x', 2), ('SCS-2C-4-x', 2),
    ('SCS-2C-4_GNah', 3), ('SCS-2C-4_GN-14', 3), ('SCS-2C-4_GA-14-8h', 3),
])
def test_names_only_the_official_parser_accepts_pass_with_a_warning(name, number):
    cloud = good_cloud()
    provider(cloud, name, vcpus=2, ram=4096)
    report = run(cloud)
    assert report['passed'], report['summary']
    entry = entry_of(report, name)
    assert entry['valid'] is False and entry['official_valid'] is True and entry['errors'] == []
    assert entry['warnings'][0].startswith('invalid by the written grammar (')
    assert audit_mod.DIFFERENCES[number] in entry['warnings']
    assert 'deliberate difference %d' % number in audit_mod.DIFFERENCES[number]


def test_names_only_the_official_parser_accepts_still_get_the_semantics_check():
    cloud = good_cloud()
    provider(cloud, 'SCS-4C-8-3x', vcpus=2, ram=8192)
    report = run(cloud)
    assert report['failed_checks'] == ['scs-0100-semantics-check']
    assert entry_of(report, 'SCS-4C-8-3x')['errors'] == ['vcpus 2 is fewer than the 4 the name promises']


@pytest.mark.parametrize('name', ['SCS-2V-4_GNa_ib', 'SCS-2V:4-GNa-ib', 'SCS-2V-4_GN_ib'])
def test_name_the_official_parser_rejects_fails_syntax_naming_the_difference(name):
    cloud = good_cloud()
    provider(cloud, name, vcpus=2, ram=4096, disk=0)
    report = run(cloud)
    assert report['failed_checks'] == ['scs-0100-syntax-check']
    assert report['checks']['scs-0100-syntax-check']['failed'] == [name]
    entry = entry_of(report, name)
    assert entry['valid'] is True and entry['official_valid'] is False
    assert entry['errors'] == ['rejected by the official SCS parser (see the warning)']
    assert audit_mod.DIFFERENCES[1] in entry['warnings']


@pytest.mark.parametrize('name', ['SCS-2V-4-3x10q', 'SCS-2V-4_GNz-4', 'SCS-2V-4-3x_GNz', 'SCS-2V-4_GNah_kvm'])
def test_other_invalid_names_still_fail(name):
    cloud = good_cloud()
    provider(cloud, name, vcpus=2, ram=4096)
    report = run(cloud)
    assert report['checks']['scs-0100-syntax-check']['failed'] == [name]
    assert entry_of(report, name)['official_valid'] is False


def test_official_reading_of_valid_names_is_the_engine_analysis():
    info = audit_mod.scs_flavor.analyse('SCS-2V-4-20s')
    assert audit_mod.official_reading('SCS-2V-4-20s', info) == (True, [], info)
