import { expect, Page, test } from "@playwright/test";
import { join } from "node:path";
import { ADMIN_PASSWORD, chooseFirstPassword, hydrated, signedInPages, signIn, startDemoConsole } from "./helpers";

// The charts (issue 14): rates without a false cliff, one tooltip, the
// connections chart, names for screen readers, a finger's swipe, zooming
// from buttons and the keyboard, and ECharts only where charts are drawn.
// Runs before dashboard.spec.ts (alphabetical order), so it starts a demo
// console of its own: the ones of playwright.config.ts must still have
// their first password when dashboard.spec.ts signs in.
test.describe.configure({ mode: "serial" });

const PORT = 3103;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const ROOT = join(__dirname, "../..");
const STATE = join(ROOT, "target/e2e-charts-session.json");
const STEP = 30_000;
test.use({ baseURL: ORIGIN });

let console_: { stop: () => void } | undefined;
let healthy = 0;

const newPage = signedInPages(ORIGIN, STATE);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  console_ = await startDemoConsole(PORT, "charts");

  // The first sign-in chooses the password; the session is kept for the tests.
  const { context, page } = await chooseFirstPassword(browser, ORIGIN, STATE);

  const fleet = await (await page.request.get("/api/fleet")).json();
  healthy = fleet.clusters.find((c: { name: string }) => c.name === "demo-healthy").cluster_id;
  // Enough history for the charts: four 30-s buckets of transaction rates.
  await expect
    .poll(
      async () => {
        const t = await (await page.request.get(`/api/clusters/${healthy}/overview/transactions?range=1h`)).json();
        const s = t.series.find((x: { key: string }) => x.key === "txn_success");
        return s.values.filter((v: number | null) => v !== null).length;
      },
      { timeout: 180_000, intervals: [5_000] },
    )
    .toBeGreaterThanOrEqual(5);
  await context.close();
});

test.afterAll(() => {
  console_?.stop();
});

type Drawn = { id: string; dashed: boolean; values: (number | null)[] };

/** The lines ECharts drew in a chart: each series' id, whether it is dashed, its values. */
async function drawnLines(page: Page, chart: string): Promise<Drawn[]> {
  await expect(page.locator(`figure[data-chart="${chart}"]`)).toHaveClass(/drawn/);
  // A re-render (zoom, refresh) replaces the canvas and its ECharts
  // instance: read until an instance with series answers.
  let drawn: Drawn[] | null = null;
  await expect
    .poll(async () => {
      drawn = await page.evaluate((key) => {
        const el = document.querySelector(`[data-chart="${key}"] .chart-canvas`);
        const inst = el && (window as any).echarts?.getInstanceByDom(el);
        const series = inst?.getOption()?.series;
        if (!Array.isArray(series)) return null;
        return series.map((s: any) => ({
          id: s.id,
          dashed: s.lineStyle?.type === "dashed",
          values: s.data.map((p: any) => (Array.isArray(p) ? p[1] : p.value[1])),
        }));
      }, chart);
      return drawn !== null;
    })
    .toBe(true);
  return drawn!;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

test("counters are rates per second, and the bucket the window's end cuts is dashed, not a cliff", async ({ browser }) => {
  const page = await newPage(browser);
  // A window that ends 8 s into a 30-s bucket: per bucket, that one would
  // hold a fraction of the others' counts.
  const now = Date.now() - 2_000;
  const to = Math.floor((now - 8_000) / STEP) * STEP + 8_000;
  const from = to - 10 * 60_000;
  await page.goto(`/clusters/${healthy}/overview?from=${from}&to=${to}`);
  await hydrated(page);
  // The unit is the same at every range.
  await expect(page.locator('figure[data-chart="transactions"] figcaption')).toContainText("per s");

  const lines = await drawnLines(page, "transactions");
  const solid = lines.find((l) => l.id === "txn_success")!;
  const dashed = lines.find((l) => l.id === "txn_success~");
  expect(dashed, "the incomplete last bucket has a dashed segment of its own").toBeTruthy();
  expect(dashed!.dashed).toBe(true);
  const whole = solid.values.filter((v): v is number => v !== null);
  expect(whole.length).toBeGreaterThanOrEqual(3);
  const last = dashed!.values[dashed!.values.length - 1]!;
  // No false drop: the estimate of the cut bucket is of the same size as the whole ones.
  expect(last).toBeGreaterThan(0.5 * median(whole));
  expect(last).toBeLessThan(2 * median(whole));
  // The API says the same: rates, with the cut bucket no cliff either.
  const api = await (await page.request.get(`/api/clusters/${healthy}/overview/transactions?from=${from}&to=${to}`)).json();
  const series = api.series.find((s: { key: string }) => s.key === "txn_success");
  expect([series.aggregate, series.unit]).toEqual(["rate", "per s"]);
  await page.context().close();
});

test("one tooltip, on the chart under the pointer; the crosshair in every chart", async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto(`/clusters/${healthy}/overview?range=1h`);
  await hydrated(page);
  await drawnLines(page, "throughput");
  await drawnLines(page, "latency");
  const canvas = page.locator('figure[data-chart="throughput"] .chart-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.5);
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.5, { steps: 4 });
  const tips = page.locator(".chart-tip:visible");
  await expect(tips).toHaveCount(1);
  await expect(page.locator('figure[data-chart="throughput"] .chart-tip')).toBeVisible();
  // Every chart drew the vertical line at the same time.
  const pointers = await page.evaluate(() =>
    [...document.querySelectorAll("figure.drawn .chart-canvas")].map((el) => {
      const ap = (window as any).echarts.getInstanceByDom(el).getOption().xAxis[0].axisPointer;
      return ap?.status === "show" ? ap.value : null;
    }),
  );
  expect(pointers.length).toBeGreaterThan(3);
  expect(new Set(pointers).size, `${pointers}`).toBe(1);
  expect(pointers[0]).not.toBeNull();
  await page.context().close();
});

