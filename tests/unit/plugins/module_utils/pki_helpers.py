# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Shared helpers of the PKI unit tests: a real AnsibleModule for scs_files and CA makers."""

import datetime
import json

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from ansible.module_utils import basic

from ansible_collections.scs.kolla.plugins.module_utils import pki_engine, scs_files

NOW = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.timezone.utc)


def ansible_module(check_mode=False):
    """A real AnsibleModule (no arguments) as scs_files needs one."""
    basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": {"_ansible_check_mode": check_mode}}).encode()
    basic._ANSIBLE_PROFILE = "legacy"
    return basic.AnsibleModule(argument_spec={}, supports_check_mode=True)


def run(values, now=NOW, workers=1):
    """plan + execute through scs_files, as the module does; returns the summary."""
    module = ansible_module()
    plan = pki_engine.plan(values, now=now)
    pki_engine.execute(
        plan,
        write_file=lambda p, c, m: scs_files.write_file(module, p, c, m),
        ensure_directory=lambda p, m: scs_files.ensure_directory(module, p, m),
        fix_mode=lambda p, m: scs_files.set_mode(module, p, m),
        workers=workers)
    return pki_engine.summary(plan)


def predict(values, now=NOW):
    return pki_engine.summary(pki_engine.plan(values, now=now))


def make_ca(path_dir, name="Operator CA", key=None, days=400, start=None, ca=True, key_cert_sign=True,
            encrypt=False, extra_key=False, now=NOW):
    """Write an operator CA (ca.crt + ca.key) into ``path_dir``; returns (crt_path, key_path)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    start = start or now - datetime.timedelta(days=1)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(start)
               .not_valid_after(start + datetime.timedelta(days=days)))
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    builder = builder.add_extension(x509.KeyUsage(
        digital_signature=not key_cert_sign, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=key_cert_sign, crl_sign=key_cert_sign,
        encipher_only=False, decipher_only=False), critical=True)
    cert = builder.sign(key, hashes.SHA256())
    crt = path_dir / ("%s.crt" % name.replace(" ", "_"))
    keyfile = path_dir / ("%s.key" % name.replace(" ", "_"))
    pem = cert.public_bytes(serialization.Encoding.PEM)
    encryption = serialization.BestAvailableEncryption(b"secret") if encrypt else serialization.NoEncryption()
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    crt.write_bytes(pem + (key_pem if extra_key else b""))
    keyfile.write_bytes(key_pem)
    keyfile.chmod(0o600)
    return str(crt), str(keyfile)


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)
