# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The alert rules pass promtool (Debian's prometheus package): syntax and rule unit tests.

tests/run unit unpacks promtool and sets SCS_KOLLA_PROMTOOL, and then a missing or
failing promtool is a test failure. Only a bare pytest run without promtool skips.
"""

import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RULES = os.path.join(ROOT, "roles", "certificate_metrics", "files", "scs-kolla-tls.rules")
RULE_TESTS = os.path.join(ROOT, "tests", "unit", "prometheus", "scs-kolla-tls.test.yml")


@pytest.fixture(scope="module")
def promtool():
    path = os.environ.get("SCS_KOLLA_PROMTOOL")
    if path:
        assert os.access(path, os.X_OK), "SCS_KOLLA_PROMTOOL=%s is not executable" % path
        return path
    found = shutil.which("promtool")
    if not found:
        pytest.skip("promtool not installed (tests/run unit provides it)")
    return found


def run(promtool, *args):
    proc = subprocess.run([promtool] + list(args), capture_output=True, text=True, cwd=os.path.dirname(RULE_TESTS),
                          check=False, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


def test_rules_pass_promtool_check(promtool):
    rc, out = run(promtool, "check", "rules", RULES)
    assert rc == 0, out
    assert "SUCCESS: 5 rules found" in out


def test_every_alert_fires_and_stays_quiet_in_promtool_tests(promtool):
    rc, out = run(promtool, "test", "rules", RULE_TESTS)
    assert rc == 0, out
    with open(RULES) as handle:
        alerts = [line.split(":", 1)[1].strip() for line in handle if line.strip().startswith("- alert:")]
    with open(RULE_TESTS) as handle:
        tests = handle.read()
    for alert in alerts:
        # Each alert has a case where it fires (exp_labels) and one where it does not (exp_alerts: []).
        assert "alertname: %s\n        exp_alerts: []" % alert in tests, alert
        assert "alertname: %s\n        exp_alerts:\n          - exp_labels" % alert in tests, alert


def test_a_broken_rule_test_fails(promtool, tmp_path):
    # promtool really evaluates: a wrong expectation is reported, not ignored.
    with open(RULE_TESTS) as handle:
        text = handle.read().replace("../../../roles/certificate_metrics/files/scs-kolla-tls.rules", RULES)
    bad = tmp_path / "bad.test.yml"
    bad.write_text(text.replace("eval_time: 8m", "eval_time: 4m", 1))
    rc, out = run(promtool, "test", "rules", str(bad))
    assert rc != 0 and "ScsKollaOvnIpsecTunnelDown" in out
