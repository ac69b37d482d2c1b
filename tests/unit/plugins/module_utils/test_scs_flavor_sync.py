# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Desired-state computation, validation, planning, diff and apply of scs_flavor_sync."""

import threading
import time

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor
from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_sync as sync
from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_nova as nova
from ansible_collections.scs.kolla.plugins.module_utils.scs_openstack import OpenStackError


def problems_of(**kwargs):
    with pytest.raises(sync.FlavorInputError) as info:
        sync.desired_state(**kwargs)
    return info.value.problems


def as_existing(desired, **changes):
    """Nova's view of a desired flavor (what a correct earlier run left behind)."""
    flavor = {
        'id': 'id-' + desired['name'], 'name': desired['name'], 'vcpus': desired['vcpus'], 'ram': desired['ram'],
        'disk': desired['disk'], 'is_public': desired['is_public'], 'description': desired['description'],
        'extra_specs': dict(desired['extra_specs']),
    }
    flavor.update(changes)
    return flavor


# --------------------------------------------------------------------------- desired state

def test_standard_sets_give_31_flavors_with_figures_and_properties():
    desired, warnings = sync.desired_state([], standard_sets=list(sync.STANDARD_SETS))
    assert warnings == []
    assert [d['name'] for d in desired] == [n for s in sync.STANDARD_SETS for n in scs_flavor.STANDARD_FLAVORS[s]]
    assert len(desired) == 31
    by_name = dict((d['name'], d) for d in desired)
    ssd = by_name['SCS-2V-4-20s']
    assert (ssd['vcpus'], ssd['ram'], ssd['disk'], ssd['is_public'], ssd['id']) == (2, 4096, 20, True, None)
    assert ssd['extra_specs'] == {'scs:cpu-type': 'shared-core', 'scs:disk0-type': 'ssd',
                                  'scs:name-v1': 'SCS-2V:4:20s', 'scs:name-v2': 'SCS-2V-4-20s'}
    assert ssd['standard'] == 'mandatory'
    assert ssd['description']
    assert by_name['SCS-1L-1']['extra_specs']['scs:cpu-type'] == 'crowded-core'
    assert by_name['SCS-16V-128']['ram'] == 131072


def test_common_extra_specs_hw_rng_and_string_values():
    desired, unused = sync.desired_state(['SCS-1V-2'], extra_specs={'quota:cpu_shares': 512, 'hw:x': True}, hw_rng=True)
    specs = desired[0]['extra_specs']
    assert specs['quota:cpu_shares'] == '512'
    assert specs['hw:x'] == 'True'
    assert specs['hw_rng:allowed'] == 'True'
    assert specs['scs:name-v2'] == 'SCS-1V-2'


def test_hw_rng_off_by_default_and_flavor_specs_win():
    desired, unused = sync.desired_state([{'name': 'SCS-1V-2', 'extra_specs': {'hw_rng:allowed': False}}], hw_rng=True)
    assert desired[0]['extra_specs']['hw_rng:allowed'] == 'False'
    desired, unused = sync.desired_state(['SCS-1V-2'])
    assert 'hw_rng:allowed' not in desired[0]['extra_specs']


def test_operator_entry_replaces_standard_entry():
    desired, unused = sync.desired_state([{'name': 'SCS-1V-4', 'id': 'scs-1v-4', 'is_public': False}],
                                         standard_sets=['mandatory'])
    names = [d['name'] for d in desired]
    assert names.count('SCS-1V-4') == 1 and len(names) == 15
    entry = [d for d in desired if d['name'] == 'SCS-1V-4'][0]
    assert entry['id'] == 'scs-1v-4' and entry['is_public'] is False


