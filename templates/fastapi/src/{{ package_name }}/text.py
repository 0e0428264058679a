"""Text types the API accepts: no NUL character, which PostgreSQL cannot store."""

from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field


def refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


Text = Annotated[str, AfterValidator(refuse_nul)]
Email = Annotated[EmailStr, Field(max_length=254), AfterValidator(refuse_nul)]
