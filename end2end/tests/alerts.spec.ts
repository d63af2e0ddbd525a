import { expect, test } from "@playwright/test";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { join } from "node:path";
import { chooseFirstPassword, hydrated, signedInPages, startDemoConsole } from "./helpers";

// Alert delivery (issue 17) on the Alerts page: a webhook channel made
// from its form (a bad URL is named first), its test message, a demo
// cluster's dead backend delivered to a real receiver and shown in the
// delivery log, a silence from the alert's row and its end. Runs before
// dashboard.spec.ts, so it has a demo console of its own, started with a
// public address (links in the messages) and a 3-s group wait.
test.describe.configure({ mode: "serial" });

const PORT = 3104;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const ROOT = join(__dirname, "../..");
const STATE = join(ROOT, "target/e2e-alerts-session.json");
test.use({ baseURL: ORIGIN });

type Got = { path: string; headers: Record<string, string | string[] | undefined>; body: any };
let console_: { stop: () => void } | undefined;
let receiver: Server;
let receiverUrl = "";
const got: Got[] = [];
const newPage = signedInPages(ORIGIN, STATE);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  // A webhook receiver that records what it is sent, as Alertmanager's would.
  receiver = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      let body: any = null;
      try {
        body = JSON.parse(data);
      } catch {
        body = data;
      }
      got.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("received");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?token=e2e-token`;
  console_ = await startDemoConsole(PORT, "alerts", ["--notify-group-wait-s", "3", "--public-url", ORIGIN]);
  const { context } = await chooseFirstPassword(browser, ORIGIN, STATE);
  await context.close();
});

test.afterAll(() => {
  console_?.stop();
  receiver?.close();
});

test("a webhook channel from the form, its test, a dead backend delivered and logged, a silence and its end", async ({ browser }, info) => {
  test.setTimeout(150_000);
  const page = await newPage(browser);
  await page.goto("/alerts");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();

  // A bad URL is named at its field and nothing is saved.
  const add = page.getByTestId("new-channel");
  await add.locator("summary").click();
  await add.getByLabel("Name", { exact: true }).fill("on-call");
  await add.getByLabel("URL", { exact: true }).fill("not a url");
  await add.getByRole("button", { name: "Save" }).click();
  await expect(add.locator(".field-error")).toContainText("Enter a full URL");
  await expect(add.getByLabel("URL", { exact: true })).toHaveAttribute("aria-invalid", "true");
  expect(await (await page.request.get("/api/channels")).json()).toEqual([]);

  // The service's own fields: DingTalk asks for a signing secret, a webhook for headers.
  await add.getByLabel("Service").selectOption("dingtalk");
  await expect(add.getByLabel("Signing secret")).toBeVisible();
  await expect(add.getByLabel("Extra headers")).toBeHidden();
  await add.getByLabel("Service").selectOption("webhook");
  await add.getByLabel("URL", { exact: true }).fill(receiverUrl);
  await add.getByLabel("Extra headers").fill("Authorization: Bearer e2e-header");
  await add.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("alerts-note")).toContainText("The channel on-call is saved.");
  const row = page.getByTestId("channels").locator('tr[data-channel="on-call"]');
  await expect(row).toContainText("Webhook");
  // The token is not shown, only where it points.
  await expect(row).not.toContainText("e2e-token");

  // Send test: the receiver's answer is shown and logged.
  await row.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByTestId("alerts-note")).toContainText("The test message was delivered (200): received");
  // (Alerts already open elsewhere in the demo are told to a new channel
  // too, after the group wait: the test message is the one marked so.)
  const tests = got.filter((g) => g.body?.alerts?.[0]?.labels?.test === "true");
  expect(tests.length).toBe(1);
  expect(tests[0].headers["authorization"]).toBe("Bearer e2e-header");
  await expect(page.getByTestId("deliveries")).toContainText("Test message");

  // The demo's healthy cluster loses a backend.
  const fleet = await (await page.request.get("/api/fleet")).json();
  const healthy = fleet.clusters.find((c: { name: string }) => c.name === "demo-healthy").cluster_id;
  const demo = await (await page.request.get(`/api/clusters/${healthy}`)).json();
  const sim = `http://127.0.0.1:${demo.http_port}`;
  const set = await page.request.post(`${sim}/_sim/faults`, { data: { fault: "be_dead", index: 1 } });
  expect(set.status(), await set.text()).toBeLessThan(300);
  try {
    const log = page.getByTestId("deliveries");
    await expect
      .poll(async () => {
        await page.reload();
        await hydrated(page);
        return (await log.textContent()) ?? "";
      }, { timeout: 60_000, intervals: [2_000] })
      .toContain("demo-healthy: nodes firing");
    const message = got.find((g) => g.body?.commonLabels?.cluster === "demo-healthy"
      && g.body.alerts.some((a: any) => a.labels.alertname === "nodes"));
    expect(message, "the receiver got the alert").toBeTruthy();
    expect(message!.body.status).toBe("firing");
    const nodes = message!.body.alerts.find((a: any) => a.labels.alertname === "nodes");
    expect(nodes.generatorURL).toContain(`${ORIGIN}/clusters/${healthy}/overview?from=`);
    await page.screenshot({ path: info.outputPath("alerts.png"), fullPage: true });

    // Silence it from its row: the alert stays, marked silenced.
    const alert = page.getByTestId("active-alerts").locator('tr[data-cluster="demo-healthy"][data-rule="nodes"]');
    await alert.locator("summary").click();
    await alert.getByLabel("Comment", { exact: true }).fill("replacing the disk");
    await alert.getByRole("button", { name: "Silence" }).click();
    await expect(page.getByTestId("alerts-note")).toContainText("The silence is in force.");
    await expect(alert.getByTestId("silenced")).toBeVisible();
    const silences = page.getByTestId("silences");
    await expect(silences.locator("tbody tr").first()).toContainText("replacing the disk");
    // The fleet and the overview say so too.
    await page.goto("/clusters");
    await expect(page.getByTestId("fleet").locator('tr[data-cluster="demo-healthy"]').getByTestId("silenced")).toBeVisible();
    await page.goto(`/clusters/${healthy}/overview`);
    await expect(page.getByTestId("silence-note")).toContainText("replacing the disk");

    // End it: listed as ended, and the alert is no longer held.
    await page.goto("/alerts");
    await hydrated(page);
    await page.getByTestId("silences").getByRole("button", { name: "End now" }).click();
    await expect(page.getByTestId("alerts-note")).toContainText("The silence has ended.");
    await expect(page.getByTestId("silences").locator("tbody tr").first()).toContainText("Ended");
    await expect(alert.getByTestId("silenced")).toHaveCount(0);
  } finally {
    await page.request.delete(`${sim}/_sim/faults`, { headers: { "Content-Type": "application/json" } });
  }
  await page.context().close();
});
