# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Audit a cloud's flavors against scs-0100 (flavor names) and scs-0103 (standard flavors).

Input: the cloud's flavors as normalised by ``scs_flavor_nova.normalise``. Output: a report
dict (YAML friendly) and a readable summary. The checks follow the SCS reference conformance
tests; where this audit is stricter it says so in the finding.

The pass/fail verdict is the official SCS runner's (Tests/iaas/openstack_test.py of the SCS
standards), which runs as a member user: a standard flavor that is not public does not count,
and where the written grammar and the official parser differ (the three deliberate differences
of the spec) the official parser decides and the finding names the difference.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor

STANDARD_STATUS = (('mandatory', 'mandatory'), ('recommended_part1', 'recommended'),
                   ('recommended_part2', 'recommended'))
NAME_KEY = 'scs:name-v2'  # the reference finds standard flavors by this property first
# Checks whose failure fails the audit; the recommended check only reports.
MANDATORY_CHECKS = ('scs-0100-syntax-check', 'scs-0100-semantics-check', 'scs-0103-properties',
                    'scs-0103-mandatory')


# The deliberate differences between the written grammar and the official parser (spec, 2.).
DIFFERENCES = {
    1: ('deliberate difference 1: the written grammar allows a GPU part with no compute unit count '
        'followed by another extension; the official SCS parser rejects it'),
    2: ('deliberate difference 2: the written grammar rejects a disk count without a size; the '
        'official SCS parser accepts it (and reads no disk size)'),
    3: ("deliberate difference 3: the written grammar rejects an 'h' without a compute unit count "
        'and a unit count without a GPU generation; the official SCS parser accepts both'),
}
# A generation that makes a unit count parse, per GPU vendor (only used to read the rest of a name).
_ANY_GPU_GEN = {'N': 'a', 'A': '1', 'I': '1'}


def official_reading(name, info, engine=scs_flavor):
    """How the official parser reads an SCS name, where it differs from the written grammar.

    Returns ``(valid, differences, figures)``: whether the official parser accepts the name,
    the numbers of the deliberate differences that apply, and for a name only the official
    parser accepts the analysis it is read as (``disk`` 0 when it has no size).
    """
    if info['valid']:
        attrs = info['attributes']
        if attrs['gpu_vendor'] and not attrs['gpu_units'] and attrs['ib']:
            return False, [1], None
        return True, [], info
    body = name[len(engine.PREFIX):]
    field_sep, ext_sep = (':', '-') if ':' in body else ('-', '_')
    chunks = body.split(ext_sep)
    fields = chunks[0].split(field_sep)
    differences = []
    if len(fields) == 3:
        match = re.match(r'([0-9]*)x([nhsp]?)\Z', fields[2])
        if match:
            fields[2] = '%sx1%s' % (match.group(1), match.group(2))
            differences.append(2)
    chunks[0] = field_sep.join(fields)
    for index, ext in enumerate(chunks[1:], 1):
        no_count = re.match(r'([gG][NAI][^%sh]*)h+\Z' % re.escape(field_sep), ext)
        no_gen = re.match(r'([gG])([NAI])(%s[0-9].*)\Z' % re.escape(field_sep), ext)
        if no_count:
            chunks[index] = no_count.group(1)
        elif no_gen:
            chunks[index] = no_gen.group(1) + no_gen.group(2) + _ANY_GPU_GEN[no_gen.group(2)] + no_gen.group(3)
        else:
            continue
        if 3 not in differences:
            differences.append(3)
    if not differences:
        return False, [], None
    figures = engine.analyse(engine.PREFIX + ext_sep.join(chunks))
    if not figures['valid']:
        return False, [], None
    if 2 in differences:
        figures = dict(figures, disk=0)
    return True, differences, figures


def ram_tenths(ram_mib):
    """RAM in tenths of GiB the way the SCS reference rounds it: int((ram + 51) / 102.4).

    So a flavor named 4 GiB passes down to 4045 MiB (4096 - 51) and fails at 4044 MiB.
    """
    return (ram_mib + 51) * 10 // 1024


def _gib(ram_mib):
    text = '%.1f' % (ram_mib / 1024.0)
    return text[:-2] if text.endswith('.0') else text


def check_flavor(flavor, info, reading=None):
    """Findings for one SCS-named flavor: (errors, warnings).

    ``reading`` is :func:`official_reading` of the name (computed when not given).
    """
    errors, warnings = [], []
    official_valid, differences, figures = reading or official_reading(flavor['name'], info)
    warnings.extend(DIFFERENCES[number] for number in differences)
    if not info['valid']:
        if not official_valid:
            return ['invalid SCS name: %s' % info['error']], warnings
        # The official parser accepts it: a warning, and its figures are still checked.
        warnings.insert(0, 'invalid by the written grammar (%s); the official verdict counts it valid'
                        % info['error'])
        errors.extend(check_figures(flavor, figures, warnings))
        return errors, warnings
    if not official_valid:
        errors.append('rejected by the official SCS parser (see the warning)')
    if info['canonical'] != flavor['name']:
        warnings.append('tolerated spelling (%s), canonical: %s' % (info.get('syntax'), info['canonical']))
    for text in info.get('warnings') or ():
        if text not in warnings:
            warnings.append(text)
    errors.extend(check_figures(flavor, info, warnings))
    errors.extend(check_properties(flavor, info, warnings))
    return errors, warnings


