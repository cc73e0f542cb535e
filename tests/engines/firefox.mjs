// Firefox ESR for the engines suite: puppeteer-core over WebDriver BiDi (no geckodriver),
// driven by tests/engines/drivers.py through JSON lines on stdin/stdout.
//
//   node firefox.mjs PROFILE_DIR [PREFS_JSON]
//
// Every request is {id, cmd, ...}; every answer is {id, value} or {id, error}. Console
// messages, uncaught page errors and requests are collected here and handed over by "events".
import puppeteer from "puppeteer-core";
import { createInterface } from "node:readline";

const [profile, prefsJson = "{}"] = process.argv.slice(2);
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
  headless: true,
  userDataDir: profile, // on disk, fresh for every browser this suite starts
  extraPrefsFirefox: {
    "devtools.console.stdout.content": true, // page and worker console output on stdout too
    ...JSON.parse(prefsJson),
  },
  protocolTimeout: 180_000,
});
const page = (await browser.pages())[0] ?? (await browser.newPage());
await page.setViewport({ width: 1280, height: 900 });

const events = { console: [], pageErrors: [], requests: [] };
page.on("console", (msg) => events.console.push({ type: msg.type(), text: msg.text() }));
page.on("pageerror", (err) => events.pageErrors.push(String(err?.message ?? err)));
page.on("request", (req) => events.requests.push(req.url()));

const commands = {
  goto: ({ url }) => page.goto(url, { waitUntil: "load", timeout: 120_000 }).then(() => null),
  reload: () => page.reload({ waitUntil: "load", timeout: 120_000 }).then(() => null),
  evaluate: ({ expression }) => page.evaluate(expression),
  click: async ({ selector }) => {
    await page.locator(selector).setTimeout(30_000).click();
    return null;
  },
  type: async ({ selector, text }) => {
    await page.locator(selector).setTimeout(30_000).fill(text);
    return null;
  },
  events: () => {
    const drained = { ...events };
    events.console = [];
    events.pageErrors = [];
    events.requests = [];
    return drained;
  },
  close: async () => {
    await browser.close();
    return null;
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { id, cmd, ...args } = JSON.parse(line);
  let answer;
  try {
    answer = { id, value: (await commands[cmd](args)) ?? null };
  } catch (err) {
    answer = { id, error: String(err?.message ?? err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
  if (cmd === "close") break;
}
process.exit(0);
