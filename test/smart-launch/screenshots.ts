/**
 * Screenshots the browser tests write to test-output/screenshots/ for a person to look at, taken only
 * once the page has settled — web fonts loaded, every visible chart drawn at its current size, and
 * the page height stable — and checked for blank regions (a full-width shot taken while the charts
 * were still resizing came out blank below 2,400 px).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const SHOTS = 'test-output/screenshots';
/** The longest run of background-only rows a screenshot may have (section gaps are far shorter). */
const MAX_BLANK_ROWS = 300;

/** Waits until fonts are loaded, every visible chart is drawn at its holder's size, and the layout no longer moves. */
export async function settle(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForFunction(
    () => {
      const visible = Array.from(document.querySelectorAll<HTMLElement>('.chart')).filter((el) =>
        el.checkVisibility(),
      );
      return visible.every((holder) => {
        if (holder.dataset['drawn'] !== 'true') return false;
        const canvas = holder.querySelector('canvas');
        if (canvas === null) return false;
        return Math.abs(canvas.width - Math.round(holder.clientWidth * devicePixelRatio)) <= 1;
      });
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  // The height must hold still across two frames (charts and wrapped labels change it).
  let last = -1;
  for (let i = 0; i < 20; i++) {
    const height = await page.evaluate(
      () =>
        new Promise<number>((resolve) =>
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              resolve(document.documentElement.scrollHeight);
            }),
          ),
        ),
    );
    if (height === last) return;
    last = height;
  }
  throw new Error('the page height did not settle');
}

/** Longest run of rows that are all one colour, and whether the last rows are blank, decoded by the browser. */
async function blankRuns(
  browser: Browser,
  png: Buffer,
  contentBottom: number,
): Promise<{ longest: number; at: number; height: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    return await page.evaluate(
      async ({ b64, bottom }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d');
        if (ctx === null) throw new Error('no 2d context');
        ctx.drawImage(img, 0, 0);
        const { data } = ctx.getImageData(0, 0, img.width, img.height);
        let longest = 0;
        let at = 0;
        let run = 0;
        // Below the end of the content (a short page in a tall viewport) is not a blank region.
        const end = Math.min(img.height, Math.ceil(bottom));
        for (let y = 0; y < end; y++) {
          const row = y * img.width * 4;
          let same = true;
          for (let x = 4; x < img.width * 4; x += 4)
            if (
              data[row + x] !== data[row] ||
              data[row + x + 1] !== data[row + 1] ||
              data[row + x + 2] !== data[row + 2]
            ) {
              same = false;
              break;
            }
          run = same ? run + 1 : 0;
          if (run > longest) {
            longest = run;
            at = y - run + 1;
          }
        }
        return { longest, at, height: img.height };
      },
      { b64: png.toString('base64'), bottom: contentBottom },
    );
  } finally {
    await context.close();
  }
}

/**
 * Full-page screenshot `<name>-<width>.png` at each width, after the page settles; fails when the
 * image has a blank region. Returns the page heights, for the test to report.
 */
export async function capture(
  page: Page,
  browser: Browser,
  name: string,
  widths: readonly number[] = [380, 1280],
): Promise<Record<number, number>> {
  mkdirSync(SHOTS, { recursive: true });
  const heights: Record<number, number> = {};
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await settle(page);
    const png = await page.screenshot({ path: join(SHOTS, `${name}-${String(width)}.png`), fullPage: true });
    const contentBottom = await page.evaluate(
      () => document.body.getBoundingClientRect().bottom + window.scrollY,
    );
    const blank = await blankRuns(browser, png, contentBottom);
    if (blank.longest > MAX_BLANK_ROWS)
      throw new Error(
        `${name}-${String(width)}.png has ${String(blank.longest)} blank rows from y=${String(blank.at)} (of ${String(blank.height)})`,
      );
    heights[width] = blank.height;
  }
  return heights;
}

/**
 * Opens every collapsed section (for the "everything expanded" screenshots). The model cards' "About
 * this model" reference text (with the HTI-1 source attributes) stays closed unless `modelCards`: it
 * is a long regulatory record, not part of what a physician scans, and opened it makes a 57,000 px page.
 */
export async function openAll(page: Page, modelCards = false): Promise<void> {
  await page.evaluate((all) => {
    document.querySelectorAll('details').forEach((d) => {
      if (all || !d.closest('details.model-card, details.source-attributes')) d.open = true;
    });
  }, modelCards);
}
