import { Browser, expect, Page, test } from "@playwright/test";
import { join } from "node:path";
import { ADMIN_PASSWORD, DEMO_URL, FIRST_ADMIN_PASSWORD, hydrated, replaceFirstPassword, signIn, SIM_HTTP_PORT, SIM_MYSQL_PORT } from "./helpers";

// The fleet page read at a glance (issue 14), against the demo console
// (collecting every 5 s): the worst cluster stands out, a failed attempt says
// when the figures were collected, and a phone gets one card per cluster.
// A cluster on the separate simulator is registered, collected once, then
// refused (wrong credentials), so one row is a cluster that stopped answering.
test.describe.configure({ mode: "serial" });
test.use({ baseURL: DEMO_URL });

const STATE = join(__dirname, "../../target/e2e-fleet-session.json");
const FLAKY = "e2e-fleet-refused";
const SIM = `http://127.0.0.1:${SIM_HTTP_PORT}`;

type FleetRow = {
  cluster_id: number;
  name: string;
  be_alive: number | null;
  be_total: number | null;
  collected_at: number | null;
  last_success_at: number | null;
};

async function fleet(page: Page): Promise<FleetRow[]> {
  const res = await page.request.get("/api/fleet");
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).clusters;
}

async function row(page: Page, name: string): Promise<FleetRow | undefined> {
  return (await fleet(page)).find((c) => c.name === name);
}

/** Signs in whether or not dashboard.spec.ts ran first (it sets the password). */
async function signInEitherWay(page: Page) {
  await page.goto("/login");
  await signIn(page, ADMIN_PASSWORD);
  const error = page.locator("p.alert.error");
  await expect(async () => {
    expect(page.url().endsWith("/clusters") || (await error.count()) > 0).toBe(true);
  }).toPass();
  if (page.url().endsWith("/clusters")) return;
  // Alone: the first password, changed at the first sign-in.
  await page.goto("/login");
  await signIn(page, FIRST_ADMIN_PASSWORD);
  await replaceFirstPassword(page);
}

