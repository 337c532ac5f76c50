// The members filters other than the text (role, user type, last login, sign-in provider,
// group, status, each value with its count) and the column chooser.
import type { VisibilityState } from "@tanstack/react-table";
import { memo, type Dispatch, type SetStateAction } from "react";
import { NO_GROUP, type LastLoginFilter, type MemberFilter, type StatusFilter } from "./filter";
import { columns } from "./MembersTable";
import type { MemberFacets } from "./useMemberFilters";

const numberFormat = new Intl.NumberFormat();

interface Props {
  role: string;
  userType: string;
  lastLogin: LastLoginFilter;
  loginFrom: string;
  loginTo: string;
  provider: string;
  status: StatusFilter;
  group: string;
  facets: MemberFacets;
  visibility: VisibilityState;
  set: (patch: Partial<MemberFilter>) => void;
  setVisibility: Dispatch<SetStateAction<VisibilityState>>;
}

/**
 * Memoized: a keystroke in the search box changes none of their props, so they do not
 * re-render while people type.
 */
export const FilterControls = memo(function FilterControls({
  role,
  userType,
  lastLogin,
  loginFrom,
  loginTo,
  provider,
  status,
  group,
  facets,
  visibility,
  set,
  setVisibility,
}: Props) {
  const { roles, userTypes, groups } = facets;
  return (
    <>
      <calcite-select
        label="Role"
        data-testid="members-filter-role"
        oncalciteSelectChange={(e) => { set({ role: e.target.value }); }}
      >
        <calcite-option value="" selected={role === ""}>
          All roles
        </calcite-option>
        {roles.map((r) => (
          <calcite-option key={r.id} value={r.id} selected={role === r.id}>
            {`${r.name} (${numberFormat.format(r.count)})`}
          </calcite-option>
        ))}
      </calcite-select>
      <calcite-select
        label="User type"
        data-testid="members-filter-user-type"
        oncalciteSelectChange={(e) => { set({ userType: e.target.value }); }}
      >
        <calcite-option value="" selected={userType === ""}>
          All user types
        </calcite-option>
        {userTypes.map((t) => (
          <calcite-option key={t.id} value={t.id} selected={userType === t.id}>
            {`${t.name} (${numberFormat.format(t.count)})`}
          </calcite-option>
        ))}
      </calcite-select>
      <calcite-select
        label="Last login"
        data-testid="members-filter-last-login"
        oncalciteSelectChange={(e) => { set({ lastLogin: e.target.value as LastLoginFilter }); }}
      >
        <calcite-option value="any" selected={lastLogin === "any"}>
          Any last login
        </calcite-option>
        <calcite-option value="never" selected={lastLogin === "never"}>
          Never signed in
        </calcite-option>
        <calcite-option value="30" selected={lastLogin === "30"}>
          Not in 30 days
        </calcite-option>
        <calcite-option value="90" selected={lastLogin === "90"}>
          Not in 90 days
        </calcite-option>
        <calcite-option value="365" selected={lastLogin === "365"}>
          Not in a year
        </calcite-option>
        <calcite-option value="range" selected={lastLogin === "range"}>
          Between dates…
        </calcite-option>
      </calcite-select>
      {lastLogin === "range" && (
        <span className="members__range" role="group" aria-label="Last login between">
          <calcite-input
            type="date"
            label="Last login from"
            data-testid="members-filter-login-from"
            value={loginFrom}
            oncalciteInputInput={(e) => { set({ loginFrom: e.target.value }); }}
          />
          <span aria-hidden="true">–</span>
          <calcite-input
            type="date"
            label="Last login to"
            data-testid="members-filter-login-to"
            value={loginTo}
            oncalciteInputInput={(e) => { set({ loginTo: e.target.value }); }}
          />
        </span>
      )}
      <calcite-select
        label="Sign-in provider"
        data-testid="members-filter-provider"
        oncalciteSelectChange={(e) => { set({ provider: e.target.value }); }}
      >
        <calcite-option value="" selected={provider === ""}>
          All accounts
        </calcite-option>
        <calcite-option value="arcgis" selected={provider === "arcgis"}>
          ArcGIS accounts
        </calcite-option>
        <calcite-option value="enterprise" selected={provider === "enterprise"}>
          Identity provider
        </calcite-option>
      </calcite-select>
      <calcite-select
        label="Group"
        data-testid="members-filter-group"
        oncalciteSelectChange={(e) => { set({ group: e.target.value }); }}
      >
        <calcite-option value="" selected={group === ""}>
          All groups
        </calcite-option>
        <calcite-option value={NO_GROUP} selected={group === NO_GROUP}>
          {`In no group (${numberFormat.format(groups.none)})`}
        </calcite-option>
        {groups.list.map((g) => (
          <calcite-option key={g.id} value={g.id} selected={group === g.id}>
            {`${g.name} (${numberFormat.format(g.count)})`}
          </calcite-option>
        ))}
      </calcite-select>
      <calcite-segmented-control
        label="Status"
        data-testid="members-filter-status"
        oncalciteSegmentedControlChange={(e) => { set({ status: e.target.value as StatusFilter }); }}
      >
        <calcite-segmented-control-item
          value="all"
          checked={status === "all"}
          data-testid="members-status-all"
        >
          All
        </calcite-segmented-control-item>
        <calcite-segmented-control-item
          value="active"
          checked={status === "active"}
          data-testid="members-status-active"
        >
          Active
        </calcite-segmented-control-item>
        <calcite-segmented-control-item
          value="disabled"
          checked={status === "disabled"}
          data-testid="members-status-disabled"
        >
          Disabled
        </calcite-segmented-control-item>
      </calcite-segmented-control>
      <calcite-dropdown close-on-select-disabled placement="bottom-end">
        <calcite-button
          slot="trigger"
          appearance="outline"
          kind="neutral"
          icon-start="column-settings"
          data-testid="members-columns"
        >
          Columns
        </calcite-button>
        <calcite-dropdown-group group-title="Show columns" selection-mode="multiple">
          {columns.map((c) => (
            <calcite-dropdown-item
              key={c.id}
              selected={visibility[c.id ?? ""] !== false}
              data-testid={`members-column-${c.id ?? ""}`}
              onClick={() => { setVisibility((v) => ({ ...v, [c.id ?? ""]: v[c.id ?? ""] === false })); }}
            >
              {typeof c.header === "string" ? c.header : c.id}
            </calcite-dropdown-item>
          ))}
        </calcite-dropdown-group>
      </calcite-dropdown>
    </>
  );
});