def test_gpu_flavor_from_model_and_attributes():
    desired, unused = sync.desired_state([
        {'name': 'SCS-16V-64-500s', 'gpu': {'model': 'A30', 'fraction': '1/4'}},
        {'name': 'SCS-8V-32_ib', 'gpu': {'model': 'H100', 'fraction': '1/7', 'virtual': True}},
        {'attributes': {'cpus': 4, 'cpu_type': 'C', 'ram': 16, 'disk': 50, 'disk_type': 'p'}},
    ])
    assert [d['name'] for d in desired] == ['SCS-16V-64-500s_GNa-14-6', 'SCS-8V-32_gNg-18-10h_ib', 'SCS-4C-16-50p']
    assert desired[0]['extra_specs']['scs:name-v1'] == 'SCS-16V:64:500s-GNa:14:6'
    assert desired[2]['extra_specs']['scs:cpu-type'] == 'dedicated-core'


def test_non_scs_flavor_needs_figures_and_gets_no_scs_properties():
    desired, unused = sync.desired_state([{'name': 'm1.tiny', 'vcpus': '1', 'ram': 512}])
    assert desired[0]['disk'] == 0 and desired[0]['vcpus'] == 1
    assert desired[0]['extra_specs'] == {} and desired[0]['description'] is None and not desired[0]['scs']


def test_more_than_named_is_allowed_with_warning_for_provider_flavors():
    desired, warnings = sync.desired_state([{'name': 'SCS-2V-4-20s_kvm', 'disk': 40}])
    assert desired[0]['disk'] == 40
    assert any('more than the name says' in w for w in warnings)


def test_every_problem_is_listed_at_once():
    problems = problems_of(flavors=[
        'SCS-2X-4',
        'SCS-02V-4',
        'SCS-8V-32-100s',
        'SCS-8V-32-100s',
        {'name': 'SCS-4V-8-20', 'ram': 4096},
        {'name': 'SCS-8V-16-50s', 'disk': 20},
        {'name': 'SCS-2V-4-10', 'extra_specs': {'scs:cpu-type': 'dedicated-core'}},
        {'name': 'SCS-2V-4', 'extra_specs': {'scs:name-v7': 'x'}},
        {'name': 'SCS-1V-2', 'colour': 'blue'},
        {'name': 'm1.small'},
        {'name': 'm1.big', 'vcpus': 2, 'ram': 1024, 'extra_specs': {'scs:cpu-type': 'shared-core'}},
        {'name': 'SCS-16V-64-500s', 'gpu': {'model': 'A31'}},
        {'name': 'SCS-1V-8', 'vcpus': 0},
        {'name': 'SCS-1V-4', 'id': 'bad/id'},
        {'name': 'SCS-2V-8', 'id': 'same'},
        {'name': 'SCS-4V-16', 'id': 'same'},
        42,
    ], standard_sets=['recommended_part1'], extra_specs={'scs:cpu-type': 'x'})
    text = '\n'.join(problems)
    for needle in ('extra_specs: scs:cpu-type: scs:* properties are derived',
                   'flavors[0] (SCS-2X-4): not a valid SCS flavor name',
                   'not the canonical spelling, use SCS-2V-4',
                   'flavors[3] (SCS-8V-32-100s): duplicate of flavors[2]',
                   'ram 4096 contradicts the standard flavor',
                   'disk 20 is less than the name promises (50)',
                   "scs:cpu-type='dedicated-core' contradicts the name ('shared-core')",
                   'scs:name-v7 is not an scs:* property of this name',
                   'unknown keys colour',
                   'not an SCS name, so vcpus and ram must be given',
                   'scs:* properties belong to SCS-named flavors only',
                   'unknown GPU model',
                   'vcpus: 0 is below 1',
                   "id 'bad/id' may only contain",
                   "id 'same' is also given for SCS-2V-8",
                   'flavors[16]: must be a flavor name or a dict'):
        assert needle in text, needle
    assert len(problems) == 16  # the 16 needles above, nothing twice


def test_input_error_message_says_nothing_changed():
    with pytest.raises(sync.FlavorInputError) as info:
        sync.desired_state(['SCS-2X-4', 'SCS-2X-4'])
    assert str(info.value).startswith('2 problems in the flavor list, nothing was changed:')


