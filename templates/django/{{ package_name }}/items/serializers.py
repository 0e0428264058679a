from rest_framework import serializers

from .models import Item


class ItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(min_length=1, max_length=200)
    description = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=10_000
    )

    class Meta:
        model = Item
        fields = ("id", "title", "description", "owner_id", "created_at", "updated_at")
        read_only_fields = ("id", "owner_id", "created_at", "updated_at")