def check_figures(flavor, info, warnings):
    """scs-0100 semantics: at least the vCPUs, RAM and disk the name promises (errors)."""
    errors = []
    if flavor['vcpus'] < info['cpus']:
        errors.append('vcpus %d is fewer than the %d the name promises' % (flavor['vcpus'], info['cpus']))
    elif flavor['vcpus'] > info['cpus']:
        warnings.append('vcpus %d is more than the name says (%d)' % (flavor['vcpus'], info['cpus']))
    if ram_tenths(flavor['ram']) * 1024 < info['ram'] * 10:
        errors.append('ram %d MiB (%s GiB) is less than the %s GiB the name promises'
                      % (flavor['ram'], _gib(flavor['ram']), _gib(info['ram'])))
    elif flavor['ram'] > info['ram']:
        warnings.append('ram %d MiB is more than the name says (%d MiB)' % (flavor['ram'], info['ram']))
    if flavor['disk'] < info['disk']:
        errors.append('disk %d GB is less than the %d GB the name promises' % (flavor['disk'], info['disk']))
    elif flavor['disk'] > info['disk']:
        warnings.append(_disk_surplus(flavor, info))
    return errors


def check_properties(flavor, info, warnings):
    """scs-0103 properties: none contradicts the name, and not all of them are missing (errors)."""
    errors = []
    specs = flavor['extra_specs']
    defined = info['extra_specs']
    if not any(key in specs for key in defined):
        return ['scs:* properties all missing (the name defines %s)' % ', '.join(sorted(defined))]
    for key, value in sorted(defined.items()):
        if key in specs and specs[key] != value:
            errors.append('%s is %r, the name says %r' % (key, specs[key], value))
        elif key not in specs:
            warnings.append('%s missing (should be %r)' % (key, value))
    for key in sorted(specs):
        if key.startswith('scs:') and key not in defined:
            warnings.append('%s=%r is not a property this name defines' % (key, specs[key]))
    return errors


def _disk_surplus(flavor, info):
    # A name without a disk part derives no scs:diskN-type: it promises boot from volume only.
    if not any(k.startswith('scs:disk') for k in info['extra_specs']):
        return ('disk %d GB on a diskless flavor: the name promises boot from volume only'
                % flavor['disk'])
    return 'disk %d GB is more than the name says (%d GB)' % (flavor['disk'], info['disk'])


def compare_standard(flavor, info):
    """scs-0103: exact figures and every scs:* property of the standard flavor."""
    problems = []
    for figure, want in (('vcpus', info['cpus']), ('ram', info['ram']), ('disk', info['disk'])):
        if flavor[figure] != want:
            problems.append('%s: %r should be %r' % (figure, flavor[figure], want))
    for key, value in sorted(info['extra_specs'].items()):
        have = flavor['extra_specs'].get(key)
        if have != value:
            problems.append('%s: %r should be %r' % (key, have, value))
    return problems


PRIVATE = ('private (is_public false): the official runner, a member user, cannot see it and '
           'reports "standard flavor missing"; standard flavors must be public to count')


def _public(flavor):
    return flavor.get('is_public', True) is not False


def flavor_lookup(flavors):
    """Standard flavors by ``scs:name-v2`` first and by name second, as the reference finds them."""
    found = {}
    for flavor in flavors:
        if NAME_KEY in flavor['extra_specs']:
            found.setdefault(flavor['extra_specs'][NAME_KEY], flavor)
    for flavor in flavors:
        if flavor['name'].startswith('SCS-'):
            found.setdefault(flavor['name'], flavor)
    return found


def _standard_entry(name, set_name, flavor, private, engine):
    if flavor is None and private is not None:
        return {'set': set_name, 'status': 'private', 'flavor': private['name'], 'problems': [PRIVATE]}
    if flavor is None:
        return {'set': set_name, 'status': 'missing', 'flavor': None, 'problems': []}
    problems = compare_standard(flavor, engine.analyse(name))
    return {'set': set_name, 'status': 'wrong' if problems else 'ok', 'flavor': flavor['name'],
            'problems': problems}


