// A license picture for UI tests: two user types with seats (one full), one without a
// limit, ArcGIS Pro at two levels (one over-assigned) and an app bundle.
import type { LicensePicture, SeatLine } from "../../platform/backend";

function line(over: Partial<SeatLine> & Pick<SeatLine, "key" | "name">): SeatLine {
  return {
    kind: "userType",
    group: "User types",
    purchased: 10,
    assigned: 0,
    invited: 0,
    idle: { days30: 0, days90: 0, days365: 0, never: 0 },
    ...over,
  };
}

export const PRO = "pro1";

export function testPicture(): LicensePicture {
  return {
    members: 120,
    readAt: Date.UTC(2026, 10, 30, 12),
    problem: null,
    lines: [
      line({ key: "creatorUT", name: "Creator", purchased: 50, assigned: 42, idle: { days30: 9, days90: 6, days365: 4, never: 2 } }),
      line({ key: "fieldWorkerUT", name: "Mobile Worker", purchased: 20, assigned: 20 }),
      line({ key: "viewerUT", name: "Viewer", purchased: null, assigned: 58, idle: { days30: 3, days90: 0, days365: 0, never: 1 } }),
      line({ key: `${PRO}/desktopAdvN`, kind: "license", name: "ArcGIS Pro Advanced", group: "ArcGIS Pro", purchased: 5, assigned: 7, idle: { days30: 2, days90: 2, days365: 1, never: 0 } }),
      line({ key: `${PRO}/desktopBasicN`, kind: "license", name: "ArcGIS Pro Basic", group: "ArcGIS Pro", purchased: 10, assigned: 3 }),
      line({ key: "bundle/b1", kind: "bundle", name: "Field Apps Bundle", group: "App bundles", purchased: 15, assigned: 4 }),
    ],
  };
}
