"""Esri's Python API doing what bench/bulk_import.sh times Memberdesk doing (run in the compat
venv): a loop of `gis.users.create(...)` for new members, then a loop of
`gis.users.get(name).update_role("org_user")`, as its documentation shows.

usage: arcgis_import.py URL USERNAME PASSWORD NAMES_FILE COUNT USER_TYPE
Prints `created=… create_ms=… per_create_ms=…` then `updated=… roles_ms=… per_role_ms=…`.
"""
import sys
import time
import warnings

warnings.filterwarnings("ignore")

from arcgis.gis import GIS  # noqa: E402

url, username, password, names_file, count, user_type = sys.argv[1:7]
count = int(count)
gis = GIS(url, username, password, verify_cert=False)

started = time.monotonic()
created = 0
for i in range(1, count + 1):
    user = gis.users.create(
        username=f"py_new_{i}",
        password=f"Bench-pass-{i}x",
        firstname="Bench",
        lastname=f"Member{i}",
        email=f"py.new.{i}@example.com",
        role="org_user",
        user_type=user_type,
    )
    created += user is not None
elapsed = time.monotonic() - started
print(
    f"created={created} create_ms={int(elapsed * 1000)} per_create_ms={int(elapsed * 1000 / max(count, 1))}",
    flush=True,
)

names = [n for n in open(names_file).read().split("\n") if n][:count]
started = time.monotonic()
updated = sum(1 for n in names if gis.users.get(n).update_role("org_user") is True)
elapsed = time.monotonic() - started
print(
    f"updated={updated} roles_ms={int(elapsed * 1000)} per_role_ms={int(elapsed * 1000 / max(len(names), 1))}",
    flush=True,
)
