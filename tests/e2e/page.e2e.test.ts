/**
 * The page in a real browser (headless Chromium), loaded through the real NGINX config in front of real
 * gunicorn backends on 127.0.0.1: what a user sees and can do, with the mouse and with the keyboard only.
 * The page's element ids are listed at the top of app/frontend/app.js.
 */
import assert from "node:assert/strict";
import { Page } from "playwright-core";
import { BACKEND_IDENTITY, printLogsIfFailed, Stack, startStack } from "../support/processes";
import { Browser, launchBrowser, saveScreenshot } from "../support/browser";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Opens the page and waits until its first poll found the backend. */
async function openPage(browser: Browser, stack: Stack): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('#backend-status[data-state="available"]').waitFor({ timeout: 5000 });
    return page;
}

const text = async (page: Page, id: string) => ((await page.locator(`#${id}`).textContent()) ?? "").trim();

/** The id of the element that has the keyboard focus. (A string: this project compiles without the DOM types.) */
const focusedId = (page: Page) => page.evaluate("document.activeElement ? document.activeElement.id : ''");

/** Waits until the visible role="alert" says `message`, and checks it says exactly that. */
async function expectAlert(page: Page, message: string, timeout = 5000): Promise<void> {
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: message }).waitFor({ timeout });
    assert.equal((await alert.textContent())?.trim(), message);
}

async function expectNoAlert(page: Page): Promise<void> {
    assert.equal(await page.getByRole("alert").count(), 0, `alert: ${await text(page, "error")}`);
}

/** A page that threw nothing and asked nothing of any host but 127.0.0.1. */
function assertHealthy(browser: Browser): void {
    assert.deepEqual(browser.pageErrors, []);
    assert.deepEqual(browser.offLoopbackRequests, []);
}

const sendButton = (page: Page) => page.getByRole("button", { name: "Send", exact: true });

