# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""mysql_tls helpers: validation, TLS version ordering, verdicts, and real connection failures."""

import datetime
import socket
import ssl
import threading

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import mysql_tls


def params(**overrides):
    base = dict(host="127.0.0.1", port=3306, user="admin", password="pw", tls=True, ca_cert=None,
                client_cert=None, client_key=None, check_hostname=True, expect="success",
                min_tls_version="TLSv1.2", connect_timeout=2, query_server_status=True)
    base.update(overrides)
    return base


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory):
    """A real self-signed CA certificate (cryptography), for paths that load one."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "unit test CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path_factory.mktemp("ca") / "ca.crt"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("version,minimum,ok", [
    ("TLSv1.3", "TLSv1.2", True),
    ("TLSv1.2", "TLSv1.2", True),
    ("TLSv1.2", "TLSv1.3", False),
    ("TLSv1.1", "TLSv1.2", False),
    ("TLSv1", "TLSv1.2", False),
    (None, "TLSv1.2", False),
    ("SSLv3", "TLSv1.2", False),
])
def test_meets_minimum(version, minimum, ok):
    assert mysql_tls.meets_minimum(version, minimum) is ok


def test_validate_accepts_good_input(ca_file):
    assert mysql_tls.validate(params(ca_cert=ca_file)) == []
    assert mysql_tls.validate(params(tls=False, expect="refused")) == []


@pytest.mark.parametrize("overrides,message", [
    (dict(port=0), "port must be 1..65535, got 0"),
    (dict(port=70000), "port must be 1..65535, got 70000"),
    (dict(host=""), "host must be"),
    (dict(expect="maybe"), "expect must be one of success, refused, got 'maybe'"),
    (dict(min_tls_version="TLSv1.1"), "min_tls_version must be TLSv1.2 or TLSv1.3, got 'TLSv1.1'"),
    (dict(connect_timeout=0), "connect_timeout must be a positive number"),
    (dict(), "tls=true needs ca_cert"),
    (dict(tls=False, client_cert="/x"), "client_cert/client_key need tls=true"),
    (dict(client_cert="/nonexistent.pem"), "client_cert and client_key go together, got only client_cert"),
    (dict(ca_cert="/nonexistent/ca.pem"), "ca_cert /nonexistent/ca.pem is not a readable file"),
])
def test_validate_names_the_bad_value(overrides, message):
    errors = mysql_tls.validate(params(**overrides))
    assert any(message in e for e in errors), errors


def test_ssl_context_verifies_certificate_and_host_name(ca_file):
    context = mysql_tls.ssl_context(params(ca_cert=ca_file))
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert [c["subject"] for c in context.get_ca_certs()] == [((("commonName", "unit test CA"),),)]
    assert mysql_tls.ssl_context(params(ca_cert=ca_file, check_hostname=False)).check_hostname is False


def test_probe_reports_a_refused_tcp_connection(ca_file):
    port = free_port()  # nothing listens there
    for tls in (True, False):
        result = mysql_tls.probe(params(port=port, tls=tls, ca_cert=ca_file))
        assert result["connected"] is False and result["tls"] is False
        assert result["error_code"] == 2003
        assert "Can't connect" in result["error"]


def test_probe_reports_a_server_that_is_not_mysql(ca_file):
    """A TCP server that closes at once: a protocol failure, reported, not raised."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]

        def close_first():
            conn = server.accept()[0]
            conn.close()
        worker = threading.Thread(target=close_first)
        worker.start()
        result = mysql_tls.probe(params(port=port, tls=False))
        worker.join(5)
    assert result["connected"] is False
    assert result["error"]


def test_verdicts():
    refused = dict(connected=False, tls=False, tls_version=None, error="Access denied", error_code=1045)
    tls13 = dict(connected=True, tls=True, tls_version="TLSv1.3", error=None, error_code=None)
    tls11 = dict(tls13, tls_version="TLSv1.1")
    plain = dict(tls13, tls=False, tls_version=None)
    assert mysql_tls.verdict(params(), tls13) is None
    assert mysql_tls.verdict(params(min_tls_version="TLSv1.3"), tls13) is None
    assert "below min_tls_version TLSv1.2" in mysql_tls.verdict(params(), tls11)
    assert "cannot connect to 127.0.0.1:3306: Access denied" == mysql_tls.verdict(params(), refused)
    assert mysql_tls.verdict(params(tls=False, expect="refused"), refused) is None
    assert "accepted a plaintext connection for user admin" in mysql_tls.verdict(
        params(tls=False, expect="refused"), plain)
    assert "accepted a TLS connection" in mysql_tls.verdict(params(expect="refused"), tls13)
    assert "not encrypted" in mysql_tls.verdict(params(), plain)
