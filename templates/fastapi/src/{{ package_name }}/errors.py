"""Validation errors in the contract's shape, without echoing what the client sent."""

from fastapi import Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

# FastAPI's default answer also carries each rejected `input`, which can be a password.
KEPT_KEYS = ("loc", "msg", "type")


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    detail = [{key: error[key] for key in KEPT_KEYS if key in error} for error in exc.errors()]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": jsonable_encoder(detail)},
    )
