// A newer version of Memberdesk, offered under the header: found by the check at start (at
// most once a day, unless turned off in About) or by "Check now". Nothing is downloaded until
// the administrator chooses Install; the backend verifies the package's signature first and
// restarts the app once it is installed. A check at start that fails says nothing (it is in
// the log); one asked for by hand says why, in About.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { checkUpdate, installUpdate, type UpdateOffer } from "../platform/backend";
import { queryKeys } from "../platform/queries";
import { ErrorNotice } from "./ErrorNotice";

/** The update on offer: the check at start fills it, "Check now" in About replaces it. */
export function useUpdateOffer() {
  return useQuery({
    queryKey: queryKeys.update,
    queryFn: () => checkUpdate(true),
    staleTime: Infinity,
    retry: false,
  });
}

export function UpdateNotice() {
  const offer = useUpdateOffer();
  const queryClient = useQueryClient();
  const [later, setLater] = useState<string | null>(null);
  const install = useMutation({ mutationFn: (version: string) => installUpdate(version) });
  const update: UpdateOffer | null | undefined = offer.data;
  if (!update || later === update.version) return null;
  return (
    <div className="update-notice">
      <calcite-notice open kind="brand" icon="download" data-testid="update-offer">
        <div slot="title">Memberdesk {update.version} is available</div>
        <div slot="message">
          You have version {update.currentVersion}. Installing downloads it, checks its signature and
          restarts Memberdesk.
          {update.notes && <span className="update-notice__notes" data-testid="update-notes">{update.notes}</span>}
        </div>
        <calcite-button
          slot="link"
          appearance="transparent"
          loading={install.isPending || undefined}
          data-testid="update-install"
          onClick={() => { install.mutate(update.version); }}
        >
          Install and restart
        </calcite-button>
        <calcite-button
          slot="link"
          appearance="transparent"
          kind="neutral"
          disabled={install.isPending || undefined}
          data-testid="update-later"
          onClick={() => {
            setLater(update.version);
            install.reset();
            queryClient.setQueryData(queryKeys.update, update);
          }}
        >
          Later
        </calcite-button>
      </calcite-notice>
      {install.isError && (
        <ErrorNotice error={install.error} testId="update-error" scale="s" advice="Memberdesk goes on with this version." />
      )}
    </div>
  );
}
