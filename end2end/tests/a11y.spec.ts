import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { join } from "node:path";
import { FIRST_ADMIN_PASSWORD, hydrated, replaceFirstPassword, signedInPages, signIn, startDemoConsole } from "./helpers";

// Accessibility, forms and what the browser is told (issue 14). This file
// runs first (alphabetical order), so it starts a demo console of its own:
// the ones of playwright.config.ts must still have their first password when
// dashboard.spec.ts and foundation.spec.ts sign in.
test.describe.configure({ mode: "serial" });

const PORT = 3102;
const URL = `http://127.0.0.1:${PORT}`;
const ROOT = join(__dirname, "../..");
const STATE = join(ROOT, "target/e2e-a11y-session.json");
test.use({ baseURL: URL });

let console_: { stop: () => void } | undefined;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  console_ = await startDemoConsole(PORT, "a11y");
});

test.afterAll(() => {
  console_?.stop();
});

/** Serious and critical violations of the page as it is now, one line each. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${n.failureSummary?.replace(/\s+/g, " ")}`));
}

const newPage = signedInPages(URL, STATE);

async function demoHealthyId(page: Page): Promise<number> {
  const res = await page.request.get("/api/fleet");
  const row = (await res.json()).clusters.find((c: { name: string }) => c.name === "demo-healthy");
  return row.cluster_id;
}

test("a wrong password answers 401 and gives the keyboard back to the password field", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/login");
  const refused = page.waitForResponse((r) => r.url().endsWith("/sfn/login"));
  await signIn(page, "not-the-password");
  expect((await refused).status()).toBe(401);
  await expect(page.getByRole("alert")).toContainText("Unknown user name or wrong password");
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();

  await page.getByLabel("Password", { exact: true }).fill(FIRST_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await replaceFirstPassword(page);
  await page.context().storageState({ path: STATE });
  // The overview needs two collections for its rates.
  await expect
    .poll(async () => {
      const res = await page.request.get("/api/fleet");
      return (await res.json()).clusters.filter((c: { qps: number | null }) => c.qps !== null).length;
    }, { timeout: 45_000 })
    .toBe(3);
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`no serious or critical axe violations on the fleet page, an overview, the queries page, the alerts page and the cluster form (${colorScheme})`, async ({ browser }) => {
    test.setTimeout(90_000);
    const page = await newPage(browser, { colorScheme });
    await page.goto("/clusters");
    await hydrated(page);
    await expect(page.getByTestId("fleet").locator('[data-cluster="demo-healthy"]').first()).toBeVisible();
    expect(await violations(page), "fleet page").toEqual([]);

    await page.goto(`/clusters/${await demoHealthyId(page)}/overview`);
    await hydrated(page);
    await expect(page.getByTestId("overview")).toBeVisible();
    await expect(page.locator('figure[data-chart="throughput"]')).toHaveClass(/drawn/);
    expect(await violations(page), "overview of demo-healthy").toEqual([]);

    await page.goto(`/clusters/${await demoHealthyId(page)}/queries`);
    await hydrated(page);
    await expect(page.getByTestId("running")).toBeVisible();
    await expect(page.getByTestId("slow")).toBeVisible();
    expect(await violations(page), "queries of demo-healthy").toEqual([]);

    await page.goto("/alerts");
    await hydrated(page);
    await expect(page.getByTestId("channels")).toBeVisible();
    await page.getByTestId("new-channel").locator("summary").click();
    await expect(page.getByTestId("new-channel").getByLabel("URL", { exact: true })).toBeVisible();
    expect(await violations(page), "alerts page with the channel form").toEqual([]);

    await page.goto("/clusters/new");
    await hydrated(page);
    expect(await violations(page), "cluster form").toEqual([]);
    // And with its errors showing.
    await page.getByRole("button", { name: "Add cluster" }).click();
    await expect(page.locator(".field.invalid").first()).toBeVisible();
    expect(await violations(page), "cluster form with errors").toEqual([]);
    await page.context().close();
  });
}

test("the cluster form: focus goes to the first field to fix, an error goes once its field is edited, ports are numeric", async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto("/clusters/new");
  await hydrated(page);
  const port = page.getByLabel("HTTP port", { exact: true });
  await expect(port).toHaveAttribute("inputmode", "numeric");
  await expect(page.getByLabel("MySQL port", { exact: true })).toHaveAttribute("inputmode", "numeric");

  await page.getByLabel("FE host", { exact: true }).fill("fe1.example.com");
  await port.fill("80x");
  await page.getByRole("button", { name: "Add cluster" }).click();
  // Name (empty) comes first in the form.
  const name = page.getByLabel("Name", { exact: true });
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-http_port-error")).toContainText("65535");

  await name.fill("a11y-prod");
  await expect(name).toHaveAttribute("aria-invalid", "false");
  await expect(page.locator("#field-name-error")).toBeEmpty();
  // The other field's error stays until that field is edited.
  await expect(page.locator("#field-http_port-error")).toContainText("65535");
  await page.getByLabel("Name", { exact: true }).fill("");
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(name).toBeFocused();
  await port.fill("8030");
  await expect(page.locator("#field-http_port-error")).toBeEmpty();
  await expect(port).toHaveAttribute("aria-invalid", "false");
  await page.context().close();
});

test("an unknown cluster's overview answers 404 with the not-found page", async ({ browser }) => {
  const page = await newPage(browser);
  const res = await page.goto("/clusters/999/overview");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  expect(res?.headers()["cache-control"]).toBe("no-store");
  await page.context().close();
});

test("on a phone the text is at least 16 px, and nothing readable is under 12 px", async ({ browser }) => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  for (const path of ["/clusters", `/clusters/${await demoHealthyId(page)}/overview`, "/clusters/new"]) {
    await page.goto(path);
    await hydrated(page);
    const sizes = await page.evaluate(() => {
      const seen: number[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || !(n.textContent ?? "").trim() || el.closest(".sr-only, [hidden], svg")) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        seen.push(parseFloat(getComputedStyle(el).fontSize));
      }
      return { body: parseFloat(getComputedStyle(document.body).fontSize), smallest: Math.min(...seen) };
    });
    expect(sizes.body, path).toBeGreaterThanOrEqual(16);
    expect(sizes.smallest, path).toBeGreaterThanOrEqual(12);
  }
  await page.context().close();
});
