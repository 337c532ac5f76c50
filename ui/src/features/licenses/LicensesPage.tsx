// The Licenses view: for every user type, add-on license and app bundle the organization
// bought, the seats bought, assigned and free (a chart that reads at a glance, and the same
// figures as a table), and the holders who have not signed in lately. Any count opens the
// members table on those members. From here: reclaim idle seats, swap two members' types.
// The picture is counted on the Rust side (~15 lines): nothing here walks the members.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import type { SeatLine } from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { EmptyState } from "../../components/EmptyState";
import { licensePictureQuery } from "../../platform/queries";
import type { LastLoginFilter, MemberFilter } from "../members/filter";
import { ReclaimPanel } from "./ReclaimPanel";
import { SeatChart, SeatLegend } from "./SeatChart";
import { SeatTable } from "./SeatTable";
import { SwapDialog } from "./SwapDialog";
import { count, groupLines, holdersFilter } from "./seats";
import "./licenses.css";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

type Panel = "reclaim" | "swap" | null;

interface Props {
  /** Opens the members table with this filter (its holders, idle ones). */
  onShowMembers: (patch: Partial<MemberFilter>) => void;
}

export function LicensesPage({ onShowMembers }: Props) {
  const picture = useQuery(licensePictureQuery());
  const [panel, setPanel] = useState<Panel>(null);
  const data = picture.data;
  const groups = useMemo(() => groupLines(data?.lines ?? []), [data]);
  const open = useCallback(
    (line: SeatLine, lastLogin?: Exclude<LastLoginFilter, "any" | "range">) => {
      onShowMembers(holdersFilter(line, lastLogin));
    },
    [onShowMembers],
  );
  const ready = data !== undefined && data.readAt !== null;

  return (
    <div className="licenses" data-testid="licenses-page">
      <div className="licenses__main">
        <div className="licenses__bar">
          <div>
            <h1 className="licenses__title">Licenses and seats</h1>
            <p className="licenses__status" data-testid="licenses-status" aria-live="polite">
              {ready
                ? `Counted from ${count(data.members)} members · licenses read ${dateFormat.format(data.readAt ?? 0)}`
                : picture.isFetching
                  ? "Reading…"
                  : ""}
            </p>
          </div>
          <div className="licenses__actions">
            <calcite-button
              icon-start="undo"
              data-testid="reclaim-open"
              disabled={!ready || undefined}
              appearance={panel === "reclaim" ? "solid" : "outline"}
              onClick={() => { setPanel("reclaim"); }}
            >
              Reclaim seats
            </calcite-button>
            <calcite-button
              icon-start="arrow-right-left"
              data-testid="swap-open"
              disabled={!ready || undefined}
              appearance={panel === "swap" ? "solid" : "outline"}
              onClick={() => { setPanel("swap"); }}
            >
              Swap user types
            </calcite-button>
          </div>
        </div>

        {picture.isPending && (
          <div className="licenses__center">
            <calcite-loader label="Reading the licenses" data-testid="licenses-loading" />
          </div>
        )}
        {picture.isError && (
          <ErrorNotice
            error={picture.error}
            testId="licenses-error"
            title="The licenses could not be read"
            onRetry={() => void picture.refetch()}
          />
        )}
        {data?.problem && (
          <calcite-notice open kind="warning" icon="exclamation-mark-triangle" scale="s" data-testid="licenses-problem">
            <div slot="title">The last load could not read the licenses</div>
            <div slot="message">
              {`${data.problem} An administrator who may manage licenses sees them here.`}
            </div>
          </calcite-notice>
        )}
        {data?.readAt === null && !data.problem && (
          <EmptyState icon="license" testId="licenses-empty">
            <p>Load the organization to read its licenses.</p>
            <p className="licenses__hint">The members page loads the members with their licenses and seats.</p>
          </EmptyState>
        )}
        {ready && data.lines.length === 0 && (
          <EmptyState icon="license" testId="licenses-none">
            <p>This organization has no user types, licenses or bundles with seats.</p>
          </EmptyState>
        )}
        {ready && data.lines.length > 0 && (
          <div className="licenses__groups">
            <SeatLegend />
            {groups.map((g) => (
              <section key={g.group} className="licenses__group" aria-label={g.group} data-testid="seat-group">
                <h2 className="licenses__group-title">{g.group}</h2>
                <SeatChart group={g.group} lines={g.lines} onOpen={open} />
                <SeatTable group={g.group} lines={g.lines} onOpen={open} />
              </section>
            ))}
          </div>
        )}
      </div>
      {panel === "reclaim" && <ReclaimPanel onClose={() => { setPanel(null); }} />}
      {panel === "swap" && <SwapDialog onClose={() => { setPanel(null); }} />}
    </div>
  );
}
