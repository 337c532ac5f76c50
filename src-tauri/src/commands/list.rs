// Every command the webview can invoke, declared once as `module::function`. This file is
// included twice, each time with its own `app_commands!` macro: by `build.rs`, which makes
// the commands' permissions from their names, and by `commands/mod.rs`, which makes the
// command names (checked against the capability by tests/app) and the specta builder's list
// (the invoke handler and the TS bindings).
app_commands! {
    app::app_info,
    session::session,
    session::sign_in_demo,
    session::sign_in_password,
    session::sign_out,
    session::sign_in_browser,
    session::cancel_sign_in,
    session::profiles,
    session::forget_profile,
    members::load_members,
    members::members,
    members::member_choices,
    members::update_member,
    members::member_details,
    members::delete_summary,
    members::delete_member,
    members::check_username,
    members::create_member,
    groups::groups,
    groups::group_rows,
    groups::group_members,
    bulk::bulk_change,
    bulk::cancel_bulk,
    invitations::invitations,
    invitations::delete_invitation,
    invitations::invite_again,
}
