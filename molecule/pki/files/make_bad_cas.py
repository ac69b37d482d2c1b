# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Write the broken operator CAs the bad-input run feeds to scs.kolla.pki (test input only).

Usage: python make_bad_cas.py DIRECTORY. Writes NAME.crt + NAME.key for each case below.
"""

import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def write(directory, name, start, days, ca=True, key=None, encrypt=False, key_in_cert=False):
    key = key or ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bad CA " + name)])
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(start)
               .not_valid_after(start + days * DAY)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    cert = builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    encryption = serialization.BestAvailableEncryption(b"secret") if encrypt else serialization.NoEncryption()
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    with open(os.path.join(directory, name + ".crt"), "wb") as handle:
        handle.write(cert + (key_pem if key_in_cert else b""))
    fd = os.open(os.path.join(directory, name + ".key"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_pem)


def main(directory):
    os.makedirs(directory, mode=0o700, exist_ok=True)
    write(directory, "expired", NOW - 20 * DAY, 10)
    write(directory, "future", NOW + 2 * DAY, 400)
    write(directory, "short", NOW - DAY, 10)
    write(directory, "leaf", NOW - DAY, 400, ca=False)
    write(directory, "rsa1024", NOW - DAY, 400, key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    write(directory, "p224", NOW - DAY, 400, key=ec.generate_private_key(ec.SECP224R1()))
    write(directory, "encrypted", NOW - DAY, 400, encrypt=True)
    write(directory, "keyincert", NOW - DAY, 400, key_in_cert=True)
    write(directory, "good", NOW - DAY, 400)
    with open(os.path.join(directory, "garbage.crt"), "w") as handle:
        handle.write("not a certificate\n")


if __name__ == "__main__":
    main(sys.argv[1])
