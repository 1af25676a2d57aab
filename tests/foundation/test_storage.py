"""The storage of uploaded files: a shared directory, or S3-compatible object storage.

The S3 backend runs against moto's S3 server on a free local port (a real HTTP S3 API, no
mock of boto3 itself); it is skipped with a message when boto3 or moto is not installed.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from accompagnement.config import ConfigError, from_environment
from accompagnement.storage import DirectoryStorage, S3Storage, Storage, make_storage


def _round_trip(store: Storage, tmp_path: Path) -> None:
    source = tmp_path / "source.pdf"
    source.write_bytes(b"%PDF-1.4 first")
    store.put("0" * 32, source)
    assert store.read("0" * 32) == b"%PDF-1.4 first"
    source.write_bytes(b"%PDF-1.4 second")
    store.put("0" * 32, source)
    assert store.read("0" * 32) == b"%PDF-1.4 second"
    store.delete("0" * 32)
    with pytest.raises(FileNotFoundError):
        store.read("0" * 32)
    store.delete("0" * 32)  # twice: nothing happens


def test_a_directory_keeps_files_and_leaves_no_partial_file(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    _round_trip(DirectoryStorage(root), tmp_path)
    assert list(root.iterdir()) == []


def test_the_directory_is_upload_dir_unless_storage_dir_says(tmp_path: Path) -> None:
    config = {"UPLOAD_DIR": str(tmp_path / "uploads"), "STORAGE_DIR": ""}
    made = make_storage(config)
    assert isinstance(made, DirectoryStorage) and made.root == tmp_path / "uploads"
    made = make_storage({**config, "STORAGE_DIR": str(tmp_path / "nfs")})
    assert isinstance(made, DirectoryStorage) and made.root == tmp_path / "nfs"


def test_the_app_uses_the_configured_storage(app: Flask) -> None:
    made = app.extensions["storage"]
    assert isinstance(made, DirectoryStorage)
    assert made.root == Path(app.config["UPLOAD_DIR"])


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"STORAGE": "ftp"}, "STORAGE must be directory or s3"),
        ({"STORAGE": "s3"}, "STORAGE=s3 needs S3_BUCKET"),
    ],
)
def test_a_wrong_storage_setting_stops_the_start(env: dict[str, str], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        from_environment("/tmp", env)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    """An S3 API served by moto on a free local port."""
    pytest.importorskip("boto3", reason="boto3 (the s3 extra) is not installed")
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    port = _free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def test_an_s3_bucket_keeps_files(s3_endpoint: str, tmp_path: Path) -> None:
    config = {
        "STORAGE": "s3",
        "S3_BUCKET": "documents",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_PREFIX": "uploads/",
        "S3_ACCESS_KEY_ID": "test-key",
        "S3_SECRET_ACCESS_KEY": "test-secret",
    }
    made = make_storage(config)
    assert isinstance(made, S3Storage)
    made.client.create_bucket(Bucket="documents")

    _round_trip(made, tmp_path)

    source = tmp_path / "kept.txt"
    source.write_bytes(b"kept")
    made.put("1" * 32, source)
    listed = made.client.list_objects_v2(Bucket="documents")["Contents"]
    assert [o["Key"] for o in listed] == ["uploads/" + "1" * 32]
