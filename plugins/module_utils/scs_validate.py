# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Input checks shared by every role's preflight and by the modules.

Pure Python (no Ansible imports). Each ``check_*`` function takes a :class:`Problems`
collector, the name of the input (as the operator wrote it, e.g. ``pki_certificates[2].dns[0]``)
and the value; it adds at most one problem and returns whether the value passed, so callers
can skip checks that build on a bad value. A problem names the input, shows the value and says
what would be accepted, so the operator can fix it without reading code.

Regular expressions are always applied with ``fullmatch``: ``$`` would accept a trailing newline.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import re
import stat

# C0 controls, DEL and C1 controls: never part of a name, path or X.509 field written here.
_CONTROL_RE = re.compile(u"[\u0000-\u001f\u007f-\u009f]")
_DNS_LABEL_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_MODE_RE = re.compile(r"0?[0-7]{3,4}")

# X.509 upper bounds (RFC 5280, appendix A.1): ub-common-name and ub-organization-name.
X509_CN_MAX = 64
X509_O_MAX = 64
DNS_NAME_MAX = 253


class Problems(object):
    """Collects the problems of one input check, in the order found."""

    def __init__(self):
        self.items = []
        self.warnings = []
        # What the rules derive from input that passed (e.g. certificate requests), for the role.
        self.data = {}

    def add(self, name, value, accepted, limit=160):
        """Record that input ``name`` has ``value``, which is not accepted; say what is.

        ``limit`` shortens long values; paths of files whose content is refused are shown whole."""
        self.items.append("%s: %s is not accepted; %s" % (name, show(value, limit), accepted))

    def note(self, message):
        """Record a problem that spans several inputs (the message names them)."""
        self.items.append(message)

    def warn(self, message):
        """Record something the operator should know that does not stop the run."""
        self.warnings.append(message)

    def __bool__(self):
        return bool(self.items)

    __nonzero__ = __bool__

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)


def show(value, limit=160):
    """The value as the operator would recognise it, escaped and shortened."""
    if isinstance(value, str):
        text = repr(value)
    else:
        kind = type_name(value)
        text = "%r (%s %s)" % (value, "an" if kind[0] in "aeiou" else "a", kind)
    if len(text) > limit:
        # Keep the end of a string too: a trailing newline or a bad suffix must stay visible.
        text = text[:limit - 24] + "..." + text[-21:] if isinstance(value, str) else text[:limit - 3] + "..."
    return text


def type_name(value):
    """YAML's word for the type of ``value``, as operators write it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def check_text(problems, name, value, max_len=None, allow_empty=False, what="text"):
    """A string without control characters (no newline, tab, NUL), of at most ``max_len``."""
    limit = " of at most %d characters" % max_len if max_len else ""
    accepted = "expected %s%s%s without control characters" % (
        "a string" if allow_empty else "a non-empty string", limit, "" if what == "text" else " (%s)" % what)
    if not isinstance(value, str):
        problems.add(name, value, accepted)
        return False
    if (not value and not allow_empty) or _CONTROL_RE.search(value) or (max_len and len(value) > max_len):
        problems.add(name, value, accepted)
        return False
    return True


def check_pattern(problems, name, value, pattern, accepted):
    """A string that matches ``pattern`` as a whole (compiled or source text)."""
    regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    if not isinstance(value, str) or not regex.fullmatch(value):
        problems.add(name, value, accepted)
        return False
    return True


def is_ip_address(value):
    """Whether ``value`` is an IPv4 or IPv6 address literal."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def check_dns_name(problems, name, value, allow_wildcard=False):
    """A DNS name for a certificate SAN: at most 253 characters, labels of 1-63 letters, digits
    and inner hyphens, no trailing dot; an IP address literal is not a DNS name."""
    accepted = ("expected a DNS name of at most %d characters with labels of 1-63 letters, digits "
                "and inner hyphens%s (IP addresses go in the IP list)"
                % (DNS_NAME_MAX, ", optionally starting with '*.'" if allow_wildcard else ""))
    if not isinstance(value, str) or not value or len(value) > DNS_NAME_MAX or is_ip_address(value):
        problems.add(name, value, accepted)
        return False
    labels = value.split(".")
    if allow_wildcard and labels[0] == "*" and len(labels) > 1:
        labels = labels[1:]
    if not all(_DNS_LABEL_RE.fullmatch(label) for label in labels):
        problems.add(name, value, accepted)
        return False
    return True


