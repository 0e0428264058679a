from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.serializers import BaseSerializer

from .models import Item
from .serializers import ItemCreateSerializer, ItemSerializer, ItemUpdateSerializer


@extend_schema(tags=["items"])
@extend_schema_view(
    list=extend_schema(operation_id="list_items"),
    create=extend_schema(operation_id="create_item", responses={201: ItemSerializer}),
    retrieve=extend_schema(operation_id="read_item"),
    partial_update=extend_schema(operation_id="update_item", responses=ItemSerializer),
    destroy=extend_schema(operation_id="delete_item"),
)
class ItemViewSet(viewsets.ModelViewSet):
    """The caller's own items; anyone else's answer 404, as if they did not exist."""

    serializer_class = ItemSerializer
    http_method_names = ("get", "post", "patch", "delete", "head", "options")
    lookup_url_kwarg = "item_id"

    def get_queryset(self) -> QuerySet[Item]:
        return Item.objects.filter(owner_id=self.request.user.pk)

    def get_serializer_class(self) -> type[BaseSerializer]:
        # What a client sends is not what it gets back: id, owner and timestamps are the server's.
        return {"create": ItemCreateSerializer, "partial_update": ItemUpdateSerializer}.get(
            self.action, self.serializer_class
        )

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.save(owner=self.request.user)