test("connections are charted; the error rate's axis follows its data", async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto(`/clusters/${healthy}/overview?range=1h`);
  await hydrated(page);
  const figure = page.locator('figure[data-chart="connections"]');
  await expect(figure.locator("h3")).toHaveText("FE connections");
  const lines = await drawnLines(page, "connections");
  expect(lines[0].values.some((v) => v !== null && v > 0)).toBe(true);
  await expect(figure.locator('[data-latest="connections"]').first()).toHaveText(/^\d/);
  await expect(figure.locator("canvas").first()).toBeVisible();
  // Not the fixed 0-100 %: a low error rate is not a flat line at the bottom.
  const top = await page.evaluate(() => {
    const el = document.querySelector('[data-chart="errors"] .chart-canvas');
    return (window as any).echarts.getInstanceByDom(el).getModel().getComponent("yAxis").axis.scale.getExtent()[1];
  });
  expect(top).toBeGreaterThanOrEqual(1);
  expect(top).toBeLessThan(100);
  await page.context().close();
});

test("every chart has an accessible name and a summary in words", async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto(`/clusters/${healthy}/overview?range=1h`);
  await hydrated(page);
  const figures = page.locator("figure.chart:has(.chart-canvas)");
  expect(await figures.count()).toBeGreaterThanOrEqual(10);
  for (const figure of await figures.all()) {
    const title = (await figure.locator("h3").innerText()).trim();
    const img = figure.getByRole("img", { name: title, exact: true });
    await expect(img).toHaveCount(1);
    const summary = await img.getAttribute("aria-describedby");
    await expect(page.locator(`[id="${summary}"]`)).toContainText(/latest .*, lowest .*, highest .* in this range\./);
  }
  await expect(page.getByRole("img", { name: "FE connections" })).toHaveAccessibleDescription(/Connections, all FEs: latest \d/);
  await page.context().close();
});

