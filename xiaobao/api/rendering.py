from ninja.renderers import JSONRenderer


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese text as-is (API-v1.md: "Chinese text as-is"), not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}
