/** HTTP helpers and assertions shared by the loopback tests that talk to NGINX. */
import assert from "node:assert/strict";
import { NGINX_JSON_ERRORS, SECURITY_HEADERS } from "../../components/nginx/nginxConf";

export async function getJson(url: string, init: RequestInit = {}): Promise<{ response: Response; body: unknown }> {
    const response = await fetch(url, init);
    return { response, body: await response.json() };
}

/** Every header of SECURITY_HEADERS, once: a duplicate would arrive joined, e.g. "SAMEORIGIN, DENY". */
export function assertSecurityHeaders(response: Response): void {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        assert.equal(response.headers.get(name), value, name);
    }
}

/** The JSON body NGINX answers `status` with, as the renderer defines it. */
export function nginxError(status: number): unknown {
    const spec = NGINX_JSON_ERRORS.find((e) => e.status === status);
    assert.ok(spec !== undefined, `no NGINX error for ${status}`);
    return { error: { status, code: spec.code, message: spec.message } };
}