async function fleetPage(browser: Browser, width: number, scheme: "light" | "dark"): Promise<Page> {
  const context = await browser.newContext({
    baseURL: DEMO_URL,
    storageState: STATE,
    viewport: { width, height: 900 },
    colorScheme: scheme,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("close", () => expect(errors, "uncaught errors in the page").toEqual([]));
  await page.goto("/clusters");
  await hydrated(page);
  await expect(page.locator(`tr[data-cluster="${FLAKY}"]`)).toBeVisible();
  return page;
}

/** The colour a CSS colour expression computes to on this page. */
async function computed(page: Page, css: string): Promise<string> {
  return page.evaluate((css) => {
    const probe = document.createElement("span");
    probe.style.color = css;
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  }, css);
}

/** HSL saturation (0 to 1) of an `rgb(...)` colour. */
function saturation(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  return max === min ? 0 : (max - min) / (1 - Math.abs(2 * l - 1));
}

/** What the fleet page must show at every width and in both schemes. */
async function checkFleet(page: Page) {
  const table = page.getByTestId("fleet");
  const flaky = table.locator(`tr[data-cluster="${FLAKY}"]`);
  // The cluster that stopped answering: a saturated pill, nothing dimmed.
  const look = await flaky.evaluate((tr) => {
    const pill = tr.querySelector(".pill") as HTMLElement;
    const opacities = [tr, ...Array.from(tr.children), pill].map((e) => getComputedStyle(e).opacity);
    return { bg: getComputedStyle(pill).backgroundColor, opacities };
  });
  expect(look.opacities.every((o) => o === "1"), `opacity ${look.opacities}`).toBe(true);
  expect(saturation(look.bg), `pill ${look.bg}`).toBeGreaterThan(0.5);
  await expect(flaky.locator(".pill")).toHaveText(/warning|critical/);
  // It says when its figures were collected, and that its counts are old.
  await expect(flaky.getByTestId("attempt")).toHaveText(/^Last success .+ ago · last attempt failed$/);
  await expect(flaky).not.toContainText("Collected");
  await expect(flaky.locator("td.alive").last()).toContainText("as of last success");
  // Some nodes down: the count in the warning colour.
  const shared = table.locator('tr[data-cluster="demo-shared-data"]');
  const partial = shared.locator("td.alive.partial").last();
  await expect(partial).toHaveText(/^\d+\/\d+$/);
  expect(await partial.evaluate((e) => getComputedStyle(e).color)).toBe(await computed(page, "var(--warn)"));
  // Numbers and versions on one line each, within their cell.
  const wrapped = await table.evaluate((t) =>
    Array.from(t.querySelectorAll("tbody td.num, tbody td.version"))
      .filter((td) => (td as HTMLElement).offsetParent !== null)
      .flatMap((td) => {
        const text = Array.from(td.childNodes).find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
        if (!text) return [];
        const range = document.createRange();
        range.selectNodeContents(text);
        const lines = range.getClientRects().length;
        const cell = td.getBoundingClientRect();
        const box = range.getBoundingClientRect();
        const inside = box.left >= cell.left - 1 && box.right <= cell.right + 1;
        return lines > 1 || !inside ? [`${td.textContent} (${lines} lines, inside its cell: ${inside})`] : [];
      }),
  );
  expect(wrapped, "numbers that wrap or leave their cell").toEqual([]);
}

test("sign in, and a cluster that answered once, then refuses the console", async ({ page }) => {
  test.setTimeout(90_000);
  await signInEitherWay(page);
  await page.context().storageState({ path: STATE });
  const headers = { origin: DEMO_URL };
  const created = await page.request.post("/api/clusters", {
    headers,
    data: { name: FLAKY, fe_host: "127.0.0.1", http_port: SIM_HTTP_PORT, query_port: SIM_MYSQL_PORT, username: "root", password: "" },
  });
  expect(created.status(), await created.text()).toBe(201);
  await expect.poll(async () => (await row(page, FLAKY))?.last_success_at ?? null, { timeout: 30_000 }).not.toBeNull();
  const fault = await page.request.post(`${SIM}/_sim/faults`, { data: { fault: "wrong_credentials" } });
  expect(fault.status(), await fault.text()).toBeLessThan(300);
  await expect
    .poll(async () => {
      const r = await row(page, FLAKY);
      return r !== undefined && r.collected_at !== null && r.last_success_at !== null && r.collected_at > r.last_success_at;
    }, { timeout: 30_000 })
    .toBe(true);
  const shared = await row(page, "demo-shared-data");
  expect(shared && shared.be_alive! < shared.be_total!, "the demo has a compute node down").toBe(true);
});

for (const scheme of ["light", "dark"] as const) {
  test(`1280 px, ${scheme}: the worst cluster stands out in the table`, async ({ browser }, info) => {
    const page = await fleetPage(browser, 1280, scheme);
    await checkFleet(page);
    // A table: one row per cluster side by side with its figures.
    const display = await page.locator(`tr[data-cluster="${FLAKY}"]`).evaluate((tr) => getComputedStyle(tr).display);
    expect(display).toBe("table-row");
    await page.screenshot({ path: info.outputPath(`fleet-1280-${scheme}.png`), fullPage: true });
    await page.context().close();
  });

  test(`390 px, ${scheme}: one card per cluster, nothing wider than the phone`, async ({ browser }, info) => {
    const page = await fleetPage(browser, 390, scheme);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const cards = await page.getByTestId("fleet").locator("tbody tr").evaluateAll((rows) =>
      rows.map((r) => {
        const box = r.getBoundingClientRect();
        return { display: getComputedStyle(r).display, left: box.left, right: box.right, top: box.top, bottom: box.bottom };
      }),
    );
    expect(cards.length).toBeGreaterThanOrEqual(4);
    for (const [i, card] of cards.entries()) {
      expect(card.display).toBe("grid");
      expect(card.left).toBeGreaterThanOrEqual(0);
      expect(card.right).toBeLessThanOrEqual(390);
      if (i > 0) expect(card.top).toBeGreaterThanOrEqual(cards[i - 1].bottom);
    }
    // Each figure is labelled on its card, and the header became sort links.
    await expect(page.locator(`tr[data-cluster="${FLAKY}"] td[data-label="BE/CN alive"]`)).toBeVisible();
    await expect(page.getByTestId("fleet").getByRole("link", { name: "QPS" })).toBeVisible();
    await checkFleet(page);
    await page.screenshot({ path: info.outputPath(`fleet-390-${scheme}.png`), fullPage: true });
    await page.context().close();
  });
}

test("the server-rendered table: times in the browser's zone, Delete asks in the row and keeps the keyboard", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: DEMO_URL, storageState: STATE, timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await page.goto("/clusters");
  await hydrated(page);
  // The server writes UTC; the page rewrites each time in the browser's zone.
  const row = page.getByTestId("fleet").locator('tr[data-cluster="demo-healthy"]');
  await expect(row.locator("time").first()).toHaveText(/GMT\+8/);
  await expect(page.getByTestId("collector-status").locator("time").first()).toHaveText(/GMT\+8/);
  // Sorting is a link: the order comes back from the server in the URL's order.
  await page.getByTestId("fleet").getByRole("link", { name: "Cluster" }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  const names = async () => page.getByTestId("fleet").locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-cluster") ?? ""));
  await expect.poll(async () => { const n = await names(); return n.join() === [...n].sort((a, b) => a.localeCompare(b)).join(); }).toBe(true);
  // Delete asks first, the keyboard on the safe answer; Cancel gives it back.
  await row.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(row.getByRole("alertdialog")).toBeVisible();
  await expect(row.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expect(row.getByRole("link", { name: "Edit" })).toBeHidden();
  await page.keyboard.press("Enter");
  await expect(row.getByRole("alertdialog")).toBeHidden();
  await expect(row.getByRole("button", { name: "Delete", exact: true })).toBeFocused();
  await context.close();
});

test("the worst operations problem has its own column", async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ baseURL: DEMO_URL, storageState: STATE });
  const page = await context.newPage();
  const json = { "Content-Type": "application/json" };
  // The separate simulator answers again, with one backend's rowsets exploding.
  await page.request.delete(`${SIM}/_sim/faults`, { headers: json });
  const set = await page.request.post(`${SIM}/_sim/faults`, { data: { fault: "rowset_explosion" } });
  expect(set.status(), await set.text()).toBeLessThan(300);
  const flaky = await row(page, FLAKY);
  expect(flaky).toBeDefined();
  // The cluster's open operations alerts, worst and oldest first, as the overview lists them.
  const ops = ["safe_mode", "tablets", "routine_load", "transactions", "txn_failed", "metadata", "rowsets"];
  const open = async () => {
    const res = await page.request.get(`/api/clusters/${flaky!.cluster_id}/overview?range=1h`);
    expect(res.status(), await res.text()).toBe(200);
    return ((await res.json()).alerts as { rule: string; title: string }[]).filter((a) => ops.includes(a.rule));
  };
  await expect.poll(async () => (await open()).map((a) => a.rule), { timeout: 40_000 }).toContain("rowsets");
  // The simulator's operator pauses a routine load job now and then (about 5 % of the time);
  // an alert open before the rowsets one is the worse problem and takes the column.
  const first = (await open())[0];
  const expected = first.rule === "rowsets" ? /Rowsets: At most \d+ rowsets in one tablet/ : new RegExp(`^${first.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `);
  await expect.poll(async () => (await row(page, FLAKY) as any)?.ops_problem ?? "", { timeout: 40_000 }).toMatch(expected);
  await page.goto("/clusters");
  await hydrated(page);
  const table = page.getByTestId("fleet");
  await expect(table.getByRole("columnheader", { name: "Operations" })).toBeVisible();
  await expect(table.locator(`tr[data-cluster="${FLAKY}"]`).getByTestId("ops-problem")).toContainText(expected);
  await page.request.delete(`${SIM}/_sim/faults`, { headers: json });
  await context.close();
});

test.afterAll(async ({ browser }) => {
  // Leave the simulator and the demo console as they were.
  const context = await browser.newContext({ baseURL: DEMO_URL, storageState: STATE });
  const page = await context.newPage();
  await page.request.delete(`${SIM}/_sim/faults`, { headers: { "Content-Type": "application/json" } });
  const r = await row(page, FLAKY).catch(() => undefined);
  if (r) {
    const del = await page.request.delete(`/api/clusters/${r.cluster_id}`, { headers: { origin: DEMO_URL } });
    expect(del.status()).toBe(204);
  }
  await context.close();
});
