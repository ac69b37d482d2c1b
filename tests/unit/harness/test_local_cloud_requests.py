# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The local cloud harness's request log as the benchmark reads it (counts, span, busy time)."""

import importlib.util
import json
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
_PATH = os.path.join(HERE, "..", "..", "harness", "local_cloud.py")

# One token issue, a token check Nova waited for inside its flavor list, two overlapping writes.
LOG = """\
100.000 keystone GET /v3 200 1.0ms
100.002 keystone POST /v3/auth/tokens 201 60.0ms
100.070 keystone GET /v3/auth/tokens 200 50.0ms
100.065 nova GET /flavors/detail?is_public=None 200 60.0ms
100.130 nova POST /flavors 200 15.0ms
100.135 nova POST /flavors/abc/os-extra_specs 200 20.0ms
"""


@pytest.fixture
def local_cloud(tmp_path, monkeypatch):
    monkeypatch.setenv("SCS_KOLLA_LOCAL_CLOUD_DIR", str(tmp_path))
    spec = importlib.util.spec_from_file_location("scs_local_cloud_harness", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "requests.log").write_text(LOG)
    return module


def test_requests_json_counts_span_and_busy_time(local_cloud, capsys):
    local_cloud.main(["requests", "--json", "--since", "1"])
    data = json.loads(capsys.readouterr().out)
    assert data["lines"] == 6
    assert data["counts"]["keystone"] == {"GET": 1, "POST": 1, "total": 2, "writes": 1}
    assert data["counts"]["nova"] == {"GET": 1, "POST": 2, "total": 3, "writes": 2}
    # from the token issue (100.002) to the end of the extra_specs write (100.155)
    assert data["span_seconds"] == pytest.approx(0.153)
    assert data["server_seconds"]["nova"] == {"GET": 0.06, "POST": 0.035, "total": 0.095}
    assert data["server_seconds"]["keystone"] == {"GET": 0.05, "POST": 0.06, "total": 0.11}


def test_no_requests_means_no_span_and_no_busy_time(local_cloud, capsys):
    local_cloud.main(["requests", "--json", "--since", "6"])
    data = json.loads(capsys.readouterr().out)
    assert data["span_seconds"] == 0.0
    assert data["server_seconds"] == {"keystone": {"total": 0.0}, "nova": {"total": 0.0}}
