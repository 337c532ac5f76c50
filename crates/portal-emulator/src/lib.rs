//! The embedded portal: a local server that speaks the ArcGIS Sharing REST API for users,
//! invitations, roles, user types, groups and sign-in, stored in SQLite.
//!
//! What it is for: Esri's own clients (`arcgis` for Python, `@esri/arcgis-rest-js`) must accept
//! it unchanged; it is Memberdesk's offline demo portal and the ground of every test and
//! benchmark. Its contract is `shared/PORTAL-CONTRACT.md`, its command line `shared/DESIGN.md`.
//!
//! What is deliberately not in it: anything Memberdesk-specific. It is a portal, not a fake of
//! the app's needs.
//!
//! The server arrives with the issue "The embedded portal"; for now the crate only holds its
//! place in the workspace layout.
