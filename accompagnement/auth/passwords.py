"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accompagnement.auth import N_

MIN_LENGTH = 12
MAX_LENGTH = 128
_hasher = PasswordHasher()  # argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile)
_dummy_hash: str | None = None  # verified instead when there is no hash: same cost, never right


def configure(profile: str) -> None:
    """Choose the hashing cost: "default" (production) or "test" (cheap, for the test suite)."""
    global _hasher, _dummy_hash
    _dummy_hash = None
    if profile == "test":
        _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    else:
        _hasher = PasswordHasher()


# The most common passwords of French and English leaks that reach 12 characters.
COMMON_PASSWORDS = frozenset(
    """
    123456789012 1234567890123 azertyuiopqs azertyuiop12 azerty123456 motdepasse12
    motdepasse123 motdepasse1234 password1234 password12345 passwordpassword qwertyuiop12
    qwerty123456 iloveyou1234 soleil123456 bonjour12345 doudou123456 marseille1234
    chouchou1234 loulou123456 123123123123 111111111111 000000000000 abcdefghijkl
    abc123456789 jetaime12345 jetaime123456 football1234 liverpool123 princesse123
    administrator adminadmin12 welcome12345 letmein12345 changeme1234 ressourcerie
    ressourcerie1 ressourcerie123 accompagnement
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password against its hash; False for a missing or broken hash.

    Exactly one argon2 verification whatever the hash: without one, a dummy hash of the same
    parameters is verified, so that a missing account costs as much as a wrong password.
    """
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("no account has this password")
    try:
        right = _hasher.verify(stored_hash or _dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return right and bool(stored_hash)


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether a hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Return why a new password is refused (an English msgid), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return N_("The password must have at least 12 characters.")
    if len(password) > MAX_LENGTH:
        return N_("The password must have at most 128 characters.")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return N_("This password is too common; choose another one.")
    local_part = email.split("@")[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        name and name.lower().replace(" ", "") in lowered.replace(" ", "")
    ):
        return N_("The password must not contain your name or e-mail address.")
    return None
