import { expect, Page, test } from "@playwright/test";
import { join } from "node:path";
import { ADMIN_PASSWORD, DEMO_URL, FIRST_ADMIN_PASSWORD, hydrated, signedInPages } from "./helpers";

// The node tables and each node's own page (issue 14), against the demo
// console: demo-healthy (3 FE, 3 BE) and demo-shared-data (compute nodes,
// one of them down), collected every 5 s.
test.describe.configure({ mode: "serial" });
test.use({ baseURL: DEMO_URL });

const STATE = join(__dirname, "../../target/e2e-nodes-session.json");

const signedInPage = signedInPages(DEMO_URL, STATE);

async function clusterId(page: Page, name: string): Promise<number> {
  const res = await page.request.get("/api/fleet");
  expect(res.status(), await res.text()).toBe(200);
  const row = (await res.json()).clusters.find((c: { name: string }) => c.name === name);
  expect(row, `${name} is registered`).toBeTruthy();
  return row.cluster_id;
}

test("sign in to the demo console (first sign-in or not) and wait for node history", async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ baseURL: DEMO_URL });
  const page = await context.newPage();
  // A fresh demo console wants its first password changed; after the
  // dashboard tests it has the chosen one.
  const first = await page.request.post("/api/auth/login", {
    data: { username: "admin", password: FIRST_ADMIN_PASSWORD },
  });
  if (first.status() === 200) {
    const changed = await page.request.post("/api/auth/password", {
      data: { current_password: FIRST_ADMIN_PASSWORD, new_password: ADMIN_PASSWORD },
    });
    expect(changed.status(), await changed.text()).toBe(200);
  } else {
    const again = await page.request.post("/api/auth/login", {
      data: { username: "admin", password: ADMIN_PASSWORD },
    });
    expect(again.status(), await again.text()).toBe(200);
  }
  await context.storageState({ path: STATE });
  // Two collections at least, so every chart has points.
  const id = await clusterId(page, "demo-healthy");
  await expect
    .poll(
      async () => {
        const o = await (await page.request.get(`/api/clusters/${id}/overview?range=1h`)).json();
        return o.trends.find((s: { key: string }) => s.key === "cpu_avg").values.filter((v: number | null) => v !== null).length;
      },
      { timeout: 45_000 },
    )
    .toBeGreaterThan(1);
  await context.close();
});

test("the node tables: Alive first, nodes by host:port, a dead node's figures a dash, heartbeats in the page's time", async ({ browser }, info) => {
  const page = await signedInPage(browser);
  const id = await clusterId(page, "demo-shared-data");
  await page.goto(`/clusters/${id}/overview`);
  await hydrated(page);
  for (const table of ["frontends", "backends"]) {
    await expect(page.getByTestId(table).locator("thead th").first()).toHaveText("Alive");
  }
  const rows = page.getByTestId("backends").locator("tbody tr");
  await expect(rows).not.toHaveCount(0);
  // Every compute node is named by its address, the id beside it.
  for (const row of await rows.all()) {
    const address = await row.getAttribute("data-address");
    expect(address).toMatch(/^[\w.-]+:\d+$/);
    await expect(row.locator("th a")).toHaveText(address!);
    await expect(row.locator("th")).toContainText(`ID ${await row.getAttribute("data-node")}`);
  }
  const dead = page.getByTestId("backends").locator("tbody tr.dead");
  await expect(dead).toHaveCount(1);
  await expect(dead.locator("td").first()).toHaveText("dead");
  for (const figure of ["cpu", "memory"]) {
    await expect(dead.locator(`[data-figure="${figure}"]`)).toHaveText("—");
  }
  await expect(dead).not.toContainText("0 %");
  // An alive node's figures are numbers.
  const alive = page.getByTestId("backends").locator("tbody tr:not(.dead)").first();
  await expect(alive.locator('[data-figure="cpu"]')).toHaveText(/^\d+(\.\d+)? %$/);
  // Heartbeats are times the page writes (in the browser's zone), not StarRocks' text.
  const beat = alive.locator("td time");
  await expect(beat).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  await expect(page.getByTestId("frontends").locator("tbody tr").first().locator("td time")).toHaveCount(1);
  await page.screenshot({ path: info.outputPath("node-tables.png"), fullPage: true });
  await page.context().close();
});

