"""Password hashing with Argon2 (pwdlib), off the event loop."""

from typing import Annotated

from fastapi import Depends
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from starlette.concurrency import run_in_threadpool

# Argon2id with pwdlib's recommended parameters.
PASSWORD_HASHER = PasswordHash((Argon2Hasher(),))


# `async def` for the same reason as config.app_settings: no worker thread for a lookup.
async def get_password_hasher() -> PasswordHash:
    """The hasher, as a dependency, so that tests can swap it."""
    return PASSWORD_HASHER


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
