//! The member a `community/users/{u}/…` path names, as the caller may act on them: what every
//! handler of one member starts with, written once. A member may act on themselves; an
//! administrator needs the operation's privilege and, for a change, delegated administration's
//! leave (`delegation`).
//!
//! What is deliberately not here: operations that name their members in parameters
//! (`portals/self/...`, in `admin`), which check the caller's privilege once for the whole
//! list.

use super::{find, visible_to, User};
use crate::auth::Caller;
use crate::db::Conn;
use crate::error::{PortalError, Result};
use crate::routing::ApiRequest;
use crate::State;

/// The member named by the path's first segment, and who asks. Taking it from the request
/// only checks that someone is signed in (499), so a handler reads its parameters next as it
/// always did; [`Target::run`] checks the rest against the database.
pub(crate) struct Target {
    caller: Caller,
    name: String,
    privilege: &'static str,
    /// Whether the operation changes the member (delegation's rules apply) or only reads.
    changes: bool,
}

/// What a handler works with once its [`Target`] is allowed.
pub(crate) struct OnTarget {
    pub(crate) state: State,
    pub(crate) conn: Conn,
    pub(crate) caller: Caller,
    pub(crate) user: User,
}

impl Target {
    /// The member named in the path, for a read that administrators holding `privilege` may
    /// do on anyone.
    pub(crate) fn of(req: &ApiRequest, privilege: &'static str) -> Result<Self> {
        Ok(Self {
            caller: req.signed_in()?,
            name: req.capture(0).to_string(),
            privilege,
            changes: false,
        })
    }

    /// The member named in the path, for a change that administrators holding `privilege` may
    /// make to any member delegated administration lets them change
    /// ([`crate::delegation::may_act_on`]).
    pub(crate) fn to_change(req: &ApiRequest, privilege: &'static str) -> Result<Self> {
        Ok(Self {
            changes: true,
            ..Self::of(req, privilege)?
        })
    }

    /// Runs `f` on the blocking pool once the member is found and the caller may act on them.
    /// An unknown member, or one the caller cannot see, "does not exist"; one they can see but
    /// not change is a 403.
    pub(crate) async fn run<T: Send + 'static>(
        self,
        state: &State,
        f: impl FnOnce(OnTarget) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        state
            .with_db(move |s, conn| {
                let user = find(&conn, &self.name)?.ok_or_else(PortalError::user_not_found)?;
                if !(self.caller.is(&user.username) || self.caller.has(self.privilege)) {
                    return Err(if visible_to(&user, Some(&self.caller)) {
                        PortalError::forbidden()
                    } else {
                        PortalError::user_not_found()
                    });
                }
                if self.changes {
                    crate::delegation::may_act_on(&self.caller, &user)?;
                }
                f(OnTarget {
                    state: s.clone(),
                    conn,
                    caller: self.caller,
                    user,
                })
            })
            .await
    }
}
