/**
 * The Gap sandbox's chat console in a real browser (Debian's chromium through playwright-core): a
 * postcode conversation typed and clicked on the page as a developer would, answered by a Node entry
 * against its own local stack, and the address read off the screen. A failure keeps a screenshot.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { localGap } from '../../dev/local-settings.ts';
import { type LocalStack, startLocalStack } from '../../dev/local-stack.ts';
import { addressFor } from '../../dev/sandboxes/gsb/data.ts';
import { toPersianDigits } from '../../src/i18n/digits.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { type EntryProcess, NODE_ENTRY, root, startEntry, stopEntry } from '../support/entry-process.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOTS = join(root, 'test-results');
/** The console polls once a second, and the bot answers after its webhook's 200: room for both, on a busy machine. */
const SEEN_WITHIN_MS = 15_000;

/** A postcode the GSB sandbox answers with an address of its own (dev/sandboxes/gsb/data.ts), and its "no record" one. */
const POSTCODE = '1193653471';
const NO_RECORD = '9999999999';

describe('the chat console in chromium', () => {
  let stack: LocalStack<'libsql' | 'gsb' | 'gap'>;
  let entry: EntryProcess;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium with \`apt-get install -y chromium\` (as root)`,
      );
    }
    stack = await startLocalStack({ parts: ['libsql', 'gsb', 'gap'] });
    entry = await startEntry(NODE_ENTRY, { ...stack.vars, HOST: '127.0.0.1', PORT: '0' });
    // The console delivers what is typed to the webhook the sandbox was told, as a developer sets it.
    const webhook = await fetch(`${stack.urls.gap}/_sandbox/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${entry.url}/webhooks/gap/${localGap.webhookSecret}` }),
    });
    expect(webhook.status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (entry) await stopEntry(entry);
    await stack?.stop();
  });

  it('talks a postcode conversation with its buttons and shows the address', async ({ task }) => {
    const page = await browser.newPage({ locale: 'fa-IR' });
    keepScreenshotOnFailure(page, task.name, entry);
    await page.goto(`${stack.urls.gap}/`);

    await send(page, '/start');
    await botSays(page, fa.menuPrompt);
    await page.locator('#keyboard button', { hasText: faServices.postcode.title }).click();
    await botSays(page, faServices.postcode.prompt);

    await send(page, POSTCODE);
    const answer = await botSays(page, `${faServices.postcode.heading} ${toPersianDigits(POSTCODE)}`);
    const address = addressFor(POSTCODE);
    const shown = (await answer.locator('.body').textContent()) ?? '';
    for (const part of [address.province, address.township, address.locality, address.street, address.street2]) {
      expect(shown).toContain(part);
    }

    // The follow-up buttons ride on the answer: «استعلام دیگر» asks for a postcode again.
    await answer.getByRole('button', { name: fa.againButton }).click();
    const asked = page.locator('.msg.bot .body', { hasText: faServices.postcode.prompt });
    await expect.poll(() => asked.count(), { timeout: SEEN_WITHIN_MS }).toBe(2);
    await send(page, NO_RECORD);
    const none = await botSays(page, faServices.postcode.notFound);
    // …and «منوی اصلی» on that answer brings the menu back, its keyboard with the postcode button on it.
    const bubbles = await page.locator('.msg.bot').count();
    await none.getByRole('button', { name: fa.menuButton }).click();
    await expect.poll(() => page.locator('.msg.bot').count(), { timeout: SEEN_WITHIN_MS }).toBe(bubbles + 1);
    expect(await page.locator('.msg.bot .body').last().textContent()).toBe(fa.menuPrompt);
    await page.locator('#keyboard button', { hasText: faServices.postcode.title }).waitFor({ timeout: SEEN_WITHIN_MS });
    await page.close();
  });
});

/** Types a message into the composer and sends it with Enter. */
async function send(page: Page, text: string): Promise<void> {
  await page.locator('#text').fill(text);
  await page.locator('#text').press('Enter');
}

/** Waits for the bot's latest bubble that holds `text`, and returns it. */
async function botSays(page: Page, text: string) {
  const bubble = page.locator('.msg.bot', { hasText: text }).last();
  await bubble.waitFor({ timeout: SEEN_WITHIN_MS });
  return bubble;
}

/** On failure: a screenshot of the page under test-results/, its path and the entry's last lines printed. */
function keepScreenshotOnFailure(page: Page, name: string, entry: EntryProcess): void {
  onTestFailed(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `console-${name.replace(/[^\w-]+/g, '-')}.png`);
    await page.screenshot({ path, fullPage: true });
    console.error(
      `the console as it was when the test failed: ${path}\nthe entry's last lines:\n${entry.output.slice(-20).join('\n')}`,
    );
  });
}
