"""HTTP helpers shared by the pages and the API (a domain app's views may use them; nothing here knows an app)."""

from __future__ import annotations

from django.http import FileResponse


def file_download(handle, *, filename: str, content_type: str) -> FileResponse:
    """A stored file sent for download that the browser neither sniffs into another type nor renders with
    the site's rights (an uploaded HTML or SVG file must not run as the site)."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
