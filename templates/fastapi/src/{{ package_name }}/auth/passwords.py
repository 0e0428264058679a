"""Password hashing with Argon2 (pwdlib), off the event loop."""

from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from starlette.concurrency import run_in_threadpool


@lru_cache
def get_password_hasher() -> PasswordHash:
    """Argon2id with pwdlib's recommended parameters; a dependency, so tests can swap it."""
    return PasswordHash((Argon2Hasher(),))


PasswordHasherDep = Annotated[PasswordHash, Depends(get_password_hasher)]


# Hashing takes tens of milliseconds of CPU on purpose: it runs in a worker thread so that
# the event loop keeps serving other requests meanwhile.
async def hash_password(hasher: PasswordHash, password: str) -> str:
    return await run_in_threadpool(hasher.hash, password)


async def verify_password(
    hasher: PasswordHash, password: str, password_hash: str
) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash when the stored one is outdated."""
    return await run_in_threadpool(hasher.verify_and_update, password, password_hash)
