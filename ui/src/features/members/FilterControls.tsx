// The members filters other than the text (role, user type, last login, sign-in provider,
// group, license held or not, status, each value with its count) and the column chooser.
import type { VisibilityState } from "@tanstack/react-table";
import { memo, type Dispatch, type SetStateAction } from "react";
import { FilterSelect, type Choices } from "../../components/FilterSelect";
import { NO_GROUP, type LastLoginFilter, type MemberFilter, type StatusFilter } from "./filter";
import { columns } from "./MembersTable";
import type { Facet, MemberFacets } from "./useMemberFilters";

const numberFormat = new Intl.NumberFormat();

const LAST_LOGINS: Choices<LastLoginFilter> = [
  ["any", "Any last login"],
  ["never", "Never signed in"],
  ["30", "Not in 30 days"],
  ["90", "Not in 90 days"],
  ["365", "Not in a year"],
  ["range", "Between dates…"],
];

const PROVIDERS: Choices<string> = [
  ["", "All accounts"],
  ["arcgis", "ArcGIS accounts"],
  ["enterprise", "Identity provider"],
];

const STATUSES: Choices<StatusFilter> = [
  ["all", "All"],
  ["active", "Active"],
  ["disabled", "Disabled"],
];

/** A facet's values as choices, each with its count. */
function counted(list: readonly Facet[]): Choices<string> {
  return list.map((f) => [f.id, `${f.name} (${numberFormat.format(f.count)})`] as const);
}

interface Props {
  role: string;
  userType: string;
  lastLogin: LastLoginFilter;
  loginFrom: string;
  loginTo: string;
  provider: string;
  status: StatusFilter;
  group: string;
  license: string;
  licenseHeld: boolean;
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
  license,
  licenseHeld,
  facets,
  visibility,
  set,
  setVisibility,
}: Props) {
  const { roles, userTypes, groups, licenses } = facets;
  return (
    <>
      <FilterSelect
        label="Role"
        testId="members-filter-role"
        value={role}
        choices={[["", "All roles"], ...counted(roles)]}
        onChange={(v) => { set({ role: v }); }}
      />
      <FilterSelect
        label="User type"
        testId="members-filter-user-type"
        value={userType}
        choices={[["", "All user types"], ...counted(userTypes)]}
        onChange={(v) => { set({ userType: v }); }}
      />
      <FilterSelect
        label="Last login"
        testId="members-filter-last-login"
        value={lastLogin}
        choices={LAST_LOGINS}
        onChange={(v) => { set({ lastLogin: v }); }}
      />
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
      <FilterSelect
        label="Sign-in provider"
        testId="members-filter-provider"
        value={provider}
        choices={PROVIDERS}
        onChange={(v) => { set({ provider: v }); }}
      />
      <FilterSelect
        label="Group"
        testId="members-filter-group"
        value={group}
        choices={[
          ["", "All groups"],
          [NO_GROUP, `In no group (${numberFormat.format(groups.none)})`],
          ...counted(groups.list),
        ]}
        onChange={(v) => { set({ group: v }); }}
      />
      {licenses.length > 0 && (
        <FilterSelect
          label="License"
          testId="members-filter-license"
          value={license}
          choices={[["", "Any license"], ...counted(licenses)]}
          onChange={(v) => { set({ license: v }); }}
        />
      )}
      {license !== "" && (
        <FilterSelect
          label="Holds the license"
          testId="members-filter-license-held"
          value={licenseHeld ? "holds" : "lacks"}
          choices={[["holds", "Holds it"], ["lacks", "Does not hold it"]]}
          onChange={(v) => { set({ licenseHeld: v === "holds" }); }}
        />
      )}
      <calcite-segmented-control
        label="Status"
        data-testid="members-filter-status"
        oncalciteSegmentedControlChange={(e) => { set({ status: e.target.value as StatusFilter }); }}
      >
        {STATUSES.map(([value, name]) => (
          <calcite-segmented-control-item
            key={value}
            value={value}
            checked={status === value}
            data-testid={`members-status-${value}`}
          >
            {name}
          </calcite-segmented-control-item>
        ))}
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
