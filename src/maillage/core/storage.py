from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files once collected (`maillage serve` collects them); before
    that, plain names served from the apps, rather than an error page."""

    manifest_strict = False
