# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The one file-writing helper of the collection: atomic writes with owner, group and mode.

A file is written to a temporary file in its target directory (same file system, so the final
rename is atomic), the temporary file is registered with ``module.add_cleanup_file`` and removed
again on any error, gets its owner/group/mode/SELinux context before it is moved, and is then
moved over the target with ``module.atomic_move``. A reader sees the old file or the new one,
never a half-written one; a secret file never exists with broader permissions than it ends with.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile


def _file_args(module, path, mode, owner=None, group=None):
    args = module.load_file_common_arguments({}, path=path)
    args.update(path=path, mode=mode, owner=owner, group=group)
    return args


def read_bytes(path):
    """The content of ``path`` as bytes, or None when it does not exist (or is not a file)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def write_file(module, path, content, mode, owner=None, group=None):
    """Write ``content`` (bytes) to ``path`` atomically; ``mode`` as an octal string or int.

    Returns True when the content or an attribute changed. Writes nothing when the content is
    the same and only fixes owner/group/mode then. Fails the module (no traceback) on errors.
    """
    if isinstance(mode, int):
        mode = "%04o" % mode
    file_args = _file_args(module, path, mode, owner, group)
    if read_bytes(path) == content:
        return module.set_fs_attributes_if_different(file_args, False)
    directory = os.path.dirname(path) or "."
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), suffix=".tmp", dir=directory)
        module.add_cleanup_file(tmp_name)
        try:
            # mkstemp creates 0600: the content never sits in a file readable by others.
            # os.write may write less than asked (file size limit, full disk): write the rest
            # until it fails, never move a truncated file into place.
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp_args = dict(file_args, path=tmp_name)
        module.set_fs_attributes_if_different(tmp_args, False)
        # atomic_move chmods a file it creates to 0666 & ~umask: a umask from the wanted mode
        # keeps a new secret file from being readable by others for a moment.
        wanted = int(mode, 8) if mode else 0o644
        old_umask = os.umask(0o777 & ~wanted)
        try:
            module.atomic_move(tmp_name, path, keep_dest_attrs=False)
        finally:
            os.umask(old_umask)
        tmp_name = None
        module.set_fs_attributes_if_different(file_args, False)
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_json(msg="could not write %s: %s" % (path, exc))
    finally:
        if tmp_name is not None and os.path.lexists(tmp_name):
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return True


def ensure_directory(module, path, mode, owner=None, group=None):
    """Create ``path`` (and missing parents, with the same mode) or fix its attributes.

    Returns True when something changed. A file where the directory must be fails the module.
    """
    if isinstance(mode, int):
        mode = "%04o" % mode
    changed = False
    if os.path.lexists(path) and not os.path.isdir(path):
        module.fail_json(msg="%s must be a directory, but it is a file" % path)
    if not os.path.isdir(path):
        parent = os.path.dirname(path.rstrip("/"))
        if parent and parent != path and not os.path.isdir(parent):
            ensure_directory(module, parent, mode, owner, group)
        try:
            os.mkdir(path, int(mode, 8))
        except OSError as exc:
            module.fail_json(msg="could not create the directory %s: %s" % (path, exc))
        changed = True
    return module.set_fs_attributes_if_different(_file_args(module, path, mode, owner, group), changed)


def set_mode(module, path, mode, owner=None, group=None):
    """Fix owner/group/mode of an existing file without touching its content."""
    if isinstance(mode, int):
        mode = "%04o" % mode
    return module.set_fs_attributes_if_different(_file_args(module, path, mode, owner, group), False)
