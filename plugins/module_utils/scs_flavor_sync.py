# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Reconcile a desired list of Nova flavors with a cloud: validate, plan, apply, audit.

Pure logic (``desired_state``, ``plan``, ``diff``) is separate from the few REST calls
(``scs_flavor_nova.NovaFlavors``) so it can be unit tested without a cloud. Names, figures and ``scs:*``
extra_specs come from the flavor-name engine (``scs_flavor.analyse``); this file never parses
a flavor name itself.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_nova import MICROVERSION, NovaFlavors, spec_value
from ansible_collections.scs.kolla.plugins.module_utils.scs_openstack import (
    ComputeAPI, OpenStackError, open_connection, openstack_argument_spec)

FIGURES = ('vcpus', 'ram', 'disk')
IMMUTABLE = FIGURES + ('is_public',)
ENTRY_KEYS = ('name', 'vcpus', 'ram', 'disk', 'id', 'is_public', 'description', 'extra_specs', 'gpu', 'attributes')
STANDARD_SETS = ('mandatory', 'recommended_part1', 'recommended_part2')
HW_RNG_KEY = 'hw_rng:allowed'
# Nova's limits (compute API schemas): flavor id pattern, name/id/extra spec length, figures
# up to the database's MAX_INT, extra spec keys, description length. Always fullmatch.
FLAVOR_ID_RE = re.compile(r'(?! )[a-zA-Z0-9. _-]+(?<! )')
MAX_NAME = 255
MAX_INT = 0x7FFFFFFF
EXTRA_SPEC_KEY_RE = re.compile(r'[a-zA-Z0-9-_:. ]{1,255}')
MAX_SPEC_VALUE = 255
MAX_DESCRIPTION = 65535
# C0 and C1 control characters and DEL: Nova refuses them in names and descriptions.
CONTROL_RE = re.compile(u'[\u0000-\u001f\u007f-\u009f]')
# Flavors written at the same time by default: a gentle load for one nova-api, and most of the
# gain on a cloud where every request waits for the network and the API.
DEFAULT_CONCURRENCY = 4

# The options of the flavor_sync module and its action plugin (the action plugin validates the
# task arguments with this spec when it runs on the controller).
SYNC_OPTIONS = dict(
    flavors=dict(type='list', elements='raw', default=[]),
    standard_sets=dict(type='list', elements='str', default=[], choices=list(STANDARD_SETS)),
    extra_specs=dict(type='dict', default={}),
    hw_rng=dict(type='bool', default=False),
    is_public=dict(type='bool', default=True),
    descriptions=dict(type='bool', default=True),
    on_figure_drift=dict(type='str', default='fail', choices=['fail', 'recreate']),
    prune=dict(type='bool', default=False),
    purge_extra_specs=dict(type='bool', default=False),
    concurrency=dict(type='int', default=DEFAULT_CONCURRENCY),
)
MAX_CONCURRENCY = 32


def sync_argument_spec():
    return openstack_argument_spec(**SYNC_OPTIONS)


class FlavorInputError(ValueError):
    """The desired list is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super(FlavorInputError, self).__init__(format_problems(self.problems, 'in the flavor list'))


class FlavorPlanError(ValueError):
    """The cloud's state needs a change that is not allowed (figure drift, id taken)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super(FlavorPlanError, self).__init__(format_problems(self.problems, 'against the cloud'))


def format_problems(problems, where):
    head = '%d problem%s %s, nothing was changed:' % (len(problems), '' if len(problems) == 1 else 's', where)
    return '\n'.join([head] + ['- %s' % p for p in problems])


# --------------------------------------------------------------------------- desired state

def _as_int(value, what, problems, minimum, maximum=MAX_INT):
    if isinstance(value, bool):
        problems.append('%s: %r is not a whole number' % (what, value))
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        problems.append('%s: %r is not a whole number' % (what, value))
        return None
    if value < minimum:
        problems.append('%s: %d is below %d' % (what, value, minimum))
        return None
    if value > maximum:
        problems.append('%s: %d is above %d (Nova accepts %d to %d)' % (what, value, maximum, minimum, maximum))
        return None
    return value


def _as_bool(value, what, problems):
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ('true', 'yes', 'on', '1'):
        return True
    if lowered in ('false', 'no', 'off', '0'):
        return False
    problems.append('%s: %r is not a boolean' % (what, value))
    return None


