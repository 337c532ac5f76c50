// The History view: every change Memberdesk sent to this portal, from the journal. Above, the
// jobs (a bulk change, an edit, a reclaim) with what became of their changes; below, the
// changes themselves (member, field, before → after, outcome with the portal's reason),
// filtered by member, administrator, field, job and date.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { exportHistory, type Change, type ChangeOutcome, type HistoryFilter, type Job, type JobState, type UndoRequest } from "../../platform/backend";
import { DoneNotice } from "../../app/DoneNotice";
import { ErrorNotice } from "../../app/ErrorNotice";
import { DataTable } from "../../components/DataTable";
import { EmptyState } from "../../components/EmptyState";
import { FilterSelect, type Choices } from "../../components/FilterSelect";
import { SearchToolbar } from "../../components/SearchToolbar";
import { TruncatedText } from "../../components/TruncatedText";
import { dayStart } from "../members/filter";
import { historyQuery, jobsQuery } from "../../platform/queries";
import { fieldLabel, FIELDS, historyFilter, type HistoryForm } from "./history";
import { ResumePanel } from "./ResumePanel";
import { UndoPanel } from "./UndoPanel";
import "./history.css";

const numberFormat = new Intl.NumberFormat();

/** From this many changes the table renders only those in view. */
const VIRTUAL_FROM = 200;
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A time for people ("" when there is none). */
function when(ms: number | null): string {
  return ms === null ? "" : timeFormat.format(ms);
}

const OUTCOME_LABELS: Record<ChangeOutcome, string> = {
  pending: "Pending",
  done: "Done",
  failed: "Failed",
  skipped: "Skipped",
  unknown: "Unknown",
};

const STATE_LABELS: Record<JobState, string> = {
  running: "Running",
  finished: "Finished",
  cancelled: "Cancelled",
  stopped: "Stopped on an error",
  interrupted: "Interrupted",
};

const jobColumn = createColumnHelper<Job>();

/** What the side panel is open on: an undo, or the resume of a job cut off. */
export type HistoryPanel = { kind: "undo"; request: UndoRequest; title: string } | { kind: "resume"; job: Job["id"] };

/** Whether a job has changes that reached the portal (or may have) and has ended. */
const undoableJob = (j: Job) => j.state !== "running" && j.done + j.pending > 0;
const undoableChange = (c: Change) => c.outcome === "done" || c.outcome === "unknown";
/** Whether a job was cut off (or stopped) with changes of unknown outcome. */
const resumableJob = (j: Job) => j.state !== "running" && j.state !== "cancelled" && j.pending > 0;

/** A row's Undo… (or Resume…) button (a click on it does not open the row). */
function RowButton({
  label,
  testId,
  onClick,
  resume = false,
}: {
  label: string;
  testId: string;
  onClick: () => void;
  resume?: boolean;
}) {
  return (
    <calcite-button
      className={resume ? "history__resume" : "history__undo"}
      appearance={resume ? "outline" : "transparent"}
      scale="s"
      icon-start={resume ? "play" : "undo"}
      label={label}
      data-testid={testId}
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
      onKeyDown={(e) => { e.stopPropagation(); }}
    >
      {resume ? "Resume…" : "Undo…"}
    </calcite-button>
  );
}

const jobColumnsWith = (onPanel: (p: HistoryPanel) => void) => [
  jobColumn.accessor("id", { header: "Job", cell: (c) => `#${c.getValue()}` }),
  jobColumn.accessor("summary", {
    header: "What",
    cell: (c) => <TruncatedText text={c.getValue()} testId="job-summary" />,
  }),
  jobColumn.accessor("started", { header: "Started", cell: (c) => when(c.getValue()) }),
  jobColumn.accessor("admin", { header: "By" }),
  jobColumn.accessor("state", {
    header: "State",
    cell: (c) => (
      <span className={`status history__state--${c.getValue()}`} data-testid="job-state">
        {STATE_LABELS[c.getValue()]}
      </span>
    ),
  }),
  jobColumn.display({
    id: "outcomes",
    header: "Changes",
    cell: ({ row: { original: j } }) => (
      <span className="history__counts" data-testid="job-counts">
        {[
          `${numberFormat.format(j.done)} done`,
          j.failed > 0 && `${numberFormat.format(j.failed)} failed`,
          j.skipped > 0 && `${numberFormat.format(j.skipped)} skipped`,
          j.pending > 0 && `${numberFormat.format(j.pending)} unknown`,
        ]
          .filter(Boolean)
          .join(" · ")}
      </span>
    ),
  }),
  jobColumn.display({
    id: "undo",
    header: "",
    cell: ({ row: { original: j } }) => (
      <>
        {resumableJob(j) && (
          <RowButton resume label={`Resume job #${j.id}`} testId="job-resume" onClick={() => { onPanel({ kind: "resume", job: j.id }); }} />
        )}
        {undoableJob(j) && (
          <RowButton
            label={`Undo job #${j.id}`}
            testId="job-undo"
            onClick={() => { onPanel({ kind: "undo", request: { job: j.id, change: null }, title: `job #${j.id}` }); }}
          />
        )}
      </>
    ),
  }),
];