def test_v1_names_are_refused_with_the_canonical_spelling():
    problems = problems_of(flavors=['SCS-2V:4:20s'])
    assert problems == ['flavors[0] (SCS-2V:4:20s): not the canonical spelling, use SCS-2V-4-20s']


def test_bad_standard_set_name():
    assert problems_of(flavors=[], standard_sets=['optional']) == [
        "standard_sets: 'optional' is not one of mandatory, recommended_part1, recommended_part2"]


# --------------------------------------------------------------------------- plan

def desired_of(names, **kwargs):
    return sync.desired_state(names, **kwargs)[0]


def test_plan_creates_missing_and_leaves_right_ones_alone():
    desired = desired_of(['SCS-1V-4', 'SCS-2V-8'])
    actions = sync.plan(desired, [as_existing(desired[0])])
    assert sync.summary(actions) == {'created': ['SCS-2V-8'], 'recreated': [], 'updated': [], 'deleted': [],
                                     'unchanged': ['SCS-1V-4']}
    assert sync.changed(actions)
    assert not sync.changed(sync.plan(desired, [as_existing(d) for d in desired]))


def test_plan_fixes_extra_specs_and_removes_stray_scs_keys_only():
    desired = desired_of(['SCS-2V-4'])
    specs = dict(desired[0]['extra_specs'], **{'scs:cpu-type': 'dedicated-core', 'scs:name-v9': 'x', 'hw:foo': 'bar'})
    del specs['scs:name-v1']
    existing = [as_existing(desired[0], extra_specs=specs, description='old')]
    actions = sync.plan(desired, existing)
    (have, want, set_specs, unset, new_description), = actions['update']
    assert set_specs == {'scs:cpu-type': 'shared-core', 'scs:name-v1': 'SCS-2V:4'}
    assert unset == ['scs:name-v9']
    assert new_description
    actions = sync.plan(desired, existing, purge_extra_specs=True)
    assert actions['update'][0][3] == ['hw:foo', 'scs:name-v9']


def test_figure_drift_fails_by_default_naming_the_flavor():
    desired = desired_of(['SCS-8V-16', 'SCS-1V-2'])
    existing = [as_existing(desired[0], ram=8192), as_existing(desired[1], is_public=False)]
    with pytest.raises(sync.FlavorPlanError) as info:
        sync.plan(desired, existing)
    assert len(info.value.problems) == 2
    assert 'SCS-8V-16 (id id-SCS-8V-16): ram 8192 -> 16384' in info.value.problems[0]
    assert 'on_figure_drift=recreate' in info.value.problems[0]
    assert 'is_public False -> True' in info.value.problems[1]
    actions = sync.plan(desired, existing, on_figure_drift='recreate')
    assert sync.summary(actions)['recreated'] == ['SCS-8V-16', 'SCS-1V-2']


def test_fixed_id_drift_and_taken_id():
    desired = desired_of([{'name': 'SCS-1V-4', 'id': 'one'}, {'name': 'SCS-2V-8', 'id': 'two'}])
    existing = [as_existing(desired[0], id='other'), as_existing(desired_of(['SCS-1V-2'])[0], id='two')]
    with pytest.raises(sync.FlavorPlanError) as info:
        sync.plan(desired, existing, on_figure_drift='recreate')
    assert info.value.problems == ['SCS-2V-8: id two is taken by flavor SCS-1V-2']
    # Pruning frees the id: the holder is deleted first.
    actions = sync.plan(desired, existing, on_figure_drift='recreate', prune=True)
    assert sync.summary(actions) == {'created': ['SCS-2V-8'], 'recreated': ['SCS-1V-4'], 'updated': [],
                                     'deleted': ['SCS-1V-2'], 'unchanged': []}


