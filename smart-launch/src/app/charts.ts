/**
 * chart.js 4 (canvas: no injected styles or scripts, so the strict CSP holds), tree-shaken to the
 * pieces used. Colours come from the stylesheet's custom properties; every chart also has a text
 * equivalent next to it (a table), and its canvas is `role="img"` with an aria-label.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

// Sized by their holder (CSS height), no animation (reduced motion, and what-if redraws at once).
Chart.defaults.responsive = true;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.animation = false;

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

export function cssColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}

/** A chart on a new canvas inside `holder`; the canvas is an image with `label` for assistive tech. */
export function drawChart<T extends 'bar' | 'line'>(
  holder: HTMLElement,
  label: string,
  config: ChartConfiguration<T, (number | [number, number] | { x: number; y: number })[], string>,
): Chart<T, (number | [number, number] | { x: number; y: number })[], string> {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  holder.replaceChildren(canvas);
  return new Chart(canvas, config);
}

/**
 * Run `draw` once `holder` is laid out with a width (a chart in a collapsed section is drawn when the
 * section opens, at its real width, not at zero). Marks the holder `data-drawn` afterwards.
 */
export function whenVisible(holder: HTMLElement, draw: () => void): void {
  const run = (): void => {
    draw();
    holder.dataset['drawn'] = 'true';
  };
  if (holder.isConnected && holder.clientWidth > 0) {
    run();
    return;
  }
  const observer = new ResizeObserver(() => {
    if (holder.clientWidth === 0) return;
    observer.disconnect();
    run();
  });
  observer.observe(holder);
}

/** Destroy the charts inside `el` before it is replaced (chart.js holds resize observers). */
export function disposeCharts(el: Element): void {
  for (const canvas of el.querySelectorAll('canvas')) Chart.getChart(canvas)?.destroy();
}