const changeColumn = createColumnHelper<Change>();

const changeColumnsWith = (onPanel: (p: HistoryPanel) => void) => [
  changeColumn.accessor("at", { header: "When", cell: (c) => when(c.getValue()) }),
  changeColumn.accessor("member", { header: "Member" }),
  changeColumn.accessor("field", { header: "Field", cell: (c) => fieldLabel(c.getValue()) }),
  changeColumn.accessor("beforeText", {
    header: "Before",
    cell: (c) => <TruncatedText text={c.getValue()} testId="change-before" />,
  }),
  changeColumn.accessor("afterText", {
    header: "After",
    cell: (c) => <TruncatedText text={c.getValue()} testId="change-after" />,
  }),
  changeColumn.accessor("outcome", {
    header: "Outcome",
    cell: ({ row: { original: c } }) => (
      <>
        <span className={`status history__outcome--${c.outcome}`} data-testid="change-outcome">
          {OUTCOME_LABELS[c.outcome]}
        </span>
        {c.message && <TruncatedText className="history__message" text={c.message} testId="change-message" />}
      </>
    ),
  }),
  changeColumn.accessor("job", { header: "Job", cell: (c) => `#${c.getValue()}` }),
  changeColumn.accessor("admin", { header: "By" }),
  changeColumn.display({
    id: "undo",
    header: "",
    cell: ({ row: { original: c } }) =>
      undoableChange(c) && (
        <RowButton
          label={`Undo this change of ${c.member}`}
          testId="change-undo"
          onClick={() => { onPanel({ kind: "undo", request: { job: c.job, change: c.id }, title: `one change of job #${c.job}` }); }}
        />
      ),
  }),
];

const jobId = (j: Job) => String(j.id);
const jobData = (j: Job) => ({ "data-job": String(j.id) });
const changeId = (c: Change) => String(c.id);
const changeData = (c: Change) => ({ "data-member": c.member, "data-field": c.field, "data-outcome": c.outcome });

const EMPTY_FORM: HistoryForm = { member: "", admin: "", field: "", job: null, from: "", to: "" };

interface Props {
  /** A panel to open on arrival (the notice of a job to resume asks for it). */
  open?: HistoryPanel | null;
}

