"""Esri's Python API doing the benchmark's work (bench/client.sh runs it in the compat venv).

usage: arcgis_baseline.py URL USERNAME PASSWORD COUNT FROM_ROLE TO_ROLE
Prints `search_ms=…`, `all_ms=…` (median of 3), `role_ms=…` lines with the member counts.
"""
import sys
import time
import warnings

warnings.filterwarnings("ignore")

from arcgis.gis import GIS  # noqa: E402

url, username, password, count, from_role, to_role = sys.argv[1:7]
count = int(count)
gis = GIS(url, username, password, verify_cert=False)

started = time.monotonic()
found = gis.users.search(query=None, max_users=20000)
print(f"search members={len(found)} search_ms={int((time.monotonic() - started) * 1000)}", flush=True)

runs = []
for _ in range(3):
    started = time.monotonic()
    everyone = gis.users.all(as_list=True)["users"]
    runs.append(int((time.monotonic() - started) * 1000))
runs_text = ",".join(map(str, runs))
print(f"all members={len(everyone)} all_ms={sorted(runs)[1]} (median of {runs_text})", flush=True)

# Members the new role suits: the base role, no custom role, a user type that allows it.
chosen = [
    u
    for u in everyone
    if u.role == from_role
    and getattr(u, "roleId", None) in (None, from_role)
    and getattr(u, "userLicenseTypeId", None) in (
        "creatorUT",
        "GISProfessionalBasicUT",
        "GISProfessionalStdUT",
        "GISProfessionalAdvUT",
    )
][:count]
if len(chosen) < count:
    sys.exit(f"only {len(chosen)} members have role {from_role}")
started = time.monotonic()
changed = sum(1 for u in chosen if u.update_role(role=to_role))
print(f"role changed={changed} role_ms={int((time.monotonic() - started) * 1000)}", flush=True)
