"""PIN hashing and the lockout policy: pure logic, no store, no clock of its own.

Hashes. A PIN is stored only as a self-describing string

    scrypt$n=16384,r=8,p=1$<salt, base64>$<hash, base64>
    pbkdf2_sha256$i=600000$<salt, base64>$<hash, base64>      (read, never written)

with a random 16-byte salt per PIN. The parameters travel with the hash, so they can be raised
later: `needs_rehash` says when a stored hash is weaker than what `hash_pin` writes today, and
verify_pin then stores a new hash after a successful check. Comparison is constant-time
(`hmac.compare_digest`).

What `hash_pin` writes is `PRODUCTION_COST` unless IVR_PIN_HASH_COST=test (tests and local
runs only, never set in a deployed stack; tests/artifacts checks template.yaml leaves it unset):
then `TEST_COST`, about a thousandth of the work, so a test suite that seeds PINs in every test
does not spend its time in scrypt. Any stored hash verifies whichever cost is set.

Cost: scrypt n=2^14, r=8, p=1 takes 16 MiB and ~45 ms on one core of a current x86 CPU
(bench/pin_hash.py); a 512 MB Lambda has about 0.3 vCPU, so ~150 ms, well inside the 3 s a flow
gives. PBKDF2 at OWASP's 600 000 iterations would take ~1 s there, which is why it is only
accepted for hashes imported from elsewhere. A 4-8 digit PIN has at most 10^8 values, so no
hash makes a stolen table safe on its own: the lockout below is what protects the PIN, the hash
keeps PINs out of backups and query results.

Lockout. At most `max_failures` (3) PIN checks are evaluated in a window of `window_s` (15
minutes) that opens with the first failed check; once they are used the customer is locked
until the window ends. A check claims its attempt *before* the PIN is compared, so parallel
calls can never evaluate more than the limit: `LockoutPolicy.claim` says what the stored
counter becomes, and the stores apply it atomically (a conditional update, or a transaction
holding the row).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache

from functions.config import PIN_HASH_COST, env

__all__ = [
    "PRODUCTION_COST",
    "TEST_COST",
    "AttemptWindow",
    "LockoutPolicy",
    "ScryptCost",
    "decoy_hash",
    "hash_pin",
    "needs_rehash",
    "prepare_decoy",
    "scrypt_cost",
    "verify_pin_hash",
    "waste_time_like_a_check",
]

SCRYPT = "scrypt"
PBKDF2 = "pbkdf2_sha256"
SALT_BYTES = 16
HASH_BYTES = 32


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's cost parameters: n * r * 128 bytes of memory, time about n * r * p."""

    n: int
    r: int
    p: int

    def is_weaker_than(self, other: ScryptCost) -> bool:
        return self.n < other.n or self.r < other.r or self.p < other.p


# What a deployed function writes: 16 MiB, ~45 ms here (see the module docstring).
PRODUCTION_COST = ScryptCost(n=2**14, r=8, p=1)
# What tests write (IVR_PIN_HASH_COST=test): 2 KiB, tens of microseconds. Worthless against a
# stolen table: never for real PINs.
TEST_COST = ScryptCost(n=2**4, r=1, p=1)
_COSTS = {"production": PRODUCTION_COST, "test": TEST_COST}
# OpenSSL refuses more than maxmem; room for a stored hash up to n=2^16 (64 MiB + overhead).
_SCRYPT_MAXMEM = 80 * 1024 * 1024
# Bounds a stored parameter may take: a corrupt or hostile row must not cost minutes.
_MAX_SCRYPT_N, _MAX_PBKDF2_ITERATIONS = 2**16, 2_000_000


def scrypt_cost() -> ScryptCost:
    """The cost `hash_pin` writes today: IVR_PIN_HASH_COST, `production` when unset.

    Read on each use (an environment lookup, nothing next to scrypt), so a test process that
    sets the variable before hashing gets it whatever it imported first.
    """
    name = env(PIN_HASH_COST, "production")
    try:
        return _COSTS[name]
    except KeyError:
        raise ValueError(
            f"{PIN_HASH_COST}={name!r}: set it to one of {', '.join(_COSTS)} or leave it unset"
        ) from None


def hash_pin(pin: str, *, salt: bytes | None = None, cost: ScryptCost | None = None) -> str:
    """The storable hash of `pin` with `cost` (default today's) and a new random salt."""
    cost = cost or scrypt_cost()
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    derived = _scrypt(pin, salt, cost.n, cost.r, cost.p)
    return f"{SCRYPT}$n={cost.n},r={cost.r},p={cost.p}${_b64(salt)}${_b64(derived)}"