def _extra_specs(value, what, problems):
    """Validated extra_specs as a dict of strings."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append('%s: must be a dict of key: value, got %r' % (what, value))
        return {}
    specs = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip() or not EXTRA_SPEC_KEY_RE.fullmatch(key):
            problems.append('%s: key %r must be a non-empty string of at most %d characters: letters, digits '
                            'and - _ : . or space (what Nova accepts)' % (what, key, MAX_NAME))
        elif item is None or isinstance(item, (dict, list)):
            problems.append('%s: value of %s must be a string, number or boolean, got %r' % (what, key, item))
        elif len(spec_value(item)) > MAX_SPEC_VALUE or CONTROL_RE.search(spec_value(item)):
            problems.append('%s: value of %s %r must have at most %d characters and no control characters'
                            % (what, key, item, MAX_SPEC_VALUE))
        else:
            specs[key] = spec_value(item)
    return specs


def _generated_name(entry, what, problems, engine):
    """The canonical name for an entry given by ``attributes`` or by a base name plus ``gpu``."""
    try:
        if entry.get('attributes') is not None:
            if entry.get('name') is not None or entry.get('gpu') is not None:
                raise engine.FlavorNameError('give either attributes or name (with gpu), not both')
            if not isinstance(entry['attributes'], dict):
                raise engine.FlavorNameError('attributes must be a dict (keys: %s)' % ', '.join(engine.GENERATE_KEYS))
            return engine.generate(entry['attributes'])
        gpu = entry['gpu']
        if not isinstance(gpu, dict) or not gpu.get('model'):
            raise engine.FlavorNameError('gpu must be a dict with at least model, e.g. {model: A30, fraction: "1/4"}')
        unknown = sorted(set(gpu) - set(('model', 'fraction', 'virtual')))
        if unknown:
            raise engine.FlavorNameError('unknown gpu keys %s (accepted: model, fraction, virtual)' % ', '.join(unknown))
        try:
            parsed, error = engine.parse(entry.get('name')), 'not an SCS name'
        except engine.FlavorNameError as exc:
            parsed, error = None, str(exc)
        if parsed is None:
            raise engine.FlavorNameError('name %r must be a valid SCS name to add a GPU to (%s)'
                                         % (entry.get('name'), error))
        base = parsed[0]
        if base.gpu:
            raise engine.FlavorNameError('name %r already has a GPU part' % entry['name'])
        return engine.with_gpu(base, gpu['model'], gpu.get('fraction'),
                               virtual=bool(_as_bool(gpu.get('virtual', False), 'virtual', [])))
    except engine.FlavorNameError as exc:
        problems.append('%s: %s' % (what, exc))
        return None


def desired_state(flavors, standard_sets=(), extra_specs=None, hw_rng=False, is_public=True,
                  descriptions=True, engine=scs_flavor):
    """Validate the whole input and return ``(desired, warnings)``.

    ``desired`` is a list of dicts: name, vcpus, ram, disk, is_public, id (None = Nova picks),
    description (None = not managed), extra_specs (str -> str), scs (bool), standard (set name
    or None). Raises FlavorInputError listing every problem.
    """
    problems = []
    warnings = []
    common_specs = _common_specs(extra_specs, hw_rng, problems)
    standard_of = _standard_of(standard_sets, problems, engine)
    entries = [('standard flavor %s' % name, {'name': name}) for name in standard_of]
    user_entries = _user_entries(flavors, problems, engine)
    user_names = set(entry['name'] for unused_what, entry in user_entries)
    # An entry of the operator's replaces the standard set's entry of the same name
    # (e.g. to make a standard flavor private or give it a fixed id).
    entries = [(what, entry) for what, entry in entries if entry['name'] not in user_names] + user_entries

    desired = []
    for what, entry in entries:
        flavor = _desired_flavor(what, entry, standard_of.get(entry['name']), common_specs, is_public,
                                 descriptions, problems, warnings, engine)
        if flavor is not None:
            desired.append((what, flavor))

    ids = {}
    for what, flavor in desired:
        if flavor['id'] is None:
            continue
        if flavor['id'] in ids:
            problems.append('%s: id %r is also given for %s' % (what, flavor['id'], ids[flavor['id']]))
        ids[flavor['id']] = flavor['name']
    desired = [flavor for unused_what, flavor in desired]
    if problems:
        raise FlavorInputError(problems)
    return desired, warnings


def _common_specs(extra_specs, hw_rng, problems):
    """The extra_specs every flavor gets (no scs:* key: those come from each name)."""
    common_specs = _extra_specs(extra_specs, 'extra_specs', problems)
    for key in sorted(common_specs):
        if key.startswith('scs:'):
            problems.append('extra_specs: %s: scs:* properties are derived from each flavor name, '
                            'they cannot be set for all flavors' % key)
            del common_specs[key]  # reported once here, not again for every flavor
    if hw_rng:
        common_specs.setdefault(HW_RNG_KEY, 'True')
    return common_specs


def _standard_of(standard_sets, problems, engine):
    """Standard flavor name -> its set, in the order of the sets."""
    standard_of = {}
    for set_name in standard_sets or ():
        if set_name not in STANDARD_SETS:
            problems.append('standard_sets: %r is not one of %s' % (set_name, ', '.join(STANDARD_SETS)))
            continue
        for name in engine.STANDARD_FLAVORS[set_name]:
            standard_of[name] = set_name
    return standard_of


def _user_entries(flavors, problems, engine):
    """The operator's flavors as (label, entry dict), names generated where asked for."""
    if flavors is None:
        flavors = []
    if not isinstance(flavors, list):
        problems.append('flavors: must be a list of names or dicts, got %r' % (flavors,))
        flavors = []
    entries = []
    user_names = {}
    for index, entry in enumerate(flavors):
        what = 'flavors[%d]' % index
        if isinstance(entry, str):
            entry = {'name': entry}
        if not isinstance(entry, dict):
            problems.append('%s: must be a flavor name or a dict with name, got %r' % (what, entry))
            continue
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if unknown:
            problems.append('%s: unknown keys %s; accepted: %s' % (what, ', '.join(map(str, unknown)), ', '.join(ENTRY_KEYS)))
            continue
        if entry.get('gpu') is not None or entry.get('attributes') is not None:
            name = _generated_name(entry, what, problems, engine)
            if name is None:
                continue
            entry = dict(entry, name=name)
        name = entry.get('name')
        if not isinstance(name, str) or not name.strip():
            problems.append('%s: name must be a non-empty string, got %r' % (what, name))
            continue
        what = '%s (%s)' % (what, name)
        if name in user_names:
            problems.append('%s: duplicate of flavors[%d]' % (what, user_names[name]))
            continue
        user_names[name] = index
        entries.append((what, entry))
    return entries


