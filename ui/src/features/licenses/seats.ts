// What the Licenses view computes from the picture: the figures of a seat line (bought,
// assigned, free, over), the lines grouped as the view shows them, and the members filter
// that lists a line's holders. Pure functions: the picture is ~15 lines, the members are
// never iterated here.
import type { SeatLine } from "../../platform/backend";
import type { LastLoginFilter, MemberFilter } from "../members/filter";

/** How full a line is: seats left, none left, more assigned than bought, or no limit. */
export type SeatState = "free" | "full" | "over" | "unlimited";

export interface SeatFigures {
  /** Seats bought; null for no limit. */
  bought: number | null;
  assigned: number;
  /** Seats held for pending invitations to join (user types). */
  invited: number;
  /** Seats left (0 when full or over); null for no limit. */
  free: number | null;
  /** Seats assigned beyond those bought. */
  over: number;
  state: SeatState;
}

export function figures(line: SeatLine): SeatFigures {
  const { purchased: bought, assigned, invited } = line;
  if (bought === null) return { bought, assigned, invited, free: null, over: 0, state: "unlimited" };
  const left = bought - assigned - invited;
  return {
    bought,
    assigned,
    invited,
    free: Math.max(0, left),
    over: Math.max(0, -left),
    state: left > 0 ? "free" : left === 0 ? "full" : "over",
  };
}

/** The lines under their group's heading, groups in the order the picture gives them
 * (user types, each product, app bundles). */
export function groupLines(lines: readonly SeatLine[]): { group: string; lines: SeatLine[] }[] {
  const out = new Map<string, SeatLine[]>();
  for (const line of lines) {
    const list = out.get(line.group);
    if (list) list.push(line);
    else out.set(line.group, [line]);
  }
  return [...out].map(([group, list]) => ({ group, lines: list }));
}

/** The idle counts a line shows, in the order shown, with the members filter each opens. */
export const IDLE: readonly { key: keyof SeatLine["idle"]; filter: Exclude<LastLoginFilter, "any" | "range">; label: string }[] = [
  { key: "days30", filter: "30", label: "30+ days" },
  { key: "days90", filter: "90", label: "90+ days" },
  { key: "days365", filter: "365", label: "365+ days" },
  { key: "never", filter: "never", label: "Never" },
];

/** The members filter that lists a line's holders (those idle since `lastLogin` when given). */
export function holdersFilter(
  line: Pick<SeatLine, "key" | "kind">,
  lastLogin?: Exclude<LastLoginFilter, "any" | "range">,
): Partial<MemberFilter> {
  const who: Partial<MemberFilter> =
    line.kind === "userType" ? { userType: line.key } : { license: line.key, licenseHeld: true };
  return lastLogin ? { ...who, lastLogin } : who;
}

const numberFormat = new Intl.NumberFormat();

export function count(n: number): string {
  return numberFormat.format(n);
}

/** The line's figures in one sentence, for the chart's tooltip and its accessible name. */
export function sentence(line: SeatLine): string {
  const f = figures(line);
  if (f.bought === null) return `${line.name}: ${count(f.assigned)} assigned, no limit`;
  const rest = f.state === "over" ? `${count(f.over)} over` : `${count(f.free ?? 0)} free`;
  const held = f.invited > 0 ? `, ${count(f.invited)} held for invitations` : "";
  return `${line.name}: ${count(f.assigned)} of ${count(f.bought)} assigned${held}, ${rest}`;
}
