import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, FIRST_ADMIN_PASSWORD, SIM_HTTP_PORT, SIM_MYSQL_PORT, hydrated, signIn } from "./helpers";

test.describe.configure({ mode: "serial" });

test("bootstrap admin: forced password change, register, edit and delete clusters, sign out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);

  await signIn(page, "wrong-password");
  await expect(page.getByRole("alert")).toContainText("Unknown user name or wrong password");

  await page.getByLabel("Password", { exact: true }).fill(FIRST_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();

  // The first password must be replaced before anything else.
  await expect(page).toHaveURL(/\/account\/password\?next=/);
  await hydrated(page);
  await expect(page.getByText("still has its first password")).toBeVisible();
  await page.getByLabel("Current password").fill(FIRST_ADMIN_PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("New password again").fill("short");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#field-new_password-error")).toContainText("at least 10");
  await page.getByLabel("New password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel("New password again").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(page.getByRole("heading", { name: "No clusters yet" })).toBeVisible();

  // Register a cluster; a bad port is reported next to its field and nothing is saved.
  await hydrated(page);
  await page.getByRole("link", { name: "Add cluster" }).first().click();
  await expect(page).toHaveURL(/\/clusters\/new$/);
  await hydrated(page);
  await page.getByLabel("Name", { exact: true }).fill("e2e-prod");
  await page.getByLabel("FE host", { exact: true }).fill("http://fe1.example.com");
  await page.getByLabel("HTTP port", { exact: true }).fill("80x");
  await page.getByLabel("Password", { exact: true }).fill("cluster-secret-pw");
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(page.locator("#field-fe_host-error")).toContainText("without http://");
  await expect(page.locator("#field-http_port-error")).toContainText("65535");
  await expect(page.getByText("Nothing was saved")).toBeVisible();
  await page.getByLabel("FE host", { exact: true }).fill("fe1.example.com");
  await page.getByLabel("HTTP port", { exact: true }).fill("8030");
  await page.getByLabel("Tags", { exact: true }).fill("prod, team-a");
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(page).toHaveURL(/\/clusters$/);
  const prod = page.locator('tr[data-cluster="e2e-prod"]');
  await expect(prod).toContainText("http://fe1.example.com:8030");
  await expect(prod).toContainText("team-a");

  // A second one, to delete later.
  await page.getByRole("link", { name: "Add cluster" }).click();
  await hydrated(page);
  await page.getByLabel("Name", { exact: true }).fill("e2e-temp");
  await page.getByLabel("FE host", { exact: true }).fill("127.0.0.1");
  // Nothing listens on port 1: "Test connection" names the failure for both sides.
  await page.getByLabel("HTTP port", { exact: true }).fill("1");
  await page.getByLabel("MySQL port", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByTestId("connection-result");
  await expect(result).toContainText("Connection failed");
  await expect(result).toContainText("FE HTTP: Unreachable");
  await expect(result).toContainText("MySQL: Unreachable");
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(page.locator('tr[data-cluster="e2e-temp"]')).toBeVisible();

  // Edit: the password field comes back empty, and saving keeps the stored one.
  await prod.getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/clusters\/\d+\/edit$/);
  await hydrated(page);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(page.getByText("Leave empty to keep the stored password")).toBeVisible();
  // A new host does not get the stored password: it must be entered again.
  await page.getByLabel("FE host", { exact: true }).fill("fe2.example.com");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#field-password-error")).toContainText("Enter the password again");
  await expect(page.getByText("Nothing was saved")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("cluster-secret-pw");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(prod).toContainText("http://fe2.example.com:8030");
  expect(await page.content()).not.toContain("cluster-secret-pw");

  // Delete asks first; cancel keeps it, confirm removes it.
  const temp = page.locator('tr[data-cluster="e2e-temp"]');
  await temp.getByRole("button", { name: "Delete" }).click();
  await expect(temp).toContainText("Delete \"e2e-temp\" and all its collected history?");
  await temp.getByRole("button", { name: "Cancel" }).click();
  await expect(temp.getByRole("button", { name: "Delete" })).toBeVisible();
  await temp.getByRole("button", { name: "Delete" }).click();
  await temp.getByRole("button", { name: "Delete cluster" }).click();
  await expect(temp).toHaveCount(0);
  await expect(prod).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/clusters");
  await expect(page).toHaveURL(/\/login\?next=\/clusters$/);
});

test("a deep link opened while signed out lands on that exact URL after sign-in", async ({ page }) => {
  await page.goto("/clusters/1/overview?range=6h");
  await expect(page).toHaveURL("/login?next=/clusters/1/overview%3Frange%3D6h");
  await signIn(page, ADMIN_PASSWORD);
  await expect(page).toHaveURL("/clusters/1/overview?range=6h");
  await expect(page.getByRole("heading", { name: "e2e-prod" })).toBeVisible();
  await expect(page.getByRole("link", { name: "6h" })).toHaveAttribute("aria-current", "true");
  // Never collected (its FE does not exist): the page says when data would come.
  await expect(page.getByTestId("no-data").or(page.getByTestId("stale"))).toBeVisible();
});

test("unknown pages answer 404 with a way back", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/clusters$/);
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("the API answers 401 JSON without a session", async ({ request }) => {
  const res = await request.get("/api/clusters");
  expect(res.status()).toBe(401);
  expect(await res.json()).toMatchObject({ error: "unauthenticated" });
});

test("a registered cluster is collected on demand, and asking again at once is refused", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(page.getByTestId("collector-status")).toContainText("Collector: every 30 s");
  await hydrated(page);
  await page.getByRole("link", { name: "Add cluster" }).click();
  await hydrated(page);
  await page.getByLabel("Name", { exact: true }).fill("e2e-sim");
  await page.getByLabel("FE host", { exact: true }).fill("127.0.0.1");
  await page.getByLabel("HTTP port", { exact: true }).fill(String(SIM_HTTP_PORT));
  await page.getByLabel("MySQL port", { exact: true }).fill(String(SIM_MYSQL_PORT));
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(page).toHaveURL(/\/clusters$/);

  await page.locator('tr[data-cluster="e2e-sim"]').getByRole("link", { name: "e2e-sim" }).click();
  await expect(page).toHaveURL(/\/clusters\/\d+\/overview$/);
  await hydrated(page);
  // The collector may already have reached it on a tick; otherwise the page says when data will come.
  await expect(page.getByTestId("no-data").or(page.getByTestId("last-collected"))).toBeVisible();
  const collect = page.getByRole("button", { name: "Collect now" });
  await collect.click();
  const last = page.getByTestId("last-collected");
  await expect(last).toContainText("Last collected");
  await expect(last.locator(".status")).toHaveText("OK");
  await collect.click();
  await expect(page.getByRole("alert").filter({ hasText: "collected moments ago" })).toBeVisible();

  // Health comes from the overview service, for the range in the URL.
  const cards = page.getByTestId("health-cards");
  // Seven resource rules and seven operations rules (issue 15).
  await expect(cards.locator(".health-card")).toHaveCount(14);
  await expect(cards.locator('[data-card="nodes"]')).toContainText("All 3 FE and 3 BE/CN alive.");
  await expect(cards.locator('[data-card="tablets"]')).toContainText(/All [\d,]+ tablets are healthy\./);
  await expect(cards.locator('[data-card="safe_mode"]')).toContainText("No FE is in safe mode.");
});

test("the REST API is documented on a page and as OpenAPI JSON", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/clusters$/);
  await page.getByRole("link", { name: "API" }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  const ops = page.getByTestId("api-operations");
  await expect(ops).toContainText("/api/clusters/{id}/overview");
  await expect(ops).toContainText("/api/openapi.json");
  const res = await page.request.get("/api/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.paths["/api/clusters/{id}/overview"].get).toBeTruthy();
});