def _desired_flavor(what, entry, standard, common_specs, default_public, descriptions, problems, warnings, engine):
    name = entry['name']
    count = len(problems)
    if len(name) > MAX_NAME or name != name.strip() or CONTROL_RE.search(name):
        problems.append('%s: name %r must have at most %d characters, no surrounding spaces and no control '
                        'characters' % (what, name, MAX_NAME))
        return None
    info = engine.analyse(name)
    given = {}
    for figure, minimum in (('vcpus', 1), ('ram', 1), ('disk', 0)):
        if entry.get(figure) is not None:
            given[figure] = _as_int(entry[figure], '%s: %s' % (what, figure), problems, minimum)
    specs = dict(common_specs)
    specs.update(_extra_specs(entry.get('extra_specs'), '%s: extra_specs' % what, problems))
    public = default_public if entry.get('is_public') is None else _as_bool(entry['is_public'], '%s: is_public' % what, problems)
    flavor_id = entry.get('id')
    if flavor_id is not None:
        flavor_id = str(flavor_id)
        if len(flavor_id) > MAX_NAME or not FLAVOR_ID_RE.fullmatch(flavor_id):
            problems.append('%s: id %r may only contain letters, digits, ".", "_", "-" and inner spaces '
                            '(at most %d characters)' % (what, flavor_id, MAX_NAME))
    description = entry.get('description')
    if description is not None and not isinstance(description, str):
        problems.append('%s: description must be a string' % what)
    elif description is not None and (len(description) > MAX_DESCRIPTION or CONTROL_RE.search(description)):
        problems.append('%s: description %r must have at most %d characters and no control characters (no '
                        'newline)' % (what, description[:40], MAX_DESCRIPTION))

    if info.get('scs'):
        figures = _scs_figures(what, info, given, specs, standard, problems, warnings)
        if figures is None:
            return None
        specs.update(info['extra_specs'])
        if description is None and descriptions:
            description = info.get('description')
    else:
        missing = [f for f in ('vcpus', 'ram') if f not in given]
        if missing:
            problems.append('%s: not an SCS name, so %s must be given' % (what, ' and '.join(missing)))
        for key in sorted(specs):
            if key.startswith('scs:'):
                problems.append('%s: extra_specs %s: scs:* properties belong to SCS-named flavors only' % (what, key))
        figures = {'vcpus': given.get('vcpus'), 'ram': given.get('ram'), 'disk': given.get('disk', 0) or 0}
    for w in info.get('warnings') or ():
        warnings.append('%s: %s' % (what, w))
    if len(problems) > count:
        return None
    return {
        'name': name,
        'vcpus': figures['vcpus'],
        'ram': figures['ram'],
        'disk': figures['disk'],
        'is_public': public,
        'id': flavor_id,
        'description': description,
        'extra_specs': specs,
        'scs': bool(info.get('scs')),
        'standard': standard,
    }


