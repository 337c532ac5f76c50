"""Esri's Python API reclaiming ArcGIS Pro licenses (bench/licenses.sh runs it in the compat
venv): a loop of `License.revoke(username, "*")`, as its documentation shows, and the license
picture as its API gives it (`gis.admin.license.all()` with each license's `report`, and
`gis.users.counts("user_type")`).

usage: arcgis_reclaim.py URL USERNAME PASSWORD USERNAMES_FILE COUNT
Prints `picture_ms=…` then `revoked=… revoke_ms=… per_member_ms=…`.
"""
import sys
import time
import warnings

warnings.filterwarnings("ignore")

from arcgis.gis import GIS  # noqa: E402

url, username, password, names_file, count = sys.argv[1:6]
count = int(count)
gis = GIS(url, username, password, verify_cert=False)

started = time.monotonic()
licenses = gis.admin.license.all()
reports = [lic.report for lic in licenses]
counts = gis.users.counts("user_type", as_df=False)
assigned = sum(int(r["Assigned"].sum()) for r in reports)
print(
    f"picture licenses={len(licenses)} assigned={assigned} user_types={len(counts)} "
    f"picture_ms={int((time.monotonic() - started) * 1000)}",
    flush=True,
)

names = [n for n in open(names_file).read().split("\n") if n][:count]
pro = gis.admin.license.get("ArcGIS Pro")
started = time.monotonic()
revoked = sum(1 for n in names if pro.revoke(username=n, entitlements="*") is True)
elapsed = time.monotonic() - started
print(
    f"revoked={revoked} revoke_ms={int(elapsed * 1000)} per_member_ms={int(elapsed * 1000 / max(len(names), 1))}",
    flush=True,
)