def check_ip_address(problems, name, value, version=None):
    """An IPv4 or IPv6 address written as a string (``version`` 4 or 6 narrows it)."""
    family = {4: "an IPv4", 6: "an IPv6"}.get(version, "an IPv4 or IPv6")
    accepted = "expected %s address as a string" % family
    if not isinstance(value, str):
        problems.add(name, value, accepted)
        return False
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        problems.add(name, value, accepted)
        return False
    if version and address.version != version:
        problems.add(name, value, accepted)
        return False
    return True


def check_int(problems, name, value, minimum=None, maximum=None):
    """An integer (not a boolean, not a string) within ``minimum``..``maximum``."""
    bounds = []
    if minimum is not None:
        bounds.append(">= %d" % minimum)
    if maximum is not None:
        bounds.append("<= %d" % maximum)
    accepted = "expected an integer%s" % (" " + " and ".join(bounds) if bounds else "")
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(name, value, accepted)
        return False
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        problems.add(name, value, accepted)
        return False
    return True


def check_choice(problems, name, value, choices):
    """One of ``choices`` (compared as given, so 2025.1 the float is not '2025.1')."""
    if isinstance(value, bool) or value not in choices:
        problems.add(name, value, "expected one of: %s" % ", ".join(str(c) for c in choices))
        return False
    return True


def check_release(problems, name, value, known):
    """An OpenStack release name such as '2025.1', given as a quoted string.

    YAML reads an unquoted 2025.10 as the float 2025.1, so numbers are refused with a hint.
    """
    if isinstance(value, str) and value in known:
        return True
    hint = " (quote it: YAML reads an unquoted release as a number)" if isinstance(value, (int, float)) \
        and not isinstance(value, bool) else ""
    problems.add(name, value, "expected one of the release strings %s%s" % (", ".join(known), hint))
    return False


def check_abs_path(problems, name, value, kind=None, must_exist=False):
    """An absolute path without control characters, normalised (no '..' components).

    ``kind`` 'dir' or 'file': what the path must be if it exists (or, with ``must_exist``, must be).
    """
    what = {"dir": "a directory", "file": "a file"}.get(kind, "a path")
    if not check_text(problems, name, value, max_len=4096, what="an absolute path"):
        return False
    if not os.path.isabs(value) or ".." in value.split("/"):
        problems.add(name, value, "expected an absolute path (starting with '/', no '..') to %s" % what)
        return False
    exists = os.path.lexists(value)
    if must_exist and not exists:
        problems.add(name, value, "expected an existing %s" % what[2:] if kind else "expected an existing path")
        return False
    if exists and kind == "dir" and not os.path.isdir(value):
        problems.add(name, value, "expected a directory, found a file")
        return False
    if exists and kind == "file" and os.path.isdir(value):
        problems.add(name, value, "expected a file, found a directory")
        return False
    return True


