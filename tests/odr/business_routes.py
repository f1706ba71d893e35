"""What an ODR business account reaches (xiaobao/api/odr_business.py, xiaobao/odr/business_urls.py), for the
isolation tests route by route: (method, path with {case_id}, operation id)."""

BUSINESS_API_ROUTES = [
    ("GET", "/api/v1/odr/inbox", "odr_business_inbox"),
    ("GET", "/api/v1/odr/inbox/{case_id}", "odr_business_inbox_item"),
    ("POST", "/api/v1/odr/inbox/{case_id}/contacts", "odr_business_add_contact"),
    ("POST", "/api/v1/cases/{case_id}/actions/business_answer", "action_business_answer"),
]

BUSINESS_WEB_PREFIX = "/business/"

# The business's pages under BUSINESS_WEB_PREFIX: (method, path, URL name in the namespace odr_business).
BUSINESS_WEB_ROUTES = [
    ("GET", "/business/", "home"),
    ("GET", "/business/items/{case_id}/", "item"),
    ("POST", "/business/items/{case_id}/contacts/", "contact"),
    ("POST", "/business/items/{case_id}/answer/", "answer"),
]
