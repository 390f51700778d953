"""A file to save that holds people's data (a report, an export): sent as an attachment that
no cache keeps."""

from __future__ import annotations

import io

from flask import Response, send_file


def private_attachment(content: bytes, mimetype: str, filename: str) -> Response:
    response = send_file(
        io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename
    )
    # Names and addresses: not for shared caches, nor for the browser's after sign-out.
    response.headers["Cache-Control"] = "no-store"
    return response