def parse_mode(value):
    """A file mode given as an octal string ('0600') or int (0o600); None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 0o7777 else None
    if isinstance(value, str) and _MODE_RE.fullmatch(value):
        return int(value, 8)
    return None


def check_mode(problems, name, value, secret=False):
    """A file mode as a quoted octal string. Secret files: no group or other bits at all
    (0600 or 0400); any other file: not writable by group or others."""
    mode = parse_mode(value)
    if secret:
        accepted = "expected an octal mode string without group or other permissions, such as '0600' or '0400'"
        bad = mode is None or mode & (stat.S_IRWXG | stat.S_IRWXO)
    else:
        accepted = "expected an octal mode string not writable by group or others, such as '0644'"
        bad = mode is None or mode & (stat.S_IWGRP | stat.S_IWOTH)
    if isinstance(value, int) and not isinstance(value, bool) and not bad:
        # YAML 1.1 reads 0644 as octal but 644 as decimal: only a string is unambiguous.
        accepted += " (quote it: an unquoted mode is read as a number)"
        bad = True
    if bad:
        problems.add(name, value, accepted)
        return False
    return True


def check_list(problems, name, value, element_check=None, allow_empty=True):
    """A list; ``element_check(problems, element_name, element)`` runs on every element."""
    if not isinstance(value, list) or (not allow_empty and not value):
        problems.add(name, value, "expected a %slist" % ("" if allow_empty else "non-empty "))
        return False
    ok = True
    if element_check is not None:
        for index, element in enumerate(value):
            ok = element_check(problems, "%s[%d]" % (name, index), element) and ok
    return ok


def check_mapping(problems, name, value, allowed_keys=None, required_keys=()):
    """A mapping with string keys; ``allowed_keys`` limits them, ``required_keys`` must be there."""
    if not isinstance(value, dict):
        problems.add(name, value, "expected a mapping")
        return False
    ok = True
    for key in required_keys:
        if key not in value:
            problems.note("%s: the key %r is missing (required: %s)" % (name, key, ", ".join(required_keys)))
            ok = False
    if allowed_keys is not None:
        for key in value:
            if key not in allowed_keys:
                problems.note("%s: the key %s is not known; known keys: %s"
                              % (name, show(key), ", ".join(sorted(allowed_keys))))
                ok = False
    return ok


def check_group_name(problems, name, value):
    """An Ansible inventory group name (letters, digits, '_' and '-')."""
    return check_pattern(problems, name, value, r"[A-Za-z_][A-Za-z0-9_-]{0,254}",
                         "expected an inventory group name (letters, digits, '_' and '-'; a string, not a list)")


def git_work_tree_of(path):
    """The top directory of the git work tree that holds ``path`` (existing or not), or None."""
    current = os.path.abspath(path)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def git_ignores(top, path):
    """Whether git ignores ``path`` in the work tree ``top`` (True/False), None when git cannot say."""
    import subprocess  # pylint: disable=import-outside-toplevel
    try:
        proc = subprocess.run(["git", "-C", top, "check-ignore", "-q", "--", os.path.relpath(path, top)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return {0: True, 1: False}.get(proc.returncode)


def check_outside_git(problems, name, value, opt_in):
    """A path for secrets that git would not pick up: outside a git work tree, or ignored by it
    (configuration repositories are shared and pushed); ``opt_in`` names the variable that
    allows it anyway."""
    top = git_work_tree_of(value) if isinstance(value, str) and os.path.isabs(value) else None
    if top is None:
        return True
    ignored = git_ignores(top, value)
    if ignored:
        return True
    problems.add(name, value, "expected a directory outside a git work tree or ignored by it (%s is a work tree%s): "
                 "private keys would end up in the repository; choose another directory, ignore it in git, or "
                 "set %s: true if the repository is encrypted" % (
                     top, "" if ignored is False else " and git could not tell whether it ignores the path", opt_in),
                 limit=4096)
    return False


def read_text_file(problems, name, path, limit=1024 * 1024):
    """The first ``limit`` bytes of an existing controller file as text (bytes outside ASCII
    replaced), or None after adding a problem; its content is never shown."""
    if not check_abs_path(problems, name, path, kind="file", must_exist=True):
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read(limit).decode("ascii", "replace")
    except (IOError, OSError) as exc:
        problems.add(name, path, "expected a readable file (%s)" % exc.strerror)
        return None


def check_parent_dirs(problems, name, path):
    """Every existing ancestor of ``path`` is a directory (a file there would stop a later write)."""
    parent = os.path.dirname(path)
    while parent and parent != "/":
        if os.path.lexists(parent) and not os.path.isdir(parent):
            problems.add(name, path, "expected a path below directories; %s is a file" % parent)
            return False
        parent = os.path.dirname(parent)
    return True


_CA_FILE_MAX = 1024 * 1024
_PEM_RE = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.S)


def pem_blocks(text):
    """The (label, PEM text) blocks of ``text``; None when anything but blocks and blank space is there."""
    blocks = []
    end = 0
    for match in _PEM_RE.finditer(text):
        if text[end:match.start()].strip():
            return None
        blocks.append((match.group(1), match.group(0) + "\n"))
        end = match.end()
    if text[end:].strip():
        return None
    return blocks


def check_ca_certificate_file(problems, name, value, now=None, min_remaining_days=0):
    """A controller file of one or more PEM CA certificates (a trust anchor or bundle entry).

    The one check of a CA certificate file: an existing, readable file of at most 1 MiB holding
    PEM certificate blocks and nothing else, no private key (its content is never shown), each
    certificate readable, a CA (basic constraints CA:TRUE), valid now and, with
    ``min_remaining_days``, for more than that many days. Returns the certificates (cryptography
    objects; an empty list after a problem).
    """
    text = read_text_file(problems, name, value, limit=_CA_FILE_MAX + 1)
    if text is None:
        return []

    def refuse(accepted):
        problems.add(name, value, accepted, limit=4096)
        return []

    if "PRIVATE KEY" in text:
        return refuse("expected CA certificates only; found a private key in the file: remove it (the file holds "
                      "a PRIVATE KEY, which would be copied to places anyone can read)")
    blocks = pem_blocks(text)
    if not blocks or any(label != "CERTIFICATE" for label, _pem in blocks) or len(text) > _CA_FILE_MAX:
        return refuse("expected a file of PEM certificates (-----BEGIN CERTIFICATE-----), nothing else")
    try:
        import datetime  # pylint: disable=import-outside-toplevel
        from cryptography import x509  # pylint: disable=import-outside-toplevel
    except ImportError:
        return refuse("expected a file the controller can check: the Python library cryptography is missing")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    certs = []
    for index, (_label, pem) in enumerate(blocks):
        where = "" if len(blocks) == 1 else " (certificate %d of %d)" % (index + 1, len(blocks))
        try:
            cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
        except (ValueError, TypeError, UnicodeError):
            return refuse("expected a readable PEM certificate%s" % where)
        subject = (cert.subject.rfc4514_string() or "(empty subject)") + where
        try:
            is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            is_ca = False
        if not is_ca:
            return refuse("expected a CA certificate (basic constraints CA:TRUE); %s is not a CA" % subject)
        start = getattr(cert, "not_valid_before_utc", None) or cert.not_valid_before.replace(tzinfo=datetime.timezone.utc)
        end = getattr(cert, "not_valid_after_utc", None) or cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
        if start > now:
            return refuse("expected a CA certificate valid now; %s is not valid before %s"
                          % (subject, start.strftime("%Y-%m-%d %H:%M:%S UTC")))
        if end <= now:
            return refuse("expected a CA certificate valid now; %s expired on %s" % (subject, end.strftime("%Y-%m-%d")))
        if min_remaining_days and end - now <= datetime.timedelta(days=min_remaining_days):
            return refuse("expected a CA certificate valid for more than %d more days; %s expires on %s"
                          % (min_remaining_days, subject, end.strftime("%Y-%m-%d")))
        certs.append(cert)
    return certs


def check_bool(problems, name, value):
    """true or false (a YAML boolean, not the string 'yes')."""
    if not isinstance(value, bool):
        problems.add(name, value, "expected true or false")
        return False
    return True


def check_argv(problems, name, value):
    """A command as a non-empty list of strings without control characters (argv, no shell)."""
    if not check_list(problems, name, value, allow_empty=False):
        return False
    ok = True
    for index, word in enumerate(value):
        ok = check_text(problems, "%s[%d]" % (name, index), word, max_len=4096) and ok
    return ok
