/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core (which never
 * downloads a browser), a fresh profile per launch, and a guard that fails any request to anything but the
 * loopback stack under test.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BrowserContext, chromium, Page } from "playwright-core";
import { LOOPBACK, makeTempDir, REPO_ROOT, removeDir } from "./processes";

/** Where the browser tests leave screenshots (gitignored; CI can keep them as artifacts). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, "test-artifacts");

/** No sandbox: the tests may run as root, where Chromium's sandbox refuses to start. Nothing reaches out. */
export const CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

export function chromiumBinary(): string {
    const binary = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
    if (!fs.existsSync(binary)) {
        throw new Error(
            `Chromium is not installed at ${binary}. Install it (Debian/Ubuntu: apt-get install -y chromium) ` +
                "or point CHROMIUM_BIN at a Chromium or Chrome binary.",
        );
    }
    return binary;
}

export interface Browser {
    readonly context: BrowserContext;
    /** Requests the guard stopped because they were not for 127.0.0.1: a test expects none. */
    readonly offLoopbackRequests: string[];
    /** Uncaught exceptions in any page: a broken page. A test expects none. */
    readonly pageErrors: string[];
    newPage(): Promise<Page>;
    close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
    const userDataDir = makeTempDir("chromium");
    const offLoopbackRequests: string[] = [];
    const pageErrors: string[] = [];
    let context: BrowserContext;
    try {
        context = await chromium.launchPersistentContext(userDataDir, {
            executablePath: chromiumBinary(),
            headless: true,
            args: CHROMIUM_ARGS,
            viewport: { width: 900, height: 1000 },
            // A light page in the screenshot, whatever the machine prefers.
            colorScheme: "light",
            timeout: 30000,
        });
    } catch (error) {
        removeDir(userDataDir);
        throw error;
    }
    await context.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === LOOPBACK) {
            return route.continue();
        }
        offLoopbackRequests.push(url.href);
        return route.abort("blockedbyclient");
    });
    context.on("weberror", (error) => pageErrors.push(String(error.error())));
    // The persistent context opens with one blank page; tests open their own.
    await Promise.all(context.pages().map((page) => page.close()));
    return {
        context,
        offLoopbackRequests,
        pageErrors,
        newPage: () => context.newPage(),
        close: async () => {
            await context.close();
            removeDir(userDataDir);
        },
    };
}

/** Saves a full-page screenshot as test-artifacts/`name` and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, name);
    await page.screenshot({ path: file, fullPage: true });
    return file;
}
