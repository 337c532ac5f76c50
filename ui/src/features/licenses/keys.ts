// License keys and what people call them: `<item id>/<entitlement>` for an entitlement,
// `<item id>/*` for anything of a license, `bundle/<id>` for an app bundle (as the Rust side
// names them in member rows and the license picture).
import type { Offers } from "../../platform/backend";

/** Every license key the organization bought, with its name, in the offers' order: each
 * license as a whole ("Any ArcGIS Pro license"), its entitlements, then the bought bundles. */
export function licenseNames(offers: Offers | null | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const p of offers?.products ?? []) {
    names.set(`${p.itemId}/*`, `Any ${p.title} license`);
    for (const e of p.entitlements) names.set(e.key, e.name);
  }
  for (const b of offers?.bundles ?? []) {
    if (b.purchased !== null) names.set(b.key, b.name);
  }
  return names;
}