def test_prune_touches_only_scs_names():
    desired = desired_of(['SCS-1V-4'])
    others = [as_existing(desired_of(['SCS-2V-8'])[0]),
              dict(as_existing(desired[0]), name='m1.small', id='m1'),
              dict(as_existing(desired[0]), name='scs-lowercase', id='lc')]
    existing = [as_existing(desired[0])] + others
    assert sync.plan(desired, existing)['delete'] == []
    assert [f['name'] for f in sync.plan(desired, existing, prune=True)['delete']] == ['SCS-2V-8']


def test_diff_shows_before_and_after_of_changed_flavors_only():
    desired = desired_of(['SCS-1V-4', 'SCS-2V-8', 'SCS-4V-16'])
    existing = [as_existing(desired[0]),
                as_existing(desired[1], extra_specs={'scs:cpu-type': 'x'}),
                as_existing(desired_of(['SCS-1L-1'])[0])]
    result = sync.diff(sync.plan(desired, existing, prune=True))
    assert sorted(result['before']) == ['SCS-1L-1', 'SCS-2V-8']
    assert sorted(result['after']) == ['SCS-2V-8', 'SCS-4V-16']
    assert result['after']['SCS-2V-8']['extra_specs'] == desired[1]['extra_specs']
    assert result['after']['SCS-4V-16']['ram'] == 16384


# --------------------------------------------------------------------------- apply

class RecordingNova(object):
    """Stands in for NovaFlavors in unit tests: records calls (from any thread), can fail at the
    n-th call or for one flavor, and can hold a flavor's create for a while."""

    def __init__(self, fail_at=None, fail_name=None, delays=None):
        self.calls = []
        self.fail_at = fail_at
        self.fail_name = fail_name
        self.delays = delays or {}
        self.lock = threading.Lock()
        self.running = 0
        self.most_running = 0

    def _record(self, *call):
        with self.lock:
            self.calls.append(call)
            failing = self.fail_at is not None and len(self.calls) == self.fail_at
        if failing or (self.fail_name is not None and self.fail_name in call):
            raise OpenStackError('POST /flavors failed: endpoint unreachable')

    def create(self, want):
        with self.lock:
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        try:
            time.sleep(self.delays.get(want['name'], 0))
            self._record('create', want['name'])
            return 'new-' + want['name']
        finally:
            with self.lock:
                self.running -= 1

    def set_specs(self, flavor_id, specs):
        self._record('set_specs', flavor_id, tuple(sorted(specs)))

    def unset_spec(self, flavor_id, key):
        self._record('unset_spec', flavor_id, key)

    def set_description(self, flavor_id, description):
        self._record('set_description', flavor_id)

    def delete(self, flavor_id):
        self._record('delete', flavor_id)


def test_apply_order_deletes_first_then_recreates_creates_updates():
    desired = desired_of(['SCS-1V-4', 'SCS-2V-8', 'SCS-4V-16'])
    existing = [as_existing(desired[0], vcpus=2),
                as_existing(desired[1], extra_specs={'scs:name-v9': 'x'}),
                as_existing(desired_of(['SCS-1L-1'])[0])]
    actions = sync.plan(desired, existing, on_figure_drift='recreate', prune=True)
    nova = RecordingNova()
    ids = sync.apply(actions, nova)
    assert [c[0] for c in nova.calls] == ['delete', 'delete', 'create', 'create', 'set_specs', 'unset_spec']
    assert ids == {'SCS-1V-4': 'new-SCS-1V-4', 'SCS-4V-16': 'new-SCS-4V-16'}
    flavors = sync.result_flavors(desired, existing, ids)
    assert [f['id'] for f in flavors] == ['new-SCS-1V-4', 'id-SCS-2V-8', 'new-SCS-4V-16']


