import { Browser, BrowserContextOptions, expect, Page, test } from "@playwright/test";
import { join } from "node:path";
import { ADMIN_PASSWORD, DEMO_URL, hydrated } from "./helpers";

// Chinese and English (issue 13), against the demo console. Runs after
// dashboard.spec.ts, whose first test set the admin's password and saved the
// session in STATE.
test.describe.configure({ mode: "serial" });
test.use({ baseURL: DEMO_URL });

const STATE = join(__dirname, "../../target/e2e-demo-session.json");

/** Latin words a Chinese page may show outside names and code: units, and
 * StarRocks' and the web's own identifiers. */
const ALLOWED = new Set([
  "FE", "BE", "CN", "MySQL", "HTTP", "HTTPS", "StarRocks", "QPS", "p50", "p95", "p99", "CPU", "JVM",
  "API", "REST", "OpenAPI", "JSON", "SQL", "ID", "IP", "URL", "UTC", "GMT", "ms", "KiB", "MiB",
  "GiB", "TiB", "PiB", "GB", "Compaction", "Score", "Tablet", "Xmx", "JAVA_OPTS", "ERR",
  "information_schema", "fe_metrics", "be_metrics", "SYSTEM", "OPERATE", "SHOW", "PROC",
  "current_queries", "fe", "log", "be", "INFO", "conf", "audit", "metrics", "Kubernetes", "Pod",
  "NAT", "ECharts", "admin", "min", "h", "d", "s", "R²", "Overview",
  // StarRocks' own terms and proc paths, kept as StarRocks' Chinese documentation keeps them.
  "Routine", "Load", "Checkpoint", "Rowset", "statistic",
  // Names the demo clusters report (their databases), which reasons quote: data, not words.
  "sales", "ods", "dw", "ads", "logs", "user_profile", "finance", "marketing", "iot", "risk",
]);

/** Words of the visible text outside code, `translate="no"` and the
 * allow-list that look like English. */
async function englishWords(page: Page): Promise<string[]> {
  const words: string[] = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest("code, script, style, [translate=no], .sr-only, [hidden]")) continue;
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden") continue;
      for (const w of (n.textContent ?? "").match(/[A-Za-z][A-Za-z_²]+/g) ?? []) out.push(w);
    }
    return out;
  });
  return [...new Set(words)].filter((w) => !ALLOWED.has(w));
}

async function newPage(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ baseURL: DEMO_URL, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("close", () => expect(errors, "uncaught errors in the page").toEqual([]));
  return page;
}

/** Signs in by the form's fields, whatever language the labels are in. */
async function signInByFields(page: Page) {
  await hydrated(page);
  await page.locator("#username").fill("admin");
  await page.locator("#password").fill(ADMIN_PASSWORD);
  await page.locator("button[type=submit]").click();
  await expect(page).toHaveURL("/clusters");
  await hydrated(page);
}

/** Opens a demo cluster's overview of the last hour, its charts drawn. */
async function openOverview(page: Page, name: string) {
  const id = await clusterId(page, name);
  await page.goto(`/clusters/${id}/overview?range=1h`);
  await hydrated(page);
  await expect(page.locator('figure[data-chart="throughput"]')).toHaveClass(/drawn/);
}

async function clusterId(page: Page, name: string): Promise<number> {
  const res = await page.request.get("/api/fleet");
  const row = (await res.json()).clusters.find((c: { name: string }) => c.name === name);
  expect(row, `${name} is registered`).toBeTruthy();
  return row.cluster_id;
}

