//! The organization: `portals/self`, the signed-in member (`community/self`), roles, user
//! types, and a helper that reads every page of a paged list.

use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::models::{Me, Page, PortalSelf, Role, UserType, WirePage};
use crate::transport::Client;

impl Client {
    /// The organization and who is signed in.
    pub async fn portal_self(&self) -> Result<PortalSelf> {
        self.read("portals/self", Vec::new()).await
    }

    /// The signed-in member with privileges and groups.
    pub async fn me(&self) -> Result<Me> {
        self.read("community/self", Vec::new()).await
    }

    /// The organization's custom roles (Viewer and Data Editor included), with privileges.
    pub async fn roles(&self) -> Result<Vec<Role>> {
        self.all_pages(
            "portals/self/roles",
            vec![("returnPrivileges", "true".into())],
        )
        .await
    }

    /// The user types the organization offers.
    pub async fn user_types(&self) -> Result<Vec<UserType>> {
        self.all_pages("portals/self/userLicenseTypes", Vec::new())
            .await
    }

    /// Reads one page of a paged list at `path`.
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        path: &str,
        mut params: Vec<(&str, String)>,
        start: u64,
        num: u64,
    ) -> Result<Page<T>> {
        params.push(("start", start.to_string()));
        params.push(("num", num.to_string()));
        let page: WirePage<T> = self.read(path, params).await?;
        Ok(page.into())
    }

    /// Reads every page of a paged list at `path` (100 at a time) until `nextStart` is -1.
    pub(crate) async fn all_pages<T: DeserializeOwned>(
        &self,
        path: &str,
        params: Vec<(&str, String)>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        let mut start = 1;
        loop {
            let page: Page<T> = self.page(path, params.clone(), start, 100).await?;
            let got = page.items.len();
            out.extend(page.items);
            match page.next_start {
                Some(next) if got > 0 && next > start => start = next,
                _ => return Ok(out),
            }
        }
    }
}