def verify_pin_hash(pin: str, stored: str) -> bool:
    """True when `pin` is the PIN `stored` was made from. False for a malformed `stored`."""
    parsed = _parse(stored)
    if parsed is None:
        # A corrupt stored hash must cost what a real check costs: timing must not tell.
        waste_time_like_a_check(pin)
        return False
    scheme, params, salt, expected = parsed
    if scheme == SCRYPT:
        derived = _scrypt(pin, salt, params["n"], params["r"], params["p"], len(expected))
    else:
        derived = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, params["i"], len(expected))
    return hmac.compare_digest(derived, expected)


def needs_rehash(stored: str) -> bool:
    """True when `stored` is not today's scheme or is weaker than today's cost.

    A stronger hash stays: with IVR_PIN_HASH_COST=test a production hash is not rewritten.
    """
    parsed = _parse(stored)
    if parsed is None:
        return True
    scheme, params, salt, expected = parsed
    return (
        scheme != SCRYPT
        or ScryptCost(**params).is_weaker_than(scrypt_cost())
        or len(salt) < SALT_BYTES
        or len(expected) != HASH_BYTES
    )


def waste_time_like_a_check(pin: str) -> None:
    """Spend what a real check costs, for a customer without a PIN: timing must not tell."""
    verify_pin_hash(pin, prepare_decoy())


def prepare_decoy() -> str:
    """The decoy hash unknown customers are checked against, built once per container.

    verify_pin calls this at import, in the Lambda init: built lazily, the first unknown
    caller of a container paid one more scrypt (~45 ms here) than a known one (issue 9).
    """
    return decoy_hash(scrypt_cost())


@cache
def decoy_hash(cost: ScryptCost) -> str:
    """The decoy at `cost`: one per cost, as a known customer's hash costs what it was written
    with (today's cost, once seeded or upgraded). A process-wide memo (tests/test_module_state.py
    allows it): never changed once built, it holds no configuration, client or connection."""
    return hash_pin("0000", cost=cost)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int = HASH_BYTES) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=dklen
    )


def _parse(stored: str) -> tuple[str, dict[str, int], bytes, bytes] | None:
    """(scheme, parameters, salt, hash) of a stored hash, or None when it is not one of ours."""
    parts = stored.split("$")
    if len(parts) != 4:
        return None
    scheme, raw_params, raw_salt, raw_hash = parts
    try:
        params = {k: int(v) for k, v in (kv.split("=", 1) for kv in raw_params.split(","))}
        salt, expected = (
            base64.b64decode(raw_salt, validate=True),
            base64.b64decode(raw_hash, validate=True),
        )
    except (ValueError, binascii.Error):
        return None
    if not salt or not 16 <= len(expected) <= 64:
        return None
    if scheme == SCRYPT and set(params) == {"n", "r", "p"}:
        n, r, p = params["n"], params["r"], params["p"]
        # n a power of two above 1, as scrypt requires; small r and p keep memory bounded.
        if 1 < n <= _MAX_SCRYPT_N and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 4:
            return scheme, params, salt, expected
    if scheme == PBKDF2 and set(params) == {"i"} and 1 <= params["i"] <= _MAX_PBKDF2_ITERATIONS:
        return scheme, params, salt, expected
    return None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True)
class AttemptWindow:
    """The stored counter: PIN checks claimed since `window_start` (epoch seconds)."""

    failures: int = 0
    window_start: int = 0


@dataclass(frozen=True)
class LockoutPolicy:
    """`max_failures` PIN checks per window of `window_s` seconds opened by the first one."""

    max_failures: int = 3
    window_s: int = 15 * 60

    def is_open(self, window: AttemptWindow, now: int) -> bool:
        """True while `window` counts: it has claims and has not run out."""
        return window.failures > 0 and now < window.window_start + self.window_s

    def is_locked(self, window: AttemptWindow, now: int) -> bool:
        return self.is_open(window, now) and window.failures >= self.max_failures

    def claim(self, window: AttemptWindow | None, now: int) -> AttemptWindow | None:
        """The counter after claiming one check at `now`, or None when the customer is locked.

        An expired or empty window starts a new one at `now`.
        """
        current = window or AttemptWindow()
        if not self.is_open(current, now):
            return AttemptWindow(failures=1, window_start=now)
        if current.failures >= self.max_failures:
            return None
        return AttemptWindow(failures=current.failures + 1, window_start=current.window_start)

    def attempts_left(self, window: AttemptWindow, now: int) -> int:
        if not self.is_open(window, now):
            return self.max_failures
        return max(0, self.max_failures - window.failures)

    def expired_before(self, now: int) -> int:
        """Windows that started at or before this second have run out at `now`."""
        return now - self.window_s

    def expires_at(self, window: AttemptWindow) -> int:
        """When a window's counter may be forgotten (DynamoDB TTL)."""
        return window.window_start + self.window_s
