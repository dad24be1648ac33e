import { defineConfig } from '@playwright/test';

// The server binary is built by `make test` (cargo leptos build); it serves on its own port with
// a fresh SQLite database, so the browser tests never touch a developer's data.
const port = process.env.E2E_PORT ?? '3100';
const serverBin = process.env.SETUBASHI_SERVER_BIN ?? 'target/debug/server';
const dataDir = process.env.E2E_DATA_DIR ?? 'target/e2e-data';

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && SETUBASHI_DATA_DIR=${dataDir} SETUBASHI_SIGNUP_BURST=500 SETUBASHI_ADDR=127.0.0.1:${port} ${serverBin} serve --no-demo`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
