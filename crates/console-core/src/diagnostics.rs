//! What an administrator pastes into a support request ("copy diagnostics" in About): the
//! app's and the OS's versions, and the kind and version of the portal signed in to.
//!
//! What is deliberately not here: anything that identifies a person or opens a door. No
//! token, password, username, organization name or portal URL is ever put in; the members
//! count and the portal's kind and version are enough to reproduce most problems.

use crate::session::{Console, PortalKind};

/// One line of the diagnostics: a label and its value.
pub type Fact = (&'static str, String);

/// Renders facts as `label: value` lines, the form support requests quote.
pub fn render(facts: &[Fact]) -> String {
    facts
        .iter()
        .map(|(label, value)| format!("{label}: {value}\n"))
        .collect()
}

/// The operating system as people name it: the distribution's `PRETTY_NAME` on Linux, the
/// OS family elsewhere, with the architecture.
pub fn operating_system() -> String {
    let name = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    format!("{name} ({})", std::env::consts::ARCH)
}

/// How long the diagnostics wait for the portal's version.
const ASK_AT_MOST: std::time::Duration = std::time::Duration::from_secs(5);

impl Console {
    /// The facts about the session, asked of the portal now: its kind, its version and how many
    /// members are cached. Empty when nobody is signed in; a portal that does not answer is
    /// said so rather than failing the whole copy.
    pub async fn portal_facts(&self) -> Vec<Fact> {
        let (client, kind, members) = {
            let active = self.active.read().await;
            let Some(a) = active.as_ref() else {
                return vec![("Portal", "not signed in".to_string())];
            };
            (a.client.clone(), a.info.kind, a.info.cache.members)
        };
        let kind = match kind {
            PortalKind::ArcgisOnline => "ArcGIS Online",
            PortalKind::Enterprise => "ArcGIS Enterprise",
            PortalKind::Demo => "Demo portal (on this computer)",
        };
        // Bounded: a portal that does not answer must not hold the copy up. The error's own
        // text is not used: it may name the portal's address.
        let asked = tokio::time::timeout(ASK_AT_MOST, client.portal_self()).await;
        let version = match asked {
            Ok(Ok(portal)) => portal
                .current_version
                .unwrap_or_else(|| "not given by the portal".to_string()),
            Ok(Err(e)) if e.is_transient() => "not read (the portal did not answer)".to_string(),
            Ok(Err(_)) => "not read (the portal refused)".to_string(),
            Err(_) => format!("not read (no answer in {} s)", ASK_AT_MOST.as_secs()),
        };
        vec![
            ("Portal", kind.to_string()),
            ("Portal version", version),
            ("Members cached", members.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_render_one_labelled_line_each() {
        let text = render(&[
            ("App", "Memberdesk 0.1.0".into()),
            ("Portal", "ArcGIS Online".into()),
        ]);
        assert_eq!(text, "App: Memberdesk 0.1.0\nPortal: ArcGIS Online\n");
    }

    #[test]
    fn the_operating_system_names_its_architecture() {
        assert!(operating_system().ends_with(&format!("({})", std::env::consts::ARCH)));
    }
}
