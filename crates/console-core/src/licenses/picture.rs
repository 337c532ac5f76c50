//! The Licenses view's picture: for each user type, entitlement and bundle, the seats bought,
//! assigned and free, and how many of the holders have not signed in for a while. Counted from
//! the member rows and the offers whenever it is asked for.
//!
//! What is deliberately not here: reading the offers (`read`).

use std::collections::HashMap;

use serde::Serialize;

use super::Offers;
use crate::members::Member;

const DAY_MS: i64 = 86_400_000;

/// What a seat line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SeatKind {
    UserType,
    License,
    Bundle,
}

/// Holders who have not signed in for 30, 90 or 365 days or more (each count includes the
/// longer ones and those who never signed in, as the members filter "not in N days" does),
/// and who never signed in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Idle {
    pub days30: u32,
    pub days90: u32,
    pub days365: u32,
    pub never: u32,
}

impl Idle {
    fn add(&mut self, last_login: Option<i64>, now: i64) {
        let days = last_login.map_or(i64::MAX, |t| (now - t) / DAY_MS);
        self.never += u32::from(last_login.is_none());
        self.days30 += u32::from(days >= 30);
        self.days90 += u32::from(days >= 90);
        self.days365 += u32::from(days >= 365);
    }
}

/// One bar of the picture.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SeatLine {
    /// A user type's id, or a license key (`<item id>/<entitlement>`, `bundle/<id>`).
    pub key: String,
    pub kind: SeatKind,
    pub name: String,
    /// What it belongs to: "User types", a product's title, "App bundles".
    pub group: String,
    /// Seats bought; `None` when the portal sets no limit.
    pub purchased: Option<u32>,
    pub assigned: u32,
    /// Seats held for pending invitations to join (user types only).
    pub invited: u32,
    pub idle: Idle,
}

impl SeatLine {
    /// Seats left (`None`: no limit); negative when more are taken than bought.
    pub fn free(&self) -> Option<i64> {
        self.purchased
            .map(|p| i64::from(p) - i64::from(self.assigned) - i64::from(self.invited))
    }
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LicensePicture {
    pub lines: Vec<SeatLine>,
    /// Members counted.
    pub members: u32,
    /// When the offers were read (epoch ms); `None` before the first load that read them.
    #[specta(type = Option<f64>)]
    pub read_at: Option<i64>,
    /// Why the last load could not read the licenses (the portal's refusal), if so.
    pub problem: Option<String>,
}

/// Counts the picture from the offers and the member rows, at `now`.
pub fn picture(offers: Option<&Offers>, members: &[Member], now: i64) -> LicensePicture {
    let mut by_type: HashMap<&str, (u32, Idle)> = HashMap::new();
    let mut by_key: HashMap<&str, (u32, Idle)> = HashMap::new();
    for m in members {
        let t = by_type.entry(m.user_type.as_str()).or_default();
        t.0 += 1;
        t.1.add(m.last_login, now);
        for k in &m.licenses {
            let e = by_key.entry(k.as_str()).or_default();
            e.0 += 1;
            e.1.add(m.last_login, now);
        }
    }
    let mut lines = Vec::new();
    let Some(offers) = offers else {
        return LicensePicture {
            lines,
            members: u32::try_from(members.len()).unwrap_or(u32::MAX),
            read_at: None,
            problem: None,
        };
    };
    let take =
        |map: &HashMap<&str, (u32, Idle)>, key: &str| map.get(key).copied().unwrap_or_default();
    for t in &offers.user_types {
        let (assigned, idle) = take(&by_type, &t.id);
        lines.push(SeatLine {
            key: t.id.clone(),
            kind: SeatKind::UserType,
            name: t.name.clone(),
            group: "User types".into(),
            purchased: t.purchased,
            assigned,
            invited: t.invited,
            idle,
        });
    }
    for p in &offers.products {
        for e in &p.entitlements {
            let (assigned, idle) = take(&by_key, &e.key);
            lines.push(SeatLine {
                key: e.key.clone(),
                kind: SeatKind::License,
                name: e.name.clone(),
                group: p.title.clone(),
                purchased: Some(e.purchased),
                assigned,
                invited: 0,
                idle,
            });
        }
    }
    for b in offers.bundles.iter().filter(|b| b.purchased.is_some()) {
        let (assigned, idle) = take(&by_key, &b.key);
        lines.push(SeatLine {
            key: b.key.clone(),
            kind: SeatKind::Bundle,
            name: b.name.clone(),
            group: "App bundles".into(),
            purchased: b.purchased,
            assigned,
            invited: 0,
            idle,
        });
    }
    LicensePicture {
        lines,
        members: u32::try_from(members.len()).unwrap_or(u32::MAX),
        read_at: Some(offers.read_at),
        problem: None,
    }
}