test("on a phone a vertical swipe over a chart scrolls the page; the box takes it only when chosen", async ({ browser }) => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await page.goto(`/clusters/${healthy}/overview?range=1h`);
  await hydrated(page);
  const canvas = page.locator('figure[data-chart="latency"] .chart-canvas');
  await expect(page.locator('figure[data-chart="latency"]')).toHaveClass(/drawn/);
  expect(await canvas.evaluate((e) => getComputedStyle(e).touchAction)).toBe("pan-y");
  const cdp = await page.context().newCDPSession(page);
  const swipe = async () => {
    await canvas.scrollIntoViewIfNeeded();
    const b = (await canvas.boundingBox())!;
    const x = Math.round(b.x + b.width / 2);
    const y0 = Math.round(b.y + b.height * 0.8);
    const touch = (type: string, y: number) =>
      cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x, y }] } as any);
    const before = await page.evaluate(() => window.scrollY);
    await touch("touchStart", y0);
    for (let y = y0 - 10; y > y0 - 150; y -= 10) await touch("touchMove", y);
    await touch("touchEnd", 0);
    await page.waitForTimeout(300);
    return (await page.evaluate(() => window.scrollY)) - before;
  };
  expect(await swipe()).toBeGreaterThan(50);
  // With "Select a range" pressed the finger draws a box instead.
  await page.getByRole("button", { name: "Select a range" }).click();
  await expect(page.getByRole("button", { name: "Select a range" })).toHaveAttribute("aria-pressed", "true");
  expect(await canvas.evaluate((e) => getComputedStyle(e).touchAction)).toBe("none");
  expect(await swipe()).toBe(0);
  await page.context().close();
});

test("zoom in and out from the buttons, by keyboard; the box zoom is a toggle", async ({ browser }) => {
  const page = await newPage(browser);
  // Without the 30-s refresh: a redraw between the zoom and the drag (the
  // overview skips it while "Select a range" is on, but one already on its
  // way lands) would replace the chart under the pointer.
  await page.goto(`/clusters/${healthy}/overview?range=1h&refresh=off`);
  await hydrated(page);
  await drawnLines(page, "throughput");
  const span = () => {
    const q = new URL(page.url()).searchParams;
    return Number(q.get("to")) - Number(q.get("from"));
  };
  // Keyboard only: the buttons are in the tab order and answer Enter.
  await page.getByRole("button", { name: "Zoom in" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/from=\d+&to=\d+/);
  expect(span()).toBe(30 * 60_000);
  await drawnLines(page, "throughput");
  await page.getByRole("button", { name: "Zoom out" }).focus();
  await page.keyboard.press("Enter");
  await expect.poll(span).toBe(60 * 60_000);

  // A drag without the box mode selects nothing (and does not change the range).
  await drawnLines(page, "throughput");
  const url = page.url();
  const canvas = page.locator('figure[data-chart="throughput"] .chart-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const drag = async () => {
    const y = box.y + box.height * 0.6;
    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.9, y, { steps: 8 });
    await page.mouse.up();
  };
  await drag();
  await page.waitForTimeout(300);
  expect(page.url()).toBe(url);
  // Pressed, the same drag zooms, and the mode ends with it.
  const toggle = page.getByRole("button", { name: "Select a range" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await drag();
  await expect.poll(() => page.url()).not.toBe(url);
  expect(span()).toBeLessThan(60 * 60_000);
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  // Escape leaves the mode.
  await toggle.click();
  await page.keyboard.press("Escape");
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await page.context().close();
});

test("ECharts is downloaded only by pages that draw charts", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: ORIGIN });
  const page = await context.newPage();
  const echarts: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("echarts")) echarts.push(new URL(r.url()).pathname);
  });
  await page.goto("/login");
  await hydrated(page);
  await signIn(page, ADMIN_PASSWORD);
  await expect(page).toHaveURL("/clusters");
  await hydrated(page);
  await page.reload();
  await hydrated(page);
  expect(echarts, "the sign-in and fleet pages").toEqual([]);
  // Into an overview without a page load, then a cold load of one: both draw.
  await page.getByTestId("fleet").locator('tr[data-cluster="demo-healthy"]').getByRole("link", { name: "demo-healthy" }).click();
  await expect(page.locator('figure[data-chart="throughput"]')).toHaveClass(/drawn/);
  expect(echarts).toEqual(["/assets/vendor/echarts/echarts.min.js"]);
  await page.goto(`/clusters/${healthy}/overview?range=1h`);
  await expect(page.locator('figure[data-chart="throughput"]')).toHaveClass(/drawn/);
  expect(await page.locator('script[src$="/echarts.min.js"]').count()).toBe(1);
  await context.close();
});
