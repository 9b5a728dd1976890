"""Outside development mode the server speaks only TLS, with the configured certificate."""

from __future__ import annotations

import ssl
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.processes import answers, free_port, start_module, stop, wait_until


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_the_server_serves_tls_with_its_certificate(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    port = free_port()
    env = {
        "LASNA_DB_PATH": str(tmp_path / "s.db"),
        "LASNA_TLS_CERT": str(cert),
        "LASNA_TLS_KEY": str(key),
        "LASNA_PORT": str(port),
    }
    proc = start_module(
        "sync_server",
        "serve",
        env=env,
        without="LASNA_",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"https://localhost:{port}/health"
        trust = ssl.create_default_context(cafile=str(cert))

        def output() -> str:
            return proc.stdout.read().decode(errors="replace") if proc.stdout else ""

        wait_until(proc, answers(url, verify=trust), what="The TLS server", details=output)
        reply = httpx.get(url, verify=trust, timeout=1)
        assert reply.status_code == 200
        assert reply.json()["status"] == "ok"
        plain = httpx.Client(timeout=2)
        try:
            plain.get(f"http://localhost:{port}/health")
            raise AssertionError("plain HTTP was answered")
        except httpx.TransportError:
            pass
        finally:
            plain.close()
    finally:
        stop(proc)
