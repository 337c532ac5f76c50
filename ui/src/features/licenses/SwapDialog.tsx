// Swapping two members' user types (a Creator for a Viewer, say) in the order that never needs
// a spare seat; the Rust side chooses the order, and a third type to wait in when both are
// full. Shown in a side panel: pick the two members, see their types, swap, read the steps.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { swapUserTypes, type Member } from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { queryKeys } from "../../platform/queries";
import { knownMember, useCachedMember } from "../members/cachedMember";
import { MemberPicker } from "../members/MemberPicker";

interface Props {
  onClose: () => void;
}

function Chosen({ member, testId, onClear, disabled }: { member: Member; testId: string; onClear: () => void; disabled: boolean }) {
  return (
    <div className="swap-chosen" data-testid={testId} data-username={member.username}>
      <div>
        <strong>{member.fullName || member.username}</strong>
        <span className="reclaim-note">{member.username}</span>
      </div>
      <span className="swap-chosen__type" data-testid={`${testId}-type`}>{member.userTypeName || "No user type"}</span>
      <calcite-button
        appearance="transparent"
        scale="s"
        icon-start="x"
        label={`Choose another member than ${member.username}`}
        disabled={disabled || undefined}
        onClick={onClear}
      />
    </div>
  );
}

export function SwapDialog({ onClose }: Props) {
  const queryClient = useQueryClient();
  // The two members by username, shown as the cache now holds them (after the swap too).
  const [firstName, setFirst] = useState<string | null>(null);
  const [secondName, setSecond] = useState<string | null>(null);
  const first = useCachedMember(firstName);
  const second = useCachedMember(secondName);
  // A member picked shows at once: the row the picker offered is the cached member.
  const pick = (m: Member) => { knownMember(queryClient, m); };
  const swap = useMutation({
    mutationFn: ({ a, b }: { a: string; b: string }) => swapUserTypes(a, b),
    onSuccess: async () => {
      // The two rows and the picture's counts changed.
      await queryClient.invalidateQueries({ queryKey: queryKeys.members });
    },
  });
  // Members without a type, and (for the second) the first one and those of the same type.
  const excludeFirst = useCallback((m: Member) => m.userType === "" || m.username === second?.username, [second]);
  const excludeSecond = useCallback(
    (m: Member) => m.userType === "" || m.username === first?.username || m.userType === first?.userType,
    [first],
  );
  const ready = first !== null && second !== null && first.userType !== second.userType;
  // After the swap the summary would read backwards: the steps say what happened.
  const done = swap.isSuccess;
  const reset = () => { swap.reset(); };

  return (
    <aside className="licenses-panel" aria-label="Swap user types" data-testid="swap-panel">
      <calcite-panel
        heading="Swap user types"
        description="Each member takes the other's user type; no spare seat is needed."
        closable={!swap.isPending || undefined}
        oncalcitePanelClose={onClose}
      >
        <form
          className="licenses-panel__body swap-form"
          data-testid="swap-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready && !swap.isPending) swap.mutate({ a: first.username, b: second.username });
          }}
        >
          {first ? (
            <Chosen member={first} testId="swap-first" disabled={swap.isPending} onClear={() => { setFirst(null); reset(); }} />
          ) : (
            <MemberPicker
              label="First member"
              placeholder="Name or username"
              icon="user"
              exclude={excludeFirst}
              onPick={(m) => { pick(m); setFirst(m.username); reset(); }}
              actionLabel="Choose"
              actionIcon="check"
              testId="swap-first"
              noMatch="No member with a user type matches."
            />
          )}
          {second ? (
            <Chosen member={second} testId="swap-second" disabled={swap.isPending} onClear={() => { setSecond(null); reset(); }} />
          ) : (
            <MemberPicker
              label="Second member"
              placeholder={first ? `Someone who is not ${first.userTypeName}` : "Name or username"}
              icon="user"
              exclude={excludeSecond}
              onPick={(m) => { pick(m); setSecond(m.username); reset(); }}
              actionLabel="Choose"
              actionIcon="check"
              testId="swap-second"
              noMatch="No member of another user type matches."
            />
          )}
          {first && second && !done && (
            <p className="reclaim-summary" data-testid="swap-summary">
              {first.userType === second.userType
                ? "Both members have the same user type: there is nothing to swap."
                : `${first.username} becomes ${second.userTypeName}; ${second.username} becomes ${first.userTypeName}.`}
            </p>
          )}
          {swap.isError && <ErrorNotice error={swap.error} testId="swap-error" title="The user types were not swapped" scale="s" />}
          {swap.data && (
            <section aria-label="Steps taken">
              <h3 className="reclaim-heading">Done, in this order</h3>
              <ol className="swap-steps" data-testid="swap-steps">
                {swap.data.steps.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ol>
            </section>
          )}
          <div className="reclaim-buttons">
            <calcite-button
              type="submit"
              icon-start="arrow-right-left"
              data-testid="swap-run"
              disabled={!ready || swap.isPending || swap.isSuccess || undefined}
              loading={swap.isPending || undefined}
            >
              Swap
            </calcite-button>
          </div>
        </form>
      </calcite-panel>
    </aside>
  );
}
