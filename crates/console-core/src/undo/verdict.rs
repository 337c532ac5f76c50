//! Each recorded change's verdict for undo, from what the portal holds now: set back (the
//! portal still holds what the job set), already back, changed since (a conflict), or
//! refused with the reason.

use serde_json::json;

use super::{UndoItem, UndoVerdict};
use crate::journal::{field, Change};
use crate::replay::{quoted, same, Held, Now};

/// What undo would do with `c`.
pub(crate) fn verdict(now: &Now, c: &Change) -> UndoItem {
    let mut item = UndoItem {
        change: c.id,
        member: c.member.clone(),
        field: c.field.clone(),
        before_text: c.before_text.clone(),
        after_text: c.after_text.clone(),
        current_text: String::new(),
        verdict: UndoVerdict::Refused,
        action: String::new(),
        reason: None,
        target: c.before.clone(),
        current: None,
    };
    let refuse = |mut item: UndoItem, why: String| {
        item.reason = Some(why);
        item
    };
    match c.field.as_str() {
        field::MEMBER => return creation(now, c, item),
        field::INVITATION => {
            if c.before.is_some() {
                return refuse(
                    item,
                    "A withdrawn invitation is not sent again by undo: invite the person again."
                        .into(),
                );
            }
            return match now.invitation(&c.member) {
                Some(id) => {
                    item.verdict = UndoVerdict::Undo;
                    item.current_text = "invitation pending".into();
                    item.current = Some(json!({ "invitation": id }));
                    item.reason = Some("The invitation is withdrawn.".into());
                    item
                }
                None => refuse(
                    item,
                    format!(
                        "No invitation to {} is pending: it was accepted, withdrawn or has \
                         expired.",
                        c.member
                    ),
                ),
            };
        }
        _ => {}
    }
    let current = match now.held(c) {
        Held::Value(v) => v,
        Held::Gone(why) => return refuse(item, why),
    };
    item.current_text = now.text(c, current.as_ref());
    item.verdict = if same(current.as_ref(), c.after.as_ref()) {
        UndoVerdict::Undo
    } else if same(current.as_ref(), c.before.as_ref()) {
        UndoVerdict::Unchanged
    } else {
        item.reason = Some(format!(
            "Changed since: the portal holds {}, the job set {}.",
            quoted(&item.current_text),
            quoted(&c.after_text)
        ));
        UndoVerdict::Conflict
    };
    item.current = current;
    item
}

/// A member the job created (deleted by undo if they never signed in and own nothing), or
/// deleted (which cannot be undone).
fn creation(now: &Now, c: &Change, mut item: UndoItem) -> UndoItem {
    if c.before.is_some() {
        item.current_text = "deleted".into();
        item.reason = Some(
            "A deleted member cannot be brought back: ArcGIS keeps no recycle bin for \
             accounts. Create the member again (the History export has the values)."
                .into(),
        );
        return item;
    }
    let Some(m) = now.member(&c.member) else {
        item.verdict = UndoVerdict::Unchanged;
        item.current_text = "no longer in the organization".into();
        return item;
    };
    item.current_text = "member".into();
    if let Some(at) = m.last_login {
        item.reason = Some(format!(
            "{} has signed in since ({}): undo deletes only members who never did. Delete \
             the account from the members table if it must go.",
            m.username,
            crate::export::date(at)
        ));
        return item;
    }
    match now.content(&c.member) {
        Some(s) if s.root_items > 0 || s.folders > 0 => {
            item.reason = Some(format!(
                "{} owns content ({} items, {} folders): undo deletes only members who own \
                 none. Delete the account with a receiver from the members table.",
                m.username, s.root_items, s.folders
            ));
        }
        Some(_) => {
            item.verdict = UndoVerdict::Undo;
            item.reason = Some("Never signed in and owns no content: deleted.".into());
        }
        None => item.reason = Some("Its content could not be read.".into()),
    }
    item
}
