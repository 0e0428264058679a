"""What the API accepts and returns for items."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

Title = Annotated[str, Field(min_length=1, max_length=200)]


class ItemCreate(BaseModel):
    title: Title
    description: str | None = None


class ItemUpdate(BaseModel):
    """A partial update: only the fields sent are changed."""

    # May be left out, but not set to null: every item has a title.
    title: Title | SkipJsonSchema[None] = None
    description: str | None = None

    @field_validator("title")
    @classmethod
    def title_is_not_null(cls, title: str | None) -> str:
        if title is None:
            raise ValueError("title cannot be null")
        return title


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str | None
    owner_id: int
    created_at: datetime
    updated_at: datetime
