// The names of the app's own commands, shared by `build.rs` (which generates their
// permissions) and the tests (which check the capability grants exactly these). Keep in step
// with `specta_builder` in `lib.rs`.

/// Every command the webview can invoke.
pub const COMMAND_NAMES: &[&str] = &[
    "app_info",
    "session",
    "sign_in_demo",
    "sign_in_password",
    "sign_out",
    "load_members",
    "members",
    "member_choices",
    "update_member",
    "groups",
    "bulk_change",
    "cancel_bulk",
    "invitations",
    "delete_invitation",
    "invite_again",
    "check_username",
    "create_member",
    "sign_in_browser",
    "cancel_sign_in",
    "profiles",
    "forget_profile",
    "group_rows",
    "group_members",
    "member_details",
    "delete_summary",
    "delete_member",
];
