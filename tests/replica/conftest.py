import os

# tests/replica/live run only inside the session test_streaming_replica.py starts against its own two clusters
# (the primary as DATABASE_URL, the replica as DATABASE_REPLICA_URL); in the ordinary suite they are not collected.
if not os.environ.get("XIAOBAO_REPLICA_LIVE"):
    collect_ignore = ["live"]
