"""Bare FastAPI: the same /health JSON as a generated project, nothing else (uvicorn fastapi_app:app)."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