test("clicking a backend opens its page on the same range, with its charts drawn", async ({ browser }, info) => {
  const page = await signedInPage(browser);
  const id = await clusterId(page, "demo-healthy");
  await page.goto(`/clusters/${id}/overview?range=6h`);
  await hydrated(page);
  await page.evaluate(() => ((window as any).__samePage = true));
  const row = page.getByTestId("backends").locator("tbody tr").first();
  const address = (await row.getAttribute("data-address"))!;
  await row.locator("th a").click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${id}/nodes/be-\\d+\\?range=6h$`));
  await expect(page.getByTestId("node-title")).toHaveText(address);
  // Opened in the page, not by a new load; the range is the overview's.
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  await expect(page.getByRole("link", { name: "6h", exact: true })).toHaveAttribute("aria-current", "true");
  for (const chart of ["cpu", "memory", "disk", "compaction"]) {
    const figure = page.locator(`figure[data-chart="${chart}"]`);
    await expect(figure).toHaveClass(/drawn/);
    await expect(figure.locator("canvas").first()).toBeVisible();
  }
  // The charts span the range: 6 hours.
  const span = await page.evaluate(() => {
    const el = document.querySelector('[data-chart="cpu"] .chart-canvas');
    const x = (window as any).echarts.getInstanceByDom(el).getOption().xAxis[0];
    return x.max - x.min;
  });
  expect(span).toBe(6 * 3_600_000);
  await page.screenshot({ path: info.outputPath("node-be.png"), fullPage: true });

  // A reload renders the same page from the server, and "1h" keeps the node.
  await page.reload();
  await hydrated(page);
  await page.getByRole("link", { name: "1h", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${id}/nodes/be-\\d+\\?range=1h$`));
  await expect(page.locator('figure[data-chart="cpu"]')).toHaveClass(/drawn/);
  // The way back is the overview on the same range.
  await page.getByTestId("node-cluster").click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${id}/overview\\?range=1h$`));
  await page.context().close();
});

test("a frontend's page charts its JVM heap and says what an FE does not report", async ({ browser }) => {
  const page = await signedInPage(browser);
  const id = await clusterId(page, "demo-healthy");
  await page.goto(`/clusters/${id}/overview?range=1h`);
  await hydrated(page);
  const leader = page.getByTestId("frontends").locator("tbody tr", { hasText: "LEADER" });
  const name = (await leader.getAttribute("data-node"))!;
  await leader.locator("th a").click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${id}/nodes/fe-[\\w.~-]+\\?range=1h$`));
  await expect(page.getByTestId("node-title")).toHaveText(name);
  await expect(page.locator('figure[data-chart="jvm_heap"]')).toHaveClass(/drawn/);
  await expect(page.locator('figure[data-chart="cpu"]')).toContainText("FEs report no CPU");
  await expect(page.locator('figure[data-chart="compaction"]')).toHaveCount(0);
  await page.context().close();
});

test("a dead compute node's page shows gaps, and an unknown node is not found", async ({ browser }) => {
  const page = await signedInPage(browser);
  const id = await clusterId(page, "demo-shared-data");
  await page.goto(`/clusters/${id}/overview`);
  await hydrated(page);
  await page.getByTestId("backends").locator("tbody tr.dead th a").click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${id}/nodes/cn-\\d+$`));
  await expect(page.getByTestId("node-facts")).toBeVisible();
  // Down since the demo started: nothing to draw, said in words, never a 0 % line.
  await expect(page.locator('figure[data-chart="cpu"]')).not.toHaveClass(/drawn/);
  await expect(page.locator('figure[data-chart="cpu"] .chart-note')).toBeVisible();
  await expect(page.locator('figure[data-chart="disk"]')).toContainText("object storage");

  const missing = await page.goto(`/clusters/${id}/nodes/be-424242?range=6h`);
  expect(missing!.status()).toBe(404);
  await hydrated(page);
  await expect(page.getByTestId("node-missing")).toContainText("be-424242");
  const noCluster = await page.goto(`/clusters/999999/nodes/be-1`);
  expect(noCluster!.status()).toBe(404);
  await page.context().close();
});