def _scs_figures(what, info, given, specs, standard, problems, warnings):
    """Figures of an SCS-named flavor: the name's, or given ones that deliver at least as much.

    None when the name is invalid or not canonical. Given ``scs:*`` extra_specs must agree.
    """
    name = info['name']
    if not info.get('valid'):
        problems.append('%s: not a valid SCS flavor name: %s' % (what, info.get('error')))
        return None
    if info['canonical'] != name:
        problems.append('%s: not the canonical spelling, use %s' % (what, info['canonical']))
        return None
    derived = {'vcpus': info['cpus'], 'ram': info['ram'], 'disk': info['disk']}
    for figure, value in sorted(given.items()):
        if value is None or value == derived[figure]:
            continue
        if standard:
            problems.append('%s: %s %d contradicts the standard flavor (%s %d, fixed by scs-0103)'
                            % (what, figure, value, figure, derived[figure]))
        elif value < derived[figure]:
            problems.append('%s: %s %d is less than the name promises (%d)' % (what, figure, value, derived[figure]))
        else:
            warnings.append('%s: %s %d is more than the name says (%d); allowed, but unusual'
                            % (what, figure, value, derived[figure]))
    derived.update((k, v) for k, v in given.items() if v is not None)
    scs_specs = info['extra_specs']
    for key in sorted(specs):
        if key.startswith('scs:') and specs[key] != scs_specs.get(key):
            if key in scs_specs:
                problems.append('%s: extra_specs %s=%r contradicts the name (%r)' % (what, key, specs[key], scs_specs[key]))
            else:
                problems.append('%s: extra_specs %s is not an scs:* property of this name (it has %s)'
                                % (what, key, ', '.join(sorted(scs_specs)) or 'none'))
    return derived


# --------------------------------------------------------------------------- plan

def plan(desired, existing, on_figure_drift='fail', prune=False, purge_extra_specs=False):
    """Compare desired flavors with the cloud's (normalised) flavors.

    Returns a dict of actions: create [desired], recreate [(existing, desired, reasons)],
    update [(existing, desired, set_specs, unset_keys, description_changed)], delete [existing],
    unchanged [name]. Raises FlavorPlanError when a needed change is not allowed.
    """
    by_name = {}
    for flavor in existing:
        by_name.setdefault(flavor['name'], flavor)
    wanted = set(d['name'] for d in desired)
    actions = {'create': [], 'recreate': [], 'update': [], 'delete': [], 'unchanged': []}
    problems = []
    if prune:
        actions['delete'] = [f for f in existing if f['name'].startswith('SCS-') and f['name'] not in wanted]
    for want in desired:
        have = by_name.get(want['name'])
        if have is None:
            actions['create'].append(want)
            continue
        reasons = ['%s %s -> %s' % (k, have[k], want[k]) for k in IMMUTABLE if have[k] != want[k]]
        if want['id'] is not None and want['id'] != have['id']:
            reasons.append('id %s -> %s' % (have['id'], want['id']))
        if reasons:
            actions['recreate'].append((have, want, reasons))
            continue
        set_specs = dict((k, v) for k, v in want['extra_specs'].items() if have['extra_specs'].get(k) != v)
        unset = sorted(k for k in have['extra_specs']
                       if k not in want['extra_specs'] and (purge_extra_specs or k.startswith('scs:')))
        new_description = want['description'] is not None and want['description'] != have['description']
        if set_specs or unset or new_description:
            actions['update'].append((have, want, set_specs, unset, new_description))
        else:
            actions['unchanged'].append(want['name'])
    if actions['recreate'] and on_figure_drift != 'recreate':
        for have, want, reasons in actions['recreate']:
            problems.append('%s (id %s): %s; Nova flavors cannot change these in place, set on_figure_drift=recreate '
                            'to delete and recreate it (instances keep running with their old figures)'
                            % (want['name'], have['id'], ', '.join(reasons)))
    # A fixed id must be free unless its holder is deleted in this run.
    leaving = set(f['id'] for f in actions['delete']) | set(step[0]['id'] for step in actions['recreate'])
    holders = dict((f['id'], f) for f in existing)
    for want in actions['create'] + [step[1] for step in actions['recreate']]:
        holder = holders.get(want['id']) if want['id'] is not None else None
        if holder is not None and holder['id'] not in leaving:
            problems.append('%s: id %s is taken by flavor %s' % (want['name'], want['id'], holder['name']))
    if problems:
        raise FlavorPlanError(problems)
    return actions


