# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""scs_files with a real AnsibleModule: atomic writes, modes, no rewrite, no temp file left."""

import os
import stat

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import scs_files
from ansible_collections.scs.kolla.tests.unit.plugins.module_utils.pki_helpers import ansible_module


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_secret_file_is_0600_and_no_temp_file_is_left(tmp_path):
    module = ansible_module()
    path = str(tmp_path / "key.pem")
    assert scs_files.write_file(module, path, b"KEY", "0600")
    assert open(path, "rb").read() == b"KEY" and mode(path) == 0o600
    assert os.listdir(tmp_path) == ["key.pem"]


def test_same_content_is_not_rewritten(tmp_path):
    module = ansible_module()
    path = str(tmp_path / "cert.pem")
    scs_files.write_file(module, path, b"CERT", 0o644)
    before = os.stat(path).st_mtime_ns, os.stat(path).st_ino
    assert not scs_files.write_file(module, path, b"CERT", 0o644)
    assert (os.stat(path).st_mtime_ns, os.stat(path).st_ino) == before


def test_new_content_replaces_the_file_atomically(tmp_path):
    module = ansible_module()
    path = str(tmp_path / "cert.pem")
    scs_files.write_file(module, path, b"OLD", "0644")
    inode = os.stat(path).st_ino
    assert scs_files.write_file(module, path, b"NEW", "0644")
    assert open(path, "rb").read() == b"NEW" and os.stat(path).st_ino != inode  # renamed over, not truncated


def test_only_the_mode_is_fixed(tmp_path):
    module = ansible_module()
    path = tmp_path / "key.pem"
    path.write_bytes(b"KEY")
    path.chmod(0o644)
    assert scs_files.write_file(module, str(path), b"KEY", "0600")
    assert mode(path) == 0o600
    assert scs_files.set_mode(module, str(path), 0o600) is False


def test_a_failed_write_fails_the_module_and_leaves_no_temp_file(tmp_path, capsys):
    """A real fault: the target is a non-empty directory, so the rename fails."""
    module = ansible_module()
    (tmp_path / "x.pem").mkdir()
    (tmp_path / "x.pem" / "inside").write_text("x")
    with pytest.raises(SystemExit):
        scs_files.write_file(module, str(tmp_path / "x.pem"), b"X", "0600")
    assert '"failed": true' in capsys.readouterr().out
    assert os.listdir(tmp_path) == ["x.pem"]


def test_directories_with_parents(tmp_path):
    module = ansible_module()
    path = str(tmp_path / "a" / "b")
    assert scs_files.ensure_directory(module, path, "0700")
    assert mode(path) == 0o700 and mode(tmp_path / "a") == 0o700
    assert not scs_files.ensure_directory(module, path, "0700")
    os.chmod(path, 0o755)
    assert scs_files.ensure_directory(module, path, 0o700) and mode(path) == 0o700


def test_a_file_where_a_directory_goes(tmp_path, capsys):
    module = ansible_module()
    (tmp_path / "f").write_text("x")
    with pytest.raises(SystemExit):
        scs_files.ensure_directory(module, str(tmp_path / "f"), "0700")
    assert "must be a directory" in capsys.readouterr().out


def test_read_bytes_missing(tmp_path):
    assert scs_files.read_bytes(str(tmp_path / "nope")) is None
