"""Items: each user lists, reads and changes only their own."""

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user, jwt_required
from flask_smorest import abort

from ..extensions import db
from ..models import Item
from ..pagination import page_and_count
from ..parsing import Blueprint
from ..schemas import (
    MAX_INT,
    ItemCreateSchema,
    ItemPageSchema,
    ItemSchema,
    ItemUpdateSchema,
    PageQuerySchema,
)

blp = Blueprint("items", __name__, description="Items, owned by users")


def _page_url(limit: int, offset: int) -> str:
    return url_for("items.ItemList", limit=limit, offset=offset, _external=True)


def _own_item(item_id: int) -> Item:
    """The caller's item; someone else's is as missing as one that does not exist."""
    item = db.session.get(Item, item_id)
    if item is None or item.owner_id != current_user.id:
        abort(404, message="Item not found")
    return item


@blp.route("")
class ItemList(MethodView):
    decorators = (jwt_required(),)

    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, ItemPageSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.doc(security=[{"bearerAuth": []}], operationId="list_items")
    def get(self, page: dict[str, int]) -> dict[str, Any]:
        """List your items, newest first"""
        limit, offset = page["limit"], page["offset"]
        mine = db.select(Item).where(Item.owner_id == current_user.id)
        newest_first = mine.order_by(Item.created_at.desc(), Item.id.desc())
        results, count = page_and_count(newest_first, limit, offset)
        return {
            "count": count,
            "next": _page_url(limit, offset + limit) if offset + limit < count else None,
            "previous": _page_url(limit, max(offset - limit, 0)) if offset > 0 else None,
            "results": results,
        }

    @blp.arguments(ItemCreateSchema)
    @blp.response(201, ItemSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.doc(security=[{"bearerAuth": []}], operationId="create_item")
    def post(self, data: dict[str, Any]) -> Item:
        """Create an item"""
        item = Item(**data, owner_id=current_user.id)
        db.session.add(item)
        db.session.commit()
        return item


# Larger ids cannot exist: they answer 404 rather than overflow the database column.
@blp.route(f"/<int(max={MAX_INT}):item_id>")
class ItemDetail(MethodView):
    decorators = (jwt_required(),)

    @blp.response(200, ItemSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(security=[{"bearerAuth": []}], operationId="read_item")
    def get(self, item_id: int) -> Item:
        """Read one of your items"""
        return _own_item(item_id)

    @blp.arguments(ItemUpdateSchema)
    @blp.response(200, ItemSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(security=[{"bearerAuth": []}], operationId="update_item")
    def patch(self, data: dict[str, Any], item_id: int) -> Item:
        """Change some fields of one of your items"""
        item = _own_item(item_id)
        for field, value in data.items():
            setattr(item, field, value)
        db.session.commit()
        return item

    @blp.response(204)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(security=[{"bearerAuth": []}], operationId="delete_item")
    def delete(self, item_id: int) -> None:
        """Delete one of your items"""
        db.session.delete(_own_item(item_id))
        db.session.commit()
