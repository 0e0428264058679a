"""`manage.py openapi` (`make openapi`): write openapi.json, the document /openapi.json serves."""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from drf_spectacular.generators import SchemaGenerator
from rest_framework.utils.encoders import JSONEncoder


class Command(BaseCommand):
    help = "Write openapi.json from the app's views; commit it with the API change."

    def handle(self, *args: Any, **options: Any) -> None:
        document = SchemaGenerator().get_schema(request=None, public=True)
        path = settings.BASE_DIR / "openapi.json"
        # DRF's encoder, as the served document: it writes the lazy translated descriptions.
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False, cls=JSONEncoder) + "\n")
        self.stdout.write(f"Wrote {path.name}")
