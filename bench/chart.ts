/** An SVG of a run: req/s and p99 by page against the baseline, and p50 by forum size. */
import type { Measurement } from "./load";

type Series = { label: string; color: string; values: number[] };

function escapeXml(text: string) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function barPanel(title: string, unit: string, categories: string[], series: Series[], top: number) {
  const width = 860;
  const height = 220;
  const left = 90;
  const bottom = top + height - 40;
  const plotHeight = height - 80;
  const max = Math.max(1, ...series.flatMap((entry) => entry.values));
  const groupWidth = (width - left - 20) / categories.length;
  const barWidth = (groupWidth - 16) / series.length;
  const parts = [
    `<text x="${left}" y="${top + 16}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${width - 20}" y2="${bottom}" stroke="#444"/>`,
    `<text x="${left - 8}" y="${bottom - plotHeight + 4}" font-size="11" text-anchor="end">${max.toFixed(0)} ${unit}</text>`,
    `<text x="${left - 8}" y="${bottom + 4}" font-size="11" text-anchor="end">0</text>`,
  ];
  categories.forEach((category, index) => {
    const x = left + index * groupWidth + 8;
    series.forEach((entry, seriesIndex) => {
      const value = entry.values[index] ?? 0;
      const barHeight = (value / max) * plotHeight;
      const barX = x + seriesIndex * barWidth;
      parts.push(
        `<rect x="${barX.toFixed(1)}" y="${(bottom - barHeight).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${entry.color}"><title>${escapeXml(`${entry.label}, ${category}: ${value.toFixed(1)} ${unit}`)}</title></rect>`,
        `<text x="${(barX + barWidth / 2).toFixed(1)}" y="${(bottom - barHeight - 3).toFixed(1)}" font-size="10" text-anchor="middle">${value.toFixed(0)}</text>`,
      );
    });
    parts.push(
      `<text x="${(x + groupWidth / 2 - 8).toFixed(1)}" y="${bottom + 16}" font-size="12" text-anchor="middle">${escapeXml(category)}</text>`,
    );
  });
  series.forEach((entry, index) => {
    const x = width - 20 - (series.length - index) * 150;
    parts.push(
      `<rect x="${x}" y="${top + 6}" width="12" height="12" fill="${entry.color}"/>`,
      `<text x="${x + 16}" y="${top + 16}" font-size="12">${escapeXml(entry.label)}</text>`,
    );
  });
  return parts.join("\n");
}

export function renderChart(summary: Record<string, Measurement>) {
  const pages = ["thread-100", "thread-20", "home", "tag", "search", "post-comment"];
  const value = (key: string, pick: (measurement: Measurement) => number) => {
    const measurement = summary[key];
    return measurement ? pick(measurement) : 0;
  };
  const crosswalk = "#1f5fa8";
  const rendering = "#7aa6d8";
  const baseline = "#9aa5b1";
  // Search and posting are never served from kept pages: their Crosswalk bar is the rendering one.
  const served = (page: string) => (page === "search" ? "crosswalk-rendering/search" : `crosswalk/${page}`);
  const panels = [
    barPanel(
      "Requests per second (median of kept rounds)",
      "req/s",
      pages,
      [
        {
          label: "Crosswalk",
          color: crosswalk,
          values: pages.map((page) => value(served(page), (m) => m.requestsPerSecond)),
        },
        {
          label: "rendering every page",
          color: rendering,
          values: pages.map((page) => value(`crosswalk-rendering/${page}`, (m) => m.requestsPerSecond)),
        },
        {
          label: "raw baseline",
          color: baseline,
          values: pages.map((page) => value(`baseline/${page}`, (m) => m.requestsPerSecond)),
        },
      ],
      0,
    ),
    barPanel(
      "p99 latency",
      "ms",
      pages,
      [
        {
          label: "Crosswalk",
          color: crosswalk,
          values: pages.map((page) => value(served(page), (m) => m.p99)),
        },
        {
          label: "rendering every page",
          color: rendering,
          values: pages.map((page) => value(`crosswalk-rendering/${page}`, (m) => m.p99)),
        },
        {
          label: "raw baseline",
          color: baseline,
          values: pages.map((page) => value(`baseline/${page}`, (m) => m.p99)),
        },
      ],
      230,
    ),
    barPanel(
      "Crosswalk p50 by forum size",
      "ms",
      ["home", "tag", "thread-100"],
      [
        {
          label: "small forum",
          color: "#7fb77e",
          values: ["home", "tag", "thread-100"].map((page) => value(`crosswalk-small/${page}`, (m) => m.p50)),
        },
        {
          label: "large forum",
          color: crosswalk,
          values: ["home", "tag", "thread-100"].map((page) =>
            value(`crosswalk-rendering/${page}`, (m) => m.p50),
          ),
        },
      ],
      460,
    ),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="860" height="690" viewBox="0 0 860 690" font-family="system-ui, sans-serif" role="img" aria-label="Crosswalk benchmark results">
<rect width="860" height="690" fill="#fff"/>
${panels.join("\n")}
</svg>
`;
}
