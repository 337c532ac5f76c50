// One group's seat lines as horizontal stacked bars (Chart.js, on a canvas): seats in use,
// seats free, and seats assigned beyond those bought, so a full or over-assigned line stands
// out at a glance. Colors are Calcite's tokens, read from the page's CSS (so they follow the
// theme). The figures are in the table beside the chart (SeatTable): the chart itself is one
// image with a summary for screen readers. (Why Chart.js: docs/DECISIONS.md.)
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from "chart.js";
import { memo, useMemo } from "react";
import { Bar } from "react-chartjs-2";
import type { SeatLine } from "../../platform/backend";
import { figures, sentence, type SeatState } from "./seats";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const ROW_HEIGHT = 34;
const AXIS_HEIGHT = 28;

/** The Calcite token behind each meaning of a bar segment, with a fallback for pages where the
 * tokens are not defined (the UI tests). */
const TOKENS: Record<SeatState | "unused" | "beyond" | "invited" | "text", [string, string]> = {
  free: ["--calcite-color-brand", "#007ac2"],
  full: ["--calcite-color-status-warning", "#edd317"],
  over: ["--calcite-color-status-danger", "#d83020"],
  beyond: ["--calcite-color-status-danger-press", "#a82b1e"],
  unused: ["--calcite-color-border-1", "#cacaca"],
  invited: ["--calcite-color-brand-hover", "#00619b"],
  unlimited: ["--calcite-color-status-info", "#00619b"],
  text: ["--calcite-color-text-2", "#4a4a4a"],
};

function color(meaning: keyof typeof TOKENS): string {
  const [token, fallback] = TOKENS[meaning];
  const value = getComputedStyle(document.documentElement).getPropertyValue(token).trim();
  return value || fallback;
}

interface Props {
  group: string;
  lines: readonly SeatLine[];
  onOpen: (line: SeatLine) => void;
}

export const SeatChart = memo(function SeatChart({ group, lines, onOpen }: Props) {
  const data: ChartData<"bar", number[], string> = useMemo(() => {
    const f = lines.map(figures);
    return {
      labels: lines.map((l) => l.name),
      datasets: [
        {
          label: "Assigned",
          data: f.map((x) => (x.bought === null ? x.assigned : Math.min(x.assigned, x.bought))),
          backgroundColor: f.map((x) => color(x.state)),
        },
        {
          label: "Held for invitations",
          data: f.map((x) =>
            x.bought === null ? x.invited : Math.min(x.invited, Math.max(0, x.bought - x.assigned)),
          ),
          backgroundColor: color("invited"),
        },
        { label: "Free", data: f.map((x) => x.free ?? 0), backgroundColor: color("unused") },
        { label: "Beyond those bought", data: f.map((x) => x.over), backgroundColor: color("beyond") },
      ],
    };
  }, [lines]);
  const options: ChartOptions<"bar"> = useMemo(() => {
    const text = color("text");
    return {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0, color: text } },
        y: { stacked: true, ticks: { color: text } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: () => "",
            label: (item) => {
              const line = lines[item.dataIndex];
              return line ? sentence(line) : "";
            },
          },
        },
      },
      onClick: (_event, elements) => {
        const line = lines[elements[0]?.index ?? -1];
        if (line) onOpen(line);
      },
      onHover: (event, elements) => {
        const target = event.native?.target;
        if (target instanceof HTMLElement) target.style.cursor = elements.length > 0 ? "pointer" : "default";
      },
    };
  }, [lines, onOpen]);
  return (
    <div
      className="seat-chart"
      role="img"
      aria-label={`${group}: ${lines.map(sentence).join("; ")}`}
      style={{ height: lines.length * ROW_HEIGHT + AXIS_HEIGHT }}
    >
      <Bar data={data} options={options} aria-hidden="true" />
    </div>
  );
});

/** What the colors mean (HTML, so it reads as text and follows the theme). */
export function SeatLegend() {
  const items: [string, string][] = [
    ["free", "Assigned"],
    ["full", "Assigned, no seat left"],
    ["over", "Assigned, line over its seats"],
    ["beyond", "Assigned beyond those bought"],
    ["invited", "Held for pending invitations"],
    ["unused", "Free"],
    ["unlimited", "Assigned, no limit"],
  ];
  return (
    <ul className="seat-legend" aria-label="Chart colors">
      {items.map(([cls, label]) => (
        <li key={cls}>
          <span className={`seat-legend__swatch seat-chart__bar--${cls}`} aria-hidden="true" />
          {label}
        </li>
      ))}
    </ul>
  );
}
