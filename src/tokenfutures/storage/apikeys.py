"""API keys: random secrets shown once, stored as salted SHA-256 digests (ADR 0503).

A key reads ``tfk_<key id>_<secret>``; the key id is public and indexes the stored
record, the 256-bit secret is only ever kept as ``sha256(salt || secret)``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass

from tokenfutures.storage.checks import MAX_NAME, check_name

KEY_PREFIX = "tfk"
SALT_BYTES = 16
SECRET_BYTES = 32


@dataclass(frozen=True, slots=True)
class StoredKey:
    """What a store keeps of an API key: never the secret itself."""

    key_id: str
    account: str
    salt: bytes
    digest: bytes
    revoked: bool = False


def digest_secret(salt: bytes, secret: str) -> bytes:
    """Salted SHA-256 of a key's secret part."""
    return hashlib.sha256(salt + secret.encode()).digest()


def new_key(account: str) -> tuple[str, StoredKey]:
    """A fresh key for ``account``: its plaintext and the hashed record to store."""
    check_name("account", account, MAX_NAME)
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    salt = secrets.token_bytes(SALT_BYTES)
    plaintext = f"{KEY_PREFIX}_{key_id}_{secret}"
    return plaintext, StoredKey(key_id, account, salt, digest_secret(salt, secret))


def split_key(api_key: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key, else None."""
    parts = api_key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


class HashedApiKeys(ABC):
    """The ``ApiKeyStore`` port on top of three primitive record operations."""

    @abstractmethod
    def _insert(self, record: StoredKey) -> None: ...

    @abstractmethod
    def _find(self, key_id: str) -> StoredKey | None: ...

    @abstractmethod
    def _mark_revoked(self, key_id: str) -> bool: ...

    @abstractmethod
    def _revoke_account(self, account: str) -> int: ...

    def issue(self, account: str) -> str:
        """Create a key for ``account`` and return its plaintext (never stored)."""
        plaintext, record = new_key(account)
        self._insert(record)
        return plaintext

    def authenticate(self, api_key: str) -> str | None:
        """The account of a valid, unrevoked key, else None (constant-time digest compare)."""
        parts = split_key(api_key)
        if parts is None:
            return None
        record = self._find(parts[0])
        if record is None or record.revoked:
            return None
        if not hmac.compare_digest(record.digest, digest_secret(record.salt, parts[1])):
            return None
        return record.account

    def revoke(self, key_id: str) -> bool:
        """Revoke the key with public id ``key_id``; False when there is no such live key."""
        return self._mark_revoked(key_id)

    def revoke_account(self, account: str) -> int:
        """Revoke every live key of ``account``; returns how many were revoked."""
        return self._revoke_account(account)
