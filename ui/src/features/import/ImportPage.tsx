// The Import screen: a CSV file (the app's export, or ArcGIS's "upload a file"), planned row by
// row before anything is sent (create, invite, update with each field's before → after,
// unchanged, invalid with its reason), filtered by plan; then the valid rows run as one job with
// a progress bar, and every row gets its outcome.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useRef, useState } from "react";
import {
  cancelBulk,
  planImport,
  runImport,
  saveImportResult,
  type BulkProgress,
  type ImportPlan,
  type RowAction,
  type RowPlan,
} from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { DataTable } from "../../components/DataTable";
import { EmptyState } from "../../components/EmptyState";
import { TruncatedText } from "../../components/TruncatedText";
import { fieldLabel } from "../history/history";
import { queryKeys } from "../../platform/queries";
import { outcomeRows, type RowResult } from "./importRows";
import "./import.css";

const numberFormat = new Intl.NumberFormat();

/** From this many rows the table renders only those in view. */
const VIRTUAL_FROM = 200;

const ACTIONS: { id: RowAction; label: string }[] = [
  { id: "create", label: "Create" },
  { id: "invite", label: "Invite" },
  { id: "update", label: "Update" },
  { id: "unchanged", label: "Unchanged" },
  { id: "invalid", label: "Invalid" },
];

type Show = RowAction | "all";

const OUTCOME_LABELS: Record<string, string> = {
  done: "Done",
  failed: "Failed",
  skipped: "Skipped",
  invalid: "Not sent",
  unchanged: "Unchanged",
};

/** A row's changes as one line: "Role: User → Publisher; Group: not in A → in A". */
export function changesText(r: RowPlan): string {
  if (r.action === "create" || r.action === "invite") return r.changes.map((c) => c.after).join("; ");
  return r.changes.map((c) => `${fieldLabel(c.field)}: ${c.before || "—"} → ${c.after || "—"}`).join("; ");
}

const column = createColumnHelper<RowResult>();

const columns = [
  column.accessor("row", { header: "Row" }),
  column.accessor("username", { header: "Username" }),
  column.accessor("email", { header: "Email" }),
  column.accessor("action", {
    header: "Plan",
    cell: (c) => (
      <span className={`status import__action--${c.getValue()}`} data-testid="import-row-action">
        {ACTIONS.find((a) => a.id === c.getValue())?.label}
      </span>
    ),
  }),
  column.accessor("detail", {
    header: "What changes, or why not",
    cell: ({ row: { original: r } }) => (
      <TruncatedText
        className={r.action === "invalid" || r.outcome === "failed" ? "import__reason" : undefined}
        text={r.detail}
        testId="import-row-detail"
      />
    ),
  }),
  column.accessor("outcome", {
    header: "Outcome",
    cell: (c) =>
      c.getValue() && (
        <span className={`status import__outcome--${c.getValue()}`} data-testid="import-row-outcome">
          {OUTCOME_LABELS[c.getValue() ?? ""] ?? c.getValue()}
        </span>
      ),
  }),
];

const rowId = (r: RowResult) => String(r.row);
const rowData = (r: RowResult) => ({
  "data-row": String(r.row),
  "data-action": r.action,
  "data-outcome": r.outcome ?? "",
});