def test_apply_failure_reports_what_was_done():
    desired = desired_of(['SCS-1V-4', 'SCS-2V-8', 'SCS-4V-16'])
    nova = RecordingNova(fail_at=2)
    with pytest.raises(sync.FlavorSyncFailed) as info:
        sync.apply(sync.plan(desired, []), nova)
    assert info.value.done['created'] == ['SCS-1V-4']
    assert str(info.value).startswith('create SCS-2V-8: POST /flavors failed')


def test_apply_in_parallel_keeps_phases_and_reports_in_plan_order():
    desired = desired_of(['SCS-1V-4', 'SCS-2V-8', 'SCS-4V-16', 'SCS-8V-32', 'SCS-1V-2'])
    existing = [as_existing(desired[0], vcpus=2), as_existing(desired_of(['SCS-1L-1'])[0]),
                as_existing(desired_of(['SCS-2V-16'])[0])]
    actions = sync.plan(desired, existing, on_figure_drift='recreate', prune=True)
    # The first flavors to be created take longest, so threads finish in reverse order.
    nova = RecordingNova(delays={'SCS-2V-8': 0.3, 'SCS-4V-16': 0.2, 'SCS-8V-32': 0.1})
    ids = sync.apply(actions, nova, concurrency=4)
    kinds = [c[0] for c in nova.calls]
    # Both prune deletions, then the recreation (delete + create), then the creations.
    assert kinds[:2] == ['delete', 'delete']
    assert kinds[2:4] == ['delete', 'create'] and nova.calls[3] == ('create', 'SCS-1V-4')
    assert [c[1] for c in nova.calls[4:]] == ['SCS-1V-2', 'SCS-8V-32', 'SCS-4V-16', 'SCS-2V-8']
    assert nova.most_running == 4
    assert ids == dict((n, 'new-' + n) for n in ['SCS-1V-4', 'SCS-2V-8', 'SCS-4V-16', 'SCS-8V-32', 'SCS-1V-2'])


def test_apply_in_parallel_runs_at_most_concurrency_at_once():
    names = ['SCS-1V-4', 'SCS-2V-8', 'SCS-4V-16', 'SCS-8V-32', 'SCS-1V-2', 'SCS-2V-4', 'SCS-4V-8']
    nova = RecordingNova(delays=dict((n, 0.1) for n in names))
    sync.apply(sync.plan(desired_of(names), []), nova, concurrency=3)
    assert nova.most_running == 3
    assert sorted(c[1] for c in nova.calls) == sorted(names)


def test_apply_in_parallel_stops_starting_after_a_failure_and_names_what_was_done():
    names = ['SCS-1V-4', 'SCS-2V-8', 'SCS-4V-16', 'SCS-8V-32', 'SCS-1V-2', 'SCS-2V-4', 'SCS-4V-8', 'SCS-8V-16']
    # SCS-2V-8 fails at once; the other three already running finish; nothing after them starts.
    delays = dict((n, 0.3) for n in names)
    delays['SCS-2V-8'] = 0
    nova = RecordingNova(fail_name='SCS-2V-8', delays=delays)
    with pytest.raises(sync.FlavorSyncFailed) as info:
        sync.apply(sync.plan(desired_of(names), []), nova, concurrency=4)
    assert sorted(c[1] for c in nova.calls) == sorted(['SCS-1V-4', 'SCS-2V-8', 'SCS-4V-16', 'SCS-8V-32'])
    assert info.value.done['created'] == ['SCS-1V-4', 'SCS-4V-16', 'SCS-8V-32']
    assert str(info.value) == 'create SCS-2V-8: POST /flavors failed: endpoint unreachable'


def test_apply_with_concurrency_one_uses_no_threads():
    desired = desired_of(['SCS-1V-4', 'SCS-2V-8'])
    seen = []

    class ThreadNova(RecordingNova):
        def create(self, want):
            seen.append(threading.current_thread() is threading.main_thread())
            return RecordingNova.create(self, want)

    sync.apply(sync.plan(desired, []), ThreadNova(), concurrency=1)
    assert seen == [True, True]


# --------------------------------------------------------------------------- run

