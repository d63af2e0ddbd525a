import { defineConfig } from "@playwright/test";
import { DEMO_PORT, FIRST_ADMIN_PASSWORD, SIM_HTTP_PORT, SIM_MYSQL_PORT } from "./tests/helpers";

// The server binary, relative to the repository root: the release build, or
// the one `make test` names (the debug build `cargo test` made).
const bin = process.env.SRO_E2E_BIN ?? "target/release/starrocks-overview";
const BIN = bin.startsWith("/") ? bin : `./${bin}`;

// On its own port and a data directory wiped before each run.
const PORT = 3100;
const DATA = "target/e2e-data";
const DEMO_DATA = "target/e2e-demo-data";


export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download is not reachable here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      cwd: "..",
      command:
        `rm -rf ${DATA} && ${BIN} --listen 127.0.0.1:${PORT} ` +
        `--data-dir ${DATA} --admin-password ${FIRST_ADMIN_PASSWORD} --log-level warn`,
      url: `http://127.0.0.1:${PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // The demo: a second console with the simulated demo clusters, collecting
      // every 5 s so the dashboard tests have history within seconds.
      cwd: "..",
      command:
        `rm -rf ${DEMO_DATA} && ${BIN} --listen 127.0.0.1:${DEMO_PORT} ` +
        `--data-dir ${DEMO_DATA} --admin-password ${FIRST_ADMIN_PASSWORD} --log-level warn ` +
        `--demo-if-empty --collect-interval-s 5`,
      url: `http://127.0.0.1:${DEMO_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // A simulated StarRocks cluster for the tests that collect from one.
      cwd: "..",
      command:
        `${BIN} sim --http-port ${SIM_HTTP_PORT} ` +
        `--mysql-port ${SIM_MYSQL_PORT} --log-level warn`,
      url: `http://127.0.0.1:${SIM_HTTP_PORT}/_sim/faults`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