def _view(flavor):
    view = dict((k, flavor[k]) for k in IMMUTABLE)
    view['extra_specs'] = dict(sorted(flavor['extra_specs'].items()))
    if flavor.get('description') is not None:
        view['description'] = flavor['description']
    if flavor.get('id') is not None:
        view['id'] = flavor['id']
    return view


def diff(actions):
    """Ansible diff (before/after keyed by flavor name) of the flavors the plan changes."""
    before, after = {}, {}
    for want in actions['create']:
        after[want['name']] = _view(want)
    for have, want, unused_reasons in actions['recreate']:
        before[want['name']] = _view(have)
        after[want['name']] = _view(want)
    for have, want, set_specs, unset, new_description in actions['update']:
        before[have['name']] = _view(have)
        result = dict(have, extra_specs=dict(have['extra_specs']))
        result['extra_specs'].update(set_specs)
        for key in unset:
            result['extra_specs'].pop(key)
        if new_description:
            result['description'] = want['description']
        after[have['name']] = _view(result)
    for have in actions['delete']:
        before[have['name']] = _view(have)
    return {'before': before, 'after': after}


def summary(actions):
    return {
        'created': [w['name'] for w in actions['create']],
        'recreated': [step[1]['name'] for step in actions['recreate']],
        'updated': [step[0]['name'] for step in actions['update']],
        'deleted': [h['name'] for h in actions['delete']],
        'unchanged': list(actions['unchanged']),
    }


def changed(actions):
    return any(actions[k] for k in ('create', 'recreate', 'update', 'delete'))


# --------------------------------------------------------------------------- apply

class FlavorSyncFailed(Exception):
    """An API call failed while applying; ``done`` says what was changed before it."""

    def __init__(self, message, done):
        self.done = done
        super(FlavorSyncFailed, self).__init__(message)


def _run_units(units, concurrency):
    """Run ``(step, fn)`` units, at most ``concurrency`` at a time, in list order.

    Returns ``(results, errors)``: ``results`` maps the index of every unit that finished to
    its return value, ``errors`` lists ``(step, OpenStackError)``. After the first error no
    further unit is started; those already running are waited for, so what was changed is
    known exactly.
    """
    results, errors = {}, []
    if concurrency <= 1 or len(units) <= 1:
        for index, (step, fn) in enumerate(units):
            try:
                results[index] = fn()
            except OpenStackError as exc:
                errors.append((step, exc))
                break
        return results, errors
    # Imported here: only runs that write to several flavors pay for the thread pool.
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
    pending = list(enumerate(units))
    pending.reverse()
    running = {}
    with ThreadPoolExecutor(max_workers=min(concurrency, len(units))) as pool:
        while pending or running:
            while pending and not errors and len(running) < concurrency:
                index, (step, fn) = pending.pop()
                running[pool.submit(fn)] = (index, step)
            if not running:
                break
            finished, unused = wait(list(running), return_when=FIRST_COMPLETED)
            for future in finished:
                index, step = running.pop(future)
                try:
                    results[index] = future.result()
                except OpenStackError as exc:
                    errors.append((step, exc))
    return results, errors


