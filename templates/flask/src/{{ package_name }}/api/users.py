"""The current user."""

from flask_jwt_extended import current_user, jwt_required

from ..models import User
from ..parsing import Blueprint
from ..schemas import UserSchema

blp = Blueprint("users", __name__, description="Users")


@blp.get("/me")
@blp.response(200, UserSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.doc(operationId="read_me", security=[{"bearerAuth": []}])
@jwt_required()
def me() -> User:
    """The user the access token belongs to"""
    return current_user
