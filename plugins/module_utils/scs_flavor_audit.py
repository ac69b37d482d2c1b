# -*- coding: utf-8 -*-
# Copyright: Sovereign Cloud Stack scs.kolla developers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Audit a cloud's flavors against scs-0100 (flavor names) and scs-0103 (standard flavors).

Input: the cloud's flavors as normalised by ``scs_flavor_sync.normalise``. Output: a report
dict (YAML friendly) and a readable summary. The checks follow the SCS reference conformance
tests; where this audit is stricter it says so in the finding.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor

STANDARD_STATUS = (('mandatory', 'mandatory'), ('recommended_part1', 'recommended'),
                   ('recommended_part2', 'recommended'))
NAME_KEY = 'scs:name-v2'  # the reference finds standard flavors by this property first
# Checks whose failure fails the audit; the recommended check only reports.
MANDATORY_CHECKS = ('scs-0100-syntax-check', 'scs-0100-semantics-check', 'scs-0103-properties',
                    'scs-0103-mandatory')


def ram_tenths(ram_mib):
    """RAM in tenths of GiB the way the SCS reference rounds it: int((ram + 51) / 102.4).

    So a flavor named 4 GiB passes down to 4045 MiB (4096 - 51) and fails at 4044 MiB.
    """
    return (ram_mib + 51) * 10 // 1024


def _gib(ram_mib):
    text = '%.1f' % (ram_mib / 1024.0)
    return text[:-2] if text.endswith('.0') else text


def check_flavor(flavor, info):
    """Findings for one SCS-named flavor: (errors, warnings); also the name's standard set."""
    errors, warnings = [], []
    if not info['valid']:
        return ['invalid SCS name: %s' % info['error']], warnings
    if info['canonical'] != flavor['name']:
        warnings.append('tolerated spelling (%s), canonical: %s' % (info.get('syntax'), info['canonical']))
    for text in info.get('warnings') or ():
        if text not in warnings:
            warnings.append(text)
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
    specs = flavor['extra_specs']
    for key, value in sorted(info['extra_specs'].items()):
        if key in specs and specs[key] != value:
            errors.append('%s is %r, the name says %r' % (key, specs[key], value))
        elif key not in specs:
            warnings.append('%s missing (should be %r)' % (key, value))
    for key in sorted(specs):
        if key.startswith('scs:') and key not in info['extra_specs']:
            warnings.append('%s=%r is not a property this name defines' % (key, specs[key]))
    return errors, warnings


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


def audit(flavors, engine=scs_flavor):
    """The audit report for a cloud's flavors (list of normalised flavor dicts)."""
    report_flavors = []
    syntax_failed, semantics_failed, properties_failed = [], [], []
    for flavor in sorted(flavors, key=lambda f: f['name']):
        if not flavor['name'].startswith('SCS-'):
            continue
        info = engine.analyse(flavor['name'])
        errors, warnings = check_flavor(flavor, info)
        entry = {
            'name': flavor['name'], 'id': flavor['id'], 'vcpus': flavor['vcpus'], 'ram': flavor['ram'],
            'disk': flavor['disk'], 'valid': bool(info['valid']), 'canonical': info.get('canonical'),
            'errors': errors, 'warnings': warnings,
        }
        report_flavors.append(entry)
        if not info['valid']:
            syntax_failed.append(flavor['name'])
        elif any(e.startswith(('vcpus', 'ram', 'disk')) for e in errors):
            semantics_failed.append(flavor['name'])
        if any(e.startswith('scs:') for e in errors):
            properties_failed.append(flavor['name'])

    by_name_v2 = {}
    for flavor in flavors:
        if NAME_KEY in flavor['extra_specs']:
            by_name_v2.setdefault(flavor['extra_specs'][NAME_KEY], flavor)
    for flavor in flavors:
        if flavor['name'].startswith('SCS-'):
            by_name_v2.setdefault(flavor['name'], flavor)

    standard = {}
    for set_name, status in STANDARD_STATUS:
        for name in engine.STANDARD_FLAVORS[set_name]:
            flavor = by_name_v2.get(name)
            if flavor is None:
                standard[name] = {'set': set_name, 'status': 'missing', 'flavor': None, 'problems': []}
                continue
            problems = compare_standard(flavor, engine.analyse(name))
            standard[name] = {'set': set_name, 'status': 'wrong' if problems else 'ok',
                              'flavor': flavor['name'], 'problems': problems}

    def standard_check(status):
        names = [n for s, st in STANDARD_STATUS if st == status for n in engine.STANDARD_FLAVORS[s]]
        missing = [n for n in names if standard[n]['status'] == 'missing']
        wrong = [n for n in names if standard[n]['status'] == 'wrong']
        return {'passed': not missing and not wrong, 'total': len(names), 'missing': missing, 'wrong': wrong}

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
        if check['wrong']:
            text += '; wrong: %s' % ', '.join(check['wrong'])
        lines.append('%-26s %-6s %s' % (name, state, text))
    for name, entry in sorted(report['standard_flavors'].items()):
        if entry['status'] == 'wrong':
            lines.append('  %s (%s): %s' % (name, entry['flavor'], '; '.join(entry['problems'])))
    for flavor in report['flavors']:
        if flavor['errors']:
            lines.append('  %s: %s' % (flavor['name'], '; '.join(flavor['errors'])))
    return lines
