// One group's seat lines as a table: the figures of the chart as text (for people who do not
// read charts, for screen readers and for the end-to-end tests), the holders and the idle
// holders as buttons that open the members table filtered to them.
import { memo } from "react";
import type { SeatLine } from "../../platform/backend";
import type { LastLoginFilter } from "../members/filter";
import { count, figures, IDLE } from "./seats";

type Idle = Exclude<LastLoginFilter, "any" | "range">;

const STATE_TEXT = { free: "", full: "Full", over: "Over-assigned", unlimited: "" } as const;

interface Props {
  group: string;
  lines: readonly SeatLine[];
  /** Opens the members table on the line's holders (idle since `lastLogin` when given). */
  onOpen: (line: SeatLine, lastLogin?: Idle) => void;
}

export const SeatTable = memo(function SeatTable({ group, lines, onOpen }: Props) {
  // The invitations column only where a line has seats held for invitations (user types).
  const invitations = lines.some((l) => l.invited > 0);
  return (
    <div className="seat-table__scroll">
      <table className="seat-table" data-testid="seat-table">
        <caption className="visually-hidden">{`${group}: seats bought, assigned and free, and holders who have not signed in`}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="seat-table__number">Bought</th>
            <th scope="col" className="seat-table__number">Assigned</th>
            {invitations && (
              <th scope="col" className="seat-table__number" title="Seats held for pending invitations to join">
                Invited
              </th>
            )}
            <th scope="col" className="seat-table__number">Free</th>
            {IDLE.map((i) => (
              <th key={i.key} scope="col" className="seat-table__number">
                {i.key === "never" ? "Never signed in" : `Idle ${i.label}`}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => {
            const f = figures(line);
            return (
              <tr key={line.key} data-testid="seat-line" data-key={line.key} data-kind={line.kind} data-state={f.state}>
                <th scope="row">
                  <button
                    type="button"
                    className="seat-table__open"
                    data-testid="seat-holders"
                    title={`Show the ${count(f.assigned)} holders of ${line.name} in the members table`}
                    onClick={() => { onOpen(line); }}
                  >
                    <span className="seat-table__name">{line.name}</span>
                    <span className="seat-table__holders">{`${count(f.assigned)} ${f.assigned === 1 ? "holder" : "holders"}`}</span>
                  </button>
                  {STATE_TEXT[f.state] && (
                    <span className={`seat-table__state seat-table__state--${f.state}`}>{STATE_TEXT[f.state]}</span>
                  )}
                </th>
                <td className="seat-table__number" data-testid="seat-bought">
                  {f.bought === null ? "No limit" : count(f.bought)}
                </td>
                <td className="seat-table__number" data-testid="seat-assigned">{count(f.assigned)}</td>
                {invitations && (
                  <td className="seat-table__number" data-testid="seat-invited">{count(f.invited)}</td>
                )}
                <td className="seat-table__number" data-testid="seat-free">
                  {f.free === null ? "No limit" : f.over > 0 ? `${count(f.over)} over` : count(f.free)}
                </td>
                {IDLE.map((i) => {
                  const n = line.idle[i.key];
                  return (
                    <td key={i.key} className="seat-table__number">
                      {n === 0 ? (
                        <span className="seat-table__zero" data-testid={`seat-idle-${i.filter}`}>0</span>
                      ) : (
                        <button
                          type="button"
                          className="seat-table__count"
                          data-testid={`seat-idle-${i.filter}`}
                          aria-label={`${count(n)} holders of ${line.name}: ${i.key === "never" ? "never signed in" : `not signed in for ${i.label}`}`}
                          onClick={() => { onOpen(line, i.filter); }}
                        >
                          {count(n)}
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
