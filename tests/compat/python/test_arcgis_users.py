"""Esri's `arcgis` 2.4.x against the embedded portal: sign-in, users, roles, user types,
invitations, groups, errors and paging. Each assertion reads the portal back."""
import uuid

import pytest
from arcgis.gis import GIS

from conftest import ADMIN, ADMIN_PASSWORD, DEMO_PASSWORD


def unique(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def test_default_sign_in_finds_the_admin_and_its_privileges(gis):
    me = gis.users.me
    assert me.username == ADMIN
    assert me.role == "org_admin"
    assert any(":admin:" in p for p in me.privileges)
    assert gis.properties["portalName"] == "ArcGIS Online"


def test_generate_token_sign_in_works_too(portal):
    gis = GIS(portal, ADMIN, ADMIN_PASSWORD, verify_cert=False, use_gen_token=True)
    assert gis.users.me.username == ADMIN


def test_a_wrong_password_is_refused(portal):
    with pytest.raises(Exception) as err:
        GIS(portal, ADMIN, "not-the-password", verify_cert=False)
    assert "Invalid username or password" in str(err.value)


def test_esri_working_with_users_examples_run_with_only_the_url_changed(gis):
    # "Create a new user using new member default values."
    name = unique("new_user")
    new_user = gis.users.create(
        username=name,
        password="Strong-password-1",
        firstname="user_firstname",
        lastname="user_lastname",
        email="user_email@company.com",
        description="new user using member defaults",
    )
    assert new_user.username == name
    assert new_user.role == "org_user"
    assert new_user.userLicenseTypeId == "creatorUT"
    # "Search for a user."
    found = gis.users.search("JSmith")
    assert found, "the seeded org has a jsmith"
    for u in found:
        assert "jsmith" in u.username.lower() or "jsmith" in u.fullName.lower(), u.username
    # "Get a user."
    user = gis.users.get(name)
    assert user.fullName == "user_firstname user_lastname"
    # "Update a user's description."
    assert user.update(description="Updated description")
    assert gis.users.get(name).description == "Updated description"


def test_a_member_created_without_a_password_exists_at_once_and_is_emailed_a_link(gis):
    # ArcGIS Online's "add members and notify them via email": `users.create` with no password
    # reads the new member back right after the POST, so the member must exist at once.
    name = unique("notified")
    user = gis.users.create(username=name, password=None, firstname="N", lastname="U",
                            email="n@example.com", role="org_user", user_type="creatorUT")
    assert user is not None and user.username == name
    assert gis.users.get(name).userLicenseTypeId == "creatorUT"
    assert all(i.get("username") != name for i in gis.users.invitations.list())
    outbox = gis._con.get("portals/self/emulator/outbox", {"f": "json"})["messages"]
    assert outbox[0]["to"] == "n@example.com" and "invitation/accept" in outbox[0]["link"]


def test_an_organization_specific_login_is_created_at_once(gis):
    name = unique("saml")
    user = gis.users.create(username=name, password=None, firstname="S", lastname="U",
                            email="s@example.com", provider="enterprise",
                            idp_username=f"{name}@corp.example.com")
    assert user is not None
    assert gis.users.get(name).provider == "enterprise"
    assert gis.users.get(name).idpUsername == f"{name}@corp.example.com"


def test_search_pages_past_the_first_page_and_returns_each_member_once(gis):
    users = gis.users.search(query=None, max_users=200)
    names = [u.username for u in users]
    assert len(names) == len(set(names))
    assert len(names) >= 150


def test_role_and_user_type_changes_are_applied(gis):
    name = unique("role_user")
    user = gis.users.create(username=name, password="Strong-password-1", firstname="R", lastname="U",
                            email="r@example.com", role="org_user", user_type="creatorUT")
    assert user.update_role("org_publisher")
    assert gis.users.get(name).role == "org_publisher"
    assert user.update_role("org_user")
    assert user.update_license_type("editorUT")
    assert gis.users.get(name).userLicenseTypeId == "editorUT"


def test_disable_enable_delete(gis):
    name = unique("life_user")
    user = gis.users.create(username=name, password="Strong-password-1", firstname="L", lastname="U",
                            email="l@example.com")
    assert user.disable()
    assert gis.users.get(name).disabled is True
    assert user.enable()
    assert gis.users.get(name).disabled is False
    assert user.delete()
    assert gis.users.get(name) is None


def test_org_invitations_list_get_delete(gis):
    email = f"{unique('invited')}@example.com"
    assert gis.users.invite(email=email, role="org_user", expiration="1 Week")
    invitations = gis.users.invitations.list()
    mine = [i for i in invitations if i["email"] == email]
    assert len(mine) == 1
    got = gis.users.invitations.get(mine[0]["id"])
    assert got["email"] == email
    assert gis.users.invitations.delete(mine[0]["id"])
    assert all(i["email"] != email for i in gis.users.invitations.list())


def test_groups_add_remove_invite_accept(gis, portal):
    group = gis.groups.create(title=unique("Compat group"), tags="compat", access="org")
    members = [u.username for u in gis.users.search("role:org_user", max_users=60)
               if u.username != ADMIN and not u.disabled and u.provider == "arcgis"][:3]
    assert len(members) == 3
    result = group.add_users(members)
    assert result["notAdded"] == []
    assert set(members) <= set(group.get_members()["users"])
    assert group.remove_users([members[0]])["notRemoved"] == []
    assert members[0] not in group.get_members()["users"]

    invitee = members[0]
    assert group.invite_users([invitee])
    member_gis = GIS(portal, invitee, DEMO_PASSWORD, verify_cert=False)
    pending = member_gis.users.me.invitations.list
    assert len(pending) == 1
    assert pending[0].properties["groupId"] == group.id
    assert pending[0].accept()["success"]
    assert invitee in group.get_members()["users"]


def test_unknown_users_and_groups_read_as_none(gis):
    assert gis.users.get("nobody_at_all") is None
    assert gis.groups.get("0123456789abcdef0123456789abcdef") is None
