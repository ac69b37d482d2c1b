# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Probe a MySQL/MariaDB endpoint (MariaDB, ProxySQL) for TLS, with PyMySQL.

Pure helpers (validation, TLS version ranking, verdict) plus ``probe`` which
opens one real connection. Used by the ``scs.kolla.mysql_tls_probe`` module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import ssl

from ansible_collections.scs.kolla.plugins.module_utils import scs_validate as v

# MariaDB user names: mysql.user.User is char(80).
USER_MAX = 80
TLS_VERSIONS = ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
EXPECTATIONS = ("success", "refused")


def tls_version_rank(version):
    """Order of a TLS protocol name as reported by ssl.SSLSocket.version(); -1 if unknown."""
    try:
        return TLS_VERSIONS.index(version)
    except ValueError:
        return -1


def meets_minimum(version, minimum):
    """True if ``version`` is a known TLS version at least as new as ``minimum``."""
    rank = tls_version_rank(version)
    return rank >= 0 and rank >= tls_version_rank(minimum)


def validate(params):
    """Every problem with the parameters, as messages naming the value and what is accepted."""
    errors = []
    port = params.get("port")
    if not isinstance(port, int) or not 0 < port < 65536:
        errors.append("port must be 1..65535, got %r" % (port,))
    host = params.get("host")
    if not host:
        errors.append("host must be a host name or address, got %r" % (host,))
    elif not (v.is_ip_address(host) or v.check_dns_name(v.Problems(), "host", host)):
        errors.append("host: %s is not accepted; expected a DNS name or an IP address" % v.show(host))
    user = params.get("user")
    if not v.check_text(v.Problems(), "user", user, max_len=USER_MAX):
        errors.append("user: %s is not accepted; expected a MariaDB user name of at most %d characters without "
                      "control characters" % (v.show(user), USER_MAX))
    if params.get("expect") not in EXPECTATIONS:
        errors.append("expect must be one of %s, got %r" % (", ".join(EXPECTATIONS), params.get("expect")))
    if params.get("min_tls_version") not in TLS_VERSIONS[2:]:
        errors.append("min_tls_version must be TLSv1.2 or TLSv1.3, got %r" % (params.get("min_tls_version"),))
    timeout = params.get("connect_timeout")
    if not isinstance(timeout, int) or timeout < 1 or timeout > 3600:
        errors.append("connect_timeout must be a positive number of seconds (at most 3600), got %r" % (timeout,))
    if params.get("tls"):
        if not params.get("ca_cert"):
            errors.append("tls=true needs ca_cert: the server certificate is always verified")
    elif params.get("client_cert") or params.get("client_key"):
        errors.append("client_cert/client_key need tls=true")
    if bool(params.get("client_cert")) != bool(params.get("client_key")):
        errors.append("client_cert and client_key go together, got only %s"
                      % ("client_cert" if params.get("client_cert") else "client_key"))
    for name in ("ca_cert", "client_cert", "client_key"):
        path = params.get(name)
        if path and (not os.path.isfile(path) or not os.access(path, os.R_OK)):
            errors.append("%s %s is not a readable file" % (name, path))
    return errors


def ssl_context(params):
    """A verifying client context: CA bundle, host name check, optional client certificate."""
    context = ssl.create_default_context(cafile=params["ca_cert"])
    context.check_hostname = bool(params.get("check_hostname", True))
    context.verify_mode = ssl.CERT_REQUIRED
    if params.get("client_cert"):
        context.load_cert_chain(params["client_cert"], params["client_key"])
    return context


def probe(params, pymysql=None):
    """Open one connection as ``params`` says; report what happened (never raises for DB errors)."""
    if pymysql is None:
        import pymysql  # pylint: disable=import-outside-toplevel
    result = {"connected": False, "tls": False, "tls_version": None, "cipher": None,
              "cipher_bits": None, "server_ssl_version": None, "server_ssl_cipher": None,
              "peer_certificate_sha256": None,
              "error": None, "error_code": None}
    kwargs = dict(host=params["host"], port=params["port"], user=params["user"],
                  password=params.get("password") or "", connect_timeout=params["connect_timeout"])
    try:
        if params.get("tls"):
            kwargs["ssl"] = ssl_context(params)
        else:
            # PyMySQL >= 2 tries unverified TLS unless told not to.
            kwargs["ssl_disabled"] = True
        conn = pymysql.connect(**kwargs)
    except Exception as exc:  # PyMySQL raises OperationalError, ssl.SSLError, OSError ...
        args = getattr(exc, "args", ())
        if len(args) >= 2 and isinstance(args[0], int):
            result["error_code"] = args[0]
            result["error"] = str(args[1])
        else:
            result["error"] = "%s: %s" % (type(exc).__name__, exc)
        return result
    try:
        result["connected"] = True
        sock = getattr(conn, "_sock", None)
        version = getattr(sock, "version", None)
        if callable(version):
            result["tls"] = True
            result["tls_version"] = version()
            cipher = sock.cipher()
            if cipher:
                result["cipher"], result["cipher_bits"] = cipher[0], cipher[2]
            der = sock.getpeercert(binary_form=True)
            if der:
                result["peer_certificate_sha256"] = hashlib.sha256(der).hexdigest()
        if params.get("query_server_status", True):
            with conn.cursor() as cur:
                cur.execute("SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')")
                status = dict(cur.fetchall())
            result["server_ssl_version"] = status.get("Ssl_version") or None
            result["server_ssl_cipher"] = status.get("Ssl_cipher") or None
    finally:
        conn.close()
    return result


def verdict(params, result):
    """None if ``result`` is what ``params`` expect, else the failure message."""
    where = "%s:%s" % (params["host"], params["port"])
    if params["expect"] == "refused":
        if result["connected"]:
            return ("%s accepted a %s connection for user %s; expected a refusal"
                    % (where, "TLS" if result["tls"] else "plaintext", params["user"]))
        return None
    if not result["connected"]:
        return "cannot connect to %s: %s" % (where, result["error"])
    if params.get("tls"):
        if not result["tls"]:
            return "%s: connection is not encrypted" % where
        if not meets_minimum(result["tls_version"], params["min_tls_version"]):
            return ("%s negotiated %s, below min_tls_version %s"
                    % (where, result["tls_version"], params["min_tls_version"]))
    return None