describe("the page in headless Chromium, through NGINX, with two backends", function () {
    this.timeout(60000);
    let stack: Stack | undefined;
    let browser: Browser | undefined;
    let page: Page | undefined;

    before(async () => {
        // Two backend processes behind NGINX stand in for two pods behind the backend Service.
        stack = await startStack([
            { podName: "pod-a", nodeName: "node-a" },
            { podName: "pod-b", nodeName: "node-b" },
        ]);
        browser = await launchBrowser();
    });
    beforeEach(async () => {
        page = await openPage(browser as Browser, stack as Stack);
    });
    afterEach(async function () {
        printLogsIfFailed(this.currentTest, stack?.processes() ?? []);
        await page?.close();
    });
    after(async () => {
        await browser?.close();
        await stack?.stop();
    });

    it("sends a message and shows the answer with the pod and node that served it", async () => {
        const current = page as Page;
        assert.equal(await text(current, "backend-status"), "Backend available.");
        assert.equal(await text(current, "backend-version"), BACKEND_IDENTITY.APP_VERSION);
        assert.match(await text(current, "backend-pod"), /^pod-[ab]$/);

        await current.getByLabel("Message", { exact: true }).fill("  hello from the browser  ");
        await sendButton(current).click();
        await current
            .getByRole("status")
            .filter({ hasText: /^Sent\. Pod pod-[ab] answered\.$/ })
            .waitFor();

        assert.equal(await text(current, "answer-text"), "hello from the browser");
        assert.match(await text(current, "answer-id"), UUID);
        assert.match(await text(current, "answer-received-at"), ISO_UTC_MS);
        const pod = await text(current, "served-by-pod");
        assert.ok(["pod-a", "pod-b"].includes(pod), pod);
        assert.equal(await text(current, "served-by-node"), pod.replace("pod", "node"));
        assert.equal(await text(current, "status"), `Sent. Pod ${pod} answered.`);
        assert.equal(await current.getByLabel("Message", { exact: true }).inputValue(), "");
        assert.equal(await focusedId(current), "message-input");
        await expectNoAlert(current);
        await saveScreenshot(current, "page.png");
        assertHealthy(browser as Browser);
    });

    it('spreads the 20 messages of "Send 20" over both backends', async () => {
        const current = page as Page;
        await current.getByRole("button", { name: "Send 20" }).click();
        await current
            .getByRole("status")
            .filter({ hasText: "20 of 20 messages answered." })
            .waitFor({ timeout: 20000 });

        assert.equal(await text(current, "distribution-summary"), "20 answers from 2 pods on 2 nodes.");
        const rows = await Promise.all(
            (await current.locator("#distribution-body tr").all()).map(async (row) => ({
                pod: await row.getAttribute("data-pod"),
                cells: await row.locator("td").allTextContents(),
            })),
        );
        assert.deepEqual(rows.map((row) => `${row.pod}: ${row.cells.slice(0, 2).join(" on ")}`).sort(), [
            "pod-a: pod-a on node-a",
            "pod-b: pod-b on node-b",
        ]);
        const counts = rows.map((row) => Number(row.cells[2]));
        assert.equal(
            counts.reduce((sum, count) => sum + count, 0),
            20,
        );
        assert.ok(
            counts.every((count) => count >= 1),
            `counts ${counts}`,
        );
        await expectNoAlert(current);
        await saveScreenshot(current, "send-20.png");
        assertHealthy(browser as Browser);
    });

    it("answers bad input with a clear message and keeps working", async () => {
        const current = page as Page;
        const input = current.getByLabel("Message", { exact: true });

        // Empty, and only spaces (the backend strips them): its 400 empty_field in the page's words.
        for (const typed of ["", "   "]) {
            await input.fill(typed);
            await input.press("Enter");
            await expectAlert(current, "Message is empty.");
            assert.equal(await input.getAttribute("aria-invalid"), "true");
            assert.equal(await focusedId(current), "message-input");
            assert.equal(await text(current, "status"), "Not sent.");
            assert.equal(await text(current, "answer-empty"), "No answer yet.");
        }

        // Typing past the 1000-character maxlength: the browser drops the character, the page says why.
        await input.fill("x".repeat(1000));
        await expectNoAlert(current);
        await input.press("y");
        await expectAlert(current, "Messages are limited to 1000 characters: the text beyond that was not added.");
        assert.equal(await input.inputValue(), "x".repeat(1000));
        // Exactly at the limit is fine.
        await input.press("Enter");
        await current
            .getByRole("status")
            .filter({ hasText: /^Sent\./ })
            .waitFor();
        assert.equal(await text(current, "answer-text"), "x".repeat(1000));
        await expectNoAlert(current);

        // Over the limit anyway (a script or a browser that ignores maxlength): the backend's 400 too_long.
        await input.evaluate(
            (element, value) => ((element as unknown as { value: string }).value = value),
            "z".repeat(1001),
        );
        await input.press("Enter");
        await expectAlert(current, "Message is longer than 1000 characters.");
        assert.equal(await input.getAttribute("aria-invalid"), "true");

        // Typing clears the error, and the next message goes through.
        await input.fill("fine now");
        await expectNoAlert(current);
        assert.equal(await input.getAttribute("aria-invalid"), null);
        await input.press("Enter");
        await current
            .getByRole("status")
            .filter({ hasText: /^Sent\./ })
            .waitFor();
        assert.equal(await text(current, "answer-text"), "fine now");
        assertHealthy(browser as Browser);
    });

    it("can be used with the keyboard only, and every control has a name", async () => {
        const current = page as Page;
        const focused = () => focusedId(current);

        // The message box is the first stop of the tab order, then Send, then Send 20.
        await current.keyboard.press("Tab");
        assert.equal(await focused(), "message-input");
        await current.keyboard.type("typed, not clicked");
        await current.keyboard.press("Enter");
        await current
            .getByRole("status")
            .filter({ hasText: /^Sent\./ })
            .waitFor();
        assert.equal(await text(current, "answer-text"), "typed, not clicked");
        assert.equal(await focused(), "message-input");

        await current.keyboard.press("Tab");
        assert.equal(await focused(), "send-button");
        await current.keyboard.press("Tab");
        assert.equal(await focused(), "send-20-button");
        await current.keyboard.press("Enter");
        await current
            .getByRole("status")
            .filter({ hasText: "20 of 20 messages answered." })
            .waitFor({ timeout: 20000 });
        await current.keyboard.press("Shift+Tab");
        assert.equal(await focused(), "send-button");

        // The form as assistive technology sees it: a labelled text box with its hint, two named buttons.
        assert.equal(
            await current.getByTestId("message-form").ariaSnapshot(),
            [
                "- text: Message",
                '- textbox "Message"',
                "- paragraph: Up to 1000 characters. Press Enter to send.",
                '- button "Send"',
                '- button "Send 20"',
            ].join("\n"),
        );
        assert.equal(await current.getByLabel("Message", { exact: true }).getAttribute("id"), "message-input");
        const unnamed = await current.evaluate(`[...document.querySelectorAll("input, button, select, textarea")]
            .filter((element) => !((element.labels && element.labels.length) || element.getAttribute("aria-label")
                || (element.tagName === "BUTTON" && element.textContent.trim())))
            .map((element) => element.id)`);
        assert.deepEqual(unnamed, []);
        assertHealthy(browser as Browser);
    });
});