export function HistoryPage({ open = null }: Props) {
  const [form, setForm] = useState<HistoryForm>(EMPTY_FORM);
  const [panel, setPanel] = useState<HistoryPanel | null>(open);
  const jobColumns = useMemo(() => jobColumnsWith(setPanel), []);
  const changeColumns = useMemo(() => changeColumnsWith(setPanel), []);
  const set = (patch: Partial<HistoryForm>) => { setForm((f) => ({ ...f, ...patch })); };
  const filter: HistoryFilter = useMemo(() => historyFilter(form, dayStart), [form]);
  const jobs = useQuery(jobsQuery());
  const changes = useQuery({ ...historyQuery(filter), placeholderData: keepPreviousData });
  const rows = changes.data;
  const exported = useMutation({ mutationFn: (f: HistoryFilter) => exportHistory(f) });
  const jobChoices: Choices<string> = useMemo(
    () => [
      ["", "All jobs"],
      ...(jobs.data ?? []).map((j) => [String(j.id), `#${j.id} ${j.summary}`] as const),
    ],
    [jobs.data],
  );
  const filtered =
    form.member !== "" || form.admin !== "" || form.field !== "" || form.job !== null || form.from !== "" || form.to !== "";

  return (
    <div className="history-layout">
      <div className="history" data-testid="history-page">
        <section className="history__jobs" aria-label="Jobs">
          <h2 className="history__heading">Jobs</h2>
          <DataTable
            rows={jobs.data ?? []}
            columns={jobColumns}
            getRowId={jobId}
            testId="jobs"
            rowTestId="job-row"
            rowData={jobData}
            onOpen={(j) => { set({ job: j.id }); }}
            error={
              jobs.isError && (
                <ErrorNotice error={jobs.error} testId="jobs-error" title="The journal could not be read" onRetry={() => void jobs.refetch()} />
              )
            }
            empty={
              jobs.isPending ? (
                <div className="center">
                  <calcite-loader label="Reading the journal" data-testid="jobs-loading" />
                </div>
              ) : (
                <EmptyState icon="clock" testId="jobs-none">
                  <p>No changes sent yet. Every change Memberdesk sends to this portal is recorded here.</p>
                </EmptyState>
              )
            }
          />
        </section>
        <section className="history__changes" aria-label="Changes">
          <SearchToolbar
            label="Member"
            placeholder="Member's username"
            testId="history-filter-member"
            text={form.member}
            onText={(member) => { set({ member }); }}
            count={
              rows
                ? `${numberFormat.format(rows.length)} ${rows.length === 1 ? "change" : "changes"}${
                    rows.length >= 5000 ? " (the most recent 5,000; narrow the filters)" : ""
                  }`
                : ""
            }
            countTestId="history-count"
          >
            <calcite-input
              type="search"
              label="Administrator"
              placeholder="Administrator"
              clearable
              data-testid="history-filter-admin"
              value={form.admin}
              oncalciteInputInput={(e) => { set({ admin: e.target.value }); }}
            />
            <FilterSelect
              label="Field"
              testId="history-filter-field"
              value={form.field}
              choices={FIELDS}
              onChange={(field) => { set({ field }); }}
            />
            <FilterSelect
              label="Job"
              testId="history-filter-job"
              value={form.job === null ? "" : String(form.job)}
              choices={jobChoices}
              onChange={(v) => { set({ job: v === "" ? null : Number(v) }); }}
            />
            <span className="history__range" role="group" aria-label="Changed between">
              <calcite-input
                type="date"
                label="Changed from"
                data-testid="history-filter-from"
                value={form.from}
                oncalciteInputInput={(e) => { set({ from: e.target.value }); }}
              />
              <span aria-hidden="true">–</span>
              <calcite-input
                type="date"
                label="Changed to"
                data-testid="history-filter-to"
                value={form.to}
                oncalciteInputInput={(e) => { set({ to: e.target.value }); }}
              />
            </span>
            {filtered && (
              <calcite-button appearance="transparent" icon-start="reset" data-testid="history-clear" onClick={() => { setForm(EMPTY_FORM); }}>
                Clear filters
              </calcite-button>
            )}
            <calcite-button
              appearance="outline"
              icon-start="export"
              data-testid="history-export"
              disabled={!rows || rows.length === 0 || exported.isPending || undefined}
              onClick={() => { exported.mutate(filter); }}
            >
              Export…
            </calcite-button>
            <calcite-button
              appearance="outline"
              icon-start="refresh"
              data-testid="history-refresh"
              disabled={changes.isFetching || undefined}
              onClick={() => { void jobs.refetch(); void changes.refetch(); }}
            >
              Refresh
            </calcite-button>
          </SearchToolbar>
          <DoneNotice
            message={exported.data ? `The changes shown were saved to ${exported.data}.` : null}
            testId="history-exported"
            onClose={() => { exported.reset(); }}
          />
          {exported.isError && (
            <ErrorNotice error={exported.error} testId="history-export-error" title="The history was not exported" scale="s" />
          )}
          <DataTable
            rows={rows ?? []}
            columns={changeColumns}
            getRowId={changeId}
            testId="changes"
            rowTestId="change-row"
            rowData={changeData}
            // A long history is virtualized; a short one is laid out whole.
            virtual={(rows?.length ?? 0) > VIRTUAL_FROM ? { rowHeight: 52 } : undefined}
            error={
              changes.isError && (
                <ErrorNotice error={changes.error} testId="history-error" title="The journal could not be read" onRetry={() => void changes.refetch()} />
              )
            }
            empty={
              changes.isPending ? (
                <div className="center">
                  <calcite-loader label="Reading the journal" data-testid="history-loading" />
                </div>
              ) : filtered ? (
                <EmptyState icon="search" testId="history-empty">
                  <p>No change matches these filters.</p>
                </EmptyState>
              ) : (
                <EmptyState icon="clock" testId="history-none">
                  <p>No changes recorded on this portal yet.</p>
                </EmptyState>
              )
            }
          />
        </section>
      </div>
      {panel?.kind === "undo" && (
        <UndoPanel
          key={`${panel.request.job}:${panel.request.change ?? ""}`}
          request={panel.request}
          title={panel.title}
          onClose={() => { setPanel(null); }}
        />
      )}
      {panel?.kind === "resume" && <ResumePanel key={panel.job} job={panel.job} onClose={() => { setPanel(null); }} />}
    </div>
  );
}
