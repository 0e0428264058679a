from typing import Any

from rest_framework import serializers

from .models import Item


class ItemSerializer(serializers.ModelSerializer):
    """An item as the API answers it."""

    class Meta:
        model = Item
        fields = ("id", "title", "description", "owner_id", "created_at", "updated_at")
        read_only_fields = fields


class ItemCreateSerializer(serializers.ModelSerializer):
    """What a client sends to create an item; the answer is the whole item."""

    title = serializers.CharField(min_length=1, max_length=200)
    description = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=10_000
    )

    class Meta:
        model = Item
        fields = ("title", "description")

    def to_representation(self, instance: Item) -> dict[str, Any]:
        return ItemSerializer(instance, context=self.context).data


class ItemUpdateSerializer(ItemCreateSerializer):
    """What a client sends to change an item (PATCH): any of ItemCreate's fields."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields
