// The webview's entry point: Calcite and the CSP monitor set up, then the app inside TanStack
// Query's client (no retries, no refetch on focus: the cache changes when the app says so).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@esri/calcite-components/types/react";
import { App } from "./app/App";
import { setUpCalcite } from "./app/calcite";
import { installCspMonitor } from "./app/cspMonitor";
import "./app/app.css";

installCspMonitor();
setUpCalcite();

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
