import { expect, Page } from "@playwright/test";

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
