from django.conf import settings
from django.db import models


class Item(models.Model):
    """The example resource: every item belongs to one user, who alone sees it."""

    title = models.CharField(max_length=200)
    # NULL, not "", when not given: the API answers `"description": null`.
    description = models.TextField(null=True, blank=True)  # noqa: DJ001
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Newest first; the id breaks ties between items created in the same instant.
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("owner", "-created_at", "-id"), name="items_owner_newest"),)

    def __str__(self) -> str:
        return self.title
