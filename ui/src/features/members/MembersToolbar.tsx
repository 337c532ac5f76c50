// The members page's toolbar: the search box and the other filters (with counts), the column
// chooser, New member and Refresh; under them, how many members are shown, when they were
// loaded, the selection (with Change selected… and Clear selection) and Clear filters.
import type { VisibilityState } from "@tanstack/react-table";
import type { Dispatch, SetStateAction } from "react";
import { SearchToolbar } from "../../components/SearchToolbar";
import { FilterControls } from "./FilterControls";
import type { MemberFilters } from "./useMemberFilters";

const numberFormat = new Intl.NumberFormat();

function countOf(n: number): string {
  return `${numberFormat.format(n)} ${n === 1 ? "member" : "members"}`;
}

interface Props {
  filters: MemberFilters;
  /** How many members are cached; undefined until they are read. */
  total: number | undefined;
  /** How many the filters show, and whether any filter made that count. */
  matched: { count: number; filtered: boolean } | undefined;
  /** Whether the members are being loaded from the portal. */
  loading: boolean;
  /** When the cache was last loaded (epoch ms), or null. */
  loadedAt: number | null;
  visibility: VisibilityState;
  setVisibility: Dispatch<SetStateAction<VisibilityState>>;
  selectedCount: number;
  /** Whether the bulk change panel is open (the selection cannot be cleared then). */
  bulkOpen: boolean;
  /** Opens the offboarding panel on the selection. */
  onOffboard: () => void;
  onBulk: () => void;
  onClearSelection: () => void;
  onCreate: () => void;
  /** Opens the panel that matches a pasted list to members. */
  onPaste: () => void;
  onRefresh: () => void;
  /** Exports the members shown (undefined: nothing to export yet). */
  onExport?: () => void;
  exporting?: boolean;
}

export function MembersToolbar({
  filters,
  total,
  matched,
  loading,
  loadedAt,
  visibility,
  setVisibility,
  selectedCount,
  bulkOpen,
  onOffboard,
  onBulk,
  onClearSelection,
  onCreate,
  onPaste,
  onRefresh,
  onExport,
  exporting = false,
}: Props) {
  const { filter, set, clear, filtered, facets } = filters;
  const count =
    total !== undefined && (total > 0 || !loading)
      ? matched?.filtered
        ? `${numberFormat.format(matched.count)} of ${countOf(total)}`
        : countOf(total)
      : "";
  return (
    <SearchToolbar
      label="Search members"
      placeholder="Search username, name or email"
      testId="members-filter-text"
      text={filter.text}
      onText={(text) => { set({ text }); }}
      count={count}
      countTestId="members-count"
      status={
        <>
          {loadedAt !== null && !loading && (
            <span>Loaded {new Date(loadedAt).toLocaleString()}</span>
          )}
          {selectedCount > 0 && (
            <span className="members__selection">
              <span data-testid="members-selected-count">{`${numberFormat.format(selectedCount)} selected`}</span>
              <calcite-button scale="s" icon-start="list-check" data-testid="bulk-open" onClick={onBulk}>
                Change selected…
              </calcite-button>
              <calcite-button scale="s" appearance="outline" kind="danger" icon-start="trash" data-testid="offboard-open" onClick={onOffboard}>
                Delete selected…
              </calcite-button>
              <calcite-button
                scale="s"
                appearance="transparent"
                kind="neutral"
                data-testid="members-clear-selection"
                disabled={bulkOpen || undefined}
                onClick={onClearSelection}
              >
                Clear selection
              </calcite-button>
            </span>
          )}
          {/* Always present (disabled when there is nothing to clear): the layout stays put. */}
          <calcite-button
            appearance="transparent"
            scale="s"
            icon-start="x"
            data-testid="members-clear-filters"
            disabled={!filtered || undefined}
            onClick={clear}
          >
            Clear filters
          </calcite-button>
        </>
      }
    >
      <FilterControls
        role={filter.role}
        userType={filter.userType}
        lastLogin={filter.lastLogin}
        loginFrom={filter.loginFrom}
        loginTo={filter.loginTo}
        provider={filter.provider}
        status={filter.status}
        group={filter.group}
        license={filter.license}
        licenseHeld={filter.licenseHeld}
        facets={facets}
        visibility={visibility}
        set={set}
        setVisibility={setVisibility}
      />
      <calcite-button icon-start="user-plus" data-testid="create-open" onClick={onCreate}>
        New member
      </calcite-button>
      <calcite-button appearance="outline" icon-start="clipboard" data-testid="paste-open" onClick={onPaste}>
        Paste a list…
      </calcite-button>
      <calcite-button
        appearance="outline"
        icon-start="export"
        data-testid="members-export"
        disabled={!onExport || exporting || undefined}
        loading={exporting || undefined}
        onClick={onExport}
      >
        Export…
      </calcite-button>
      <calcite-button
        appearance="outline"
        icon-start="refresh"
        data-testid="members-refresh"
        disabled={loading || undefined}
        onClick={onRefresh}
      >
        Refresh
      </calcite-button>
    </SearchToolbar>
  );
}