export function ImportPage() {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [show, setShow] = useState<Show>("all");
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const plan = useMutation({
    mutationFn: (file: File) => planImport(file),
    onSuccess: (p) => {
      run.reset();
      setShow(p.invalid > 0 ? "invalid" : "all");
    },
  });
  const run = useMutation({
    mutationFn: () => runImport(setProgress),
    onSuccess: async () => {
      setShow("all");
      await queryClient.invalidateQueries({ queryKey: queryKeys.members });
      await queryClient.invalidateQueries({ queryKey: queryKeys.history });
    },
    onSettled: () => { setProgress(null); },
  });
  const saved = useMutation({ mutationFn: saveImportResult });
  const current: ImportPlan | undefined = plan.data;
  const fileName = plan.variables?.name ?? "";
  const rows = useMemo(() => (current ? outcomeRows(current, run.data ?? null, changesText) : []), [current, run.data]);
  const shownRows = useMemo(() => (show === "all" ? rows : rows.filter((r) => r.action === show)), [rows, show]);
  const valid = current ? current.create + current.invite + current.update : 0;
  const report = run.data;

  const choose = () => { input.current?.click(); };

  return (
    <div className="import" data-testid="import-page">
      <div className="import__bar">
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv"
          className="visually-hidden"
          data-testid="import-file"
          aria-label="CSV file to import"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) plan.mutate(file);
            e.target.value = "";
          }}
        />
        <calcite-button icon-start="upload" data-testid="import-choose" disabled={run.isPending || undefined} onClick={choose}>
          {current ? "Choose another file…" : "Choose a CSV file…"}
        </calcite-button>
        {current && !report && (
          <calcite-button
            kind="brand"
            icon-start="play"
            data-testid="import-run"
            disabled={valid === 0 || run.isPending || undefined}
            loading={run.isPending || undefined}
            onClick={() => { run.mutate(); }}
          >
            {`Import ${numberFormat.format(valid)} ${valid === 1 ? "row" : "rows"}`}
          </calcite-button>
        )}
        {report && (
          <calcite-button
            appearance="outline"
            icon-start="save"
            data-testid="import-save-result"
            disabled={saved.isPending || undefined}
            onClick={() => { saved.mutate(report); }}
          >
            Save the result…
          </calcite-button>
        )}
        {run.isPending && (
          <calcite-button appearance="outline" kind="danger" data-testid="import-cancel" onClick={() => void cancelBulk()}>
            Cancel
          </calcite-button>
        )}
        {current && (
          <calcite-segmented-control
            label="Show"
            data-testid="import-show"
            oncalciteSegmentedControlChange={(e) => { setShow(e.target.value as Show); }}
          >
            <calcite-segmented-control-item value="all" checked={show === "all"} data-testid="import-show-all">
              {`All (${numberFormat.format(current.rows.length)})`}
            </calcite-segmented-control-item>
            {ACTIONS.map((a) => (
              <calcite-segmented-control-item key={a.id} value={a.id} checked={show === a.id} data-testid={`import-show-${a.id}`}>
                {`${a.label} (${numberFormat.format(current[a.id])})`}
              </calcite-segmented-control-item>
            ))}
          </calcite-segmented-control>
        )}
      </div>

      {run.isPending && (
        <div className="import__progress" data-testid="import-progress">
          <calcite-progress
            type={progress && progress.total > 0 ? "determinate" : "indeterminate"}
            value={progress && progress.total > 0 ? progress.done / progress.total : 0}
            label="Importing"
            text={progress ? `${numberFormat.format(progress.done)} of ${numberFormat.format(progress.total)} rows` : "Importing…"}
          />
        </div>
      )}
      {plan.isError && <ErrorNotice error={plan.error} testId="import-error" title="The file cannot be imported" />}
      {run.isError && <ErrorNotice error={run.error} testId="import-run-error" title="The import stopped" />}
      {saved.isError && <ErrorNotice error={saved.error} testId="import-save-error" title="The result was not saved" scale="s" />}
      {current && !report && (
        <calcite-notice open scale="s" width="full" kind={current.invalid > 0 ? "warning" : "info"} data-testid="import-summary">
          <div slot="message">
            {`${fileName}: nothing is sent yet. ${numberFormat.format(current.create)} to create, ${numberFormat.format(current.invite)} to invite, ${numberFormat.format(current.update)} to update, ${numberFormat.format(current.unchanged)} unchanged, ${numberFormat.format(current.invalid)} invalid (named below, left out).`}
            {current.ignoredColumns.length > 0 && ` Columns left as they are: ${current.ignoredColumns.join(", ")}.`}
          </div>
        </calcite-notice>
      )}
      {report && (
        <calcite-notice
          open
          scale="s"
          width="full"
          kind={report.failed + report.skipped > 0 ? "warning" : "success"}
          data-testid="import-result"
        >
          <div slot="message">
            {saved.data && `Saved to ${saved.data}. `}
            {`${numberFormat.format(report.applied)} done, ${numberFormat.format(report.failed)} failed, ${numberFormat.format(report.skipped)} skipped, ${numberFormat.format(report.invalid)} invalid, ${numberFormat.format(report.unchanged)} unchanged. Recorded in History as job #${report.job}.`}
          </div>
        </calcite-notice>
      )}
      <DataTable
        rows={shownRows}
        columns={columns}
        getRowId={rowId}
        testId="import-rows"
        rowTestId="import-row"
        rowData={rowData}
        // A long file is virtualized; a short one is laid out whole.
        virtual={shownRows.length > VIRTUAL_FROM ? { rowHeight: 36 } : undefined}
        empty={
          plan.isPending ? (
            <div className="center">
              <calcite-loader label="Checking the file" data-testid="import-planning" />
            </div>
          ) : current ? (
            <EmptyState icon="filter" testId="import-none-shown">
              <p>No row of this kind.</p>
            </EmptyState>
          ) : (
            <EmptyState icon="upload" testId="import-start">
              <p>
                Create, invite and update members from a CSV file: the app&apos;s own export (edit it, import it back) or
                ArcGIS&apos;s upload file (First Name, Last Name, Email, Username, Role, User Type; Password, IdP Username,
                Groups and Credits when present). Every row is checked first; nothing is sent until you confirm.
              </p>
              <calcite-button icon-start="upload" onClick={choose}>
                Choose a CSV file…
              </calcite-button>
            </EmptyState>
          )
        }
      />
    </div>
  );
}