test("a Chinese browser gets Chinese from the first byte: sign-in, fleet and overview", async ({ browser }, info) => {
  test.setTimeout(60_000);
  const page = await newPage(browser, { locale: "zh-CN" });
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await hydrated(page);
  await expect(page.locator("h1, .brand-title").first()).toBeVisible();
  expect(await englishWords(page)).toEqual([]);
  await signInByFields(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByTestId("fleet")).toBeVisible();
  expect(await englishWords(page)).toEqual([]);
  await page.screenshot({ path: info.outputPath("fleet-zh-1280-light.png"), fullPage: true });

  await openOverview(page, "demo-shared-data");
  expect(await englishWords(page)).toEqual([]);
  // The chart itself: title and legend are drawn on a canvas from the option.
  const option = await page.evaluate(() => {
    const el = document.querySelector('[data-chart="throughput"] .chart-canvas');
    const inst = el && (window as any).echarts.getInstanceByDom(el);
    return inst ? inst.getOption() : null;
  });
  const names = (option?.series ?? []).map((s: { name: string }) => s.name).join(" ");
  expect(names).toMatch(/[\u4e00-\u9fff]/);
  await page.screenshot({ path: info.outputPath("overview-zh-1280-light.png"), fullPage: true });

  // The cluster form: labels, help texts and the field errors the server sends.
  await page.goto("/clusters/new");
  await hydrated(page);
  await page.locator("#field-fe_host").fill("has space");
  await page.locator("#field-http_port").fill("99999");
  await page.locator(".form-card button.primary[type=submit]").click();
  await expect(page.locator("#field-fe_host-error")).not.toBeEmpty();
  await expect(page.locator("#field-name-error")).toHaveText(/[\u4e00-\u9fff]/);
  await expect(page.locator("#field-http_port-error")).toHaveText(/[\u4e00-\u9fff]/);
  expect(await englishWords(page)).toEqual([]);

  // The API page's own words, and the 404 page.
  await page.goto("/api-docs");
  await hydrated(page);
  await expect(page.getByTestId("api-operations")).toBeVisible();
  expect(await englishWords(page)).toEqual([]);
  await page.goto("/no-such-page");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  expect(await englishWords(page)).toEqual([]);
  await page.context().close();
});

test("the switch changes the page in place, keeps range, zoom and refresh, and turns the open alert Chinese", async ({ browser }) => {
  test.setTimeout(60_000);
  const page = await newPage(browser, { storageState: STATE, locale: "en-US" });
  const id = await clusterId(page, "demo-shared-data");
  const to = Date.now();
  const from = to - 40 * 60_000;
  const view = `/clusters/${id}/overview?from=${from}&to=${to}&refresh=30s`;
  await page.goto(view);
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const alert = page.getByTestId("alerts").locator("li").first();
  await expect(alert).toContainText(/Nodes/);
  // A marker that a page load would wipe out.
  await page.evaluate(() => ((window as any).__samePage = true));

  await page.getByTestId("language-switch").getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(alert).toContainText("节点");
  await expect(alert).toContainText("宕机");
  expect(page.url()).toContain(`from=${from}&to=${to}&refresh=30s`);
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  await expect(page.getByTestId("language-switch").getByRole("button", { name: "中文" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(page.locator('figure[data-chart="throughput"]')).toHaveClass(/drawn/);
  expect(await englishWords(page)).toEqual([]);
  await page.context().close();
});

test("the choice is kept with the account: after sign-out and in another browser, at 390 px dark", async ({ browser }, info) => {
  test.setTimeout(60_000);
  // The account chose Chinese in the test before; this browser asks for English.
  const page = await newPage(browser, {
    locale: "en-US",
    viewport: { width: 390, height: 844 },
    colorScheme: "dark",
  });
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await signInByFields(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  expect(await englishWords(page)).toEqual([]);
  await page.screenshot({ path: info.outputPath("fleet-zh-390-dark.png"), fullPage: true });
  await openOverview(page, "demo-healthy");
  await page.screenshot({ path: info.outputPath("overview-zh-390-dark.png"), fullPage: true });

  // Signed out, the sign-in page keeps this browser's last language.
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

  // Back to English for whatever runs next; stored with the account again.
  await signInByFields(page);
  await page.getByTestId("language-switch").getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("fleet")).toContainText(/Cluster/);
  await page.context().close();
});
