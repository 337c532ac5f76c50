//! The client against the embedded portal, served over real TLS on 127.0.0.1 in process.

mod bulk;
mod licenses;
mod oauth;
mod redirects;
mod support;
mod users;
mod writes;
