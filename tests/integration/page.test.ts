/**
 * The page as files: what the CSP and the browser tests rely on, checked without a browser. The tests
 * that serve it through NGINX are in nginx.proxy.test.ts and smoke.test.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { PAGE_DIR } from "../support/processes";

const html = fs.readFileSync(path.join(PAGE_DIR, "index.html"), "utf8");
const script = fs.readFileSync(path.join(PAGE_DIR, "app.js"), "utf8");

/** The attributes of the element with `id`, or undefined. Good enough for our own, small, well-formed page. */
function elementWithId(id: string): string | undefined {
    return new RegExp(`<[a-z0-9]+\\s[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
}

/** The hooks a browser test drives; app.js lists them in its header comment. */
const TEST_HOOKS = [
    "message-form",
    "message-input",
    "send-button",
    "send-20-button",
    "status",
    "error",
    "backend-status",
    "backend-version",
    "backend-pod",
    "backend-node",
    "answer-panel",
    "answer-text",
    "answer-id",
    "answer-received-at",
    "served-by-pod",
    "served-by-node",
    "distribution-summary",
    "distribution-table",
];

describe("the page", () => {
    it("is exactly index.html, app.js and styles.css", () => {
        assert.deepEqual(fs.readdirSync(PAGE_DIR).sort(), ["app.js", "index.html", "styles.css"]);
    });

    it("has no inline script, style or event handler, so the CSP can forbid them", () => {
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        assert.deepEqual(
            scripts.map((m) => [m[1].trim(), m[2].trim()]),
            [['src="app.js" defer', ""]],
        );
        assert.doesNotMatch(html, /<style\b/);
        assert.doesNotMatch(html, /\sstyle=/);
        assert.doesNotMatch(html, /\son[a-z]+=/);
        assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    });

    it("loads nothing from another origin", () => {
        const references = [...html.matchAll(/\b(?:src|href|action)="([^"]*)"/g)].map((m) => m[1]);
        assert.deepEqual(references.sort(), ["app.js", "styles.css"]);
        assert.doesNotMatch(fs.readFileSync(path.join(PAGE_DIR, "styles.css"), "utf8"), /url\(|@import/);
        assert.doesNotMatch(script, /https?:\/\//);
    });

    it("labels the message input visibly and shows its 1000-character limit", () => {
        assert.match(html, /<label for="message-input">Message<\/label>/);
        const input = elementWithId("message-input") ?? "";
        assert.match(input, /\bmaxlength="1000"/);
        assert.match(input, /\baria-describedby="message-hint"/);
        assert.match(elementWithId("message-hint") ?? "", /class="hint"/);
        assert.match(html, /<p id="message-hint" class="hint">Up to 1000 characters\./);
        assert.match(elementWithId("send-button") ?? "", /type="submit"/, "Enter must submit the form");
        assert.match(elementWithId("send-20-button") ?? "", /type="button"/);
    });

    it("announces status politely and errors at once", () => {
        for (const id of ["status", "backend-status"]) {
            assert.match(elementWithId(id) ?? "", /role="status" aria-live="polite"/, id);
        }
        assert.match(elementWithId("error") ?? "", /role="alert"/);
    });

    it("has every element app.js looks up", () => {
        const looked = [...script.matchAll(/element\("([^"]+)"\)/g)].map((m) => m[1]);
        assert.ok(looked.length >= 20, `only ${looked.length} lookups found`);
        for (const id of looked) {
            assert.ok(elementWithId(id) !== undefined, `index.html has no #${id}`);
        }
    });

    it("gives every test hook an id, the same data-testid and a line in app.js's header", () => {
        const header = script.slice(0, script.indexOf("*/"));
        for (const id of TEST_HOOKS) {
            assert.match(elementWithId(id) ?? "", new RegExp(`data-testid="${id}"`), id);
            assert.match(header, new RegExp(`[\\s,(]${id}[\\s,(]`), `app.js does not list ${id}`);
        }
    });

    it("is a script that parses", () => {
        assert.doesNotThrow(() => new vm.Script(script, { filename: "app.js" }));
    });
});