def apply(actions, nova, concurrency=1):
    """Carry out a plan; returns the ids of the flavors created.

    Three phases, each finished before the next starts: deletions (so names and fixed ids are
    free), recreations (delete and create, per flavor), then creations and in-place updates.
    Within a phase up to ``concurrency`` flavors are written at the same time; the steps of one
    flavor always run in order. Raises FlavorSyncFailed naming what was done before the failure.
    """
    done = {'created': [], 'recreated': [], 'updated': [], 'deleted': []}
    ids = {}

    def recreate(have, want):
        nova.delete(have['id'])
        return nova.create(want)

    def update(have, want, set_specs, unset, new_description):
        if set_specs:
            nova.set_specs(have['id'], set_specs)
        for key in unset:
            nova.unset_spec(have['id'], key)
        if new_description:
            nova.set_description(have['id'], want['description'])

    phases = [
        [('delete %s' % have['name'], 'deleted', have['name'], (lambda have=have: nova.delete(have['id'])))
         for have in actions['delete']],
        [('recreate %s' % want['name'], 'recreated', want['name'], (lambda h=have, w=want: recreate(h, w)))
         for have, want, unused_reasons in actions['recreate']],
        [('create %s' % want['name'], 'created', want['name'], (lambda w=want: nova.create(w)))
         for want in actions['create']]
        + [('update %s' % step[0]['name'], 'updated', step[0]['name'], (lambda step=step: update(*step)))
           for step in actions['update']],
    ]
    for phase in phases:
        results, errors = _run_units([(step, fn) for step, unused_kind, unused_name, fn in phase], concurrency)
        # Reported in plan order, whatever order the threads finished in.
        for index, (unused_step, kind, name, unused_fn) in enumerate(phase):
            if index in results:
                done[kind].append(name)
                if kind in ('created', 'recreated'):
                    ids[name] = results[index]
        if errors:
            raise FlavorSyncFailed('; '.join('%s: %s' % (step, exc) for step, exc in errors), done)
    return ids


def result_flavors(desired, existing, ids):
    """The managed flavors as they are after the run (ids of new ones None in check mode)."""
    known = dict((f['name'], f['id']) for f in existing)
    known.update(ids)
    return [dict(_view(d), name=d['name'], id=known.get(d['name'], d['id'])) for d in desired]


# --------------------------------------------------------------------------- one run

def _failure(msg, api_requests=None, **result):
    """A failed run's result: the summary lists are always there, empty unless given."""
    failure = dict(failed=True, msg=msg, changed=False, api_requests=api_requests or {},
                   created=[], updated=[], recreated=[], deleted=[], unchanged=[])
    failure.update(result)
    return failure


def run(params, check_mode=False, diff_mode=False, warn=None, connect=open_connection):
    """One flavor_sync run on validated parameters; returns the module result.

    The result has ``failed=True`` and ``msg`` when the run fails. Shared by the module (which
    runs wherever the task runs) and its action plugin (which runs it inside the controller's
    ansible-playbook process, saving the start of a second Python and the module's packaging).
    """
    concurrency = params.get('concurrency', DEFAULT_CONCURRENCY)
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        return _failure('concurrency: %r is not between 1 and %d' % (concurrency, MAX_CONCURRENCY))
    try:
        desired, warnings = desired_state(
            params['flavors'], standard_sets=params['standard_sets'], extra_specs=params['extra_specs'],
            hw_rng=params['hw_rng'], is_public=params['is_public'], descriptions=params['descriptions'])
    except FlavorInputError as exc:
        return _failure(str(exc), problems=exc.problems)
    for warning in warnings:
        if warn is not None:
            warn(warning)

    try:
        api = ComputeAPI(connect(params), MICROVERSION)
    except OpenStackError as exc:
        return _failure(str(exc))
    nova = NovaFlavors(api)
    try:
        existing = nova.list()
    except OpenStackError as exc:
        return _failure('Cannot read the flavors: %s' % exc, api.requests)
    try:
        actions = plan(desired, existing, on_figure_drift=params['on_figure_drift'], prune=params['prune'],
                       purge_extra_specs=params['purge_extra_specs'])
    except FlavorPlanError as exc:
        return _failure(str(exc), api.requests, problems=exc.problems)

    result = dict(changed=changed(actions), **summary(actions))
    if diff_mode:
        result['diff'] = diff(actions)
    ids = {}
    if result['changed'] and not check_mode:
        try:
            ids = apply(actions, nova, concurrency)
        except FlavorSyncFailed as exc:
            done = exc.done
            return _failure(
                'Flavor sync stopped at %s. Changed before that: %s. A rerun completes what is missing '
                'once the API answers.'
                % (exc, '; '.join('%s: %s' % (k, ', '.join(v)) for k, v in sorted(done.items()) if v) or 'nothing'),
                api.requests, changed=any(done.values()), unchanged=result['unchanged'], **done)
    result['flavors'] = result_flavors(desired, existing, ids)
    result['api_requests'] = api.requests
    return result