def refusing_connect(params):
    raise AssertionError('the cloud must not be contacted')


@pytest.mark.parametrize('concurrency', [0, -1, 33])
def test_run_refuses_concurrency_out_of_range_before_connecting(concurrency):
    params = dict(flavors=[], standard_sets=['mandatory'], extra_specs={}, hw_rng=False, is_public=True,
                  descriptions=True, on_figure_drift='fail', prune=False, purge_extra_specs=False,
                  concurrency=concurrency)
    result = sync.run(params, connect=refusing_connect)
    assert result['failed'] and not result['changed']
    assert result['msg'] == 'concurrency: %d is not between 1 and 32' % concurrency


def test_run_reports_every_input_problem_before_connecting():
    params = dict(flavors=['SCS-2X-4', 'SCS-2V:4'], standard_sets=[], extra_specs={}, hw_rng=False, is_public=True,
                  descriptions=True, on_figure_drift='fail', prune=False, purge_extra_specs=False, concurrency=4)
    result = sync.run(params, connect=refusing_connect)
    assert result['failed'] and len(result['problems']) == 2
    assert result['api_requests'] == {} and result['created'] == []


def test_run_turns_a_connection_failure_into_a_message():
    def unreachable(params):
        raise OpenStackError('Cannot connect to the cloud: endpoint unreachable (http://127.0.0.1:1/v3)')
    params = dict(flavors=[], standard_sets=['mandatory'], extra_specs={}, hw_rng=False, is_public=True,
                  descriptions=True, on_figure_drift='fail', prune=False, purge_extra_specs=False, concurrency=4)
    result = sync.run(params, connect=unreachable)
    assert result['failed'] and result['msg'].startswith('Cannot connect to the cloud: endpoint unreachable')


def test_sync_argument_spec_has_the_auth_options_and_concurrency():
    spec = sync.sync_argument_spec()
    assert spec['auth']['no_log'] is True
    assert spec['concurrency'] == dict(type='int', default=sync.DEFAULT_CONCURRENCY)
    assert set(sync.SYNC_OPTIONS) <= set(spec)


class FakeAPI(object):
    def __init__(self, pages, specs=None):
        self.pages = pages
        self.specs = specs or {}
        self.urls = []

    def call(self, method, url, body=None):
        self.urls.append((method, url))
        if '/os-extra_specs' in url:
            return {'extra_specs': self.specs}
        return self.pages.pop(0)


def nova_flavor(name, **extra):
    flavor = {'id': 'id-' + name, 'name': name, 'vcpus': 1, 'ram': 1024, 'disk': 0,
              'os-flavor-access:is_public': True, 'description': None, 'extra_specs': {'a': 1}}
    flavor.update(extra)
    return flavor


def test_list_follows_pagination_and_normalises():
    api = FakeAPI([
        {'flavors': [nova_flavor('A')], 'flavors_links': [
            {'rel': 'next', 'href': 'http://nova/v2.1/flavors/detail?is_public=None&marker=id-A'}]},
        {'flavors': [nova_flavor('B', **{'os-flavor-access:is_public': False})]},
    ])
    flavors = nova.NovaFlavors(api).list()
    assert [f['name'] for f in flavors] == ['A', 'B']
    assert flavors[0]['extra_specs'] == {'a': '1'} and flavors[1]['is_public'] is False
    assert api.urls == [('GET', '/flavors/detail?is_public=None'), ('GET', '/flavors/detail?is_public=None&marker=id-A')]


def test_list_fetches_extra_specs_only_when_the_list_hides_them():
    flavor = nova_flavor('A')
    del flavor['extra_specs']
    api = FakeAPI([{'flavors': [flavor]}], specs={'k': 'v'})
    assert nova.NovaFlavors(api).list()[0]['extra_specs'] == {'k': 'v'}
    assert api.urls[1] == ('GET', '/flavors/id-A/os-extra_specs')
