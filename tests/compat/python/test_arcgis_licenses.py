"""Esri's `arcgis` 2.4.x against the embedded portal's licenses and seats: purchases and their
holders (`gis.admin.license`, `License`), app bundles (`Bundle`), user types with their seats
(`gis.users.license_types`, `counts`), a type change past its seats, and `User.delete`, which
revokes licenses first. Each change is checked by a fresh read of the portal."""
import uuid

import pytest
from arcgis.gis import GIS

from conftest import ADMIN, ADMIN_PASSWORD, serve

PRO = "ArcGIS Pro"
NAVIGATOR = "ArcGIS Navigator"


def unique(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def new_member(gis, user_type="creatorUT", role="org_user"):
    """A new member of `user_type`, who holds no license and no bundle."""
    name = unique("lic")
    user = gis.users.create(username=name, password="Strong-password-1", firstname="L",
                            lastname="H", email=f"{name}@example.com", role=role,
                            user_type=user_type)
    assert user is not None and user.userLicenseTypeId == user_type
    return user


def holders(license):
    """{username: entitlements} of a license, read afresh through `License.all()`."""
    return {h["username"]: sorted(h["entitlements"]) for h in license.all()}


def report_row(license, entitlement):
    """The `License.report` row of one entitlement, read afresh."""
    report = license.report
    row = report[report["Entitlement"] == entitlement]
    assert len(row) == 1, report
    return row.iloc[0]


def business_analyst(gis):
    found = [b for b in gis.admin.license.bundles if "Business Analyst" in b.properties["name"]]
    assert len(found) == 1, [b.properties["name"] for b in gis.admin.license.bundles]
    return found[0]


def request_log(gis):
    """The (method, path) of each request `gis` sends from now on, paths after the host."""
    log = []

    def record(response, *args, **kwargs):
        url = response.request.url.split("?", 1)[0]
        path = "/" + url.split("/", 3)[3]
        log.append((response.request.method, path.replace("/sharing/rest/", "/").replace("//", "/")))

    gis.session._session.hooks["response"].append(record)
    return log


def test_the_license_manager_lists_what_was_bought_and_finds_each_by_title(gis):
    raw = gis._con.get("portals/self/purchases", {"f": "json"})
    bought = {p["listing"]["title"]: p for p in raw["purchases"]}
    assert set(bought) == {PRO, NAVIGATOR}
    licenses = gis.admin.license.all()
    assert sorted(l.properties["listing"]["title"] for l in licenses) == sorted(bought)
    pro = gis.admin.license.get(PRO)
    assert pro.properties["listing"]["itemId"] == bought[PRO]["listing"]["itemId"]
    assert gis.admin.license.get("arcgis pro").properties["listing"]["itemId"] == \
        bought[PRO]["listing"]["itemId"], "Python matches titles without case"
    navigator = gis.admin.license.get(NAVIGATOR)
    assert navigator.properties["provision"]["orgEntitlements"]["entitlements"] == \
        bought[NAVIGATOR]["provision"]["orgEntitlements"]["entitlements"]
    assert gis.admin.license.get("ArcGIS Nothing") is None


@pytest.mark.parametrize("title", [PRO, NAVIGATOR])
def test_the_report_counts_exactly_the_holders_that_all_lists(gis, title):
    license = gis.admin.license.get(title)
    held = holders(license)
    assert held, f"the demo org has holders of {title}"
    bought = license.properties["provision"]["orgEntitlements"]
    assert len(held) <= bought["maxUsers"]
    report = license.report
    assert list(report.columns) == ["Entitlement", "Total", "Assigned", "Remaining", "Users"]
    assert sorted(report["Entitlement"]) == sorted(bought["entitlements"])
    for _, row in report.iterrows():
        with_it = sorted(u for u, ents in held.items() if row["Entitlement"] in ents)
        assert row["Total"] == bought["entitlements"][row["Entitlement"]]["num"]
        assert row["Assigned"] == len(with_it), row["Entitlement"]
        assert row["Remaining"] == row["Total"] - row["Assigned"] >= 0
        assert sorted(u["user"] for u in row["Users"]) == with_it
    # The holders also add up with the listing's own total.
    item = license.properties["listing"]["itemId"]
    page = gis._con.get(f"content/listings/{item}/userEntitlements", {"f": "json", "num": 1})
    assert page["total"] == len(held)
    print(f"{title}: {len(held)} holders of {bought['maxUsers']}; "
          + ", ".join(f"{r.Entitlement} {r.Assigned}/{r.Total}" for r in report.itertuples()))


def test_check_and_user_entitlement_read_one_member(gis):
    pro = gis.admin.license.get(PRO)
    held = holders(pro)
    someone, theirs = next(iter(held.items()))
    assert sorted(pro.check(someone)) == theirs
    one = pro.user_entitlement(someone)
    assert one["username"] == someone
    assert sorted(one["entitlements"]) == theirs
    assert "lastLogin" in one
    nobody = new_member(gis)
    assert pro.check(nobody.username) == []
    assert pro.user_entitlement(nobody.username) == {}


def test_assign_add_and_revoke_are_seen_by_a_fresh_read(gis):
    member = new_member(gis).username
    pro = gis.admin.license.get(PRO)
    before = report_row(pro, "desktopStdN")["Assigned"]

    assert pro.assign(member, ["desktopStdN"]) is True
    fresh = gis.admin.license.get(PRO)
    assert fresh.check(member) == ["desktopStdN"]
    assert report_row(fresh, "desktopStdN")["Assigned"] == before + 1

    assert pro.assign(member, ["spatialAnalystN"], overwrite=False) is True
    assert sorted(gis.admin.license.get(PRO).check(member)) == ["desktopStdN", "spatialAnalystN"]

    assert pro.revoke(member, "spatialAnalystN") is True
    assert gis.admin.license.get(PRO).check(member) == ["desktopStdN"]

    assert pro.revoke(member, "*") is True
    fresh = gis.admin.license.get(PRO)
    assert fresh.check(member) == []
    assert member not in holders(fresh)
    assert report_row(fresh, "desktopStdN")["Assigned"] == before


def test_arcgis_pro_for_a_viewer_is_refused_with_the_portals_message(gis):
    viewer = new_member(gis, user_type="viewerUT", role="org_viewer").username
    pro = gis.admin.license.get(PRO)
    with pytest.raises(Exception) as err:
        pro.assign(viewer, ["desktopStdN"])
    # Python turns the 400 envelope into a bare Exception: the message, then the code.
    assert type(err.value) is Exception
    message = str(err.value)
    assert f"User '{viewer}' has the user type 'Viewer', which is not compatible with ArcGIS Pro." \
        in message
    assert message.endswith("(Error Code: 400)")
    assert gis.admin.license.get(PRO).check(viewer) == []


def test_assigning_past_the_purchased_count_is_refused_and_changes_nothing(gis):
    pro = gis.admin.license.get(PRO)
    row = report_row(pro, "desktopStdN")
    room = int(row["Remaining"])
    assert 0 < room <= 5, "the demo org's ArcGIS Pro Standard is nearly full"
    members = [new_member(gis).username for _ in range(room + 1)]
    for m in members[:room]:
        assert pro.assign(m, ["desktopStdN"]) is True
    try:
        with pytest.raises(Exception) as err:
            pro.assign(members[room], ["desktopStdN"])
        assert f"Unable to provision desktopStdN: {row['Total']} of {row['Total']} licenses" \
            in str(err.value)
        fresh = gis.admin.license.get(PRO)
        full = report_row(fresh, "desktopStdN")
        assert full["Assigned"] == full["Total"] and full["Remaining"] == 0
        assert fresh.check(members[room]) == []
    finally:
        for m in members[:room]:
            pro.revoke(m, "*")
    assert report_row(gis.admin.license.get(PRO), "desktopStdN")["Remaining"] == room


def test_user_types_list_their_seats_and_counts_agree_with_a_search(gis):
    types = {t["id"]: t for t in gis.users.license_types}
    assert {"viewerUT", "fieldWorkerUT", "editorUT", "creatorUT", "GISProfessionalBasicUT",
            "GISProfessionalStdUT", "GISProfessionalAdvUT"} <= set(types)
    for t in types.values():
        assert isinstance(t["maxUsers"], int), t
    counts = {c["key"]: c["count"] for c in gis.users.counts("user_type", as_df=False)}
    everyone = gis.users.search(query=None, max_users=1000)
    assert sum(counts.values()) == len(everyone)
    for key, count in counts.items():
        assert count == len(gis.users.search(f"userlicensetype:{key}", max_users=1000)), key
        assert count <= types[key]["maxUsers"], key
    full = [k for k, t in types.items() if counts.get(k, 0) == t["maxUsers"]]
    assert full, "the demo org has a full user type"
    print("seats: " + ", ".join(f"{k} {counts.get(k, 0)}/{t['maxUsers']}" for k, t in types.items()))


def test_bundle_counts_agree_with_each_bundles_holders(gis):
    counts = {c["key"]: c["count"] for c in gis.users.counts("bundles", as_df=False)}
    bundles = gis.admin.license.bundles
    assert bundles
    for b in bundles:
        given = sorted(u.username for u in b.users)
        assert len(given) == counts.get(b.properties["id"], 0), b.properties["name"]
        if "maxUsers" in b.properties:
            assert b.properties["assignedUsers"] == len(given) <= b.properties["maxUsers"]
    ba = business_analyst(gis)
    assert counts[ba.properties["id"]] > 0


def test_a_bundle_is_assigned_and_revoked(gis):
    ba = business_analyst(gis)
    before = ba.properties["assignedUsers"]
    member = new_member(gis).username
    assert member not in [u.username for u in ba.users]

    assert ba.assign([member]) is True
    # Python forgets the bundle's properties after assign and reads its listing again.
    assert member in [u.username for u in ba.users]
    assert business_analyst(gis).properties["assignedUsers"] == before + 1
    counts = {c["key"]: c["count"] for c in gis.users.counts("bundles", as_df=False)}
    assert counts[ba.properties["id"]] == before + 1
    assert ba.properties["id"] in [b.properties["id"] for b in gis.users.get(member).bundles]

    assert ba.revoke([member]) is True
    assert member not in [u.username for u in ba.users]
    assert business_analyst(gis).properties["assignedUsers"] == before


def test_a_user_type_change_past_its_seats_is_refused_and_the_member_keeps_their_type(gis):
    types = {t["id"]: t for t in gis.users.license_types}
    counts = {c["key"]: c["count"] for c in gis.users.counts("user_type", as_df=False)}
    full = types["GISProfessionalAdvUT"]
    assert counts.get(full["id"], 0) == full["maxUsers"], "Professional Plus is full"
    member = new_member(gis)
    result = member.update_license_type(full["id"])
    # Python neither raises nor returns False: it returns the portal's answer.
    assert result is not True and isinstance(result, dict)
    [outcome] = result["results"]
    assert outcome["username"] == member.username and outcome["status"] is False
    assert outcome["error"]["message"].startswith(
        f"Unable to assign the user type '{full['name']}': all {full['maxUsers']} licenses")
    assert gis.users.get(member.username).userLicenseTypeId == "creatorUT"
    after = {c["key"]: c["count"] for c in gis.users.counts("user_type", as_df=False)}
    assert after.get(full["id"], 0) == counts.get(full["id"], 0)


def test_deleting_a_member_revokes_their_licenses_and_bundles_first(gis):
    member = new_member(gis)
    name = member.username
    pro = gis.admin.license.get(PRO)
    assert pro.assign(name, ["desktopAdvN", "spatialAnalystN"]) is True
    ba = business_analyst(gis)
    assert ba.assign([name]) is True
    given = business_analyst(gis).properties["assignedUsers"]

    log = request_log(gis)
    assert gis.users.get(name).delete() is True
    item = pro.properties["listing"]["itemId"]
    steps = [(m, p) for m, p in log if "purchases" in p or "listings" in p or "appBundles" in p
             or p.endswith(f"/users/{name}/delete")]
    print("\n".join(f"{m} {p}" for m, p in steps))
    revoked = steps.index(("POST", f"/content/listings/{item}/provisionUserEntitlements"))
    assert steps[0] == ("GET", "/portals/self/purchases")
    assert ("GET", f"/content/listings/{item}/userEntitlements/{name}") in steps[:revoked]
    assert ("POST", f"/content/listings/{ba.properties['appBundleItemId']}/provisionUserAppBundle") \
        in steps[revoked:]
    assert steps[-1] == ("POST", f"/community/users/{name}/delete")

    assert gis.users.get(name) is None
    assert name not in holders(gis.admin.license.get(PRO))
    assert business_analyst(gis).properties["assignedUsers"] == given - 1


@pytest.fixture(scope="module")
def enterprise(tmp_path_factory):
    yield from serve(tmp_path_factory, "--profile", "enterprise")


def test_on_enterprise_licenses_are_read_after_portaladmin_and_seats_in_its_license(enterprise):
    gis = GIS(enterprise, ADMIN, ADMIN_PASSWORD, verify_cert=False)
    log = request_log(gis)
    titles = sorted(l.properties["listing"]["title"] for l in gis.admin.license.all())
    assert titles == sorted([PRO, NAVIGATOR])
    print("\n".join(f"{m} {p}" for m, p in log))
    purchases = log.index(("GET", "/portals/self/purchases"))
    assert log[:purchases] == [("GET", "/portaladmin")]
    # Seats on Enterprise are in portaladmin/license, not on the user types.
    assert all("maxUsers" not in t for t in gis.users.license_types)
    del log[:]
    seats = {t["id"]: t for t in gis.admin.system.licenses.properties["userTypes"]}
    print("\n".join(f"{m} {p}" for m, p in log))
    assert log == [("GET", "/portaladmin/system"), ("GET", "/portaladmin/license")]
    counts = {c["key"]: c["count"] for c in gis.users.counts("user_type", as_df=False)}
    for key, t in seats.items():
        assert t["currentRegisteredMembers"] == counts.get(key, 0), key
        assert t["currentRegisteredMembers"] <= t["maximumRegisteredMembers"], key
