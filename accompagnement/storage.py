"""Where uploaded files live: one interface, a shared directory or S3-compatible object storage.

Every application host must reach the same files (a document uploaded through one host
downloads through another), so files never stay on one machine's disk:
- `STORAGE=directory` (the default): `STORAGE_DIR` (default `UPLOAD_DIR`), a directory every
  host mounts (NFS, a cloud file share...). A file is written under a temporary name, then
  renamed: a reader never sees half a file.
- `STORAGE=s3`: a bucket of any S3-compatible service (AWS, MinIO, Scaleway, OVH, Garage...)
  through boto3 (`pip install '.[s3]'`): `S3_BUCKET`, `S3_ENDPOINT_URL`, `S3_REGION`,
  `S3_PREFIX`, `S3_ACCESS_KEY_ID` and `S3_SECRET_ACCESS_KEY` (when unset, boto3's own
  credentials chain: environment, ~/.aws, instance role).
Names are chosen by the caller (random, checked there); this module only keeps bytes.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app

BACKENDS = ("directory", "s3")


class Storage(Protocol):
    """Keep files by name; every host of the application sees the same files."""

    def put(self, name: str, source: Path) -> None:
        """Store the local file `source` under `name` (replacing a file of that name)."""

    def read(self, name: str) -> bytes:
        """Return the content of a stored file; FileNotFoundError when there is none."""

    def delete(self, name: str) -> None:
        """Remove a stored file (nothing happens when there is none)."""


class DirectoryStorage:
    """Files in a directory, shared by every host (an NFS mount in a multi-host deployment)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root / name

    def put(self, name: str, source: Path) -> None:
        target = self._path(name)
        partial = target.with_name(f".{name}.{uuid.uuid4().hex}.part")
        try:
            shutil.copyfile(source, partial)
            os.replace(partial, target)  # atomic: readers see the old file or the whole new one
        finally:
            partial.unlink(missing_ok=True)

    def read(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


class S3Storage:
    """Objects in a bucket of an S3-compatible service, through boto3."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def _key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def put(self, name: str, source: Path) -> None:
        self.client.upload_file(str(source), self.bucket, self._key(name))

    def read(self, name: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(name))
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(name) from None
        return bytes(answer["Body"].read())

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))


def _s3(config: Any) -> S3Storage:
    try:
        import boto3
    except ImportError:  # the optional extra is not installed
        raise RuntimeError("STORAGE=s3 needs boto3: pip install 'accompagnement[s3]'") from None
    client = boto3.client(
        "s3",
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or None,
        aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
    )
    return S3Storage(client, config["S3_BUCKET"], config.get("S3_PREFIX") or "")


def make_storage(config: Any) -> Storage:
    """Build the storage the configuration names."""
    backend = config.get("STORAGE") or "directory"
    if backend == "s3":
        return _s3(config)
    if backend != "directory":
        raise RuntimeError(f"STORAGE must be one of {', '.join(BACKENDS)}, got {backend!r}")
    return DirectoryStorage(Path(config.get("STORAGE_DIR") or config["UPLOAD_DIR"]))


def init_app(app: Flask) -> None:
    """Make the application's storage once (a boto3 client is reused across requests)."""
    app.extensions["storage"] = make_storage(app.config)


def storage() -> Storage:
    """Return the application's storage."""
    made: Storage = current_app.extensions["storage"]
    return made
