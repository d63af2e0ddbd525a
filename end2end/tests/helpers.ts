import { Browser, BrowserContext, BrowserContextOptions, expect, Page, test } from "@playwright/test";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";

export const FIRST_ADMIN_PASSWORD = "e2e-first-password";
export const ADMIN_PASSWORD = "e2e-chosen-passphrase";

/** The simulated StarRocks cluster that playwright.config.ts starts beside the console. */
export const SIM_HTTP_PORT = 28030;
export const SIM_MYSQL_PORT = 29030;

/** The console started with --demo-if-empty (see playwright.config.ts). */
export const DEMO_PORT = 3101;
export const DEMO_URL = `http://127.0.0.1:${DEMO_PORT}`;

/** The app sets html[data-hydrated] once the wasm bundle has taken over the page. */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
}

export async function signIn(page: Page, password: string) {
  await hydrated(page);
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A demo console of a spec file's own, on `port` with a fresh data directory
 * `target/e2e-<name>-data`: for files that run before dashboard.spec.ts and
 * must leave the shared demo console its first password. Resolves once it
 * answers /healthz; `stop` ends it. */
export async function startDemoConsole(port: number, name: string, extra: string[] = []): Promise<{ stop: () => void }> {
  const root = join(__dirname, "../..");
  const data = join(root, `target/e2e-${name}-data`);
  rmSync(data, { recursive: true, force: true });
  const bin = process.env.SRO_E2E_BIN ?? "target/release/starrocks-overview";
  const args = ["--listen", `127.0.0.1:${port}`, "--data-dir", data, "--admin-password", FIRST_ADMIN_PASSWORD,
    "--log-level", "warn", "--demo-if-empty", "--collect-interval-s", "5", ...extra];
  const server = spawn(bin.startsWith("/") ? bin : join(root, bin), args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  server.stderr?.on("data", (d) => (log = (log + d).slice(-4000)));
  await expect
    .poll(async () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0), {
      timeout: 60_000,
      message: `the ${name} console did not answer: ${log}`,
    })
    .toBe(200);
  return { stop: () => server.kill() };
}

/** The first sign-in of a spec's own console (see startDemoConsole): signs
 * in with the first password, chooses ADMIN_PASSWORD and keeps the session
 * in `state` for the spec's pages. Answers the signed-in page, whose context
 * the caller closes. */
export async function chooseFirstPassword(
  browser: Browser,
  origin: string,
  state: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, FIRST_ADMIN_PASSWORD);
  await replaceFirstPassword(page);
  await context.storageState({ path: state });
  return { context, page };
}

/** After a sign-in with the first password: the console asks for a new one;
 * chooses ADMIN_PASSWORD and lands on the fleet. */
export async function replaceFirstPassword(page: Page) {
  await expect(page).toHaveURL(/\/account\/password/);
  await hydrated(page);
  await page.getByLabel("Current password").fill(FIRST_ADMIN_PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel("New password again").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL("/clusters");
}

/** Opens pages on `origin` signed in with the session kept in `state`. An
 * uncaught error in any of them (a hydration mismatch panics the wasm) fails
 * the test that opened it: call once at a spec's top level. */
export function signedInPages(origin: string, state: string) {
  const errors: string[] = [];
  test.afterEach(() => {
    expect(errors.splice(0), "uncaught errors in the page (a hydration mismatch panics the wasm)").toEqual([]);
  });
  return async (browser: Browser, options: BrowserContextOptions = {}): Promise<Page> => {
    const context = await browser.newContext({ baseURL: origin, storageState: state, ...options });
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    return page;
  };
}
