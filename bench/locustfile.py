"""Staff at work, for `bench/load.py` (which issues the credentials and starts the server on 127.0.0.1):

    locust -f bench/locustfile.py --headless -u 100 -r 10 --run-time 2m --host http://127.0.0.1:PORT

About a third are 消保股 dispatchers (register, submit for triage, search the whole bureau), the rest handlers
of the stations and sections (their inbox, their unit's list, items, search). Credentials come from
bench/out/credentials.json: API tokens and session cookies, so that nobody logs in with a slow password hash.

The mix, per user: after each click a pause of 5–15 s (reading an item, typing a note, answering the phone:
staff do not click ten times a second), so 100 users ask for about 10 requests/s. Of the clicks, by weight:
the inbox 3, a filtered list 3 (remembering the items shown), an item 5 (one of those), a search 1, and for
dispatchers a registration 1, followed after a pause by its submission for triage (handlers open their
unit's assigned items instead). Registrations carry a random 12315 platform number, as the platform's do.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from locust import HttpUser, between, task

CREDENTIALS = json.loads((Path(__file__).resolve().parent / "out" / "credentials.json").read_text())
SEARCHES = ["奶粉", "超市", "冷冻肉", "健身年卡", "商家拒绝退还", "血压计", "维修", "鑫达电器", "以人为损坏为由"]
STATES = ["assigned", "in_progress", "concluded"]
_next = iter(range(10**9))


class Staff(HttpUser):
    wait_time = between(5, 15)

    def on_start(self) -> None:
        n = next(_next)
        me = CREDENTIALS[n % len(CREDENTIALS)]
        self.dispatcher = me["dispatcher"]
        self.unit = me["unit"]
        self.client.headers["Authorization"] = f"Bearer {me['token']}"
        self.client.cookies.set("sessionid", me["session"])
        self.seen: list[int] = []
        self.rng = random.Random(n)

    def _remember(self, response) -> None:
        if response.status_code == 200:
            ids = [row["id"] for row in response.json().get("results", [])]
            self.seen = (ids + self.seen)[:200]

    @task(3)
    def inbox(self) -> None:
        self.client.get("/", name="inbox")

    @task(3)
    def filtered_list(self) -> None:
        params = {"state": self.rng.choice(STATES), "kind": self.rng.choice(["complaint", "report"])}
        if self.dispatcher:
            params["unit"] = self.rng.choice(["st-nanjiao", "st-dongcheng", "jicha", "sec-food"])
        with self.client.get("/api/v1/cases", params=params, name="list filtered", catch_response=True) as r:
            self._remember(r)

    @task(5)
    def detail(self) -> None:
        if not self.seen:
            with self.client.get("/api/v1/cases", name="list", catch_response=True) as r:
                self._remember(r)
            return
        self.client.get(f"/api/v1/cases/{self.rng.choice(self.seen)}", name="detail")

    @task(1)
    def search(self) -> None:
        self.client.get("/api/v1/cases", params={"q": self.rng.choice(SEARCHES)}, name="search")

    @task(1)
    def register_and_submit(self) -> None:
        if not self.dispatcher:
            self.client.get("/api/v1/cases", params={"state": "assigned"}, name="list filtered")
            return
        n = self.rng.randrange(10**9)
        body = {"kind": "complaint", "channel": "platform_12315", "external_id": f"LOAD{n:09d}",
                "complainant": {"name": "王芳", "phone": f"139{n % 10**8:08d}", "address": "曾都区东城街道青年路12号"},
                "respondent": {"name": "曾都区美佳家电城", "address": "曾都区西城街道季梁大道75号"},
                "facts": "在该店购买冰箱一台，使用不到一个月即出现不制冷故障，商家拒绝退换。", "demand": "更换同型号新品",
                "amount": "2599", "category": "appliances"}
        with self.client.post("/api/v1/cases", json=body, name="register", catch_response=True) as r:
            case_id = r.json()["id"] if r.status_code == 201 else None
        if case_id is not None:
            self.wait()  # the dispatcher checks the item before submitting it
            self.client.post(f"/api/v1/cases/{case_id}/actions/submit_for_triage", json={},
                             name="action submit_for_triage")
