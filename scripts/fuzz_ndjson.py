"""schemathesis hook for both fuzz runs (scripts/fuzz.sh): JSON Lines request bodies.

The user import (POST /admin/users/import) takes `application/x-ndjson`, one JSON value a line,
which schemathesis cannot serialize by itself (the run then ends with an error). The document
describes the body as text: a generated string is sent as it is; an array (negative cases) one
line per item, anything else one line of its JSON.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(_ctx: schemathesis.SerializationContext, value: Any) -> dict[str, Any]:
    if isinstance(value, bytes):
        return {"data": value}
    if isinstance(value, str):
        return {"data": value.encode()}
    items = value if isinstance(value, list) else [value]
    return {"data": "".join(json.dumps(item) + "\n" for item in items).encode()}