def _name_checks(flavors, engine):
    """scs-0100 syntax and semantics and scs-0103 properties of every SCS-named flavor.

    Returns (report entries, syntax failures, semantics failures, properties failures).
    """
    report_flavors = []
    syntax_failed, semantics_failed, properties_failed = [], [], []
    for flavor in sorted(flavors, key=lambda f: f['name']):
        if not flavor['name'].startswith('SCS-'):
            continue
        info = engine.analyse(flavor['name'])
        reading = official_reading(flavor['name'], info, engine)
        errors, warnings = check_flavor(flavor, info, reading)
        entry = {
            'name': flavor['name'], 'id': flavor['id'], 'vcpus': flavor['vcpus'], 'ram': flavor['ram'],
            'disk': flavor['disk'], 'public': _public(flavor), 'valid': bool(info['valid']),
            'official_valid': reading[0], 'canonical': info.get('canonical'),
            'errors': errors, 'warnings': warnings,
        }
        report_flavors.append(entry)
        if not reading[0]:
            syntax_failed.append(flavor['name'])
        elif any(e.startswith(('vcpus', 'ram', 'disk')) for e in errors):
            semantics_failed.append(flavor['name'])
        if any(e.startswith('scs:') for e in errors):
            properties_failed.append(flavor['name'])
    return report_flavors, syntax_failed, semantics_failed, properties_failed


def audit(flavors, engine=scs_flavor):
    """The audit report for a cloud's flavors (list of normalised flavor dicts)."""
    report_flavors, syntax_failed, semantics_failed, properties_failed = _name_checks(flavors, engine)

    # The official runner, a member user, sees the public flavors only.
    visible = flavor_lookup([f for f in flavors if _public(f)])
    hidden = flavor_lookup([f for f in flavors if not _public(f)])
    standard = {}
    for set_name, status in STANDARD_STATUS:
        for name in engine.STANDARD_FLAVORS[set_name]:
            standard[name] = _standard_entry(name, set_name, visible.get(name), hidden.get(name), engine)
    for entry in report_flavors:
        if not entry['public'] and any(s['flavor'] == entry['name'] and s['status'] == 'private'
                                       for s in standard.values()):
            entry['warnings'].append(PRIVATE)

    def standard_check(status):
        names = [n for s, st in STANDARD_STATUS if st == status for n in engine.STANDARD_FLAVORS[s]]
        missing = [n for n in names if standard[n]['status'] in ('missing', 'private')]
        private = [n for n in names if standard[n]['status'] == 'private']
        wrong = [n for n in names if standard[n]['status'] == 'wrong']
        return {'passed': not missing and not wrong, 'total': len(names), 'missing': missing,
                'private': private, 'wrong': wrong}

    checks = {
        'scs-0100-syntax-check': {'passed': not syntax_failed, 'failed': syntax_failed},
        'scs-0100-semantics-check': {'passed': not semantics_failed, 'failed': semantics_failed},
        'scs-0103-properties': {'passed': not properties_failed, 'failed': properties_failed},
        'scs-0103-mandatory': standard_check('mandatory'),
        'scs-0103-recommended': standard_check('recommended'),
    }
    passed = all(checks[c]['passed'] for c in MANDATORY_CHECKS)
    report = {
        'passed': passed,
        'failed_checks': [c for c in MANDATORY_CHECKS if not checks[c]['passed']],
        'checks': checks,
        'standard_flavors': standard,
        'flavors': report_flavors,
        'counts': {
            'flavors': len(flavors),
            'scs_flavors': len(report_flavors),
            'errors': sum(len(f['errors']) for f in report_flavors),
            'warnings': sum(len(f['warnings']) for f in report_flavors),
        },
    }
    report['summary'] = summary_lines(report)
    return report


def summary_lines(report):
    """A readable summary, one line per check, then each flavor with errors."""
    checks = report['checks']
    counts = report['counts']
    lines = ['SCS flavor audit: %s (%d flavors, %d with SCS names, %d errors, %d warnings)'
             % ('PASSED' if report['passed'] else 'FAILED', counts['flavors'], counts['scs_flavors'],
                counts['errors'], counts['warnings'])]
    for name in ('scs-0100-syntax-check', 'scs-0100-semantics-check', 'scs-0103-properties'):
        check = checks[name]
        state = 'passed' if check['passed'] else 'FAILED'
        lines.append('%-26s %-6s %s' % (name, state, ', '.join(check['failed'])))
    for name, required in (('scs-0103-mandatory', True), ('scs-0103-recommended', False)):
        check = checks[name]
        state = 'passed' if check['passed'] else ('FAILED' if required else 'report')
        text = '%d/%d present and exact' % (check['total'] - len(check['missing']) - len(check['wrong']), check['total'])
        if check['missing']:
            text += '; missing: %s' % ', '.join(check['missing'])
        if check['private']:
            text += ' (private, so not visible to the official runner: %s)' % ', '.join(check['private'])
        if check['wrong']:
            text += '; wrong: %s' % ', '.join(check['wrong'])
        lines.append('%-26s %-6s %s' % (name, state, text))
    for name, entry in sorted(report['standard_flavors'].items()):
        if entry['status'] in ('wrong', 'private'):
            lines.append('  %s (%s): %s' % (name, entry['flavor'], '; '.join(entry['problems'])))
    for flavor in report['flavors']:
        if flavor['errors']:
            lines.append('  %s: %s' % (flavor['name'], '; '.join(flavor['errors'])))
    return lines
