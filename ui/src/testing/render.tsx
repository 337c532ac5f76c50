// UI-test rendering: a screen inside a fresh TanStack Query client that does not retry (a
// refused read shows its error at once). The client is returned, to seed or read its data.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false } } });
}

export function renderWithQueries(node: ReactNode, client: QueryClient = testQueryClient()): QueryClient {
  render(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
  return client;
}
