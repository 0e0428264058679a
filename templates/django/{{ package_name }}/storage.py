"""WhiteNoise's compressed, hashed static files, usable before `collectstatic` too."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names once `collectstatic` wrote its manifest (the Docker image); before that
    (`make serve` from a checkout) the plain names, which WhiteNoise serves from the apps."""

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)