describe("the page when its one backend goes away and comes back", function () {
    this.timeout(60000);
    let stack: Stack | undefined;
    let browser: Browser | undefined;
    let page: Page | undefined;

    before(async () => {
        // One upstream server, as in the cluster (the Service's name), so NGINX tries it on every request.
        stack = await startStack([{}]);
        browser = await launchBrowser();
        page = await openPage(browser, stack);
    });
    afterEach(function () {
        printLogsIfFailed(this.currentTest, stack?.processes() ?? []);
    });
    after(async () => {
        await page?.close();
        await browser?.close();
        await stack?.stop();
    });

    it('shows "backend unavailable" within 2 s of the backend stopping, and recovers without a reload', async () => {
        const current = page as Page;
        const running = stack as Stack;
        let loads = 0;
        current.on("load", () => loads++);
        // Gone if the page reloads.
        await current.evaluate("window.sameDocument = true");

        await running.backends[0].stop();
        assert.equal(running.backends[0].running, false);
        const stoppedAt = Date.now();
        await expectAlert(current, "Backend unavailable (HTTP 502). The page will notice when it is back.", 2000);
        const elapsed = Date.now() - stoppedAt;
        assert.ok(elapsed <= 2000, `the page said so ${elapsed} ms after the backend stopped`);
        assert.equal(await text(current, "backend-status"), "Backend unavailable. Checking again every second…");
        assert.equal(await current.locator("#backend-status").getAttribute("data-state"), "unavailable");

        // A message sent meanwhile is not lost silently.
        await current.getByLabel("Message", { exact: true }).fill("anyone there?");
        await current.getByLabel("Message", { exact: true }).press("Enter");
        await expectAlert(
            current,
            "Backend unavailable (HTTP 502): the message was not sent. The page will notice when it is back.",
        );
        assert.equal(await text(current, "status"), "Not sent.");

        await running.restartBackend(0);
        await current.locator('#backend-status[data-state="available"]').waitFor({ timeout: 5000 });
        assert.equal(await text(current, "backend-status"), "Backend available.");
        await expectNoAlert(current);
        await current.getByLabel("Message", { exact: true }).fill("back again");
        await current.getByLabel("Message", { exact: true }).press("Enter");
        await current
            .getByRole("status")
            .filter({ hasText: /^Sent\./ })
            .waitFor();
        assert.equal(await text(current, "answer-text"), "back again");

        assert.equal(loads, 0, "the page reloaded");
        assert.equal(await current.evaluate("window.sameDocument"), true);
        assertHealthy(browser as Browser);
    });
});
